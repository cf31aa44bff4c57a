// What the repositories (index.ts) need from a database, whatever the engine: reads of committed
// data, one transaction per user action, and a few dialect facts. The repositories write their SQL
// once, in SQLite's spelling with `?` placeholders; each engine translates what differs (see
// postgres.ts) so the two engines cannot drift apart query by query.

export type SqlValue = string | number | null | Uint8Array | Buffer;
export type Params = SqlValue[];
export type Row = Record<string, unknown>;

export type Dialect = "sqlite" | "postgres";

export interface Executor {
  run(sql: string, params?: Params): Promise<{ changes: number }>;
  /** Runs an INSERT into a table with an `id` column and returns the new row's id. */
  insert(sql: string, params?: Params): Promise<number>;
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Engine {
  readonly dialect: Dialect;
  /** Where the data lives, for logs: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Reads see committed transactions only. */
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /** Runs `fn` in one transaction; commits if it resolves, rolls back if it throws. */
  tx<T>(fn: (x: Executor) => Promise<T>): Promise<T>;
  /** "ok" when the engine finds nothing wrong with the stored data. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Row-lock suffixes for a SELECT inside `tx()` whose answer decides a write. SQLite needs none: its
 * transactions are IMMEDIATE and one writer runs at a time. PostgreSQL runs writers concurrently
 * under READ COMMITTED, so a read that a write depends on must lock the row it read.
 */
export function lockClause(dialect: Dialect, kind: "update" | "key share" | "update skip locked"): string {
  if (dialect === "sqlite") return "";
  return kind === "update" ? " FOR UPDATE" : kind === "key share" ? " FOR KEY SHARE" : " FOR UPDATE SKIP LOCKED";
}

/**
 * `?` placeholders → `$1, $2 …` for PostgreSQL, leaving `?` inside quoted strings, quoted names and
 * comments alone.
 */
export function numberPlaceholders(sql: string): string {
  let out = "";
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === "?") {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}
