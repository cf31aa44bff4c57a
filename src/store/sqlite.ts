// The embedded engine: the sqlite3 connection, promisified. Two connections on one WAL database: a
// writer, used only inside `tx()` and serialised by a queue (one user action = one transaction), and a
// reader, which in WAL mode only ever sees committed transactions — a request never reads half of an
// upload.
import sqlite3 from "sqlite3";
import type { Engine, Executor, Params, Row } from "./engine.ts";

function openConnection(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

function executor(conn: sqlite3.Database): Executor {
  const run = (sql: string, params: Params = []) =>
    new Promise<{ lastID: number; changes: number }>((resolve, reject) =>
      conn.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ lastID: this.lastID, changes: this.changes });
      }),
    );
  return {
    run,
    insert: async (sql, params) => (await run(sql, params)).lastID,
    get: <T>(sql: string, params: Params = []) =>
      new Promise<T | undefined>((resolve, reject) => conn.get(sql, params, (err: Error | null, row: T) => (err ? reject(err) : resolve(row)))),
    all: <T>(sql: string, params: Params = []) =>
      new Promise<T[]>((resolve, reject) => conn.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)))),
    exec: (sql) => new Promise((resolve, reject) => conn.exec(sql, (err) => (err ? reject(err) : resolve()))),
  };
}

function closeConnection(conn: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => conn.close((err) => (err ? reject(err) : resolve())));
}

export class SqliteEngine implements Engine {
  readonly dialect = "sqlite" as const;
  private queue: Promise<unknown> = Promise.resolve();
  private constructor(
    private readonly writerConn: sqlite3.Database,
    private readonly readerConn: sqlite3.Database,
    private readonly writer: Executor,
    private readonly reader: Executor,
    readonly location: string,
  ) {}

  static async open(file: string): Promise<SqliteEngine> {
    const w = await openConnection(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
    const we = executor(w);
    // WAL: readers never block the writer and see only committed data; synchronous=FULL makes a
    // commit durable before it is acknowledged (a killed process or lost power keeps it).
    await we.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
    const r = await openConnection(file, sqlite3.OPEN_READWRITE);
    const re = executor(r);
    await re.exec("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA query_only=ON;");
    return new SqliteEngine(w, r, we, re, file);
  }

  get<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return this.reader.get<T>(sql, params);
  }

  all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    return this.reader.all<T>(sql, params);
  }

  /** Runs `fn` in one IMMEDIATE transaction on the writer; commits if it resolves, rolls back if it throws. */
  tx<T>(fn: (x: Executor) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      await this.writer.exec("BEGIN IMMEDIATE");
      try {
        const out = await fn(this.writer);
        await this.writer.exec("COMMIT");
        return out;
      } catch (e) {
        await this.writer.exec("ROLLBACK").catch(() => undefined);
        throw e;
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** `PRAGMA integrity_check`: "ok" when the database file is sound. */
  async integrityCheck(): Promise<string> {
    const rows = await this.reader.all<{ integrity_check: string }>("PRAGMA integrity_check");
    return rows.map((r) => r.integrity_check).join("; ");
  }

  /** Statements that must run outside a transaction (PRAGMA, VACUUM), in the writer's queue. */
  raw(sql: string): Promise<void> {
    const run = () => this.writer.exec(sql);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await closeConnection(this.readerConn);
    await closeConnection(this.writerConn);
  }
}
