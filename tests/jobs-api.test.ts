// The job API over the in-process engine (with JIXIAO_TEST_ENGINE=postgres the test apps' store is
// PostgreSQL, the runner still in process): queue, follow as server-sent events, read, list, cancel,
// download an export; refusals with their codes; 503 when the app runs no jobs.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractBuffer } from "../src/pipeline.ts";
import { LocalJobs } from "../src/jobs/index.ts";
import { jsonReq, parseSse, seedBytes, testApp, type TestApp } from "./helpers/server.ts";

let t: TestApp;
let jobs: LocalJobs;

beforeEach(async () => {
  t = await testApp();
  jobs = await LocalJobs.start(t.store, { pollMs: 50, attempt: { progressIntervalMs: 0 } });
  // The app under test with this runner (testApp builds one without jobs).
  const { createApp } = await import("../server/app.ts");
  t.app = createApp({ store: t.store, llm: null, dataDir: t.dataDir, log: (l) => t.logs.push(l), jobs });
});
afterEach(async () => {
  await jobs.close();
  await t.close();
});

async function seeded(names = ["001-jingzhou-2023.docx", "002-xinhong-2020-target.docx"]) {
  const ws = await t.store.createWorkspace("样例", null);
  for (const name of names) {
    const bytes = seedBytes(name);
    const r = await extractBuffer(bytes, name);
    await t.store.addFile({ workspaceId: ws.id, name, bytes, sha256: createHash("sha256").update(bytes).digest("hex"), format: r.format, error: r.error, documents: r.documents, user: null });
  }
  return ws;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions
const call = async (path: string, init?: RequestInit): Promise<{ status: number; body: any; res: Response }> => {
  const res = await t.app.request(path, init);
  return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text(), res };
};

describe("job API", () => {
  it("POST a batch check → 202 queued; its events run to `end` with the result; GET and the list show it", async () => {
    const ws = await seeded();
    const r = await call(`/api/workspaces/${ws.id}/jobs`, jsonReq("POST", { kind: "check" }, { "X-User": encodeURIComponent("张三") }));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ kind: "check", kindName: "批量核验", state: "queued", progress: { done: 0, total: 2 }, createdBy: "张三" });
    const ev = await t.app.request(`/api/jobs/${r.body.id}/events`);
    expect(ev.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await ev.text());
    expect(events.at(-1)).toMatchObject({ event: "end", data: { type: "end", job: { state: "succeeded", progress: { done: 2, total: 2 } } } });
    expect(events.slice(0, -1).every((e) => e.event === "progress")).toBe(true);
    const got = await call(`/api/jobs/${r.body.id}`);
    expect(got.body.result.totals.documents).toBe(5);
    const list = await call(`/api/workspaces/${ws.id}/jobs?state=succeeded`);
    expect(list.body.jobs.map((j: { id: number }) => j.id)).toEqual([r.body.id]);
    expect((await call(`/api/workspaces/${ws.id}/jobs?state=done`)).status).toBe(400);
  });

  it("an export job's file downloads from /output with its name; a check job has none", async () => {
    const ws = await seeded();
    const r = await call(`/api/workspaces/${ws.id}/jobs`, jsonReq("POST", { kind: "export", format: "xlsx" }));
    await (await t.app.request(`/api/jobs/${r.body.id}/events`)).text();
    const out = await t.app.request(`/api/jobs/${r.body.id}/output`);
    expect(out.status).toBe(200);
    expect(out.headers.get("content-type")).toContain("spreadsheetml");
    expect(decodeURIComponent(out.headers.get("content-disposition") ?? "")).toContain("样例.xlsx");
    expect(Buffer.from(await out.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
    const check = await call(`/api/workspaces/${ws.id}/jobs`, jsonReq("POST", { kind: "check" }));
    await (await t.app.request(`/api/jobs/${check.body.id}/events`)).text();
    expect((await call(`/api/jobs/${check.body.id}/output`)).body).toMatchObject({ code: "NO_OUTPUT" });
  });

  it("a draft job stores one draft, listed with the document's drafts", async () => {
    const ws = await seeded(["001-jingzhou-2023.docx"]);
    const [doc] = await t.store.listDocuments(ws.id);
    const r = await call(`/api/documents/${doc!.id}/jobs`, jsonReq("POST", { kind: "draft", request: "帮我起草今年的自评报告" }));
    expect(r.status).toBe(202);
    await (await t.app.request(`/api/jobs/${r.body.id}/events`)).text();
    const drafts = await call(`/api/documents/${doc!.id}/drafts`);
    expect(drafts.body.drafts).toHaveLength(1);
    expect(drafts.body.drafts[0]).toMatchObject({ request: "帮我起草今年的自评报告", drafter: "template" });
    expect((await call(`/api/jobs/${r.body.id}`)).body.result.draftId).toBe(drafts.body.drafts[0].id);
  });

  it("DELETE cancels a queued job; a finished one stays as it was", async () => {
    const ws = await seeded(["002-xinhong-2020-target.docx"]);
    await jobs.close(); // no runner: the next job stays queued
    const queued = await call(`/api/workspaces/${ws.id}/jobs`, jsonReq("POST", { kind: "review" }));
    const del = await call(`/api/jobs/${queued.body.id}`, { method: "DELETE", headers: { "X-User": encodeURIComponent("李四") } });
    expect(del.body).toMatchObject({ state: "cancelled" });
    const events = parseSse(await (await t.app.request(`/api/jobs/${queued.body.id}/events`)).text());
    expect(events).toEqual([{ event: "end", data: expect.objectContaining({ job: expect.objectContaining({ state: "cancelled" }) }) }]);
    const again = await call(`/api/jobs/${queued.body.id}`, { method: "DELETE" });
    expect(again.body).toMatchObject({ state: "cancelled", updatedAt: del.body.updatedAt });
    expect((await t.store.listAudit({ workspaceId: ws.id })).filter((a) => a.action === "cancel_job").map((a) => a.user)).toEqual(["李四"]);
  });

  it("refusals: unknown kind 400, no such workspace or job 404, a draft of a 申报表 422", async () => {
    const ws = await seeded(["002-xinhong-2020-target.docx"]);
    const [form] = await t.store.listDocuments(ws.id);
    expect((await call(`/api/workspaces/${ws.id}/jobs`, jsonReq("POST", { kind: "shred" }))).body).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("任务类型应为") });
    expect((await call(`/api/workspaces/999/jobs`, jsonReq("POST", { kind: "check" }))).status).toBe(404);
    expect((await call(`/api/jobs/999`)).status).toBe(404);
    const draft = await call(`/api/documents/${form!.id}/jobs`, jsonReq("POST", { kind: "draft" }));
    expect([draft.status, draft.body.code]).toEqual([422, "NOT_SELF_EVAL"]);
    const llm = await call(`/api/documents/${form!.id}/jobs`, jsonReq("POST", { kind: "draft", drafter: "llm" }));
    expect(llm.status).toBe(422);
  });

  it("an app built without a job queue answers 503", async () => {
    const bare = await testApp();
    try {
      const ws = await bare.store.createWorkspace("w", null);
      const r = await bare.app.request(`/api/workspaces/${ws.id}/jobs`, jsonReq("POST", { kind: "check" }));
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ code: "JOBS_DISABLED" });
      // the page learns it from /api/health and offers direct downloads instead of jobs
      expect(((await (await bare.app.request("/api/health")).json()) as { jobs: unknown }).jobs).toBeNull();
      expect((await call("/api/health")).body.jobs).toEqual({ engine: "local" });
    } finally {
      await bare.close();
    }
  });

  it("the job routes are in /api/openapi.json with the Job schema", async () => {
    const r = await call("/api/openapi.json");
    for (const p of ["/api/workspaces/{id}/jobs", "/api/documents/{id}/jobs", "/api/jobs/{id}", "/api/jobs/{id}/events", "/api/jobs/{id}/output"]) expect(Object.keys(r.body.paths)).toContain(p);
    expect(r.body.components.schemas).toHaveProperty("Job");
    expect(r.body.components.schemas).toHaveProperty("JobEvent");
  });
});
