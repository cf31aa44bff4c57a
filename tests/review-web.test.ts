// The review API (审核意见) through hono's app.request over real workbooks: songgang-2.xlsx (20 申报表,
// one per sheet) uploaded as a user would, reviewed with the default checklist, filtered by item,
// opinions waived with a reason (audit log, 审核意见表 without them), lifted, kept across edits; and a
// real 部门整体 目标表 (pasted text) whose evidence lands on its own cells.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractBuffer } from "../src/pipeline.ts";
import { reviewDocuments } from "../src/review/index.ts";
import { cellOf } from "../server/review.ts";
import { ProjectReviewViewSchema, WorkspaceReviewSchema } from "../server/schemas.ts";
import { SHARED } from "./fixtures.ts";
import { jsonReq, seedBytes, testApp, uploadReq, type TestApp } from "./helpers/server.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const SONGGANG = join(SHARED, "fixtures/real/songgang/songgang-2.xlsx");
const DEPT_TEXT = join(SHARED, "fixtures/real/pasted/t07-jx-fuliang-linyeju-zhengti-mubiao.txt");
const CHINESE = /[\u4e00-\u9fff]/;
const REVIEWER = { "x-user": encodeURIComponent("李审核") };

async function json(res: Response | Promise<Response>): Promise<{ status: number; body: Json; headers: Headers }> {
  const r = await res;
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

function expectError(r: { status: number; body: Json }, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.body.code).toBe(code);
  expect(r.body.message).toMatch(CHINESE);
}

/** The 审核意见表 read back: per 项目编码, its cells by header (完整性审核意见 … 小结). */
async function readSheet(res: Response): Promise<Map<string, Record<string, string>>> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("spreadsheetml");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const head = (ws.getRow(2).values as unknown[]).map((v) => String(v ?? ""));
  const out = new Map<string, Record<string, string>>();
  for (let r = 3; r <= ws.rowCount; r++) {
    const vals = ws.getRow(r).values as unknown[];
    const row: Record<string, string> = {};
    head.forEach((h, i) => h && (row[h] = String(vals[i] ?? "")));
    out.set(row["项目编码"]!, row);
  }
  return out;
}

describe("review API over songgang-2.xlsx", () => {
  let t: TestApp;
  let projects: Json[];
  const bytes = new Uint8Array(readFileSync(SONGGANG));
  const review = async (q = "") => json(t.app.request(`/api/workspaces/1/review${q}`));
  const xlsx = (q = "") => t.app.request(`/api/workspaces/1/review.xlsx${q}`);
  const waive = (doc: number, body: unknown, headers: Record<string, string> = REVIEWER) =>
    json(t.app.request(`/api/documents/${doc}/review/waive`, jsonReq("POST", body, headers)));
  const audit = async (doc: number) => (await json(t.app.request(`/api/documents/${doc}/audit`))).body.entries as Json[];

  beforeAll(async () => {
    t = await testApp();
    await t.app.request("/api/workspaces", jsonReq("POST", { name: "松岗街道 2023 申报" }));
    const up = await json(t.app.request("/api/workspaces/1/files", uploadReq([{ name: "songgang-2.xlsx", data: bytes }])));
    expect(up.status).toBe(200);
    expect(up.body.files[0].documents).toHaveLength(20);
    projects = (await review()).body.projects;
  });
  afterAll(() => t.close());

  it("lists the workbook's 20 projects, each reviewed as `jixiao review` reviews the file", async () => {
    const r = await review();
    expect(r.status).toBe(200);
    expect(WorkspaceReviewSchema.safeParse(r.body).success).toBe(true);
    expect(r.body.total).toBe(20);
    expect(r.body.item).toBeNull();
    expect(r.body.projects).toHaveLength(20);
    const first = r.body.projects[0];
    expect(first).toMatchObject({ documentId: 1, fileName: "songgang-2.xlsx", kind: "目标申报表", code: "440306231391567300153", unit: "深圳市宝安区松岗街道行政事务服务中心", version: 1 });
    // The same items and opinion texts as the CLI's review of the same bytes.
    const cli = reviewDocuments((await extractBuffer(bytes, "songgang-2.xlsx")).documents, "songgang-2.xlsx");
    expect(r.body.projects.map((p: Json) => [p.code, p.items])).toEqual(cli.map((p) => [p.code, p.items]));
    expect(r.body.projects.map((p: Json) => p.opinions.map((o: Json) => o.text))).toEqual(cli.map((p) => p.opinions.map((o) => o.text)));
    for (const p of r.body.projects) {
      expect(p.opinions.map((o: Json) => o.id)).toEqual(p.opinions.map((o: Json) => o.code));
      expect(p.opinions.every((o: Json) => o.waived === null)).toBe(true);
      // On a 申报表 the evidence's cell is its own path (targets[3].value, calc_basis …).
      for (const o of p.opinions) for (const e of o.evidence) expect(e.cell).toBe(e.field);
    }
    // Counts per item, for the filter: each is the number of projects carrying the item.
    expect(r.body.items.length).toBeGreaterThan(3);
    for (const c of r.body.items) {
      expect(c.projects).toBe(r.body.projects.filter((p: Json) => p.items.includes(c.item)).length);
      expect(c.open).toBe(c.projects);
    }
  });

  it("filters by item (name or code); an unknown item is refused in Chinese", async () => {
    const count = (await review()).body.items.find((c: Json) => c.code === "CALC_BASIS").projects;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(20);
    const byName = await review(`?item=${encodeURIComponent("测算依据不规范")}`);
    expect(byName.status).toBe(200);
    expect(byName.body.item).toEqual({ code: "CALC_BASIS", name: "测算依据不规范" });
    expect(byName.body.total).toBe(20);
    expect(byName.body.projects).toHaveLength(count);
    expect(byName.body.projects.every((p: Json) => p.items.includes("测算依据不规范"))).toBe(true);
    const byCode = await review("?item=CALC_BASIS");
    expect(byCode.body.projects.map((p: Json) => p.documentId)).toEqual(byName.body.projects.map((p: Json) => p.documentId));
    expectError(await review(`?item=${encodeURIComponent("无此审核项")}`), 400, "UNKNOWN_ITEM");
    expectError(await review("?item="), 400, "BAD_REQUEST");
    expectError(await json(t.app.request("/api/workspaces/99/review")), 404, "NOT_FOUND");
  });

  it("GET /api/documents/:id/review is one project; a 自评表 is not reviewed (422)", async () => {
    const one = await json(t.app.request("/api/documents/2/review"));
    expect(one.status).toBe(200);
    expect(ProjectReviewViewSchema.safeParse(one.body).success).toBe(true);
    expect(one.body).toEqual(projects[1]);
    expect(one.body.dimensions).toEqual(["完整性", "相关性", "适当性", "可行性"]);
    expectError(await json(t.app.request("/api/documents/999/review")), 404, "NOT_FOUND");
    await t.app.request("/api/workspaces", jsonReq("POST", { name: "自评表" }));
    const up = await json(t.app.request("/api/workspaces/2/files", uploadReq([{ name: "001-jingzhou-2023.docx", data: seedBytes() }])));
    const selfEval = up.body.files[0].documents[0].id;
    expectError(await json(t.app.request(`/api/documents/${selfEval}/review`)), 422, "NOT_REVIEWABLE");
    expectError(await waive(selfEval, { code: "CALC_BASIS", reason: "测算表已另附" }), 422, "NOT_REVIEWABLE");
    expect((await json(t.app.request("/api/workspaces/2/review"))).body).toMatchObject({ total: 0, projects: [], items: [] });
    expectError(await json(t.app.request("/api/workspaces/2/review.xlsx")), 422, "NOTHING_TO_EXPORT");
  });

  it("a waive without a written reason, a name or a current opinion is refused in Chinese; nothing is stored", async () => {
    const doc = projects[0].documentId;
    for (const reason of ["", "   ", "。。。。", "好的", "\u200b\u200b\u200b\u200b\u200b"]) {
      expectError(await waive(doc, { code: "CALC_BASIS", reason }), 422, "REASON_REQUIRED");
    }
    expectError(await waive(doc, { code: "CALC_BASIS", reason: "测算表已另附" }, {}), 400, "NAME_REQUIRED");
    expectError(await waive(doc, { code: "NO_SUCH_ITEM", reason: "测算表已另附" }), 404, "OPINION_NOT_FOUND");
    // TARGET_TABLE_EMPTY is a checklist item, but this project's table is filled in.
    expectError(await waive(doc, { code: "TARGET_TABLE_EMPTY", reason: "测算表已另附" }), 404, "OPINION_NOT_FOUND");
    expectError(await waive(doc, { reason: "测算表已另附" }), 400, "BAD_REQUEST");
    expectError(await waive(doc, { code: "CALC_BASIS", reason: "x".repeat(2001) }), 400, "BAD_REQUEST");
    expectError(await json(t.app.request(`/api/documents/${doc}/review/waive`, { method: "DELETE" })), 400, "BAD_REQUEST");
    expect((await audit(doc)).filter((e) => /waive/.test(e.action))).toEqual([]);
    expect(await t.store.listWaivers({ documentId: doc })).toEqual([]);
    expect((await review()).body.projects[0].counts.waived).toBe(0);
  });

  it("a waiver goes to the audit log and leaves the opinion out of the 审核意见表; a second replaces it; lifting brings it back", async () => {
    const p = projects.find((x) => x.items.includes("测算依据不规范"))!;
    const other = projects.find((x) => x !== p && x.items.includes("测算依据不规范"))!;
    const calc = p.opinions.find((o: Json) => o.code === "CALC_BASIS");
    const before = await readSheet(await xlsx());
    expect(before.size).toBe(20);
    expect(before.get(p.code)!["可行性审核意见"]).toContain(calc.text);
    expect(before.get(p.code)!["小结"]).toContain("测算依据不规范");

    const w = await waive(p.documentId, { code: "CALC_BASIS", reason: "测算表已另附，金额核对无误" });
    expect(w.status).toBe(200);
    expect(ProjectReviewViewSchema.safeParse(w.body).success).toBe(true);
    const waived = w.body.opinions.find((o: Json) => o.code === "CALC_BASIS");
    expect(waived.waived).toMatchObject({ by: "李审核", reason: "测算表已另附，金额核对无误" });
    expect(w.body.counts.waived).toBe(1);
    expect(w.body.counts.warning + w.body.counts.error).toBe(p.opinions.length - 1);
    const entry = (await audit(p.documentId)).find((e) => e.action === "waive_opinion")!;
    expect(entry).toMatchObject({ code: "CALC_BASIS", field: "calc_basis", reason: "测算表已另附，金额核对无误", user: "李审核", workspaceId: 1 });
    expect(entry.detail).toMatchObject({ item: "测算依据不规范", text: calc.text, version: 1, replaced: null });
    const counts = (await review()).body.items.find((c: Json) => c.code === "CALC_BASIS");
    expect(counts.open).toBe(counts.projects - 1);

    const after = await readSheet(await xlsx());
    expect(after.get(p.code)!["可行性审核意见"]).not.toContain(calc.text);
    expect(after.get(p.code)!["小结"]).not.toContain("测算依据不规范");
    // Only that project's opinion: the others keep theirs.
    expect(after.get(other.code)!["小结"]).toContain("测算依据不规范");
    expect(after.get(p.code)!["小结"]).toContain(p.items.find((i: string) => i !== "测算依据不规范"));

    // A second waiver of the same opinion replaces the first (one waiver, the audit keeps both).
    const again = await waive(p.documentId, { code: "CALC_BASIS", reason: "按区财政局口径，测算表另行报送", by: "王科长" });
    expect(again.body.opinions.find((o: Json) => o.code === "CALC_BASIS").waived).toMatchObject({ by: "王科长", reason: "按区财政局口径，测算表另行报送" });
    expect(await t.store.listWaivers({ documentId: p.documentId })).toHaveLength(1);
    const waives = (await audit(p.documentId)).filter((e) => e.action === "waive_opinion");
    expect(waives).toHaveLength(2);
    expect(waives[1].detail.replaced).toEqual({ reason: "测算表已另附，金额核对无误", user: "李审核" });

    // DELETE lifts it: back in the 审核意见表, and the lift is logged with what it lifted.
    const lifted = await json(t.app.request(`/api/documents/${p.documentId}/review/waive?code=CALC_BASIS`, { method: "DELETE", headers: REVIEWER }));
    expect(lifted.status).toBe(200);
    expect(lifted.body.opinions.find((o: Json) => o.code === "CALC_BASIS").waived).toBeNull();
    expect((await readSheet(await xlsx())).get(p.code)!["可行性审核意见"]).toContain(calc.text);
    expect((await audit(p.documentId)).at(-1)).toMatchObject({ action: "lift_waiver", code: "CALC_BASIS", user: "李审核", detail: { waived: { reason: "按区财政局口径，测算表另行报送", user: "王科长" } } });
    expectError(await json(t.app.request(`/api/documents/${p.documentId}/review/waive?code=CALC_BASIS`, { method: "DELETE" })), 404, "WAIVER_NOT_FOUND");

    // {code, reason: null} lifts too.
    await waive(p.documentId, { code: "CALC_BASIS", reason: "测算表已另附" });
    const viaNull = await waive(p.documentId, { code: "CALC_BASIS", reason: null });
    expect(viaNull.status).toBe(200);
    expect(viaNull.body.counts.waived).toBe(0);
    expect(await t.store.listWaivers({ documentId: p.documentId })).toEqual([]);
  });

  it("a waiver is tied to the document: it survives an edit; an opinion whose item no longer applies disappears", async () => {
    const p = projects[0];
    expect(p.items).toEqual(expect.arrayContaining(["测算依据不规范", "项目金额未填写"]));
    await waive(p.documentId, { code: "CALC_BASIS", reason: "测算表已另附，金额核对无误" });
    await waive(p.documentId, { code: "AMOUNT_MISSING", reason: "年中追加预算，金额待定" });
    // An edit elsewhere (政策依据): version 2, the waivers still apply.
    const e1 = await json(t.app.request(`/api/documents/${p.documentId}`, jsonReq("PATCH", { field: "policy_basis", value: "《深圳市宝安区政府购买服务管理办法》（深宝府〔2020〕5号）", baseVersion: 1 })));
    expect(e1.status).toBe(200);
    const v2 = (await json(t.app.request(`/api/documents/${p.documentId}/review`))).body;
    expect(v2.version).toBe(2);
    expect(v2.items).not.toContain("政策依据不规范");
    expect(v2.opinions.find((o: Json) => o.code === "CALC_BASIS").waived?.reason).toBe("测算表已另附，金额核对无误");
    expect(v2.opinions.find((o: Json) => o.code === "AMOUNT_MISSING").waived?.reason).toBe("年中追加预算，金额待定");
    const sheet = (await readSheet(await xlsx())).get(p.code)!;
    expect(sheet["小结"]).not.toMatch(/测算依据不规范|项目金额未填写/);
    // The amount filled in: the item no longer applies, its opinion is gone (waiver or not).
    const e2 = await json(t.app.request(`/api/documents/${p.documentId}`, jsonReq("PATCH", { field: "funds_year", value: 15, baseVersion: 2 })));
    expect(e2.status).toBe(200);
    const v3 = (await json(t.app.request(`/api/documents/${p.documentId}/review`))).body;
    expect(v3.version).toBe(3);
    expect(v3.opinions.map((o: Json) => o.code)).not.toContain("AMOUNT_MISSING");
    expect(v3.opinions.find((o: Json) => o.code === "CALC_BASIS").waived).not.toBeNull();
    expect(v3.counts.waived).toBe(1);
    expectError(await waive(p.documentId, { code: "AMOUNT_MISSING", reason: "年中追加预算，金额待定" }), 404, "OPINION_NOT_FOUND");
  });

  it("exports the 审核意见表 under the workspace's name, optionally for one item", async () => {
    const all = await xlsx();
    expect(all.headers.get("content-disposition")).toContain(encodeURIComponent("松岗街道 2023 申报审核意见表.xlsx"));
    const rows = await readSheet(all);
    expect([...rows.keys()]).toEqual((await review()).body.projects.map((p: Json) => p.code));
    const count = (await review()).body.items.find((c: Json) => c.code === "TIME_LIMIT_INVALID").projects;
    const some = await readSheet(await xlsx("?item=TIME_LIMIT_INVALID"));
    expect(some.size).toBe(count);
    for (const r of some.values()) expect(r["小结"]).toContain("时间限制不合理可行");
    expectError(await json(xlsx(`?item=${encodeURIComponent("无此审核项")}`)), 400, "UNKNOWN_ITEM");
  });

  it("the OpenAPI document covers the review routes and their schemas", async () => {
    const r = await json(t.app.request("/api/openapi.json"));
    for (const p of ["/api/workspaces/{id}/review", "/api/workspaces/{id}/review.xlsx", "/api/documents/{id}/review", "/api/documents/{id}/review/waive"]) {
      expect(Object.keys(r.body.paths)).toContain(p);
    }
    expect(Object.keys(r.body.paths["/api/documents/{id}/review/waive"])).toEqual(["post", "delete"]);
    for (const s of ["WorkspaceReview", "ProjectReview", "ReviewOpinion", "ReviewEvidence"]) expect(r.body.components.schemas).toHaveProperty(s);
    const body = r.body.paths["/api/documents/{id}/review/waive"].post.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(["code", "reason"]);
  });
});

describe("a 部门整体 目标表 is reviewed as a 申报表, its evidence on its own cells", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await t.app.request("/api/workspaces", jsonReq("POST", { name: "浮梁县林业局" }));
    const up = await json(t.app.request("/api/workspaces/1/files", uploadReq([{ name: "浮梁县林业局部门整体绩效目标.txt", data: new Uint8Array(readFileSync(DEPT_TEXT)) }])));
    expect(up.body.files[0].documents.map((d: Json) => d.kind)).toEqual(["部门整体"]);
  });
  afterAll(() => t.close());

  it("maps 年度目标 to goals.expected; a cut 部门整体 form gets no project-only or whole-form items", async () => {
    const r = (await json(t.app.request("/api/workspaces/1/review"))).body;
    expect(r.projects).toHaveLength(1);
    const p = r.projects[0];
    expect(p.kind).toBe("部门整体");
    expect(p.complete).toBe(false);
    const cells = Object.fromEntries(p.opinions.map((o: Json) => [o.code, o.evidence.map((e: Json) => e.cell)]));
    expect(cells.ANNUAL_GOAL_VAGUE).toEqual(["goals.expected"]);
    // 政策依据 is not a 部门整体 field; the excerpt stops inside the table, so missing dimensions are not judged.
    expect(cells.POLICY_BASIS).toBeUndefined();
    expect(cells.COST_MISSING).toBeUndefined();
  });

  it("cellOf: a 申报表 path → the 部门整体 form's own path", () => {
    const dept = { kind: "部门整体", funds: { total: { initial: null, adjusted: 120 } } } as Json;
    expect(cellOf(dept, "targets[3].value")).toBe("indicators[3].target");
    expect(cellOf(dept, "targets[3].level3")).toBe("indicators[3].level3");
    expect(cellOf(dept, "targets[3]")).toBe("indicators[3]");
    expect(cellOf(dept, "targets")).toBe("indicators");
    expect(cellOf(dept, "funds_year")).toBe("funds.total.adjusted");
    expect(cellOf(dept, "calc_basis")).toBeNull();
    expect(cellOf({ kind: "目标申报表" } as Json, "calc_basis")).toBe("calc_basis");
  });
});

describe("store: review waivers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("go with their document when its workspace is deleted; the audit log keeps the reasons", async () => {
    await t.app.request("/api/workspaces", jsonReq("POST", { name: "临时" }));
    await t.app.request("/api/workspaces/1/files", uploadReq([{ name: "songgang-2.xlsx", data: new Uint8Array(readFileSync(SONGGANG)) }]));
    await t.store.waiveOpinion({ documentId: 3, code: "CALC_BASIS", reason: "测算表已另附", field: "calc_basis", user: "李审核", detail: {} });
    expect(await t.store.listWaivers({ workspaceId: 1 })).toHaveLength(1);
    await t.store.deleteWorkspace(1, "李审核");
    expect(await t.store.listWaivers({ workspaceId: 1 })).toEqual([]);
    expect((await t.store.listAudit({ documentId: 3 })).map((e) => [e.action, e.reason])).toEqual([["waive_opinion", "测算表已另附"]]);
  });
});
