// A real PostgreSQL server for the store's tests, never a mock. Two ways to get one:
// - JIXIAO_TEST_DATABASE_URL=postgres://user@host:port/db — a server you run; the user needs CREATEDB.
//   Each test file gets a database of its own (jixiao_t_…), dropped again at the end.
// - JIXIAO_TEST_PG=start — a throw-away cluster: initdb in a temp dir (as the `postgres` user when
//   running as root: the server refuses root), trust auth, 127.0.0.1 on a free port, its socket in the
//   temp dir; stopped and deleted when the test file ends. Needs Debian's `postgresql` package.
// With neither, `pgSkipReason()` says why the PostgreSQL half is skipped; with JIXIAO_TEST_PG=start
// and no PostgreSQL installed the tests fail instead — CI must never pass by skipping.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll } from "vitest";
import type { StoreOptions } from "../../src/store/index.ts";

export interface TestPg {
  /** Where the cluster listens, for the report (no password). */
  readonly where: string;
  /**
   * The URL of an empty place for one store: a new schema in this test file's own database, named
   * through the URL's `options=-c search_path=…` as a deployment could do too. A schema costs
   * milliseconds where CREATE DATABASE costs a few hundred, and it isolates just as well: tables,
   * identity sequences and the migration lock's scope are all inside it or harmless across it.
   */
  freshUrl(): Promise<string>;
  /** Runs one query on `url` and returns its rows. */
  query<T = Record<string, unknown>>(url: string, sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the databases it created; stops and deletes a cluster it started. */
  stop(): Promise<void>;
}

/** Null when a PostgreSQL server is configured for the tests; else why the PostgreSQL half is skipped. */
export function pgSkipReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.JIXIAO_TEST_DATABASE_URL?.trim() || env.JIXIAO_TEST_PG?.trim() === "start") return null;
  return "no test PostgreSQL: set JIXIAO_TEST_PG=start (Debian's postgresql installed) or JIXIAO_TEST_DATABASE_URL";
}

function pgBinDir(): string {
  const given = process.env.JIXIAO_TEST_PG_BIN?.trim();
  if (given) return given;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error("JIXIAO_TEST_PG=start but no PostgreSQL server found under /usr/lib/postgresql: apt-get install -y postgresql");
  return join(root, versions[0]!, "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The uid/gid of `postgres` when we are root (initdb and postgres refuse to run as root), else none. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("running as root, and there is no `postgres` user to run the test cluster as (apt-get install -y postgresql creates it)");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function dbUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function handle(adminUrl: string, where: string, stopCluster: () => void): Promise<TestPg> {
  const name = `jixiao_t_${process.pid}_${Date.now().toString(36)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const base = dbUrl(adminUrl, name);
  // One client per URL for the tests' direct queries, kept open: a connection is a server process.
  const clients = new Map<string, Promise<pg.Client>>();
  const client = (url: string) => {
    let c = clients.get(url);
    if (!c) {
      // count(*) as a number, as the store reads it, so one assertion serves both engines.
      const cl = new pg.Client({ connectionString: url, types: { getTypeParser: ((oid: number, f?: "text") => (oid === 20 ? Number : pg.types.getTypeParser(oid, f))) as typeof pg.types.getTypeParser } });
      c = cl.connect().then(() => cl);
      clients.set(url, c);
    }
    return c;
  };
  let n = 0;
  return {
    where,
    async freshUrl() {
      const schema = `s${++n}`;
      await (await client(base)).query(`CREATE SCHEMA ${schema}`);
      const u = new URL(base);
      u.searchParams.set("options", `-c search_path=${schema}`);
      return u.toString();
    },
    query: async <T>(url: string, sql: string, params: unknown[] = []) => (await (await client(url)).query(sql, params)).rows as T[],
    async stop() {
      try {
        for (const c of clients.values()) await (await c).end().catch(() => undefined);
        // FORCE ends sessions a test left open (a killed server's connections may linger a moment).
        await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      } finally {
        stopCluster();
      }
    },
  };
}

/** Starts (JIXIAO_TEST_PG=start) or connects to (JIXIAO_TEST_DATABASE_URL) the test server. */
export async function startTestPg(env: NodeJS.ProcessEnv = process.env): Promise<TestPg> {
  const given = env.JIXIAO_TEST_DATABASE_URL?.trim();
  if (given) {
    const u = new URL(given);
    u.password = "";
    return handle(given, u.toString(), () => undefined);
  }
  if (env.JIXIAO_TEST_PG?.trim() !== "start") throw new Error(pgSkipReason(env)!);

  const bin = pgBinDir();
  const owner = runAs();
  const dir = mkdtempSync(join(tmpdir(), "jixiao-pg-"));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  const as = { ...(owner ?? {}), cwd: dir, stdio: "pipe" as const };
  const pgCtl = (...args: string[]) => execFileSync(join(bin, "pg_ctl"), ["-D", data, ...args], as);
  let started = false;
  const stopCluster = () => {
    try {
      if (started) pgCtl("-m", "immediate", "-w", "stop");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    // No locale (byte order, like SQLite), UTF-8; --no-sync: a throw-away cluster need not be durable.
    execFileSync(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"], as);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      // fsync off: these tests kill jixiao's processes, never the database server, so the server's
      // own durability is not what they measure, and the cluster is deleted afterwards anyway.
      const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
      try {
        pgCtl("-l", join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start");
      } catch (e) {
        lastError = e; // most likely the port was taken between freePort() and the server's bind
        continue;
      }
      started = true;
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      return await handle(url, url, stopCluster);
    }
    const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8") : "";
    throw new Error(`test PostgreSQL did not start: ${String(lastError)}\n${log}`);
  } catch (e) {
    stopCluster();
    throw e;
  }
}

// JIXIAO_TEST_ENGINE=postgres runs the app-level tests (tests/helpers/server.ts testApp) on
// PostgreSQL: one test server per test file, a fresh schema per app, all removed after the file.
let forApps: Promise<TestPg> | null = null;
if (process.env.JIXIAO_TEST_ENGINE?.trim() === "postgres") {
  afterAll(async () => {
    if (forApps) await (await forApps).stop();
  });
}

/** The store options a test app uses: SQLite by default, PostgreSQL with JIXIAO_TEST_ENGINE=postgres. */
export async function testStoreOptions(env: NodeJS.ProcessEnv = process.env): Promise<StoreOptions> {
  if (env.JIXIAO_TEST_ENGINE?.trim() !== "postgres") return {};
  forApps ??= startTestPg(env);
  return { databaseUrl: await (await forApps).freshUrl() };
}
