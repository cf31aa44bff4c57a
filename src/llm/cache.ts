// SQLite-backed cache of model outputs, and the llm_calls log. Identical requests (same model, prompt version,
// rendered messages and schema) are answered from here without an HTTP call; every call is logged.
import { createHash } from "node:crypto";
import sqlite3 from "sqlite3";
import type { PromptMessage } from "./prompts.ts";
import type { LlmCallRecord, LlmUsage, UsageTotals } from "./usage.ts";

export interface CachedOutput {
  raw: string;
  usage: LlmUsage;
  model: string;
  createdAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS llm_cache (
  key TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  prompt TEXT NOT NULL,
  version TEXT NOT NULL,
  raw TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS llm_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  prompt TEXT NOT NULL,
  version TEXT NOT NULL,
  model TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  kind TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  ms INTEGER NOT NULL,
  cached INTEGER NOT NULL,
  repaired INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  mode TEXT,
  error_code TEXT
);
CREATE INDEX IF NOT EXISTS llm_calls_at ON llm_calls (at);
`;

/** sha256 over an unambiguous encoding (a JSON array) of everything that determines the output. */
export function cacheKey(model: string, prompt: string, version: string, messages: PromptMessage[], schemaName: string): string {
  return createHash("sha256").update(JSON.stringify([model, prompt, version, messages, schemaName])).digest("hex");
}

type Row = Record<string, unknown>;

export class LlmCache {
  readonly #db: sqlite3.Database;
  readonly #pending = new Set<Promise<unknown>>();
  #closed: Promise<void> | null = null;

  private constructor(db: sqlite3.Database) {
    this.#db = db;
  }

  /** Opens (creating if needed) a cache file, or ":memory:". Files use WAL so the CLI and the server can share one. */
  static async open(file: string): Promise<LlmCache> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
    });
    const cache = new LlmCache(db);
    if (file !== ":memory:" && file !== "") await cache.#exec("PRAGMA journal_mode = WAL");
    await cache.#exec("PRAGMA busy_timeout = 5000");
    await cache.#exec(SCHEMA);
    return cache;
  }

  get closed(): boolean {
    return this.#closed !== null;
  }

  async get(key: string): Promise<CachedOutput | null> {
    if (this.closed) return null;
    const row = await this.#track(this.#get("SELECT raw, model, prompt_tokens, completion_tokens, total_tokens, created_at FROM llm_cache WHERE key = ?", [key]));
    if (!row) return null;
    return {
      raw: String(row["raw"]),
      model: String(row["model"]),
      createdAt: String(row["created_at"]),
      usage: { promptTokens: Number(row["prompt_tokens"]), completionTokens: Number(row["completion_tokens"]), totalTokens: Number(row["total_tokens"]) },
    };
  }

  async put(key: string, v: { prompt: string; version: string; model: string; raw: string; usage: LlmUsage }): Promise<void> {
    // A call that finishes while the app shuts down just is not cached.
    if (this.closed) return;
    await this.#track(
      this.#run(
        `INSERT OR REPLACE INTO llm_cache (key, model, prompt, version, raw, prompt_tokens, completion_tokens, total_tokens, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [key, v.model, v.prompt, v.version, v.raw, v.usage.promptTokens, v.usage.completionTokens, v.usage.totalTokens, new Date().toISOString()],
      ),
    );
  }

  async recordCall(r: LlmCallRecord): Promise<void> {
    if (this.closed) return;
    await this.#track(
      this.#run(
        `INSERT INTO llm_calls (at, prompt, version, model, endpoint, kind, prompt_tokens, completion_tokens, total_tokens, ms, cached, repaired, attempts, mode, error_code)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [r.at, r.prompt, r.version, r.model, r.endpoint, r.kind, r.promptTokens, r.completionTokens, r.totalTokens, Math.round(r.ms), r.cached ? 1 : 0, r.repaired ? 1 : 0, r.attempts, r.mode, r.errorCode],
      ),
    );
  }

  /** The newest calls first. */
  async calls(limit = 100): Promise<LlmCallRecord[]> {
    this.#assertOpen();
    const rows = await this.#track(this.#all("SELECT * FROM llm_calls ORDER BY id DESC LIMIT ?", [limit]));
    return rows.map((row) => ({
      at: String(row["at"]),
      prompt: String(row["prompt"]),
      version: String(row["version"]),
      model: String(row["model"]),
      endpoint: String(row["endpoint"]),
      kind: String(row["kind"]) as LlmCallRecord["kind"],
      promptTokens: Number(row["prompt_tokens"]),
      completionTokens: Number(row["completion_tokens"]),
      totalTokens: Number(row["total_tokens"]),
      ms: Number(row["ms"]),
      cached: row["cached"] === 1,
      repaired: row["repaired"] === 1,
      attempts: Number(row["attempts"]),
      mode: (row["mode"] ?? null) as LlmCallRecord["mode"],
      errorCode: row["error_code"] === null ? null : String(row["error_code"]),
    }));
  }

  async callTotals(since?: string): Promise<UsageTotals> {
    this.#assertOpen();
    const where = since === undefined ? "" : "WHERE at >= ?";
    const params = since === undefined ? [] : [since];
    const cols = `COUNT(*) AS calls, COALESCE(SUM(cached), 0) AS cached, COALESCE(SUM(error_code IS NOT NULL), 0) AS failed,
      COALESCE(SUM(prompt_tokens), 0) AS p, COALESCE(SUM(completion_tokens), 0) AS c, COALESCE(SUM(total_tokens), 0) AS t`;
    const [all, per] = await this.#track(
      Promise.all([
        this.#get(`SELECT ${cols} FROM llm_calls ${where}`, params),
        this.#all(`SELECT prompt, version, ${cols} FROM llm_calls ${where} GROUP BY prompt, version ORDER BY prompt, version`, params),
      ]),
    );
    const sums = (r: Row | undefined) => ({
      calls: Number(r?.["calls"] ?? 0),
      cached: Number(r?.["cached"] ?? 0),
      failed: Number(r?.["failed"] ?? 0),
      promptTokens: Number(r?.["p"] ?? 0),
      completionTokens: Number(r?.["c"] ?? 0),
      totalTokens: Number(r?.["t"] ?? 0),
    });
    return { ...sums(all), byPrompt: per.map((r) => ({ prompt: String(r["prompt"]), version: String(r["version"]), ...sums(r) })) };
  }

  /** Waits for writes in flight, then closes. Safe to call twice; later writes are dropped, later reads fail. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
      await new Promise<void>((resolve, reject) => this.#db.close((err) => (err ? reject(err) : resolve())));
    })();
    return this.#closed;
  }

  #assertOpen(): void {
    if (this.closed) throw new Error("LlmCache is closed");
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#pending.add(p);
    const done = () => this.#pending.delete(p);
    p.then(done, done);
    return p;
  }

  #exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.#db.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  #run(sql: string, params: unknown[]): Promise<void> {
    return new Promise((resolve, reject) => this.#db.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve())));
  }

  #get(sql: string, params: unknown[]): Promise<Row | undefined> {
    return new Promise((resolve, reject) => this.#db.get(sql, params, (err: Error | null, row: Row | undefined) => (err ? reject(err) : resolve(row))));
  }

  #all(sql: string, params: unknown[]): Promise<Row[]> {
    return new Promise((resolve, reject) => this.#db.all(sql, params, (err: Error | null, rows: Row[]) => (err ? reject(err) : resolve(rows))));
  }
}

/** Totals over llm_calls, optionally from an ISO time on (e.g. the start of today). */
export function usageTotals(cache: LlmCache, opts: { since?: string } = {}): Promise<UsageTotals> {
  return cache.callTotals(opts.since);
}
