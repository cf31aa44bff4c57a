// Long work as jobs: the interface (queue.ts), the kinds and their limits (kinds.ts), the handlers
// (handlers/), one attempt (attempt.ts), and two engines — in-process over the store (local.ts, the
// single-machine app on SQLite) and pg-boss on PostgreSQL with `jixiao worker` processes (boss.ts).
import type { Llm } from "../llm/index.ts";
import type { Store } from "../store/index.ts";
import { BossJobs } from "./boss.ts";
import { jobLimitsFromEnv } from "./kinds.ts";
import { LocalJobs } from "./local.ts";
import type { JobQueue } from "./queue.ts";

export { BossJobs, BossWorker, DEAD_QUEUE, QUEUE, deliveryId, expirySeconds, queueSchemaFor, type WorkerOptions } from "./boss.ts";
export { LocalJobs, type LocalJobsOptions } from "./local.ts";
export { runAttempt, type AttemptOptions, type Outcome } from "./attempt.ts";
export { JobError, JobStopped, backoffMs, isTransient, type JobErrorCode } from "./errors.ts";
export { DEFAULT_LIMITS, JOB_KINDS, KIND_NAMES, PAYLOADS, isJobKind, jobLimitsFromEnv, type JobKind, type JobLimits, type KindLimits, type PayloadOf } from "./kinds.ts";
export { FINAL_STATES, isFinal, watchJob, type EnqueueOptions, type JobEvent, type JobQueue, type WatchOptions } from "./queue.ts";

/**
 * The job queue the web server uses: with PostgreSQL (`databaseUrl`), the pg-boss queue that
 * `jixiao worker` processes take jobs from; without it, the in-process runner over the SQLite store,
 * started here (JIXIAO_JOB_CONCURRENCY jobs at once, default 1).
 */
export async function openJobs(store: Store, o: { databaseUrl: string | null; llm: Llm | null; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): Promise<JobQueue> {
  const env = o.env ?? process.env;
  const limits = jobLimitsFromEnv(env);
  if (store.dialect === "postgres") {
    if (!o.databaseUrl) throw new Error("PostgreSQL 存储需要 JIXIAO_DATABASE_URL 才能连接任务队列");
    return BossJobs.open(store, { url: o.databaseUrl, limits, ...(o.log ? { log: o.log } : {}) });
  }
  const raw = env.JIXIAO_JOB_CONCURRENCY?.trim();
  const concurrency = raw ? Number(raw) : 1;
  if (!(Number.isInteger(concurrency) && concurrency > 0)) throw new Error(`JIXIAO_JOB_CONCURRENCY 应为正整数，当前为“${raw}”`);
  return LocalJobs.start(store, { llm: o.llm, limits, concurrency, ...(o.log ? { log: o.log } : {}) });
}
