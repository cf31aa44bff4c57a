// Public surface of src/llm, the only place that talks to a model: the rest of the app (src, server, evals,
// tests) imports from here only, so the files behind it can be split or renamed freely.
export { llmFromEnv, LLM_CACHE_FILE, type EnvLlm } from "./fromEnv.ts";
export { llmConfigFromEnv, LlmConfig, LlmConfigError, redactUrl, DEFAULT_MODEL, DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, type LlmConfigView } from "./config.ts";
export { createLlm, forgetEndpointCapabilities, validateJson, MAX_RETRY_AFTER_MS, type Llm, type LlmCallResult, type StructuredRequest, type TextRequest, type CreateLlmOptions } from "./client.ts";
export { LlmError, type LlmErrorCode } from "./errors.ts";
export { LlmCache, cacheKey, usageTotals, type CachedOutput } from "./cache.ts";
export { addUsage, ZERO_USAGE, type LlmUsage, type LlmCallRecord, type UsageTotals, type LlmOutputMode, type LlmCallKind } from "./usage.ts";
export { loadPrompt, renderPrompt, escapeData, parsePrompt, PROMPTS_DIR, type Prompt, type PromptMessage } from "./prompts.ts";
export * from "./outputs.ts";
