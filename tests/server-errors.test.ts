// server/errors.ts: every typed error of the app → one HTTP status and the {code, message, …} body, the same
// for a plain answer and for the drafting stream's `error` event; anything else is a 500 that logs no message.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EditError } from "../src/domain/edit.ts";
import { IngestError } from "../src/ingest/blocks.ts";
import { LlmError } from "../src/llm/index.ts";
import { ChecklistError } from "../src/review/checklist.ts";
import { UnresolvedErrors } from "../src/review/overrides.ts";
import { StoreError } from "../src/store/index.ts";
import { ApiError, errorBody, errorResponse, streamError } from "../server/errors.ts";

const zodError = z.object({ name: z.string({ error: "请填写名称" }) }).safeParse({}).error!;
const unresolved = new UnresolvedErrors([{ id: "FUNDS@x", code: "FUNDS", severity: "error", where: {} }]);

describe("one mapping from typed errors to HTTP", () => {
  it.each<[string, unknown, number, Record<string, unknown>]>([
    ["an ApiError keeps its status and extras", new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "请用 multipart/form-data 上传文件"), 415, { code: "UNSUPPORTED_MEDIA_TYPE" }],
    ["a zod error is a 400 naming the first problem", zodError, 400, { code: "BAD_REQUEST", message: "请求内容不正确：name：请填写名称", issues: [{ path: "name", message: "请填写名称" }] }],
    ["an edit of an unknown field", new EditError("UNKNOWN_FIELD", "foo", "没有这个字段"), 422, { code: "UNKNOWN_FIELD", message: "没有这个字段" }],
    ["a stale base version", new StoreError("VERSION_CONFLICT", "文档已被修改"), 409, { code: "VERSION_CONFLICT" }],
    ["a row that is gone", new StoreError("NOT_FOUND", "文档不存在"), 404, { code: "NOT_FOUND" }],
    ["error findings without a reason", unresolved, 409, { code: "UNRESOLVED_ERRORS", findings: unresolved.findings }],
    ["the model's endpoint failed", new LlmError("LLM_AUTH", "大模型服务拒绝了访问密钥"), 502, { code: "LLM_AUTH", message: "大模型服务拒绝了访问密钥" }],
    ["a file too large to read", new IngestError("TOO_LARGE", "文件过大"), 413, { code: "TOO_LARGE" }],
    ["a file of another type", new IngestError("UNSUPPORTED_TYPE", "无法识别的文件类型"), 415, { code: "UNSUPPORTED_TYPE" }],
    ["a damaged file", new IngestError("CORRUPT", "文件已损坏"), 422, { code: "CORRUPT" }],
    ["a bureau's checklist that does not parse", new ChecklistError("审核清单格式不正确"), 422, { code: "BAD_CHECKLIST", message: "审核清单格式不正确" }],
  ])("%s → %s", async (_why, e, status, body) => {
    const app = new Hono().get("/", () => {
      throw e;
    });
    app.onError((err, c) => errorResponse(c, err, () => {}));
    const r = await app.request("/");
    expect(r.status).toBe(status);
    expect(await r.json()).toMatchObject(body);
    // The stream says the same.
    const known = errorBody(e)!;
    expect(streamError(e, () => {})).toEqual({ code: known.body.code, message: known.body.message });
  });

  it("anything else is a 500 with a generic message; the log has the error's name, never its message", async () => {
    const logs: string[] = [];
    const app = new Hono().get("/", () => {
      throw new TypeError("secret document text");
    });
    app.onError((err, c) => errorResponse(c, err, (l) => logs.push(l)));
    const r = await app.request("/");
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ code: "INTERNAL", message: "服务器内部错误，请稍后重试；如反复出现请联系管理员" });
    expect(logs.join("\n")).toContain("TypeError");
    expect(logs.join("\n")).not.toContain("secret");
    expect(streamError(new TypeError("secret"), () => {})).toEqual({ code: "INTERNAL", message: "起草失败：服务器内部错误，请稍后重试" });
  });
});
