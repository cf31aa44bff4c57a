// Reading a request: its JSON body (size-capped), zod-parsed inputs, path ids and the acting user. Every
// refusal is an ApiError, answered by server/errors.ts.
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, badRequest } from "./errors.ts";
import { userFromHeader } from "./names.ts";
import * as S from "./schemas.ts";

/** Parses `input` with `schema` or throws a 400 naming the first problem in Chinese. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown, what = "请求内容"): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw badRequest(r.error, what);
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

/** The `:id` path parameter as a positive integer; `what` names it in the 400 (工作区, 文档 …). */
export const idOf = (c: Context, what: string): number => parseOr400(S.IdParam, c.req.param("id"), `${what}编号`);

/** The acting user (X-User header), for the audit log. */
export const userOf = (c: Context): string | null => userFromHeader(c.req.header("x-user"));
