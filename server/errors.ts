// Expected failures → HTTP status + {code, message} in one place. Unexpected bugs become 500 with a
// generic message; their detail goes to the log (never document contents or keys).
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { EditError } from "../src/domain/edit.ts";
import { UnresolvedErrors } from "../src/review/overrides.ts";
import { StoreError } from "../src/store/index.ts";
import type { FindingView } from "./schemas.ts";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { findings?: FindingView[]; issues?: { path: string; message: string }[] } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError(404, "NOT_FOUND", `${what}不存在`);

export function zodIssues(e: z.ZodError): { path: string; message: string }[] {
  return e.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** Parses `input` with `schema` or throws a 400 naming the first problem in Chinese. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, what = "请求内容"): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = zodIssues(r.error);
  const first = issues[0];
  throw new ApiError(400, "BAD_REQUEST", `${what}不正确：${first ? `${first.path ? first.path + "：" : ""}${first.message}` : "格式错误"}`, { issues });
}

/** Largest JSON request body (uploads have their own limit). */
export const MAX_JSON_BYTES = 1024 * 1024;

export async function jsonBody(c: Context): Promise<unknown> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_JSON_BYTES) throw new ApiError(413, "TOO_LARGE", `请求内容过大（超过 ${MAX_JSON_BYTES / 1024 / 1024} MB）`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw new ApiError(413, "TOO_LARGE", `请求内容过大（超过 ${MAX_JSON_BYTES / 1024 / 1024} MB）`);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "BAD_JSON", "请求内容不是有效的 JSON");
  }
}

const EDIT_STATUS: Record<EditError["code"], ContentfulStatusCode> = { UNKNOWN_FIELD: 422, WRONG_TYPE: 422, INVALID_DOCUMENT: 422 };
const STORE_STATUS: Record<StoreError["code"], ContentfulStatusCode> = { NOT_FOUND: 404, VERSION_CONFLICT: 409 };

/** The response for any error thrown by a handler. `log` receives only codes and short messages. */
export function errorResponse(c: Context, e: unknown, log: (line: string) => void): Response {
  if (e instanceof ApiError) return c.json({ code: e.code, message: e.message, ...e.extra }, e.status);
  if (e instanceof EditError) return c.json({ code: e.code, message: e.message }, EDIT_STATUS[e.code]);
  if (e instanceof StoreError) return c.json({ code: e.code, message: e.message }, STORE_STATUS[e.code]);
  if (e instanceof UnresolvedErrors) return c.json({ code: e.code, message: e.message, findings: e.findings }, 409);
  const name = e instanceof Error ? e.name : typeof e;
  const where = e instanceof Error ? (e.stack?.split("\n")[1]?.trim() ?? "") : "";
  log(`error ${c.req.method} ${c.req.path} ${name} ${where}`);
  return c.json({ code: "INTERNAL", message: "服务器内部错误，请稍后重试；如反复出现请联系管理员" }, 500);
}
