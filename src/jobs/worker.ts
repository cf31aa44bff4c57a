// `jixiao worker`: one process that takes jobs from the PostgreSQL queue and runs them, beside the web
// servers, as many as wanted on as many machines. SIGTERM/SIGINT: no new jobs, running ones finish (or
// go back to the queue after JIXIAO_WORKER_STOP_S, default 30 s), then the process exits.
import { setPriority } from "node:os";
import { llmFromEnv } from "../llm/index.ts";
import { Store, dataDirFromEnv, storeOptionsFromEnv } from "../store/index.ts";
import { BossWorker } from "./boss.ts";
import { jobLimitsFromEnv } from "./kinds.ts";

export interface RunningWorker {
  stop(): Promise<void>;
}

function seconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const v = Number(raw);
  if (!(v > 0)) throw new Error(`${name} 应为正数，当前为“${raw}”`);
  return v;
}

/**
 * Starts the worker. Besides the store's and the model's settings it reads JIXIAO_JOB_TIMEOUT_S,
 * JIXIAO_JOB_ATTEMPTS, JIXIAO_JOB_RETRY_DELAY_S (the jobs' limits), JIXIAO_JOB_STALE_S (a running job
 * silent this long has lost its worker, default 60), JIXIAO_QUEUE_MAINTENANCE_S (default 60),
 * JIXIAO_QUEUE_SCHEMA and JIXIAO_WORKER_NICE (default 10).
 */
export async function startWorker(o: { concurrency: number; env?: NodeJS.ProcessEnv; log: (line: string) => void; handleSignals?: boolean }): Promise<RunningWorker> {
  const env = o.env ?? process.env;
  const storeOpts = storeOptionsFromEnv(env);
  if (!storeOpts.databaseUrl) {
    throw new Error("jixiao worker 需要 PostgreSQL：请设置 JIXIAO_DATABASE_URL（与网页版相同）。单机版（SQLite）的任务由 jixiao serve 在进程内执行，无需 worker");
  }
  const limits = jobLimitsFromEnv(env);
  const stale = seconds(env, "JIXIAO_JOB_STALE_S");
  const maintenance = seconds(env, "JIXIAO_QUEUE_MAINTENANCE_S");
  const stopGrace = seconds(env, "JIXIAO_WORKER_STOP_S") ?? 30;
  // A batch check is CPU work; a worker on the web server's machine must not starve the requests of
  // people waiting for a page. A lower priority only matters when the two compete for a core (on a
  // machine of its own the worker still gets every idle cycle). 0 keeps the normal priority.
  const nice = Number(env.JIXIAO_WORKER_NICE?.trim() || 10);
  if (!(Number.isInteger(nice) && nice >= 0 && nice <= 19)) throw new Error(`JIXIAO_WORKER_NICE 应为 0–19 的整数，当前为“${env.JIXIAO_WORKER_NICE}”`);
  if (nice > 0) {
    try {
      setPriority(nice);
    } catch {
      // Not permitted here (some containers): the worker runs at normal priority.
    }
  }
  const dataDir = dataDirFromEnv(env);
  const store = await Store.open(dataDir, { ...storeOpts, poolSize: storeOpts.poolSize ?? o.concurrency + 2 });
  let made: Awaited<ReturnType<typeof llmFromEnv>>;
  let worker: BossWorker;
  try {
    made = await llmFromEnv(env, { dataDir });
    worker = await BossWorker.start(store, {
      url: storeOpts.databaseUrl, llm: made?.llm ?? null, limits, concurrency: o.concurrency, log: o.log,
      ...(stale ? { staleAfterMs: stale * 1000 } : {}),
      ...(maintenance ? { maintenanceIntervalSeconds: Math.max(1, Math.round(maintenance)) } : {}),
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  o.log(`jixiao worker 已启动：并发 ${o.concurrency}，数据库 ${store.file}；${made ? `大模型 ${made.config.model}` : "未配置大模型（起草任务用模板）"}`);
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      o.log("jixiao worker 正在停止：不再领取新任务，等待进行中的任务完成…");
      await worker.stop(stopGrace * 1000);
      await store.close();
      await made?.close();
      o.log("jixiao worker 已停止");
    })());
  if (o.handleSignals ?? true) {
    const onSignal = () => {
      void stop().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`jixiao worker：停止时出错：${e instanceof Error ? e.message : String(e)}\n`);
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  }
  return { stop };
}
