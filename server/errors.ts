// Every typed error → HTTP status + the JSON error body {code, message, …}, in one place (errorBody); the
// plain response (errorResponse, the app's onError) and the drafting stream's `error` event (streamError) both
// use it. Unexpected bugs become 500 with a generic message; their detail goes to the log (never document
// contents or keys).
//
//   ApiError           its own status (the routes' expected refusals: 400, 404, 409, 413, 415, 422, 501 …)
//   zod error          400 BAD_REQUEST, with `issues`
//   EditError          422 (UNKNOWN_FIELD, WRONG_TYPE, INVALID_DOCUMENT)
//   StoreError         404 NOT_FOUND, 409 VERSION_CONFLICT (a stale base version)
//   UnresolvedErrors   409 UNRESOLVED_ERRORS, with the `findings` still lacking a reason
//   LlmError           502 (LLM_UNAVAILABLE, LLM_TIMEOUT, LLM_AUTH …): the model's endpoint failed, not us
//   IngestError        413 TOO_LARGE, 415 UNSUPPORTED_TYPE, else 422 (the file cannot be read)
//   ChecklistError     422 BAD_CHECKLIST
//   JobError           400 BAD_PAYLOAD, 404 NOT_FOUND, 422 NOT_SELF_EVAL / NOTHING_TO_EXPORT, 409 LLM_NOT_CONFIGURED
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { EditError } from "../src/domain/edit.ts";
import { IngestError, type IngestErrorCode } from "../src/ingest/blocks.ts";
import { JobError, type JobErrorCode } from "../src/jobs/errors.ts";
import { LlmError } from "../src/llm/index.ts";
import { ChecklistError } from "../src/review/checklist.ts";
import { UnresolvedErrors } from "../src/review/overrides.ts";
import { StoreError } from "../src/store/index.ts";
import type { FindingView } from "./schemas.ts";

type Issue = { path: string; message: string };

/** The JSON body of every error answer (`extra` fields only where a table row says so). */
export interface ErrorBody {
  code: string;
  message: string;
  findings?: FindingView[] | unknown[];
  issues?: Issue[];
}

/** An expected refusal decided at the edge (bad input, missing row, unsupported request). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { findings?: FindingView[]; issues?: Issue[] } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError(404, "NOT_FOUND", `${what}不存在`);

export function zodIssues(e: z.core.$ZodError): Issue[] {
  return e.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** A 400 naming the first problem in Chinese; `what` names the input (请求内容, 导出参数 …). */
export function badRequest(e: z.core.$ZodError, what = "请求内容"): ApiError {
  const issues = zodIssues(e);
  const first = issues[0];
  return new ApiError(400, "BAD_REQUEST", `${what}不正确：${first ? `${first.path ? first.path + "：" : ""}${first.message}` : "格式错误"}`, { issues });
}

const EDIT_STATUS: Record<EditError["code"], ContentfulStatusCode> = { UNKNOWN_FIELD: 422, WRONG_TYPE: 422, INVALID_DOCUMENT: 422 };
const STORE_STATUS: Record<StoreError["code"], ContentfulStatusCode> = { NOT_FOUND: 404, VERSION_CONFLICT: 409 };
const JOB_STATUS: Record<JobErrorCode, ContentfulStatusCode> = {
  BAD_PAYLOAD: 400, UNKNOWN_KIND: 400, NOT_FOUND: 404, NOT_SELF_EVAL: 422, NOTHING_TO_EXPORT: 422, LLM_NOT_CONFIGURED: 409,
};
/** The rest of the ingest codes are 422: the file is there but cannot be read as a form. */
const INGEST_STATUS: Partial<Record<IngestErrorCode, ContentfulStatusCode>> = { TOO_LARGE: 413, UNSUPPORTED_TYPE: 415 };

/** The status and body for a typed error; null for anything else (a bug). */
export function errorBody(e: unknown): { status: ContentfulStatusCode; body: ErrorBody } | null {
  const plain = (status: ContentfulStatusCode, code: string) => ({ status, body: { code, message: (e as Error).message } });
  if (e instanceof ApiError) return { status: e.status, body: { code: e.code, message: e.message, ...e.extra } };
  if (e instanceof z.core.$ZodError) return errorBody(badRequest(e));
  if (e instanceof EditError) return plain(EDIT_STATUS[e.code], e.code);
  if (e instanceof StoreError) return plain(STORE_STATUS[e.code], e.code);
  if (e instanceof UnresolvedErrors) return { status: 409, body: { code: e.code, message: e.message, findings: e.findings } };
  if (e instanceof LlmError) return plain(502, e.code);
  if (e instanceof IngestError) return plain(INGEST_STATUS[e.code] ?? 422, e.code);
  if (e instanceof ChecklistError) return plain(422, "BAD_CHECKLIST");
  if (e instanceof JobError) return plain(JOB_STATUS[e.code], e.code);
  return null;
}

/** The response for any error thrown by a handler. `log` receives only codes and short messages. */
export function errorResponse(c: Context, e: unknown, log: (line: string) => void): Response {
  const known = errorBody(e);
  if (known) return c.json(known.body, known.status);
  const name = e instanceof Error ? e.name : typeof e;
  const where = e instanceof Error ? (e.stack?.split("\n")[1]?.trim() ?? "") : "";
  log(`error ${c.req.method} ${c.req.path} ${name} ${where}`);
  return c.json({ code: "INTERNAL", message: "服务器内部错误，请稍后重试；如反复出现请联系管理员" }, 500);
}

/** The `error` event of a stream (a draft being written) for an exception: the same codes and messages. */
export function streamError(e: unknown, log: (line: string) => void): { code: string; message: string } {
  const known = errorBody(e);
  if (known) return { code: known.body.code, message: known.body.message };
  // The drafter's way of saying the requested section does not exist.
  if (e instanceof RangeError) return { code: "BAD_SECTION", message: e.message };
  log(`error draft-stream ${e instanceof Error ? e.name : typeof e}`);
  return { code: "INTERNAL", message: "起草失败：服务器内部错误，请稍后重试" };
}
