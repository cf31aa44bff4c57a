// `jixiao serve` / `npm start`: opens the store, configures the LLM (or none), builds the web bundle
// and listens on HOST:PORT (default 127.0.0.1:8787). Also runnable as `node --import tsx server/main.ts`.
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import { serve as honoServe } from "@hono/node-server";
import { llmFromEnv } from "../src/llm/index.ts";
import { DEFAULT_MAX_BYTES } from "../src/ingest/index.ts";
import { openJobs, type JobQueue } from "../src/jobs/index.ts";
import { Store, dataDirFromEnv, storeOptionsFromEnv } from "../src/store/index.ts";
import { createApp } from "./app.ts";
import { readerFromEnv } from "./isolate.ts";
import { NO_LLM_NOTICE } from "./routes/system.ts";
import { appBundle } from "./web.ts";

export interface ServeOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  token?: string;
  maxUploadBytes?: number;
  /** Where log lines go (default stdout). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Close cleanly on SIGINT/SIGTERM (default true; tests pass false). */
  handleSignals?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the web app. Options default to the environment: HOST, PORT, JIXIAO_DATA_DIR, JIXIAO_TOKEN, JIXIAO_MAX_UPLOAD_MB,
 * and JIXIAO_READERS / JIXIAO_READER_POOL for the threads that read uploads (server/isolate.ts).
 */
export async function serve(opts: ServeOptions = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stdout.write(line + "\n"));
  // An empty HOST= must not mean "every interface".
  const host = opts.host ?? (env.HOST?.trim() || "127.0.0.1");
  const port = opts.port ?? (env.PORT ? Number(env.PORT) : 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT 应为 0–65535 的整数，当前为“${env.PORT}”`);
  const dataDir = opts.dataDir ?? dataDirFromEnv(env);
  const token = opts.token ?? (env.JIXIAO_TOKEN?.trim() || undefined);
  const maxMb = env.JIXIAO_MAX_UPLOAD_MB ? Number(env.JIXIAO_MAX_UPLOAD_MB) : null;
  if (maxMb !== null && !(maxMb > 0)) throw new Error(`JIXIAO_MAX_UPLOAD_MB 应为正数，当前为“${env.JIXIAO_MAX_UPLOAD_MB}”`);
  const maxUploadBytes = opts.maxUploadBytes ?? (maxMb ? Math.round(maxMb * 1024 * 1024) : DEFAULT_MAX_BYTES);
  // This server's reader threads: they boot while the store opens and the web bundle builds, and the
  // server listens once they are ready (~0.5 s of CPU each), so a first burst of uploads finds them warm.
  const reader = readerFromEnv(env);
  const warming = reader.warm?.();

  let store!: Store;
  let made!: Awaited<ReturnType<typeof llmFromEnv>>;
  try {
    store = await Store.open(dataDir, storeOptionsFromEnv(env));
    // The same builder as the CLI's, with the cache in this server's data directory (PostgreSQL or not).
    made = await llmFromEnv(env, { dataDir });
    await appBundle();
    await warming;
  } catch (e) {
    await reader.close();
    throw e;
  }

  // Long work (batch checks and reviews, drafts, workspace exports) runs as jobs: here in this process
  // over SQLite; over PostgreSQL they are queued for `jixiao worker` processes.
  let jobs: JobQueue;
  try {
    jobs = await openJobs(store, { databaseUrl: storeOptionsFromEnv(env).databaseUrl ?? null, llm: made?.llm ?? null, env, log });
  } catch (e) {
    await store.close();
    await made?.close();
    await reader.close();
    throw e;
  }

  const app = createApp({ store, llm: made?.llm ?? null, dataDir, maxUploadBytes, reader, jobs, log, ...(token ? { token } : {}) });
  let server: ReturnType<typeof honoServe>;
  try {
    server = await new Promise<ReturnType<typeof honoServe>>((resolve, reject) => {
      const s = honoServe({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
      s.once("error", reject);
    });
  } catch (e) {
    // Port in use, address not available: release the databases before reporting.
    await jobs.close();
    await store.close();
    await made?.close();
    await reader.close();
    throw e;
  }
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
  // The configuration summary: model and endpoint without credentials; never the key.
  log(`jixiao 已启动：${url}（数据目录 ${dataDir}）`);
  log(made ? `大模型：${made.config.model} @ ${made.config.endpoint}` : NO_LLM_NOTICE);
  if (token) log("已启用访问令牌（JIXIAO_TOKEN）");
  log(jobs.engine === "local" ? "任务：在本进程内执行（SQLite）" : "任务：进入 PostgreSQL 任务队列，由 jixiao worker 进程执行");

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // The uploads under way have been answered (server.close waits for them); the threads end here.
      await reader.close();
      // A job still running gets a few seconds, then goes back to the queue for the next start.
      await jobs.close();
      await store.close();
      await made?.close();
    })());
  if (opts.handleSignals ?? true) {
    const stop = () => {
      void close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  return { url, port: actual, close };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve().catch((e: unknown) => {
    process.stderr.write(`jixiao：启动失败：${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
