// The HTTP API through hono's app.request (no socket), each route with good and bad input, over a
// fresh temp data directory per test group.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareDoc } from "../evals/compare.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { createLlm, LlmConfig } from "../src/llm/index.ts";
import { contentDisposition, sanitizeFileName } from "../server/names.ts";
import { parseIntent, sectionOf } from "../web/intent.ts";
import { byField, fieldsByPosition } from "../web/cells.ts";
import { startFakeOpenAI, type FakeOpenAI } from "./helpers/fakeOpenAI.ts";
import { XSS, jsonReq, parseSse, seedBytes, testApp, uploadReq, xssDocx, type TestApp } from "./helpers/server.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

async function json(res: Response | Promise<Response>): Promise<{ status: number; body: Json; headers: Headers }> {
  const r = await res;
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

const CHINESE = /[\u4e00-\u9fff]/;

/** Every error answer has a stable code and a Chinese message. */
function expectError(r: { status: number; body: Json }, status: number, code?: string) {
  expect(r.status).toBe(status);
  expect(typeof r.body.code).toBe("string");
  if (code) expect(r.body.code).toBe(code);
  expect(r.body.message).toMatch(CHINESE);
}

/** Workspace 1 with seed 001 uploaded: documents 1–4 (4 = 毛发检测…, which has 3 error findings). */
async function seeded(t: TestApp) {
  await t.app.request("/api/workspaces", jsonReq("POST", { name: "靖州县 2023" }));
  const up = await json(t.app.request("/api/workspaces/1/files", uploadReq([{ name: "001-jingzhou-2023.docx", data: seedBytes() }])));
  expect(up.status).toBe(200);
  return up.body;
}

describe("system routes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("GET /api/health says plainly that no LLM is configured", async () => {
    const r = await json(t.app.request("/api/health"));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, llm: { configured: false, model: null }, drafter: "template", tokenRequired: false });
    expect(r.body.notice).toBe("未配置大模型：使用模板起草，建议由确定性规则生成");
    expect(r.body.schemaVersion).toBeGreaterThan(0);
  });

  it("GET /api/openapi.json is OpenAPI 3.1 generated from the zod schemas, covering every route", async () => {
    const r = await json(t.app.request("/api/openapi.json"));
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    for (const p of [
      "/api/health", "/api/workspaces", "/api/workspaces/{id}", "/api/workspaces/{id}/files", "/api/workspaces/{id}/documents",
      "/api/documents/{id}", "/api/documents/{id}/apply-suggestion", "/api/documents/{id}/accept", "/api/documents/{id}/drafts",
      "/api/drafts/{id}/revise", "/api/drafts/{id}/accept", "/api/documents/{id}/export", "/api/workspaces/{id}/export",
    ]) expect(Object.keys(r.body.paths)).toContain(p);
    for (const s of ["Finding", "DocumentView", "Draft", "DraftEvent", "Error", "Workspace"]) expect(r.body.components.schemas).toHaveProperty(s);
    const edit = r.body.paths["/api/documents/{id}"].patch.requestBody.content["application/json"].schema;
    expect(edit.required).toEqual(["field", "value"]);
    // The interchange format's enum of document kinds made it through z.toJSONSchema.
    expect(JSON.stringify(r.body.components.schemas.DocumentView)).toContain("目标申报表");
  });

  it("serves the page with a strict CSP, the bundled script and the stylesheet", async () => {
    const page = await t.app.request("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('src="/app.js"');
    const js = await t.app.request("/app.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    const code = await js.text();
    expect(code).toContain("未配置大模型");
    expect(code).not.toMatch(/\.innerHTML\s*=/);
    expect((await t.app.request("/style.css")).headers.get("content-type")).toMatch(/text\/css/);
  });

  it("unknown API routes answer 404 JSON in Chinese", async () => {
    expectError(await json(t.app.request("/api/nope")), 404, "NOT_FOUND");
  });
});

describe("workspaces", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("create, list, get, rename, delete", async () => {
    const c = await json(t.app.request("/api/workspaces", jsonReq("POST", { name: "  县禁毒办  " })));
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ id: 1, name: "县禁毒办", files: 0, documents: 0 });
    expect((await json(t.app.request("/api/workspaces"))).body.workspaces).toHaveLength(1);
    expect((await json(t.app.request("/api/workspaces/1"))).body).toMatchObject({ workspace: { name: "县禁毒办" }, files: [] });
    expect((await json(t.app.request("/api/workspaces/1", jsonReq("PATCH", { name: "新名" })))).body.name).toBe("新名");
    expect((await json(t.app.request("/api/workspaces/1", { method: "DELETE" }))).body).toEqual({ deleted: true });
    expectError(await json(t.app.request("/api/workspaces/1")), 404, "NOT_FOUND");
  });

  const bad: [string, RequestInit, number, string][] = [
    ["/api/workspaces", jsonReq("POST", { name: "" }), 400, "BAD_REQUEST"],
    ["/api/workspaces", jsonReq("POST", { name: "x".repeat(101) }), 400, "BAD_REQUEST"],
    ["/api/workspaces", jsonReq("POST", { title: "x" }), 400, "BAD_REQUEST"],
    ["/api/workspaces", jsonReq("POST", "{not json"), 400, "BAD_JSON"],
    ["/api/workspaces/abc", { method: "GET" }, 400, "BAD_REQUEST"],
    ["/api/workspaces/-1", { method: "GET" }, 400, "BAD_REQUEST"],
    ["/api/workspaces/999", jsonReq("PATCH", { name: "x" }), 404, "NOT_FOUND"],
    ["/api/workspaces/999", { method: "DELETE" }, 404, "NOT_FOUND"],
  ];
  for (const [path, init, status, code] of bad) {
    it(`${init.method} ${path} ${init.body ?? ""} → ${status} ${code}`, async () => {
      expectError(await json(t.app.request(path, init)), status, code);
    });
  }
});

describe("upload", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ maxUploadBytes: 2 * 1024 * 1024 });
    await t.app.request("/api/workspaces", jsonReq("POST", { name: "w" }));
  });
  afterAll(() => t.close());

  it("several files in one request: each is stored; a bad one gets its own error, the others are processed", async () => {
    const r = await json(
      t.app.request("/api/workspaces/1/files", uploadReq([
        { name: "001-jingzhou-2023.docx", data: seedBytes() },
        { name: "坏文件.docx", data: "这不是一个 Word 文件" },
        { name: "002-xinhong-2020-target.docx", data: seedBytes("002-xinhong-2020-target.docx") },
      ])),
    );
    expect(r.status).toBe(200);
    const [a, b, c] = r.body.files;
    expect(a).toMatchObject({ name: "001-jingzhou-2023.docx", format: "docx", error: null });
    expect(a.documents.map((d: Json) => d.kind)).toEqual(["自评表", "自评表", "自评表", "自评表"]);
    expect(a.documents[3].counts.error).toBe(3);
    expect(b.error.message).toMatch(/^坏文件\.docx：/);
    expect(b.documents).toEqual([]);
    expect(c.documents[0].kind).toBe("目标申报表");
    const docs = await json(t.app.request("/api/workspaces/1/documents"));
    expect(docs.body.documents).toHaveLength(5);
    const files = await json(t.app.request("/api/workspaces/1/files"));
    expect(files.body.files.map((f: Json) => f.name)).toEqual(["001-jingzhou-2023.docx", "坏文件.docx", "002-xinhong-2020-target.docx"]);
  });

  it("keeps the original bytes byte for byte (download them back)", async () => {
    const back = new Uint8Array(await (await t.app.request("/api/files/1/content")).arrayBuffer());
    expect(Buffer.from(back).equals(Buffer.from(seedBytes()))).toBe(true);
  });

  it("sanitises file names: no path, no control or reserved characters", async () => {
    const r = await json(t.app.request("/api/workspaces/1/files", uploadReq([{ name: "../../etc/自评<表>\u0000.docx", data: seedBytes() }])));
    expect(r.body.files[0].name).toBe("自评_表_.docx");
    expect(r.body.files[0].documents[0].fileName).toBe("自评_表_.docx");
    const view = await json(t.app.request(`/api/documents/${r.body.files[0].documents[0].id}`));
    expect(view.body.data.provenance.name.file).toBe("自评_表_.docx");
  });

  it("over the size limit → 413 with a Chinese message", async () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    expectError(await json(t.app.request("/api/workspaces/1/files", uploadReq([{ name: "big.pdf", data: big }]))), 413, "TOO_LARGE");
  });

  it("bad requests: no files, not multipart, unknown workspace", async () => {
    expectError(await json(t.app.request("/api/workspaces/1/files", { method: "POST", body: new FormData() })), 400);
    expectError(await json(t.app.request("/api/workspaces/1/files", jsonReq("POST", { files: [] }))), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(await json(t.app.request("/api/workspaces/99/files", uploadReq([{ name: "a.docx", data: seedBytes() }]))), 404, "NOT_FOUND");
    expectError(await json(t.app.request("/api/files/999/content")), 404, "NOT_FOUND");
  });
});

describe("documents: view, edit, suggestions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seeded(t);
  });
  afterAll(() => t.close());

  it("GET a document: data, findings with stable ids (validator), recomputed scores, suggestions", async () => {
    const r = await json(t.app.request("/api/documents/4"));
    expect(r.status).toBe(200);
    expect(r.body.document).toMatchObject({ id: 4, index: 3, kind: "自评表", name: "毛发检测和城市污水溯源监测经费", version: 1, fileName: "001-jingzhou-2023.docx" });
    const ids = r.body.findings.map((f: Json) => f.id);
    expect(ids).toContain("SCORE_MISSING@indicators[3].score");
    expect(new Set(ids).size).toBe(ids.length);
    // Counted per finding after grouping (one per code and document, places listed inside).
    expect(r.body.document.counts).toEqual({ error: 3, warning: 9, info: 2 });
    const places = r.body.findings.reduce((n: number, f: { places?: unknown[] }) => n + (f.places?.length ?? 1), 0);
    expect(places).toBe(29);
    expect(r.body.scoring.total).toMatchObject({ printed: 99, recomputed: 89 });
    expect(r.body.suggestions.length).toBeGreaterThan(0);
    // A vague target without the validator's own proposal carries the suggester's.
    const vague = r.body.findings.find((f: Json) => f.code === "VAGUE_TARGET" && f.suggestion);
    expect(vague?.suggestion.field).toBe(vague?.where.field);
  });

  it("PATCH 完成值 → new version → score recomputed", async () => {
    const before = await json(t.app.request("/api/documents/1"));
    expect(before.body.scoring.lines[0].computed).toBe(10);
    const r = await json(t.app.request("/api/documents/1", jsonReq("PATCH", { field: "indicators[0].actual", value: "4场", baseVersion: 1 }, { "X-User": encodeURIComponent("张三") })));
    expect(r.status).toBe(200);
    expect(r.body.edit).toEqual({ field: "indicators[0].actual", oldValue: "5场", newValue: "4场", version: 2 });
    expect(r.body.document.version).toBe(2);
    expect(r.body.scoring.lines[0].computed).toBe(8);
    expect(r.body.scoring.total.recomputed).toBe(before.body.scoring.total.recomputed - 2);
    const versions = await json(t.app.request("/api/documents/1/versions"));
    expect(versions.body.versions[1]).toMatchObject({ version: 2, source: "edit", field: "indicators[0].actual", oldValue: "5场", newValue: "4场", user: "张三" });
  });

  it("PATCH 执行数 with Chinese number input → 执行率 and its score recomputed", async () => {
    const r = await json(t.app.request("/api/documents/1", jsonReq("PATCH", { field: "funds.total.executed", value: "４.８万元" })));
    expect(r.status).toBe(200);
    expect(r.body.data.funds.total.executed).toBe(4.8);
    expect(r.body.scoring.execution.rate).toBeCloseTo(0.8, 9);
    expect(r.body.scoring.execution.computed).toBe(8);
  });

  const bad: [string, Json, number, string][] = [
    ["unknown field", { field: "indicators[0].colour", value: "x" }, 422, "UNKNOWN_FIELD"],
    ["index out of range", { field: "indicators[42].actual", value: "x" }, 422, "UNKNOWN_FIELD"],
    ["text in a number cell", { field: "indicators[0].weight", value: "十分" }, 422, "WRONG_TYPE"],
    ["stale base version", { field: "name", value: "x", baseVersion: 1 }, 409, "VERSION_CONFLICT"],
    ["missing value", { field: "name" }, 400, "BAD_REQUEST"],
    ["value of the wrong JSON type", { field: "name", value: { a: 1 } }, 400, "BAD_REQUEST"],
  ];
  for (const [why, body, status, code] of bad) {
    it(`PATCH with ${why} → ${status} ${code}`, async () => {
      expectError(await json(t.app.request("/api/documents/1", jsonReq("PATCH", body))), status, code);
    });
  }

  it("PATCH or GET an unknown document → 404", async () => {
    expectError(await json(t.app.request("/api/documents/999")), 404, "NOT_FOUND");
    expectError(await json(t.app.request("/api/documents/999", jsonReq("PATCH", { field: "name", value: "x" }))), 404, "NOT_FOUND");
  });

  it("the page places a finding without a field on the cells its provenance points at (web/findings.ts)", async () => {
    const view = (await json(t.app.request("/api/documents/3"))).body;
    const cells = byField(view.findings, fieldsByPosition(view.data.provenance));
    const weights = [...cells].filter(([, fs]) => fs.some((f) => f.code === "WEIGHTS_NONSTANDARD")).map(([field]) => field);
    expect(weights.length).toBeGreaterThan(3);
    expect(weights.every((f) => /^indicators\[\d+\]\.weight$/.test(f))).toBe(true);
    const numbering = [...cells].filter(([, fs]) => fs.some((f) => f.code === "HEADING_NUMBERING_INCONSISTENT")).map(([field]) => field);
    expect(numbering.length).toBeGreaterThan(0);
    expect(numbering.every((f) => /^report\.(title|sections\[\d+\]\.text)$/.test(f))).toBe(true);
  });

  it("apply a suggestion by finding id: the value is written and the finding goes away", async () => {
    const r = await json(t.app.request("/api/documents/4/apply-suggestion", jsonReq("POST", { findingId: "RATE_MISSING@funds.total.rate" })));
    expect(r.status).toBe(200);
    expect(r.body.data.funds.total.rate).toBe("100.00%");
    expect(r.body.edit).toMatchObject({ field: "funds.total.rate", oldValue: null, newValue: "100.00%" });
    expect(r.body.findings.map((f: Json) => f.code)).not.toContain("RATE_MISSING");
    const v = await json(t.app.request("/api/documents/4/versions"));
    expect(v.body.versions.at(-1)).toMatchObject({ source: "suggestion", field: "funds.total.rate" });
  });

  it("apply a suggestion by code + field, and by field from the suggestion list", async () => {
    const view = await json(t.app.request("/api/documents/4"));
    const vague = view.body.findings.find((f: Json) => f.code === "VAGUE_TARGET" && f.suggestion);
    const r = await json(t.app.request("/api/documents/4/apply-suggestion", jsonReq("POST", { code: "VAGUE_TARGET", field: vague.where.field })));
    expect(r.status).toBe(200);
    expect(r.body.edit.newValue).toBe(vague.suggestion.value);
    const next = r.body.suggestions[0];
    if (next) {
      const r2 = await json(t.app.request("/api/documents/4/apply-suggestion", jsonReq("POST", { field: next.field })));
      expect(r2.body.edit.newValue).toBe(next.suggestion.value);
    }
  });

  it("apply the suggestion of one place of a grouped finding by the place's id", async () => {
    const view = await json(t.app.request("/api/documents/4"));
    const group = view.body.findings.find((f: Json) => f.places?.some((p: Json) => p.suggestion?.value !== undefined));
    expect(group).toBeDefined();
    const place = group.places.filter((p: Json) => p.suggestion?.value !== undefined).at(-1);
    expect(place.id).toBe(`${group.code}@${place.where.field}`);
    const r = await json(t.app.request("/api/documents/4/apply-suggestion", jsonReq("POST", { findingId: place.id, baseVersion: view.body.document.version })));
    expect(r.status).toBe(200);
    expect(r.body.edit).toMatchObject({ field: place.suggestion.field, newValue: place.suggestion.value });
  });

  it("apply-suggestion errors: unknown finding 404, finding without a suggestion 422, empty body 400", async () => {
    expectError(await json(t.app.request("/api/documents/4/apply-suggestion", jsonReq("POST", { findingId: "NOPE@x" }))), 404, "FINDING_NOT_FOUND");
    expectError(await json(t.app.request("/api/documents/4/apply-suggestion", jsonReq("POST", { findingId: "SCORE_MISSING@indicators[3].score" }))), 422, "NO_SUGGESTION");
    expectError(await json(t.app.request("/api/documents/4/apply-suggestion", jsonReq("POST", {}))), 400, "BAD_REQUEST");
  });
});

describe("acceptance", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seeded(t);
  });
  afterAll(() => t.close());

  it("a table with no error findings is accepted at once", async () => {
    const r = await json(t.app.request("/api/documents/1/accept", jsonReq("POST", {}, { "X-User": encodeURIComponent("王五") })));
    expect(r.status).toBe(200);
    expect(r.body.document).toMatchObject({ acceptedVersion: 1, acceptedBy: "王五" });
  });

  it("errors remaining → 409 listing each of them; short or missing reasons are not enough", async () => {
    const r = await json(t.app.request("/api/documents/4/accept", jsonReq("POST", {})));
    expectError(r, 409, "UNRESOLVED_ERRORS");
    expect(r.body.findings.map((f: Json) => f.code).sort()).toEqual(["COST_BUDGET_MISMATCH", "SCORE_MISSING", "SCORE_SUM_MISMATCH"]);
    const partial = await json(t.app.request("/api/documents/4/accept", jsonReq("POST", { overrides: [{ findingId: r.body.findings[0].id, reason: "已核实，原表如此" }, { findingId: r.body.findings[1].id, reason: "好" }] })));
    expectError(partial, 409, "UNRESOLVED_ERRORS");
    expect(partial.body.findings).toHaveLength(2);
  });

  it("each error overridden with a written reason → accepted, reasons in the audit log with user and time", async () => {
    const view = await json(t.app.request("/api/documents/4"));
    const errors = view.body.findings.filter((f: Json) => f.severity === "error");
    const overrides = errors.map((f: Json) => ({ findingId: f.id, reason: `经核对原始凭证，${f.code} 不需修改` }));
    const r = await json(t.app.request("/api/documents/4/accept", jsonReq("POST", { version: 1, overrides }, { "X-User": encodeURIComponent("李四") })));
    expect(r.status).toBe(200);
    expect(r.body.document.acceptedVersion).toBe(1);
    const audit = await json(t.app.request("/api/documents/4/audit"));
    const entries = audit.body.entries;
    expect(entries.filter((e: Json) => e.action === "override")).toHaveLength(3);
    expect(entries.at(-1)).toMatchObject({ action: "accept_document", user: "李四" });
    expect(entries[0]).toMatchObject({ user: "李四", reason: expect.stringContaining("经核对原始凭证") });
  });

  it("accepting a version that is no longer current → 409", async () => {
    await t.app.request("/api/documents/2", jsonReq("PATCH", { field: "indicators[0].deviation", value: "无偏差" }));
    expectError(await json(t.app.request("/api/documents/2/accept", jsonReq("POST", { version: 1 }))), 409, "VERSION_CONFLICT");
  });

  it("bad accept input → 400; unknown document → 404", async () => {
    expectError(await json(t.app.request("/api/documents/1/accept", jsonReq("POST", { overrides: "all" }))), 400, "BAD_REQUEST");
    expectError(await json(t.app.request("/api/documents/99/accept", jsonReq("POST", {}))), 404, "NOT_FOUND");
  });
});

describe("drafts over SSE (template drafter, no LLM)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seeded(t);
    await t.app.request("/api/workspaces/1/files", uploadReq([{ name: "002.docx", data: seedBytes("002-xinhong-2020-target.docx") }]));
  });
  afterAll(() => t.close());

  it("POST a draft: progress (saying no LLM is configured), sections, then the stored draft with its findings", async () => {
    const res = await t.app.request("/api/documents/1/drafts", jsonReq("POST", { request: "帮我起草今年的自评报告" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events[0]).toMatchObject({ event: "progress" });
    expect(events[0]!.data.message).toContain("未配置大模型");
    expect(events.filter((e) => e.event === "section")).toHaveLength(6);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.draft).toMatchObject({ id: 1, documentId: 1, drafter: "template", promptVersion: null, accepted: false, request: "帮我起草今年的自评报告" });
    expect(done.data.draft.sections).toHaveLength(6);
    expect(Array.isArray(done.data.draft.findings)).toBe(true);
    expect((await json(t.app.request("/api/drafts/1"))).body.id).toBe(1);
    expect((await json(t.app.request("/api/documents/1/drafts"))).body.drafts).toHaveLength(1);
  });

  it("revise a section named in the request (“第五部分写具体些”) → a new draft whose parent is the old one", async () => {
    const events = parseSse(await (await t.app.request("/api/drafts/1/revise", jsonReq("POST", { request: "第五部分写具体些" }))).text());
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.draft).toMatchObject({ id: 2, parentId: 1, request: "第五部分写具体些" });
  });

  it("revise errors: no section named 422, section out of range 422, unknown draft 404, empty request 400", async () => {
    expectError(await json(t.app.request("/api/drafts/1/revise", jsonReq("POST", { request: "写好一点" }))), 422, "SECTION_REQUIRED");
    expectError(await json(t.app.request("/api/drafts/1/revise", jsonReq("POST", { request: "改", section: 9 }))), 422, "BAD_SECTION");
    expectError(await json(t.app.request("/api/drafts/99/revise", jsonReq("POST", { request: "第五部分写具体些" }))), 404, "NOT_FOUND");
    expectError(await json(t.app.request("/api/drafts/1/revise", jsonReq("POST", { request: "  " }))), 400, "BAD_REQUEST");
  });

  it("a 申报表 cannot be drafted → 422; an unknown document → 404", async () => {
    const docs = (await json(t.app.request("/api/workspaces/1/documents"))).body.documents;
    const form = docs.find((d: Json) => d.kind === "目标申报表");
    expectError(await json(t.app.request(`/api/documents/${form.id}/drafts`, jsonReq("POST", {}))), 422, "NOT_SELF_EVAL");
    expectError(await json(t.app.request("/api/documents/999/drafts", jsonReq("POST", {}))), 404, "NOT_FOUND");
  });

  it("accept a draft; a draft with an unsupported number needs an override reason", async () => {
    expect((await json(t.app.request("/api/drafts/2/accept", jsonReq("POST", {})))).body.accepted).toBe(true);
    // A draft someone typed a number into that the table does not support.
    const sections = [{ heading: "一、项目基本情况", text: "全年共开展禁毒宣传活动 87 场。" }];
    const d = await t.store.addDraft({ documentId: 1, documentVersion: 1, parentId: 2, request: null, user: null, draft: { sections, drafter: "template", promptVersion: null, findings: [], usage: null } });
    const r = await json(t.app.request(`/api/drafts/${d.id}/accept`, jsonReq("POST", {})));
    expectError(r, 409, "UNRESOLVED_ERRORS");
    const unsupported = r.body.findings.find((f: Json) => f.code === "DRAFT_NUMBER_UNSUPPORTED");
    expect(unsupported.where.field).toBe("draft.sections[0].text");
    const overrides = r.body.findings.map((f: Json) => ({ findingId: f.id, reason: "依据为县禁毒办年度工作台账" }));
    const ok = await json(t.app.request(`/api/drafts/${d.id}/accept`, jsonReq("POST", { overrides })));
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toBe(true);
    const audit = (await json(t.app.request("/api/documents/1/audit"))).body.entries;
    expect(audit.some((e: Json) => e.action === "override" && e.code === "DRAFT_NUMBER_UNSUPPORTED" && e.draftId === d.id)).toBe(true);
  });
});

describe("exports", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seeded(t);
    await t.app.request("/api/documents/1", jsonReq("PATCH", { field: "indicators[0].actual", value: "4场" }));
    await (await t.app.request("/api/documents/1/drafts", jsonReq("POST", {}))).text();
  });
  afterAll(() => t.close());

  it(".docx: Chinese file name per RFC 5987; read back by extractBuffer to the same data, with the draft as the report", async () => {
    const res = await t.app.request("/api/documents/1/export?format=docx");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/wordprocessingml/);
    const cd = res.headers.get("content-disposition")!;
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe("村和社区戒毒康复工作站、禁毒协会工作经费（2023年度）自评表.docx");
    const back = await extractBuffer(new Uint8Array(await res.arrayBuffer()), "export.docx");
    expect(back.error).toBeNull();
    const current = (await json(t.app.request("/api/documents/1"))).body.data;
    const { provenance: _p, report: _r, ...table } = current;
    const cmp = compareDoc(table, back.documents[0]);
    expect(cmp.fields).toBeGreaterThan(50);
    expect(cmp.diffs).toEqual([]);
    const draft = (await json(t.app.request("/api/documents/1/drafts"))).body.drafts[0];
    const report = back.documents[0]!.kind === "自评表" ? back.documents[0]!.report : null;
    // The reader normalises headings to the official outline; the section bodies are the draft's.
    const squash = (x: string) => x.replace(/\s+/g, "");
    expect(report?.sections).toHaveLength(draft.sections.length);
    report!.sections.forEach((s, i) => {
      expect(squash(s.heading).startsWith(squash(draft.sections[i].heading))).toBe(true);
      expect(squash(s.text)).toBe(squash(draft.sections[i].text));
    });
  });

  it(".xlsx and .json, and the whole workspace", async () => {
    const x = await t.app.request("/api/documents/1/export?format=xlsx");
    expect(x.headers.get("content-type")).toMatch(/spreadsheetml/);
    expect(new Uint8Array(await x.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    const j = await t.app.request("/api/documents/1/export?format=json");
    expect(j.headers.get("content-type")).toMatch(/application\/json/);
    expect(JSON.parse(await j.text())).toBeTruthy();
    const w = await t.app.request("/api/workspaces/1/export?format=docx");
    expect(w.status).toBe(200);
    const all = await extractBuffer(new Uint8Array(await w.arrayBuffer()), "all.docx");
    expect(all.documents).toHaveLength(4);
  });

  it("bad format → 400; unknown document or workspace → 404", async () => {
    expectError(await json(t.app.request("/api/documents/1/export?format=pdf")), 400, "BAD_REQUEST");
    expectError(await json(t.app.request("/api/documents/99/export?format=docx")), 404, "NOT_FOUND");
    expectError(await json(t.app.request("/api/workspaces/99/export?format=docx")), 404, "NOT_FOUND");
  });

  it("file names: sanitised, ASCII fallback plus UTF-8 name", () => {
    expect(sanitizeFileName("C:\\Users\\x\\报告.docx")).toBe("报告.docx");
    expect(sanitizeFileName("...")).toBe("未命名文件");
    expect(sanitizeFileName("a\u202Excod.docx")).toBe("axcod.docx");
    expect(contentDisposition("自评表.docx")).toBe(`attachment; filename="jixiao-export.docx"; filename*=UTF-8''${encodeURIComponent("自评表.docx")}`);
    expect(contentDisposition('report "2023".xlsx')).toBe(`attachment; filename="report _2023_.xlsx"; filename*=UTF-8''report%20_2023_.xlsx`);
  });
});

describe("access token (JIXIAO_TOKEN)", () => {
  let t: TestApp;
  const token = "s3cret-token-value";
  beforeAll(async () => {
    t = await testApp({ token });
  });
  afterAll(() => t.close());

  it("required on /api when set: Bearer header, or ?token= on GET downloads; health stays open", async () => {
    expectError(await json(t.app.request("/api/workspaces")), 401, "UNAUTHORIZED");
    expectError(await json(t.app.request("/api/workspaces", { headers: { Authorization: "Bearer wrong" } })), 401, "UNAUTHORIZED");
    expect((await t.app.request("/api/workspaces", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await t.app.request(`/api/workspaces?token=${token}`)).status).toBe(200);
    // ?token= is for links (GET) only: a POST must send the header.
    expectError(await json(t.app.request(`/api/workspaces?token=${token}`, jsonReq("POST", { name: "x" }))), 401, "UNAUTHORIZED");
    expect((await json(t.app.request("/api/health"))).body.tokenRequired).toBe(true);
    expect((await t.app.request("/")).status).toBe(200);
  });

  it("the token never appears in the request log", async () => {
    await t.app.request(`/api/workspaces?token=${token}`);
    expect(t.logs.join("\n")).not.toContain(token);
    expect(t.logs.some((l) => l.includes("GET /api/workspaces 200"))).toBe(true);
  });
});

describe("logs and the LLM key", () => {
  let fake: FakeOpenAI;
  let t: TestApp;
  const KEY = "sk-test-NEVER-LOG-THIS-1234567890";
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const llm = createLlm(new LlmConfig({ baseURL: fake.url, apiKey: KEY, model: "fake-model", maxRetries: 0 }));
    t = await testApp({ llm });
    await seeded(t);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it("an LLM draft streams, is stored with its prompt version, and the key is sent only to the endpoint", async () => {
    const headings = ["一、项目基本情况", "二、绩效评价工作情况", "三、综合评价情况及评价结论", "四、项目主要绩效情况分析", "五、存在的问题", "六、有关建议"];
    // The model writes plain text, heading by heading; the server forwards each piece as it comes.
    const chunks = headings.flatMap((h) => [`${h}\n`, "项目资金6万元，", "执行率100.00%。\n"]);
    fake.script({ chunks });
    const res = await t.app.request("/api/documents/1/drafts", jsonReq("POST", {}));
    const text = await res.text();
    const events = parseSse(text);
    const deltas = events.filter((e) => e.event === "delta");
    expect(deltas.length).toBe(chunks.length);
    expect(deltas.map((d) => d.data.section)).toEqual(headings.flatMap((_, i) => [i, i, i]));
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.draft.drafter).toBe("llm");
    expect(done.data.draft.promptVersion).toBe("draft-report-stream@v1");
    expect(done.data.draft.sections.map((s: { heading: string }) => s.heading)).toEqual(headings);
    expect(done.data.draft.sections[0].text).toBe("项目资金6万元，执行率100.00%。");
    expect(text).not.toContain(KEY);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    const health = await t.app.request("/api/health");
    const h = await health.text();
    expect(JSON.parse(h).llm).toEqual({ configured: true, model: "fake-model" });
    expect(h).not.toContain(KEY);
  });

  it("an LLM failure becomes an SSE error event with a Chinese message, no key", async () => {
    fake.script({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } });
    const text = await (await t.app.request("/api/documents/1/drafts", jsonReq("POST", {}))).text();
    const last = parseSse(text).at(-1)!;
    expect(last.event).toBe("error");
    expect(last.data.code).toBe("LLM_AUTH");
    expect(last.data.message).toMatch(CHINESE);
    expect(text).not.toContain(KEY);
  });

  it("request logs carry method, path, status and time — never document contents or the key", async () => {
    await t.app.request("/api/documents/1", jsonReq("PATCH", { field: "goals.actual", value: "机密内容-不应出现在日志" }));
    const all = t.logs.join("\n");
    expect(all).not.toContain(KEY);
    expect(all).not.toContain("机密内容");
    expect(all).not.toContain("村和社区戒毒康复工作站");
    expect(t.logs.every((l) => /^\S+ (GET|POST|PATCH|DELETE) \/\S* \d{3} \d+ms$/.test(l) || l.startsWith("error "))).toBe(true);
  });
});

describe("security: document text is data", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await t.app.request("/api/workspaces", jsonReq("POST", { name: "w" }));
  });
  afterAll(() => t.close());

  it("a crafted .docx whose project name is HTML comes back verbatim as a JSON string", async () => {
    const r = await json(t.app.request("/api/workspaces/1/files", uploadReq([{ name: "xss.docx", data: xssDocx() }])));
    expect(r.body.files[0].documents[0].name).toBe(XSS);
    const view = await json(t.app.request(`/api/documents/${r.body.files[0].documents[0].id}`));
    expect(view.body.data.name).toBe(XSS);
    expect(view.headers.get("content-type")).toMatch(/application\/json/);
  });
});

describe("web: chat intents (web/intent.ts)", () => {
  const rows: [string, boolean, string, number | null][] = [
    ["帮我起草今年的自评报告", false, "draft", null],
    ["帮我起草今年的自评报告", true, "draft", null],
    ["第五部分写具体些", true, "revise", 4],
    ["把第3节改得简洁一点", true, "revise", 2],
    ["第五部分写具体些", false, "draft", null],
    ["给出指标值建议", true, "suggest", null],
    ["这些指标怎么写才能量化？", false, "suggest", null],
    ["你好", false, "help", null],
  ];
  for (const [text, hasDraft, kind, section] of rows) {
    it(`“${text}”${hasDraft ? "（已有草稿）" : ""} → ${kind}`, () => {
      const i = parseIntent(text, hasDraft);
      expect(i.kind).toBe(kind);
      if (i.kind === "revise") expect(i.section).toBe(section);
    });
  }
  it("section numbers in Chinese or digits", () => {
    expect(sectionOf("第六部分")).toBe(5);
    expect(sectionOf("第 2 节")).toBe(1);
    expect(sectionOf("全文")).toBeNull();
  });
});
