// The only code that sends requests to a model: the openai SDK against any OpenAI-compatible endpoint.
//
// What the SDK does for us (checked in node_modules/openai 6.49 client.js and by tests/llm.test.ts):
// - per-attempt timeout (`timeout`, until the response headers arrive) and `maxRetries` retries on connection
//   errors, timeouts, 408, 409, 429 and 5xx, with exponential backoff (0.5 s, 1 s, 2 s … ≤ 8 s, jitter) or the
//   server's `retry-after` / `retry-after-ms` when given.
// What we add here:
// - a cap on `retry-after` (the SDK would wait as long as the server says) and an idle timeout while the body is
//   read (the SDK's timer stops once headers arrive; a stalled stream would otherwise hang);
// - structured output with a ladder json_schema → json_object → plain instructions, remembered per endpoint;
//   zod validation, one repair round, and never a half-parsed object;
// - the cache, the llm_calls log, and one LlmError with a Chinese message that names the endpoint, never the key.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { cacheKey, type LlmCache } from "./cache.ts";
import { LlmConfig } from "./config.ts";
import { LlmError } from "./errors.ts";
import { loadPrompt, renderPrompt, type Prompt, type PromptMessage } from "./prompts.ts";
import { addUsage, usageFromApi, ZERO_USAGE, type LlmCallKind, type LlmCallRecord, type LlmOutputMode, type LlmUsage } from "./usage.ts";

export interface LlmCallResult<T> {
  data: T;
  /** The model's text as received (for structured calls: the JSON text that passed validation). */
  raw: string;
  usage: LlmUsage;
  model: string;
  prompt: string;
  promptVersion: string;
  cached: boolean;
  /** The first answer failed validation and the repair round fixed it. */
  repaired: boolean;
  ms: number;
}

interface BaseRequest {
  prompt: string;
  version?: string;
  vars: Record<string, string>;
  /** false: do not answer from the cache (a "regenerate" button); the new answer is still stored. */
  cache?: boolean;
  /** Aborts the HTTP request (e.g. the browser closed the SSE connection); the abort error is rethrown as is. */
  signal?: AbortSignal;
}

export interface StructuredRequest<T> extends BaseRequest {
  schema: z.ZodType<T>;
  /** Name of the JSON schema sent to the endpoint: letters, digits, _ and -. */
  schemaName: string;
}

export type TextRequest = BaseRequest;

export interface Llm {
  readonly model: string;
  /** Base URL without credentials, for messages and the UI. */
  readonly endpoint: string;
  structured<T>(req: StructuredRequest<T>): Promise<LlmCallResult<T>>;
  text(req: TextRequest): Promise<LlmCallResult<string>>;
  /** Streams text deltas (for SSE in the web app); resolves usage at the end. */
  stream(req: TextRequest, onDelta: (s: string) => void): Promise<LlmCallResult<string>>;
}

export interface CreateLlmOptions {
  cache?: LlmCache;
  fetch?: typeof fetch;
  onUsage?: (u: LlmCallRecord) => void;
}

/** A server asking for a longer pause than this gets LLM_RATE_LIMITED at once instead of a frozen request. */
export const MAX_RETRY_AFTER_MS = 30_000;

// What each endpoint (base URL + model) was found not to support, for the life of the process.
const endpointModes = new Map<string, LlmOutputMode>();
const endpointsWithoutStreamUsage = new Set<string>();

/** Forget what was learned about endpoints (tests; or after the endpoint was upgraded). */
export function forgetEndpointCapabilities(): void {
  endpointModes.clear();
  endpointsWithoutStreamUsage.clear();
}

/** Raised inside the response body when no byte arrived for `timeoutMs`; mapped to LLM_TIMEOUT. */
class BodyIdleTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no data received for ${ms} ms`);
    this.name = "BodyIdleTimeout";
  }
}

/** Counters of one Llm call, filled by the instrumented fetch. */
interface CallState {
  /** HTTP requests sent in the whole call. */
  attempts: number;
  /** HTTP requests sent for the current logical request (1 + SDK retries). */
  tries: number;
  /** A retry-after above MAX_RETRY_AFTER_MS, in ms. */
  refusedWaitMs: number | undefined;
  mode: LlmOutputMode | null;
}

interface Completion {
  content: string | null;
  refusal: string | null;
  finishReason: string | null;
  usage: LlmUsage;
  model: string;
}

type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ResponseFormat = NonNullable<ChatParams["response_format"]>;

export function createLlm(cfg: LlmConfig, opts: CreateLlmOptions = {}): Llm {
  const baseFetch: typeof fetch = opts.fetch ?? globalThis.fetch;
  const apiKey = LlmConfig.revealApiKey(cfg);
  const root = new OpenAI({
    baseURL: cfg.baseURL,
    apiKey,
    timeout: cfg.timeoutMs,
    maxRetries: cfg.maxRetries,
    fetch: baseFetch,
    // Explicit, so the SDK does not pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID headers from the environment.
    organization: null,
    project: null,
  });
  const endpointKey = `${cfg.baseURL}\0${cfg.model}`;
  const where = cfg.endpoint;
  const scrub = (s: string): string => (cfg.hasApiKey && apiKey.length >= 4 ? s.split(apiKey).join("***") : s);

  function newState(): { st: CallState; client: OpenAI } {
    const st: CallState = { attempts: 0, tries: 0, refusedWaitMs: undefined, mode: null };
    return { st, client: root.withOptions({ fetch: instrumentedFetch(baseFetch, st, cfg.timeoutMs) }) };
  }

  async function record(kind: LlmCallKind, p: Pick<Prompt, "name" | "version"> | null, req: BaseRequest, t0: number, st: CallState,
    r: { usage: LlmUsage; model: string; cached: boolean; repaired: boolean; errorCode: string | null }): Promise<void> {
    const rec: LlmCallRecord = {
      at: new Date(Date.now() - (performance.now() - t0)).toISOString(),
      prompt: p?.name ?? req.prompt,
      version: p?.version ?? req.version ?? "",
      model: r.model,
      endpoint: where,
      kind,
      ...r.usage,
      ms: Math.round(performance.now() - t0),
      cached: r.cached,
      repaired: r.repaired,
      attempts: st.attempts,
      mode: st.mode,
      errorCode: r.errorCode,
    };
    try {
      opts.onUsage?.(rec);
    } catch {
      // A broken listener must not turn a good answer into a failure.
    }
    try {
      await opts.cache?.recordCall(rec);
    } catch (e) {
      console.warn(`llm_calls: could not record a call: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Maps SDK and transport failures to LlmError; anything else is a bug and is rethrown unchanged. */
  function toLlmError(e: unknown, st: CallState): unknown {
    if (e instanceof LlmError || e instanceof APIUserAbortError) return e;
    const tries = Math.max(st.tries, 1);
    const detail = scrub(e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);
    const base = { attempts: st.attempts, detail };
    if (e instanceof BodyIdleTimeout || e instanceof APIConnectionTimeoutError) {
      return new LlmError("LLM_TIMEOUT",
        `大模型服务响应超时（${where}，每次等待 ${cfg.timeoutMs} 毫秒，共尝试 ${tries} 次）：请稍后再试，或调大 JIXIAO_LLM_TIMEOUT_MS；也可使用模板起草`, base);
    }
    if (e instanceof APIConnectionError) {
      return new LlmError("LLM_UNAVAILABLE", `大模型服务暂时无法连接（${where}）：请检查 OPENAI_BASE_URL 或稍后再试；未配置时可使用模板起草`, base);
    }
    if (e instanceof APIError) {
      const status = e.status;
      const withStatus = { ...base, status };
      const said = scrub(serverMessage(e)).slice(0, 200);
      if (status === 401 || status === 403) {
        const hint = cfg.hasApiKey ? "请检查 OPENAI_API_KEY 是否正确、是否有权使用该模型" : "当前未设置 OPENAI_API_KEY，请设置";
        return new LlmError("LLM_AUTH", `大模型服务拒绝了访问凭据（${where}，HTTP ${status}）：${hint}`, withStatus);
      }
      if (status === 429) {
        const msg = st.refusedWaitMs !== undefined
          ? `大模型服务繁忙或调用频率超限（${where}，HTTP 429），服务要求等待 ${Math.ceil(st.refusedWaitMs / 1000)} 秒，超过自动等待上限 ${MAX_RETRY_AFTER_MS / 1000} 秒：请稍后再试`
          : `大模型服务繁忙或调用频率超限（${where}，HTTP 429，共尝试 ${tries} 次）：请稍后再试`;
        return new LlmError("LLM_RATE_LIMITED", msg, withStatus);
      }
      if (status === 408) {
        return new LlmError("LLM_TIMEOUT", `大模型服务响应超时（${where}，HTTP 408，共尝试 ${tries} 次）：请稍后再试`, withStatus);
      }
      if (status === 404) {
        return new LlmError("LLM_UNAVAILABLE",
          `大模型服务找不到接口或模型（${where}，HTTP 404）：请检查 OPENAI_BASE_URL（通常以 /v1 结尾）和 JIXIAO_MODEL（当前为 ${cfg.model}）`, withStatus);
      }
      if (status !== undefined && status >= 500) {
        return new LlmError("LLM_UNAVAILABLE", `大模型服务出错（${where}，HTTP ${status}，共尝试 ${tries} 次）：请稍后再试；也可使用模板起草`, withStatus);
      }
      if (/inspection|content[_ ]?filter|moderation|sensitive|敏感|审核|违规/i.test(said)) {
        return new LlmError("LLM_REFUSED", `大模型服务拒绝处理这次请求（内容审核未通过，${where}）：请检查材料中是否有敏感内容，或使用模板起草`, withStatus);
      }
      if (/context|too long|too many tokens|maximum.*tokens|max_tokens|length/i.test(said)) {
        return new LlmError("LLM_REFUSED", `大模型服务拒绝了这次请求：材料过长，超出模型的上下文长度（${where}，HTTP ${status}）：请减少材料或分章节起草`, withStatus);
      }
      return new LlmError("LLM_REFUSED", `大模型服务拒绝了这次请求（${where}，HTTP ${status ?? "?"}${said ? `：${said}` : ""}）`, withStatus);
    }
    return e;
  }

  /** One logical request (the SDK retries inside it). */
  async function complete(client: OpenAI, st: CallState, messages: PromptMessage[], format: ResponseFormat | undefined, signal: AbortSignal | undefined): Promise<Completion> {
    st.tries = 0;
    const params: ChatParams = { model: cfg.model, messages, ...(format ? { response_format: format } : {}) };
    const res = await client.chat.completions.create(params, signal ? { signal } : {});
    const choice = res.choices[0];
    return {
      content: choice?.message.content ?? null,
      refusal: choice?.message.refusal ?? null,
      finishReason: choice?.finish_reason ?? null,
      usage: usageFromApi(res.usage),
      model: res.model || cfg.model,
    };
  }

  function refused(c: Pick<Completion, "refusal" | "finishReason">, st: CallState): LlmError | null {
    if (c.refusal) {
      return new LlmError("LLM_REFUSED", `大模型拒绝回答（${scrub(c.refusal).slice(0, 200)}）：可修改材料后重试，或使用模板起草`, { attempts: st.attempts });
    }
    if (c.finishReason === "content_filter") {
      return new LlmError("LLM_REFUSED", `大模型服务拦截了这次回答（内容审核，${where}）：请检查材料中是否有敏感内容，或使用模板起草`, { attempts: st.attempts });
    }
    return null;
  }

  async function prepare(req: BaseRequest, schemaName: string) {
    const p = await loadPrompt(req.prompt, req.version);
    const messages = renderPrompt(p, req.vars);
    return { p, messages, key: cacheKey(cfg.model, p.name, p.version, messages, schemaName) };
  }

  async function fromCache(req: BaseRequest, key: string): Promise<Awaited<ReturnType<LlmCache["get"]>>> {
    if (!opts.cache || req.cache === false) return null;
    return opts.cache.get(key);
  }

  /** A text answer served from the cache. */
  function cachedText(hit: NonNullable<Awaited<ReturnType<typeof fromCache>>>, p: { name: string; version: string }, t0: number): LlmCallResult<string> {
    return { data: hit.raw, raw: hit.raw, usage: hit.usage, model: hit.model, prompt: p.name, promptVersion: p.version, cached: true, repaired: false, ms: performance.now() - t0 };
  }

  async function structured<T>(req: StructuredRequest<T>): Promise<LlmCallResult<T>> {
    const t0 = performance.now();
    const { st, client } = newState();
    const { p, messages, key } = await prepare(req, req.schemaName);
    let usage = ZERO_USAGE;
    let model = cfg.model;
    try {
      const hit = await fromCache(req, key);
      if (hit) {
        const v = validateJson(hit.raw, req.schema);
        // An entry that no longer fits the schema (the schema changed) is a miss, not an error.
        if (v.ok) {
          const ms = performance.now() - t0;
          await record("structured", p, req, t0, st, { usage: hit.usage, model: hit.model, cached: true, repaired: false, errorCode: null });
          return { data: v.data, raw: hit.raw, usage: hit.usage, model: hit.model, prompt: p.name, promptVersion: p.version, cached: true, repaired: false, ms };
        }
      }

      let mode: LlmOutputMode = endpointModes.get(endpointKey) ?? "json_schema";
      let strictFormat: ResponseFormat | undefined;
      if (mode === "json_schema") {
        try {
          strictFormat = zodResponseFormat(req.schema, req.schemaName);
        } catch {
          // Not expressible as a strict schema (e.g. .optional() without .nullable()): JSON mode for this schema only.
          mode = "json_object";
        }
      }
      const hint = schemaHint(req.schema);

      /** Sends in the current mode, stepping down the ladder when the endpoint rejects the format. */
      const send = async (msgs: PromptMessage[]): Promise<Completion> => {
        for (;;) {
          st.mode = mode;
          const format: ResponseFormat | undefined =
            mode === "json_schema" ? strictFormat : mode === "json_object" ? { type: "json_object" } : undefined;
          const withHint = mode === "json_schema" ? msgs : appendToSystem(msgs, hint);
          try {
            const c = await complete(client, st, withHint, format, req.signal);
            usage = addUsage(usage, c.usage);
            model = c.model;
            return c;
          } catch (e) {
            const next = mode === "json_schema" ? "json_object" : mode === "json_object" ? "plain" : null;
            if (next && rejectsFormat(e, mode)) {
              if (!(mode === "json_schema" && /invalid schema/i.test(serverMessage(e as APIError)))) endpointModes.set(endpointKey, next);
              mode = next;
              continue;
            }
            throw e;
          }
        }
      };

      let c = await send(messages);
      const r1 = refused(c, st);
      if (r1) throw r1;
      if (c.finishReason === "length") throw truncated(p, st);
      let v = validateJson(c.content, req.schema);
      let repaired = false;
      if (!v.ok) {
        const repairMessages: PromptMessage[] = [...messages, { role: "assistant", content: c.content ?? "" }, { role: "user", content: repairRequest(v.issue) }];
        c = await send(repairMessages);
        const r2 = refused(c, st);
        if (r2) throw r2;
        if (c.finishReason === "length") throw truncated(p, st);
        v = validateJson(c.content, req.schema);
        if (!v.ok) {
          throw new LlmError("LLM_BAD_OUTPUT",
            `大模型返回的内容不是符合要求的 JSON（提示词 ${p.name} ${p.version}，已请其修正一次仍不合格：${v.issue}）：请重试，或改用模板起草`,
            { attempts: st.attempts, detail: scrub((c.content ?? "").slice(0, 500)) });
        }
        repaired = true;
      }
      const raw = c.content ?? "";
      await opts.cache?.put(key, { prompt: p.name, version: p.version, model: cfg.model, raw, usage });
      const ms = performance.now() - t0;
      await record("structured", p, req, t0, st, { usage, model, cached: false, repaired, errorCode: null });
      return { data: v.data, raw, usage, model, prompt: p.name, promptVersion: p.version, cached: false, repaired, ms };
    } catch (e) {
      const err = toLlmError(e, st);
      await record("structured", p, req, t0, st, { usage, model, cached: false, repaired: false, errorCode: errorCode(err) });
      throw err;
    }
  }

  async function text(req: TextRequest): Promise<LlmCallResult<string>> {
    const t0 = performance.now();
    const { st, client } = newState();
    const { p, messages, key } = await prepare(req, "");
    let usage = ZERO_USAGE;
    let model = cfg.model;
    try {
      const hit = await fromCache(req, key);
      if (hit) {
        await record("text", p, req, t0, st, { usage: hit.usage, model: hit.model, cached: true, repaired: false, errorCode: null });
        return cachedText(hit, p, t0);
      }
      const c = await complete(client, st, messages, undefined, req.signal);
      usage = c.usage;
      model = c.model;
      const r = refused(c, st);
      if (r) throw r;
      if (!c.content?.trim()) throw emptyOutput(p, st);
      await opts.cache?.put(key, { prompt: p.name, version: p.version, model: cfg.model, raw: c.content, usage });
      await record("text", p, req, t0, st, { usage, model, cached: false, repaired: false, errorCode: null });
      return { data: c.content, raw: c.content, usage, model, prompt: p.name, promptVersion: p.version, cached: false, repaired: false, ms: performance.now() - t0 };
    } catch (e) {
      const err = toLlmError(e, st);
      await record("text", p, req, t0, st, { usage, model, cached: false, repaired: false, errorCode: errorCode(err) });
      throw err;
    }
  }

  async function stream(req: TextRequest, onDelta: (s: string) => void): Promise<LlmCallResult<string>> {
    const t0 = performance.now();
    const { st, client } = newState();
    const { p, messages, key } = await prepare(req, "");
    let usage = ZERO_USAGE;
    let model = cfg.model;
    try {
      const hit = await fromCache(req, key);
      if (hit) {
        onDelta(hit.raw);
        await record("stream", p, req, t0, st, { usage: hit.usage, model: hit.model, cached: true, repaired: false, errorCode: null });
        return cachedText(hit, p, t0);
      }
      const parts: string[] = [];
      let finishReason: string | null = null;
      let refusal = "";
      for (;;) {
        const wantUsage = !endpointsWithoutStreamUsage.has(endpointKey);
        st.tries = 0;
        let s;
        try {
          s = await client.chat.completions.create(
            { model: cfg.model, messages, stream: true, ...(wantUsage ? { stream_options: { include_usage: true } } : {}) },
            req.signal ? { signal: req.signal } : {},
          );
        } catch (e) {
          // Older OpenAI-compatible servers reject stream_options; they then just report no usage.
          if (wantUsage && e instanceof APIError && (e.status === 400 || e.status === 422) && /stream_options|include_usage/i.test(serverMessage(e))) {
            endpointsWithoutStreamUsage.add(endpointKey);
            continue;
          }
          throw e;
        }
        for await (const chunk of s) {
          if (chunk.usage) usage = usageFromApi(chunk.usage);
          if (chunk.model) model = chunk.model;
          const choice = chunk.choices[0];
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (choice?.delta?.refusal) refusal += choice.delta.refusal;
          const d = choice?.delta?.content;
          if (d) {
            parts.push(d);
            onDelta(d);
          }
        }
        // The SDK ends the iteration quietly when the request was aborted.
        if (req.signal?.aborted) throw new APIUserAbortError();
        break;
      }
      const r = refused({ refusal: refusal || null, finishReason }, st);
      if (r) throw r;
      const out = parts.join("");
      if (!out.trim()) throw emptyOutput(p, st);
      await opts.cache?.put(key, { prompt: p.name, version: p.version, model: cfg.model, raw: out, usage });
      await record("stream", p, req, t0, st, { usage, model, cached: false, repaired: false, errorCode: null });
      return { data: out, raw: out, usage, model, prompt: p.name, promptVersion: p.version, cached: false, repaired: false, ms: performance.now() - t0 };
    } catch (e) {
      const err = toLlmError(e, st);
      await record("stream", p, req, t0, st, { usage, model, cached: false, repaired: false, errorCode: errorCode(err) });
      throw err;
    }
  }

  return { model: cfg.model, endpoint: where, structured, text, stream };
}

function errorCode(e: unknown): string {
  if (e instanceof LlmError) return e.code;
  if (e instanceof APIUserAbortError) return "ABORTED";
  return "INTERNAL";
}

function truncated(p: Prompt, st: CallState): LlmError {
  return new LlmError("LLM_BAD_OUTPUT", `大模型的输出超出长度上限被截断（提示词 ${p.name} ${p.version}）：请减少材料或分章节起草`, { attempts: st.attempts });
}

function emptyOutput(p: Prompt, st: CallState): LlmError {
  return new LlmError("LLM_BAD_OUTPUT", `大模型返回了空内容（提示词 ${p.name} ${p.version}）：请重试，或改用模板起草`, { attempts: st.attempts });
}

function serverMessage(e: APIError): string {
  const body = e.error === undefined ? "" : JSON.stringify(e.error);
  return `${e.message} ${body}`;
}

/** The endpoint said it does not support the response_format we sent (vLLM, llama.cpp, DeepSeek, older gateways). */
function rejectsFormat(e: unknown, mode: LlmOutputMode): boolean {
  if (!(e instanceof APIError) || (e.status !== 400 && e.status !== 422)) return false;
  const msg = serverMessage(e);
  return mode === "json_schema"
    ? /response_format|json_schema|structured output|guided/i.test(msg)
    : /response_format|json_object|json mode/i.test(msg);
}

function appendToSystem(msgs: PromptMessage[], extra: string): PromptMessage[] {
  if (!extra) return msgs;
  return msgs.map((m, i) => (i === 0 && m.role === "system" ? { ...m, content: `${m.content}\n\n${extra}` } : m));
}

/** Without json_schema the model only learns the shape from the prompt; this states it exactly. */
function schemaHint(schema: z.ZodType): string {
  try {
    const js = z.toJSONSchema(schema, { target: "draft-7", unrepresentable: "any" });
    return `只输出一个 JSON 对象，不要输出解释、Markdown 代码块或其他文字。该 JSON 对象必须符合下面的 JSON Schema：\n${JSON.stringify(js)}`;
  } catch {
    return "只输出一个 JSON 对象，不要输出解释、Markdown 代码块或其他文字。";
  }
}

function repairRequest(issue: string): string {
  return `你上一次的输出不符合要求：${issue}\n请只输出修正后的完整 JSON 对象，内容不变、只修正格式和字段，不要输出解释、Markdown 代码块或其他文字。`;
}

export type JsonCheck<T> = { ok: true; data: T } | { ok: false; issue: string };

/**
 * Parses the model's text as JSON and validates it. Accepts the whole text, a ```json fence, or the outermost
 * {…} (models in plain mode add a sentence around it); the result is either the full validated object or an issue.
 */
export function validateJson<T>(raw: string | null, schema: z.ZodType<T>): JsonCheck<T> {
  if (raw === null || raw.trim() === "") return { ok: false, issue: "输出为空" };
  const t = raw.trim();
  const candidates = [t];
  const fence = /```(?:json)?\s*\n?([\s\S]*?)\n?```/i.exec(t);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const a = t.indexOf("{");
  const b = t.lastIndexOf("}");
  if (a >= 0 && b > a) candidates.push(t.slice(a, b + 1));
  let syntax = "";
  for (const c of candidates) {
    let json: unknown;
    try {
      json = JSON.parse(c);
    } catch (e) {
      syntax ||= e instanceof Error ? e.message : String(e);
      continue;
    }
    const r = schema.safeParse(json);
    if (r.success) return { ok: true, data: r.data };
    return { ok: false, issue: `JSON 不符合要求的结构：${z.prettifyError(r.error).slice(0, 600)}` };
  }
  return { ok: false, issue: `不是有效的 JSON（${syntax.slice(0, 200)}）` };
}

/** Counts attempts, caps retry-after, and puts an idle timeout on the response body. */
function instrumentedFetch(base: typeof fetch, st: CallState, idleMs: number): typeof fetch {
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    st.attempts++;
    st.tries++;
    const res = await base(input, init);
    let headers = res.headers;
    const wait = retryAfterMs(res.headers);
    if (wait !== undefined && wait > MAX_RETRY_AFTER_MS && (res.status === 429 || res.status >= 500)) {
      // x-should-retry is the SDK's own override: fail now instead of sleeping for the server's wait.
      st.refusedWaitMs = wait;
      headers = new Headers(res.headers);
      headers.set("x-should-retry", "false");
    }
    if (!res.body) return headers === res.headers ? res : new Response(null, { status: res.status, statusText: res.statusText, headers });
    return new Response(withIdleTimeout(res.body, idleMs), { status: res.status, statusText: res.statusText, headers });
  };
  return f as typeof fetch;
}

function retryAfterMs(h: Headers): number | undefined {
  const ms = h.get("retry-after-ms");
  if (ms && !Number.isNaN(parseFloat(ms))) return parseFloat(ms);
  const ra = h.get("retry-after");
  if (!ra) return undefined;
  const s = parseFloat(ra);
  if (!Number.isNaN(s)) return s * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : at - Date.now();
}

function withIdleTimeout(body: ReadableStream<Uint8Array>, ms: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BodyIdleTimeout(ms)), ms);
      });
      try {
        const r = await Promise.race([reader.read(), idle]);
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (e) {
        reader.cancel(e).catch(() => {});
        controller.error(e);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}
