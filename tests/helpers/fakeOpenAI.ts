// A local OpenAI-compatible server for tests: POST /v1/chat/completions, scripted per test with a queue of
// replies, JSON or SSE streaming (OpenAI chunk format, final usage chunk), and a log of what it received.
// Binds 127.0.0.1 on a free port; nothing leaves the machine.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeReply {
  /** HTTP status; 200 when omitted. */
  status?: number;
  /** Raw response body (object → JSON, string → as is). Overrides `content`. */
  body?: unknown;
  /** Assistant message content for a normal completion (or the text split into stream chunks). */
  content?: string | null;
  /** Stream chunks to send instead of splitting `content`. */
  chunks?: string[];
  /** Wait before sending the response headers (triggers the client's timeout). */
  delayMs?: number;
  /** Wait between stream chunks. */
  chunkDelayMs?: number;
  /** Send the headers, then wait this long before the (non-streaming) body: a stalled response. */
  bodyDelayMs?: number;
  headers?: Record<string, string>;
  finishReason?: string;
  refusal?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens?: number };
}

export interface FakeRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (or the raw string if it was not JSON). */
  body: any;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeOpenAI {
  /** Base URL to give the SDK, ending in /v1. */
  url: string;
  /** Queues replies, served in order, one per request. */
  script(...replies: FakeReply[]): void;
  /** Reply used once the queue is empty (default: 500 "no scripted reply"). */
  setFallback(reply: FakeReply | null): void;
  /** When true, a request with response_format json_schema gets a 400 (like vLLM/DeepSeek without it); the queue is not consumed. */
  rejectJsonSchema: boolean;
  /** Same for response_format json_object. */
  rejectJsonObject: boolean;
  /** Reject stream_options (older OpenAI-compatible servers) with a 400. */
  rejectStreamOptions: boolean;
  requests: FakeRequest[];
  close(): Promise<void>;
}

const DEFAULT_USAGE = { prompt_tokens: 11, completion_tokens: 7 };

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: FakeReply[] = [];
  let fallback: FakeReply | null = null;
  const requests: FakeRequest[] = [];
  let seq = 0;

  const fake: FakeOpenAI = {
    url: "",
    script: (...replies) => void queue.push(...replies),
    setFallback: (r) => void (fallback = r),
    rejectJsonSchema: false,
    rejectJsonObject: false,
    rejectStreamOptions: false,
    requests,
    close: async () => {},
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `fake server bug: ${String(e)}` } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the raw text
    }
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: { ...req.headers }, body, at: Date.now() });

    if (req.method !== "POST" || !req.url?.startsWith("/v1/chat/completions")) {
      return json(res, 404, { error: { message: `fake: no route ${req.method} ${req.url}`, type: "invalid_request_error" } });
    }
    const fmt = body?.response_format?.type;
    if (fake.rejectJsonSchema && fmt === "json_schema") {
      return json(res, 400, { error: { message: "response_format type 'json_schema' is not supported by this model", type: "invalid_request_error", param: "response_format", code: null } });
    }
    if (fake.rejectJsonObject && fmt === "json_object") {
      return json(res, 400, { error: { message: "response_format type 'json_object' is not supported", type: "invalid_request_error", param: "response_format", code: null } });
    }

    if (fake.rejectStreamOptions && body?.stream_options !== undefined) {
      return json(res, 400, { error: { message: "Unrecognized request argument supplied: stream_options", type: "invalid_request_error" } });
    }

    const reply = queue.shift() ?? fallback ?? { status: 500, body: { error: { message: "fake: no scripted reply" } } };
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed || req.socket.destroyed) return; // the client gave up (timeout)

    const status = reply.status ?? 200;
    const headers = { "content-type": "application/json", ...reply.headers };
    if (reply.body !== undefined) {
      res.writeHead(status, headers);
      res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
      return;
    }
    const id = `chatcmpl-fake-${++seq}`;
    const model = String(body?.model ?? "fake-model");
    const created = Math.floor(Date.now() / 1000);
    const usage: { prompt_tokens: number; completion_tokens: number; total_tokens?: number } = { ...(reply.usage ?? DEFAULT_USAGE) };
    const fullUsage = { ...usage, total_tokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens };

    if (body?.stream === true) {
      res.writeHead(status, { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      const parts = reply.chunks ?? splitText(reply.content ?? "");
      const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
      send({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
      for (const part of parts) {
        if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
        if (res.destroyed) return;
        send({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta: { content: part }, finish_reason: null }] });
      }
      send({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta: {}, finish_reason: reply.finishReason ?? "stop" }] });
      if (body?.stream_options?.include_usage) send({ id, object: "chat.completion.chunk", created, model, choices: [], usage: fullUsage });
      res.end("data: [DONE]\n\n");
      return;
    }

    if (reply.bodyDelayMs) {
      res.writeHead(status, headers);
      res.flushHeaders();
      await sleep(reply.bodyDelayMs);
      if (res.destroyed) return;
    }
    json(res, status, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.content ?? null, refusal: reply.refusal ?? null },
          finish_reason: reply.finishReason ?? "stop",
          logprobs: null,
        },
      ],
      usage: fullUsage,
    }, reply.headers);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

function json(res: ServerResponse, status: number, obj: unknown, headers: Record<string, string> = {}): void {
  if (!res.headersSent) res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(obj));
}

function splitText(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 3) out.push(s.slice(i, i + 3));
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A base URL on which nothing listens (a port that was just freed). */
export async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
