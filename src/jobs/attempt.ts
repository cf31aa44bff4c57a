// One attempt at a job that a runner has just started (state running, this attempt counted): the same
// code under both engines. It runs the kind's handler with a time limit and a progress reporter that
// notices a cancellation, commits the result and its side writes once, and otherwise records why the
// attempt ended — back to the queue after a transient failure, failed for good after anything else.
import type { Llm } from "../llm/index.ts";
import type { Job, Store } from "../store/index.ts";
import { JobError, JobStopped, backoffMs, failureMessage, isTransient, type StopReason } from "./errors.ts";
import { HANDLERS, type HandlerContext, type Progress } from "./handlers/index.ts";
import { KIND_NAMES, PAYLOADS, isJobKind, type JobLimits } from "./kinds.ts";

export type Outcome =
  | { state: "succeeded"; committed: boolean }
  | { state: "cancelled" }
  /** Back in the queue; the runner (or pg-boss) starts it again after `delayMs`. */
  | { state: "retry"; error: string; delayMs: number }
  | { state: "failed"; error: string };

export interface AttemptOptions {
  store: Store;
  llm: Llm | null;
  limits: JobLimits;
  /** Aborted when the runner stops (SIGTERM): the attempt ends and the job goes back to the queue. */
  stopping?: AbortSignal;
  /** False when the queue will not deliver the job again whatever we decide (pg-boss's retries are used up). */
  canRetry?: boolean;
  /** Least time between two progress writes (default 250 ms); the first and the last are always written. */
  progressIntervalMs?: number;
  /**
   * While the handler works without reporting (a model's answer can take minutes), the progress is
   * written again this often, so a cancellation is noticed and the model's request aborted (default 2 s).
   */
  heartbeatMs?: number;
  /** Told after each progress write (the in-process runner wakes its watchers). */
  onProgress?: (jobId: number) => void;
}

const STOP_MESSAGES: Record<Exclude<StopReason, "cancelled">, (limitMs: number) => string> = {
  timeout: (ms) => `任务超过时间上限（${ms >= 60_000 ? `${Number((ms / 60_000).toFixed(1))} 分钟` : `${Number((ms / 1000).toFixed(1))} 秒`}），已停止`,
  shutdown: () => "执行任务的进程正在停止，任务已放回队列，稍后重新执行",
};

export async function runAttempt(job: Job, o: AttemptOptions): Promise<Outcome> {
  const { store } = o;
  const fail = async (error: string): Promise<Outcome> => {
    await store.failJob(job.id, error, { retry: false });
    return { state: "failed", error };
  };
  if (!isJobKind(job.kind)) return fail(`未知的任务类型：${job.kind}`);
  const limits = o.limits[job.kind];
  // A job that keeps killing its worker (or is killed each time) must not run for ever: every start
  // counts, including the ones that never got to report anything.
  if (job.attempts > limits.maxAttempts) {
    return fail(`${KIND_NAMES[job.kind]}已开始 ${job.attempts - 1} 次，每次都在完成前中断（执行进程退出或超时），不再重试`);
  }
  const parsed = PAYLOADS[job.kind].safeParse(job.payload);
  if (!parsed.success) return fail(`任务参数有误：${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("；")}`);

  const ctl = new AbortController();
  const stop = (reason: StopReason) => {
    if (!ctl.signal.aborted) ctl.abort(new JobStopped(reason));
  };
  const timer = setTimeout(() => stop("timeout"), limits.timeLimitMs);
  const onStopping = () => stop("shutdown");
  if (o.stopping?.aborted) onStopping();
  o.stopping?.addEventListener("abort", onStopping);

  // Progress: the latest report is written at most every `interval`, and again by the heartbeat. A
  // write that changes nothing means the job is no longer running: cancelled (or its workspace deleted).
  const interval = o.progressIntervalMs ?? 250;
  let last: Progress = { done: job.progress.done, total: job.progress.total, current: job.progress.current };
  let writtenAt = 0;
  let writing: Promise<void> | null = null;
  const write = async () => {
    writtenAt = Date.now();
    const open = await store.reportJobProgress(job.id, last);
    o.onProgress?.(job.id);
    if (!open) stop("cancelled");
  };
  const flush = () => (writing ??= write().finally(() => (writing = null)));
  const heartbeat = setInterval(() => {
    if (Date.now() - writtenAt >= (o.heartbeatMs ?? 2000)) void flush().catch(() => undefined);
  }, o.heartbeatMs ?? 2000);
  const throwIfStopped = () => {
    if (ctl.signal.aborted) throw ctl.signal.reason as JobStopped;
  };
  const ctx: HandlerContext = {
    store,
    llm: o.llm,
    job,
    signal: ctl.signal,
    async progress(p) {
      throwIfStopped();
      last = { done: p.done, total: p.total ?? last.total ?? null, current: p.current ?? null };
      const final = last.total !== null && last.total !== undefined && p.done >= last.total;
      if (p.done === 0 || final || Date.now() - writtenAt >= interval) {
        await writing;
        await flush();
      }
      throwIfStopped();
    },
  };

  try {
    const out = await HANDLERS[job.kind](parsed.data as never, ctx);
    throwIfStopped();
    const { committed } = await store.completeJob(job.id, out.result, out.effects ?? {});
    return { state: "succeeded", committed };
  } catch (e) {
    // Once the attempt was told to stop, whatever the handler threw (the model's aborted request,
    // most often) is that stop.
    const stopped = ctl.signal.aborted ? (ctl.signal.reason as JobStopped) : e instanceof JobStopped ? e : null;
    if (stopped?.reason === "cancelled") return { state: "cancelled" };
    if (stopped?.reason === "timeout") return fail(STOP_MESSAGES.timeout(limits.timeLimitMs));
    const retry = stopped?.reason === "shutdown" || (isTransient(e) && job.attempts < limits.maxAttempts && o.canRetry !== false);
    const error = stopped ? STOP_MESSAGES.shutdown(0) : failureMessage(e);
    if (!retry) return fail(isTransient(e) ? `${error}（已尝试 ${job.attempts} 次）` : error);
    const delayMs = stopped ? 0 : backoffMs(job.attempts, limits.retryDelayMs);
    await store.failJob(job.id, error, { retry: true, runAfter: new Date(Date.now() + delayMs) });
    return { state: "retry", error, delayMs };
  } finally {
    clearTimeout(timer);
    clearInterval(heartbeat);
    o.stopping?.removeEventListener("abort", onStopping);
    // `writing` is set by the closures above; TypeScript's narrowing does not see that.
    await (writing as Promise<void> | null)?.catch(() => undefined);
  }
}

export { JobError };
