// LLM configuration from the environment. The key is held in a private field: it is never part of
// JSON.stringify, console.log, String() or describe(), so it cannot leak into logs, API answers or llm_calls.
import { inspect } from "node:util";

export const DEFAULT_MODEL = "gpt-4o-mini";
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRIES = 2;
/** The SDK's own default; written out so an unset OPENAI_BASE_URL means the same thing everywhere. */
export const DEFAULT_BASE_URL = "https://api.openai.com/v1";
/** vLLM's convention for "no key": the SDK refuses to start without one, and intranet endpoints often need none. */
const NO_KEY = "EMPTY";

/** A wrong setting is the operator's mistake, reported once at start-up, not an LLM failure. */
export class LlmConfigError extends Error {
  readonly code = "LLM_CONFIG" as const;
  constructor(message: string) {
    super(message);
    this.name = "LlmConfigError";
  }
}

export interface LlmConfigInit {
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  model?: string | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export interface LlmConfigView {
  baseURL: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  apiKey: "(set)" | "(not set)";
}

export class LlmConfig {
  readonly baseURL: string;
  readonly model: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly #apiKey: string | undefined;

  constructor(init: LlmConfigInit) {
    this.baseURL = checkBaseURL(init.baseURL?.trim() || DEFAULT_BASE_URL);
    this.model = init.model?.trim() || DEFAULT_MODEL;
    this.timeoutMs = checkInt("JIXIAO_LLM_TIMEOUT_MS", init.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 3_600_000);
    this.maxRetries = checkInt("JIXIAO_LLM_RETRIES", init.maxRetries ?? DEFAULT_RETRIES, 0, 10);
    this.#apiKey = init.apiKey?.trim() || undefined;
  }

  get hasApiKey(): boolean {
    return this.#apiKey !== undefined;
  }

  /** The base URL without user:password@ or query string, safe to show in messages and logs. */
  get endpoint(): string {
    return redactUrl(this.baseURL);
  }

  /** Redacted form for logs, `jixiao config`-style output and API answers. */
  describe(): LlmConfigView {
    return {
      baseURL: this.endpoint,
      model: this.model,
      timeoutMs: this.timeoutMs,
      maxRetries: this.maxRetries,
      apiKey: this.hasApiKey ? "(set)" : "(not set)",
    };
  }

  toJSON(): LlmConfigView {
    return this.describe();
  }

  toString(): string {
    const d = this.describe();
    return `LlmConfig(${d.baseURL}, model=${d.model}, key ${d.apiKey})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** Only for the SDK client in src/llm/client.ts; not re-exported from src/llm/index.ts. */
  static revealApiKey(cfg: LlmConfig): string {
    return cfg.#apiKey ?? NO_KEY;
  }
}

/**
 * Reads OPENAI_BASE_URL and OPENAI_API_KEY (the SDK's own names, so an existing setup works unchanged) plus
 * JIXIAO_MODEL, JIXIAO_LLM_TIMEOUT_MS and JIXIAO_LLM_RETRIES. Returns null when neither a base URL nor a key
 * is set: the app then runs without an LLM (template drafting, deterministic suggestions).
 * Intranet endpoints (vLLM, Ollama, DeepSeek/Qwen gateways) set OPENAI_BASE_URL and JIXIAO_MODEL; the default
 * model name only fits api.openai.com.
 */
export function llmConfigFromEnv(env: Record<string, string | undefined> = process.env): LlmConfig | null {
  const baseURL = env["OPENAI_BASE_URL"]?.trim();
  const apiKey = env["OPENAI_API_KEY"]?.trim();
  if (!baseURL && !apiKey) return null;
  return new LlmConfig({
    baseURL,
    apiKey,
    model: env["JIXIAO_MODEL"],
    timeoutMs: parseIntEnv(env, "JIXIAO_LLM_TIMEOUT_MS"),
    maxRetries: parseIntEnv(env, "JIXIAO_LLM_RETRIES"),
  });
}

function parseIntEnv(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^\d+$/.test(raw)) throw new LlmConfigError(`环境变量 ${name} 应为非负整数，当前为“${raw}”`);
  return Number(raw);
}

function checkInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new LlmConfigError(`环境变量 ${name} 应为 ${min}–${max} 之间的整数，当前为 ${v}`);
  }
  return v;
}

function checkBaseURL(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new LlmConfigError(`OPENAI_BASE_URL 不是有效的网址：“${redactUrl(raw)}”（示例：http://10.0.0.5:8000/v1）`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new LlmConfigError(`OPENAI_BASE_URL 应以 http:// 或 https:// 开头：“${redactUrl(raw)}”`);
  }
  return raw.replace(/\/+$/, "");
}

/** Drops credentials and query (some gateways take ?api-key=…) from a URL before it is shown anywhere. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.toString().replace(/\/+$/, "");
  } catch {
    return raw.replace(/\/\/[^/@]*@/, "//").replace(/\?.*$/, "");
  }
}
