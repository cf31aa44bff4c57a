// The shared-server engine: PostgreSQL through the `pg` client's Pool. Reads go to any pooled
// connection (autocommit, READ COMMITTED: only committed data is ever seen); a transaction is BEGIN …
// COMMIT on one client taken from the pool for its whole duration. Unlike SQLite, writers run
// concurrently, so the repositories lock what they read before a write that depends on it
// (engine.ts `lockClause`) or make the write itself conditional (UPDATE … WHERE version = ?).
import pg from "pg";
import { numberPlaceholders, type Engine, type Executor, type Params, type Row, type SqlValue } from "./engine.ts";

const INT8_OID = 20;

// count(*) and other bigint results arrive as strings by default (int8 can exceed 2^53). Every
// bigint this schema produces is a count or an id far below 2^53, so numbers keep the repositories
// identical for both engines.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

const translated = new Map<string, string>();
function toPg(sql: string): string {
  let out = translated.get(sql);
  if (out === undefined) {
    out = numberPlaceholders(sql);
    if (translated.size < 1000) translated.set(sql, out);
  }
  return out;
}

// PostgreSQL's text cannot hold U+0000 (SQLite's can). The documents themselves are JSON, where
// JSON.stringify already writes it as the escape \u0000; only a raw name or message read from a
// crafted file could carry one, and it becomes U+FFFD there rather than failing the whole upload.
function param(v: SqlValue): unknown {
  return typeof v === "string" && v.includes("\u0000") ? v.replace(/\u0000/g, "\uFFFD") : v;
}
const params = (p: Params = []) => p.map(param);

function executor(q: pg.Pool | pg.PoolClient): Executor {
  return {
    run: async (sql, p) => ({ changes: (await q.query(toPg(sql), params(p))).rowCount ?? 0 }),
    insert: async (sql, p) => {
      const r = await q.query<{ id: number }>(`${toPg(sql)} RETURNING id`, params(p));
      return r.rows[0]!.id;
    },
    get: async <T>(sql: string, p?: Params) => (await q.query(toPg(sql), params(p))).rows[0] as T | undefined,
    all: async <T>(sql: string, p?: Params) => (await q.query(toPg(sql), params(p))).rows as T[],
    exec: async (sql) => {
      await q.query(sql);
    },
  };
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://…";
  }
}

// Deadlocks and serialization failures are the server's way of asking for a retry: the whole
// transaction ran in vain and nothing of it was kept, so running the user action again is safe.
const RETRYABLE = new Set(["40001", "40P01"]);

export class PostgresEngine implements Engine {
  readonly dialect = "postgres" as const;
  private readonly reader: Executor;
  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {
    this.reader = executor(pool);
  }

  static async open(url: string, opts: { max?: number } = {}): Promise<PostgresEngine> {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: "jixiao", types });
    // An idle pooled connection that the server drops (restart, network) emits 'error' on the pool;
    // unhandled it would crash the process. The pool discards that client and opens a new one on
    // the next query, so there is nothing else to do here.
    pool.on("error", () => undefined);
    // Fail at start, with the server's message, rather than on the first request.
    const c = await pool.connect().catch(async (e: unknown) => {
      await pool.end().catch(() => undefined);
      throw e;
    });
    c.release();
    return new PostgresEngine(pool, redactUrl(url));
  }

  get<T = Row>(sql: string, p?: Params): Promise<T | undefined> {
    return this.reader.get<T>(sql, p);
  }

  all<T = Row>(sql: string, p?: Params): Promise<T[]> {
    return this.reader.all<T>(sql, p);
  }

  async tx<T>(fn: (x: Executor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const out = await fn(executor(client));
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK").catch((err: Error) => (broken = err));
        const code = (e as { code?: string }).code;
        if (attempt < 3 && code && RETRYABLE.has(code)) continue;
        throw e;
      } finally {
        // A client whose ROLLBACK failed is in an unknown state: destroy it, never reuse it.
        client.release(broken);
      }
    }
  }

  /**
   * PostgreSQL has no `PRAGMA integrity_check`; the server verifies pages itself. "ok" when the
   * server answers and reports no data-page checksum failures for this database (the count is null
   * when the cluster was initialised without checksums).
   */
  async integrityCheck(): Promise<string> {
    const r = await this.reader.get<{ failures: number | null }>(
      "SELECT checksum_failures AS failures FROM pg_stat_database WHERE datname = current_database()",
    );
    return r?.failures ? `${r.failures} checksum failures` : "ok";
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
