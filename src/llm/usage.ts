// Token accounting: the shape of one record per Llm call (cache hits and failures included) and of the totals
// for the UI and `jixiao`. Imports nothing: the cache stores these records and sums them (usageTotals in cache.ts).

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export const ZERO_USAGE: LlmUsage = Object.freeze({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** The OpenAI wire form; endpoints that send no usage (some intranet servers) count as zero. */
export function usageFromApi(u: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null | undefined): LlmUsage {
  const promptTokens = u?.prompt_tokens ?? 0;
  const completionTokens = u?.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: u?.total_tokens ?? promptTokens + completionTokens };
}

export type LlmCallKind = "structured" | "text" | "stream";
/** How the output format was asked for: strict JSON schema, JSON mode, or instructions only. */
export type LlmOutputMode = "json_schema" | "json_object" | "plain";

/** One row of llm_calls. Carries no key, no prompt text and no output: nothing a reader of the table should not see. */
export interface LlmCallRecord extends LlmUsage {
  /** ISO time the call started. */
  at: string;
  prompt: string;
  version: string;
  model: string;
  /** Base URL without credentials or query. */
  endpoint: string;
  kind: LlmCallKind;
  ms: number;
  cached: boolean;
  repaired: boolean;
  /** HTTP requests sent, retries and the repair round included (0 for a cache hit). */
  attempts: number;
  mode: LlmOutputMode | null;
  errorCode: string | null;
}

export interface UsageTotals extends LlmUsage {
  calls: number;
  cached: number;
  failed: number;
  byPrompt: Array<LlmUsage & { prompt: string; version: string; calls: number; cached: number; failed: number }>;
}
