// How a job attempt ends when it does not succeed: a typed error for what a handler knows is final
// (no such document, nothing to export), the reasons a runner stops an attempt itself, and which
// failures are worth another attempt.
import { LlmError } from "../llm/index.ts";
import { StoreError } from "../store/index.ts";

export type JobErrorCode = "BAD_PAYLOAD" | "NOT_FOUND" | "NOT_SELF_EVAL" | "NOTHING_TO_EXPORT" | "LLM_NOT_CONFIGURED" | "UNKNOWN_KIND";

/** A failure that another attempt would repeat: the job fails at once, with this Chinese message. */
export class JobError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "JobError";
  }
}

export type StopReason = "cancelled" | "timeout" | "shutdown";

/** Thrown at a progress report once the attempt must stop (the job was cancelled, ran out of time, or the runner is stopping). */
export class JobStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`job stopped: ${reason}`);
    this.name = "JobStopped";
  }
}

// Connection failures of PostgreSQL or the network while the database restarts or fails over
// (08xxx connection exceptions, 57P01–57P03 shutdown and not-yet-accepting, 53300 too many
// connections): the work itself was fine and a later attempt will most likely get through.
const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "08000", "08001", "08003", "08006", "57P01", "57P02", "57P03", "53300"]);

/**
 * Worth another attempt after a backoff: the model's endpoint is busy (429), timed out, or failed on
 * its side (5xx, or no connection at all); or the database connection dropped. Not: a wrong key, a
 * wrong URL (404), a refusal, an answer that failed validation, a missing document, or a bug.
 */
export function isTransient(e: unknown): boolean {
  if (e instanceof LlmError) {
    if (e.code === "LLM_RATE_LIMITED" || e.code === "LLM_TIMEOUT") return true;
    return e.code === "LLM_UNAVAILABLE" && (e.status === undefined || e.status >= 500);
  }
  if (e instanceof JobError || e instanceof StoreError) return false;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_CODES.has(code);
}

/**
 * The wait before attempt `attempt + 1`: `base` after the first attempt, doubling each time, plus up
 * to as much again at random (so jobs that failed together do not all come back together); the
 * same curve as pg-boss's retryBackoff, so both engines wait alike.
 */
export function backoffMs(attempt: number, base: number, random: () => number = Math.random): number {
  const step = base * 2 ** Math.max(0, attempt - 1);
  return Math.round(step + step * random());
}

/** The message a user reads for a failure that is not a JobError or LlmError (those carry their own). */
export function failureMessage(e: unknown): string {
  if (e instanceof JobError || e instanceof LlmError || e instanceof StoreError) return e.message;
  if (isTransient(e)) return `数据库或网络连接中断（${(e as { code?: string }).code}），请稍后重试`;
  return `任务执行出错：${e instanceof Error ? e.message : String(e)}`;
}
