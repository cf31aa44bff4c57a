// The kinds of long work that run as jobs, their payloads (zod: checked at enqueue and again by the
// worker, which may run another version of the code) and their limits. One table, read by both
// engines: the in-process runner and the pg-boss workers apply the same time limits and attempts.
import { z } from "zod";

const id = z.number().int().positive();

export const CheckPayload = z.object({
  workspaceId: id,
  /** Only these files of the workspace (a batch split over several workers); all of them when absent. */
  fileIds: z.array(id).min(1).optional(),
  /** Scoring profile (default central-2020). */
  profile: z.string().min(1).optional(),
});

export const ReviewPayload = z.object({ workspaceId: id });

export const DraftPayload = z.object({
  documentId: id,
  /** The user's words ("帮我起草今年的自评报告"), kept with the draft. */
  request: z.string().max(2000).nullable().optional(),
  /** auto: the model when one is configured, else the template. */
  drafter: z.enum(["auto", "template", "llm"]).optional(),
});

export const ExportPayload = z.object({ workspaceId: id, format: z.enum(["docx", "xlsx", "json"]) });

export const PAYLOADS = { check: CheckPayload, review: ReviewPayload, draft: DraftPayload, export: ExportPayload } as const;

export type JobKind = keyof typeof PAYLOADS;
export const JOB_KINDS = Object.keys(PAYLOADS) as JobKind[];
export type PayloadOf<K extends JobKind> = z.infer<(typeof PAYLOADS)[K]>;

export const KIND_NAMES: Record<JobKind, string> = { check: "批量核验", review: "批量审核申报表", draft: "起草自评报告", export: "导出工作区" };

export const isJobKind = (k: string): k is JobKind => Object.hasOwn(PAYLOADS, k);

export interface KindLimits {
  /** A running attempt is stopped after this long, and the job fails (a rerun would most likely take as long). */
  timeLimitMs: number;
  /** Attempts in all: the first and its retries after transient failures or a dead worker. */
  maxAttempts: number;
  /** First backoff after a transient failure; each next one doubles (with up to as much again of jitter). */
  retryDelayMs: number;
}

export type JobLimits = Record<JobKind, KindLimits>;

// A batch of a few thousand documents checks in minutes; a model draft is one request of up to a few
// minutes with the client's own retries inside; the LLM client already retried a 429 or 5xx a few
// times before the job sees it, so the job's own backoff starts at seconds, not milliseconds.
export const DEFAULT_LIMITS: JobLimits = {
  check: { timeLimitMs: 30 * 60_000, maxAttempts: 3, retryDelayMs: 10_000 },
  review: { timeLimitMs: 30 * 60_000, maxAttempts: 3, retryDelayMs: 10_000 },
  draft: { timeLimitMs: 10 * 60_000, maxAttempts: 3, retryDelayMs: 10_000 },
  export: { timeLimitMs: 10 * 60_000, maxAttempts: 3, retryDelayMs: 10_000 },
};

function positive(env: NodeJS.ProcessEnv, name: string, integer = false): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const v = Number(raw);
  if (!(v > 0) || (integer && !Number.isInteger(v))) throw new Error(`${name} 应为正${integer ? "整" : ""}数，当前为“${raw}”`);
  return v;
}

/**
 * The defaults, with the environment's overrides for every kind: JIXIAO_JOB_TIMEOUT_S (time limit),
 * JIXIAO_JOB_ATTEMPTS, JIXIAO_JOB_RETRY_DELAY_S (first backoff).
 */
export function jobLimitsFromEnv(env: NodeJS.ProcessEnv = process.env, base: JobLimits = DEFAULT_LIMITS): JobLimits {
  const timeout = positive(env, "JIXIAO_JOB_TIMEOUT_S");
  const attempts = positive(env, "JIXIAO_JOB_ATTEMPTS", true);
  const delay = positive(env, "JIXIAO_JOB_RETRY_DELAY_S");
  const out = {} as JobLimits;
  for (const k of JOB_KINDS) {
    out[k] = {
      timeLimitMs: timeout !== undefined ? timeout * 1000 : base[k].timeLimitMs,
      maxAttempts: attempts ?? base[k].maxAttempts,
      retryDelayMs: delay !== undefined ? delay * 1000 : base[k].retryDelayMs,
    };
  }
  return out;
}
