// The PostgreSQL engine: pg-boss 10 (the last major that runs on Node 20) carries the deliveries, the
// store's jobs table keeps the state, progress and result. The web server only sends (BossJobs);
// `jixiao worker` processes, any number on any machines, take jobs (BossWorker).
//
// What pg-boss gives: a delivery taken by one worker at a time (FOR UPDATE SKIP LOCKED), retries with
// exponential backoff, an expiry after which an active delivery is failed and retried, cancellation,
// a dead-letter queue for deliveries that used up their retries. What the store gives: every
// transition conditional on the job still being open and the result committed once by its result key,
// so a delivery that comes twice (a worker killed after committing, an expiry racing a slow worker)
// changes nothing the second time.
//
// The pg-boss job id is derived from the store's job id, so sending again is a no-op (INSERT … ON
// CONFLICT DO NOTHING): a job created in the store whose send was lost (the server died in between) is
// sent again by the workers' sweep, and cancel needs no mapping table.
import pg from "pg";
import PgBoss from "pg-boss";
import type { Llm } from "../llm/index.ts";
import type { Job, JobState, Store } from "../store/index.ts";
import { runAttempt, type AttemptOptions, type Outcome } from "./attempt.ts";
import { DEFAULT_LIMITS, KIND_NAMES, isJobKind, type JobKind, type JobLimits, type KindLimits, type PayloadOf } from "./kinds.ts";
import { prepareJob, watchJob, type EnqueueOptions, type JobQueue, type WatchOptions } from "./queue.ts";

export const QUEUE = "jixiao-jobs";
/** Deliveries pg-boss gave up on (retries used up by dead workers or expiries): the store's job is failed. */
export const DEAD_QUEUE = "jixiao-jobs-dead";

interface Delivery {
  jobId: number;
}

/** The pg-boss id of store job `id`: a fixed UUID (version 4 and variant bits set), the job id in its last 12 hex digits. */
export function deliveryId(id: number): string {
  return `00000000-0000-4000-8000-${id.toString(16).padStart(12, "0")}`;
}

/**
 * A delivery expires (pg-boss fails it and delivers it again) a little after the job's own time limit:
 * the attempt stops itself first, and the expiry only catches a worker that cannot (killed, frozen).
 */
export function expirySeconds(l: KindLimits): number {
  const limit = Math.ceil(l.timeLimitMs / 1000);
  return limit + Math.min(60, Math.max(5, Math.ceil(limit / 10)));
}

export interface BossOptions {
  /** The PostgreSQL URL (the store's). */
  url: string;
  /** pg-boss's schema; default: `pgboss` beside a store in `public`, else `<store schema>_pgboss`, so two stores in one database keep separate queues. */
  schema?: string;
  limits?: JobLimits;
  log?: (line: string) => void;
  /** Connections of pg-boss's own pool (default 4). */
  poolSize?: number;
}

/** The schema pg-boss uses beside the store at `url` (JIXIAO_QUEUE_SCHEMA overrides it). */
export async function queueSchemaFor(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = env.JIXIAO_QUEUE_SCHEMA?.trim();
  if (given) return given;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ s: string }>("SELECT current_schema() AS s");
    const s = r.rows[0]?.s ?? "public";
    return s === "public" ? "pgboss" : `${s}_pgboss`;
  } finally {
    await c.end();
  }
}

async function openBoss(o: BossOptions, extra: Partial<PgBoss.ConstructorOptions>): Promise<PgBoss> {
  const schema = o.schema ?? (await queueSchemaFor(o.url));
  const boss = new PgBoss({ connectionString: o.url, schema, max: o.poolSize ?? 4, application_name: "jixiao-queue", schedule: false, ...extra } as PgBoss.ConstructorOptions);
  // pg-boss reports failures of its background work (maintenance, a fetch that lost its connection)
  // as events; unhandled, an 'error' event would end the process.
  boss.on("error", (e: Error) => o.log?.(`队列：${e.message}`));
  await boss.start();
  await boss.createQueue(DEAD_QUEUE);
  await boss.createQueue(QUEUE, { name: QUEUE, deadLetter: DEAD_QUEUE });
  return boss;
}

/** Sends store job `job` to the queue with its kind's retries, backoff and expiry; a job already sent is left as it is. */
async function send(boss: PgBoss, job: Job, limits: JobLimits): Promise<void> {
  if (!isJobKind(job.kind)) return;
  const l = limits[job.kind];
  const data: Delivery = { jobId: job.id };
  await boss.send(QUEUE, data, {
    id: deliveryId(job.id),
    retryLimit: l.maxAttempts - 1,
    retryDelay: Math.max(1, Math.round(l.retryDelayMs / 1000)),
    retryBackoff: true,
    expireInSeconds: expirySeconds(l),
  });
}

/** The sending side, used by the web server: jobs are created in the store and sent to the queue; `jixiao worker` runs them. */
export class BossJobs implements JobQueue {
  readonly engine = "pg-boss" as const;
  private constructor(
    private readonly store: Store,
    private readonly boss: PgBoss,
    private readonly limits: JobLimits,
  ) {}

  static async open(store: Store, o: BossOptions): Promise<BossJobs> {
    // No maintenance here: expiring and archiving is the workers' part.
    const boss = await openBoss(o, { supervise: false });
    return new BossJobs(store, boss, o.limits ?? DEFAULT_LIMITS);
  }

  async enqueue<K extends JobKind>(kind: K, payload: PayloadOf<K>, opts: EnqueueOptions = {}): Promise<Job> {
    const p = await prepareJob(this.store, kind, payload);
    const job = await this.store.createJob({ kind, payload: p.payload, workspaceId: p.workspaceId, total: p.total, user: opts.user ?? null });
    // If this process dies here, the job is in the store but not in the queue: the workers' sweep sends it.
    await send(this.boss, job, this.limits);
    return job;
  }

  get(id: number) {
    return this.store.getJob(id);
  }

  list(filter: { workspaceId?: number; state?: JobState; limit?: number } = {}) {
    return this.store.listJobs(filter);
  }

  async cancel(id: number, user: string | null = null) {
    const job = await this.store.cancelJob(id, user);
    // A queued delivery is dropped; a running one ends at its next progress report (the store says cancelled).
    if (job) await this.boss.cancel(QUEUE, deliveryId(id)).catch(() => undefined);
    return job;
  }

  output(id: number) {
    return this.store.getJobOutput(id);
  }

  watch(id: number, opts: WatchOptions = {}) {
    return watchJob(this.store, id, opts);
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, close: true, wait: true });
  }
}

export interface WorkerOptions extends BossOptions {
  llm: Llm | null;
  /** Jobs this process runs at once (default 1). */
  concurrency?: number;
  /** How often an idle worker asks for a job (seconds, pg-boss's minimum 0.5; default 1). */
  pollingIntervalSeconds?: number;
  /**
   * A running job whose progress was not written for this long is taken to have lost its worker
   * (killed, machine gone): its delivery is failed, so pg-boss gives it to another worker after the
   * backoff instead of waiting for the expiry (default 60 s; a live attempt writes every 2 s). The
   * times compared are the writing worker's clock and this one's: keep the machines' clocks in sync.
   */
  staleAfterMs?: number;
  /** How often the sweep runs (stale jobs, jobs whose send was lost); default staleAfterMs / 4. */
  sweepMs?: number;
  /** pg-boss maintenance (expiring deliveries, archiving) interval; default 60 s. */
  maintenanceIntervalSeconds?: number;
  attempt?: Pick<AttemptOptions, "progressIntervalMs" | "heartbeatMs">;
}

/** `jixiao worker`: takes jobs from the queue and runs them until stopped. */
export class BossWorker {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<unknown>>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping = false;

  private constructor(
    private readonly store: Store,
    private readonly boss: PgBoss,
    private readonly o: WorkerOptions,
    private readonly limits: JobLimits,
  ) {}

  static async start(store: Store, o: WorkerOptions): Promise<BossWorker> {
    const concurrency = Math.max(1, o.concurrency ?? 1);
    const boss = await openBoss({ ...o, poolSize: o.poolSize ?? concurrency + 3 }, { supervise: true, maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 60 });
    const w = new BossWorker(store, boss, o, o.limits ?? DEFAULT_LIMITS);
    const polling = { batchSize: 1, includeMetadata: true as const, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 1 };
    // One pg-boss worker per slot: each takes one delivery, runs it, and asks for the next. pg-boss
    // waits out the polling interval after a delivery shorter than it even when more are queued (a
    // check of 25 files takes ~0.4 s, so a worker idled ~0.6 s between two); notifying the slot's own
    // worker when a job ends makes it ask again at once while there is work, and poll only when the
    // queue is empty.
    for (let i = 0; i < concurrency; i++) {
      let slot = "";
      slot = await boss.work<Delivery>(QUEUE, polling, async ([d]) => {
        try {
          return await w.track(w.handle(d!));
        } finally {
          boss.notifyWorker(slot);
        }
      });
    }
    await boss.work<Delivery>(DEAD_QUEUE, { ...polling, pollingIntervalSeconds: Math.max(polling.pollingIntervalSeconds, 5) }, ([d]) => w.track(w.dead(d!)));
    const sweepMs = o.sweepMs ?? Math.max(1000, (o.staleAfterMs ?? 60_000) / 4);
    w.sweeper = setInterval(() => void w.sweep(), sweepMs);
    return w;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => undefined);
    return p;
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  private async handle(d: PgBoss.JobWithMetadata<Delivery>): Promise<Outcome | { state: "skipped" }> {
    const job = await this.store.startJob(d.data.jobId);
    // Already final (committed by an earlier delivery, cancelled, failed) or deleted with its workspace.
    if (!job) return { state: "skipped" };
    const name = isJobKind(job.kind) ? KIND_NAMES[job.kind] : job.kind;
    this.log(`任务 #${job.id}（${name}）开始，第 ${job.attempts} 次`);
    const outcome = await runAttempt(job, {
      store: this.store, llm: this.o.llm, limits: this.limits, stopping: this.stopping.signal,
      // Our decision to retry must agree with pg-boss's: when its retries are used up it will not deliver again.
      canRetry: d.retryCount < d.retryLimit, ...this.o.attempt,
    });
    const how = outcome.state === "succeeded" ? (outcome.committed ? "完成" : "完成（结果此前已提交，未重复写入）") : outcome.state === "cancelled" ? "已取消" : outcome.state === "retry" ? `将重试：${outcome.error}` : `失败：${outcome.error}`;
    this.log(`任务 #${job.id} ${how}`);
    if (outcome.state === "retry") {
      // Failed here rather than by throwing: pg-boss does not wait for its own fail() after a handler
      // throws, and a worker that is stopping closes its connections right after.
      await this.boss.fail(QUEUE, d.id, { message: outcome.error });
    }
    return outcome;
  }

  private async dead(d: PgBoss.JobWithMetadata<Delivery>): Promise<void> {
    const failed = await this.store.failJob(d.data.jobId, "任务多次执行都未能完成（执行进程退出或超时），已停止", { retry: false });
    if (failed) this.log(`任务 #${d.data.jobId} 已放弃：多次执行都未能完成`);
  }

  /**
   * Jobs the queue lost track of. Running ones whose progress stopped (the worker died): their
   * delivery is failed now, so it is retried after the backoff instead of after the expiry. Queued
   * ones older than a minute: sent again, a no-op unless the send was lost.
   */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopping.signal.aborted) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      const stale = this.o.staleAfterMs ?? 60_000;
      for (const job of await this.store.listJobs({ state: "running", limit: 1000 })) {
        if (now - Date.parse(job.updatedAt) < stale) continue;
        const d = await this.boss.getJobById<Delivery>(QUEUE, deliveryId(job.id));
        if (d?.state !== "active") continue;
        await this.boss.fail(QUEUE, d.id, { message: "worker lost" });
        this.log(`任务 #${job.id}：执行进程已 ${Math.round((now - Date.parse(job.updatedAt)) / 1000)} 秒无响应，交给其他进程重新执行`);
      }
      for (const job of await this.store.listJobs({ state: "queued", limit: 1000 })) {
        if (now - Date.parse(job.updatedAt) >= 60_000) await send(this.boss, job, this.limits);
      }
    } catch (e) {
      this.log(`队列检查失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Graceful stop (SIGTERM): no new jobs; running ones get `graceMs` to finish, then stop at their
   * next progress report and go back to the queue for another worker.
   */
  async stop(graceMs = 30_000): Promise<void> {
    clearInterval(this.sweeper);
    await this.boss.offWork(QUEUE);
    await this.boss.offWork(DEAD_QUEUE);
    const all = () => Promise.allSettled([...this.running]);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
    if ((await Promise.race([all(), late])) === "late") {
      this.stopping.abort();
      await all();
    }
    clearTimeout(timer);
    await this.boss.stop({ graceful: true, timeout: 2000, close: true, wait: true });
  }
}
