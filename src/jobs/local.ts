// The in-process engine: jobs run inside the web server over its own store, so the single-machine app
// (SQLite) needs no other service. The queue is the jobs table itself: `claimNextJob` takes the oldest
// queued job whose backoff is over, `concurrency` loops run one job each. On start, a job still marked
// running was left by a process that died (only one server owns a SQLite file): it goes back to the
// queue, its attempt counted.
import { EventEmitter } from "node:events";
import type { Llm } from "../llm/index.ts";
import type { Job, JobState, Store } from "../store/index.ts";
import { runAttempt, type AttemptOptions, type Outcome } from "./attempt.ts";
import { DEFAULT_LIMITS, JOB_KINDS, type JobKind, type JobLimits, type PayloadOf } from "./kinds.ts";
import { prepareJob, watchJob, type EnqueueOptions, type JobQueue, type WatchOptions } from "./queue.ts";

export interface LocalJobsOptions {
  llm?: Llm | null;
  limits?: JobLimits;
  /** Jobs run at once (default 1: the work shares the server's event loop, and SQLite has one writer). */
  concurrency?: number;
  /** How often an idle loop looks for jobs it was not told about (backoffs ending, jobs queued by another process); default 1 s. */
  pollMs?: number;
  /** How long close() lets running jobs finish before stopping them (they go back to the queue); default 10 s. */
  stopGraceMs?: number;
  log?: (line: string) => void;
  /** Attempt tuning (progress throttle, heartbeat), for tests. */
  attempt?: Pick<AttemptOptions, "progressIntervalMs" | "heartbeatMs">;
  /** Told when an attempt ends (tests, logs). */
  onOutcome?: (job: Job, outcome: Outcome) => void;
}

export class LocalJobs implements JobQueue {
  readonly engine = "local" as const;
  private readonly changed = new EventEmitter();
  /** No more jobs are taken. */
  private readonly closing = new AbortController();
  /** Running attempts stop (and go back to the queue). */
  private readonly stopping = new AbortController();
  /** The idle loops' wake-up calls. */
  private readonly sleepers = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private readonly limits: JobLimits;

  private constructor(
    private readonly store: Store,
    private readonly opts: LocalJobsOptions,
  ) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    // Every SSE client of a job listens here.
    this.changed.setMaxListeners(0);
  }

  /** Puts back jobs a dead process left running, then starts the loops. */
  static async start(store: Store, opts: LocalJobsOptions = {}): Promise<LocalJobs> {
    const q = new LocalJobs(store, opts);
    const requeued = await store.requeueInterruptedJobs();
    if (requeued) opts.log?.(`任务：${requeued} 个任务在上次退出时未完成，已放回队列`);
    const n = Math.max(1, opts.concurrency ?? 1);
    q.loops = Array.from({ length: n }, () => q.loop());
    return q;
  }

  private async loop(): Promise<void> {
    const kinds: readonly JobKind[] = JOB_KINDS;
    while (!this.closing.signal.aborted) {
      let job: Job | null = null;
      try {
        job = await this.store.claimNextJob(kinds);
      } catch (e) {
        this.opts.log?.(`任务：读取队列失败：${e instanceof Error ? e.message : String(e)}`);
      }
      if (!job) {
        await this.idle();
        continue;
      }
      this.changed.emit(String(job.id));
      let outcome: Outcome;
      try {
        outcome = await runAttempt(job, {
          store: this.store, llm: this.opts.llm ?? null, limits: this.limits, stopping: this.stopping.signal,
          onProgress: (id) => this.changed.emit(String(id)), ...this.opts.attempt,
        });
      } catch (e) {
        // The store itself failed (disk full, database gone): the job stays running and is put back at the next start.
        this.opts.log?.(`任务 #${job.id}：无法记录结果：${e instanceof Error ? e.message : String(e)}`);
        outcome = { state: "failed", error: String(e) };
      }
      this.changed.emit(String(job.id));
      this.opts.onOutcome?.(job, outcome);
      // A retry's backoff may end before the next poll.
      if (outcome.state === "retry") setTimeout(() => this.wake(), outcome.delayMs + 5).unref();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.closing.signal.removeEventListener("abort", done);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.opts.pollMs ?? 1000);
      this.sleepers.add(done);
      this.closing.signal.addEventListener("abort", done);
    });
  }

  /** Wakes the idle loops: one takes the new job, the others find none and sleep again. */
  private wake(): void {
    for (const w of [...this.sleepers]) w();
  }

  async enqueue<K extends JobKind>(kind: K, payload: PayloadOf<K>, opts: EnqueueOptions = {}): Promise<Job> {
    const p = await prepareJob(this.store, kind, payload);
    const job = await this.store.createJob({ kind, payload: p.payload, workspaceId: p.workspaceId, total: p.total, user: opts.user ?? null });
    this.wake();
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
    this.changed.emit(String(id));
    return job;
  }

  output(id: number) {
    return this.store.getJobOutput(id);
  }

  watch(id: number, opts: WatchOptions = {}) {
    return watchJob(this.store, id, opts, this.changed);
  }

  /** Stops taking jobs; running ones get `stopGraceMs` to finish, then stop and go back to the queue. The store stays open. */
  async close(): Promise<void> {
    this.closing.abort();
    const finished = Promise.all(this.loops);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), this.opts.stopGraceMs ?? 10_000)));
    if ((await Promise.race([finished, late])) === "late") {
      this.stopping.abort();
      await finished;
    }
    clearTimeout(timer);
  }
}
