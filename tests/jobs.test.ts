// Jobs in process over SQLite (the single-machine app): each handler over real seed files, progress
// events, a retry after a transient model failure, a cancellation mid-run, a time limit, a job left
// running by a dead process, and a job run twice committing one result and one draft. The store's
// side of "once" (the result and its side writes in one transaction) also runs on PostgreSQL.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { extractBuffer } from "../src/pipeline.ts";
import { checkExtracted } from "../src/check.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { createLlm, forgetEndpointCapabilities, LlmConfig, LlmError } from "../src/llm/index.ts";
import { Store, type Dialect, type Job } from "../src/store/index.ts";
import {
  DEFAULT_LIMITS, JobError, LocalJobs, backoffMs, deliveryId, expirySeconds, isTransient, jobLimitsFromEnv, runAttempt,
  type JobEvent, type JobLimits, type Outcome,
} from "../src/jobs/index.ts";
import { startFakeOpenAI, type FakeOpenAI } from "./helpers/fakeOpenAI.ts";
import { pgSkipReason, startTestPg, type TestPg } from "./helpers/pg.ts";
import { SEEDS_DIR } from "./fixtures.ts";
import { selfEval, targetForm } from "./helpers/docs.ts";
import { documentView } from "../server/views.ts";

const SEEDS = ["001-jingzhou-2023.docx", "002-xinhong-2020-target.docx", "003-xiqu-2020.docx", "002-xinhong-2020-target.xlsx"];
const extracted = new Map<string, Awaited<ReturnType<typeof extractBuffer>> & { bytes: Uint8Array }>();

beforeAll(async () => {
  for (const name of SEEDS) {
    const bytes = new Uint8Array(readFileSync(join(SEEDS_DIR, name)));
    extracted.set(name, { ...(await extractBuffer(bytes, name)), bytes });
  }
});

/** A workspace holding the seed files, stored as an upload stores them. */
async function seededWorkspace(store: Store, names = SEEDS) {
  const ws = await store.createWorkspace("样例单位", "张三");
  for (const name of names) {
    const r = extracted.get(name)!;
    await store.addFile({ workspaceId: ws.id, name, bytes: r.bytes, sha256: createHash("sha256").update(r.bytes).digest("hex"), format: r.format, error: r.error, documents: r.documents, user: "张三" });
  }
  return ws;
}

const fast = (over: Partial<JobLimits[keyof JobLimits]> = {}): JobLimits => {
  const l = {} as JobLimits;
  for (const k of Object.keys(DEFAULT_LIMITS) as (keyof JobLimits)[]) l[k] = { ...DEFAULT_LIMITS[k], retryDelayMs: 20, ...over };
  return l;
};

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const json = (o: unknown) => ({ content: JSON.stringify(o) });
const SECTIONS = ["一、项目基本情况", "二、绩效目标及完成情况", "三、资金使用情况", "四、绩效评价结论", "五、存在的问题", "六、改进措施"].map((heading) => ({ heading, text: "按计划推进，成效明显。" }));

describe("job rules", () => {
  it("transient: 429, timeouts, 5xx and lost connections; not a wrong key, a wrong URL, a refusal or a missing document", () => {
    const rows: [unknown, boolean][] = [
      [new LlmError("LLM_RATE_LIMITED", "", { status: 429 }), true],
      [new LlmError("LLM_TIMEOUT", ""), true],
      [new LlmError("LLM_UNAVAILABLE", "", { status: 503 }), true],
      [new LlmError("LLM_UNAVAILABLE", ""), true], // no connection at all
      [new LlmError("LLM_UNAVAILABLE", "", { status: 404 }), false], // a wrong OPENAI_BASE_URL stays wrong
      [new LlmError("LLM_AUTH", "", { status: 401 }), false],
      [new LlmError("LLM_REFUSED", "", { status: 400 }), false],
      [new LlmError("LLM_BAD_OUTPUT", ""), false],
      [new JobError("NOT_FOUND", ""), false],
      [Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }), true],
      [Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), true],
      [new TypeError("x is undefined"), false],
    ];
    for (const [e, want] of rows) expect([e, isTransient(e)]).toEqual([e, want]);
  });

  it("backoff doubles from the base, with up to as much again of jitter; the pg-boss expiry is past the time limit", () => {
    expect([1, 2, 3].map((a) => backoffMs(a, 1000, () => 0))).toEqual([1000, 2000, 4000]);
    expect([1, 2, 3].map((a) => backoffMs(a, 1000, () => 0.999))).toEqual([1999, 3998, 7996]);
    expect(expirySeconds({ timeLimitMs: 600_000, maxAttempts: 3, retryDelayMs: 1 })).toBe(660);
    expect(expirySeconds({ timeLimitMs: 6_000, maxAttempts: 3, retryDelayMs: 1 })).toBe(11);
    expect(deliveryId(42)).toBe("00000000-0000-4000-8000-00000000002a");
  });

  it("limits from the environment; bad values refused in Chinese", () => {
    const l = jobLimitsFromEnv({ JIXIAO_JOB_TIMEOUT_S: "5", JIXIAO_JOB_ATTEMPTS: "4", JIXIAO_JOB_RETRY_DELAY_S: "0.5" });
    expect(l.draft).toEqual({ timeLimitMs: 5000, maxAttempts: 4, retryDelayMs: 500 });
    expect(jobLimitsFromEnv({})).toEqual(DEFAULT_LIMITS);
    expect(() => jobLimitsFromEnv({ JIXIAO_JOB_ATTEMPTS: "1.5" })).toThrow(/JIXIAO_JOB_ATTEMPTS 应为正整数/);
  });
});

describe("jixiao worker", () => {
  it("without PostgreSQL it refuses to start and says why, in Chinese (exit 2)", async () => {
    const { main } = await import("../src/cli.ts");
    const saved = process.env.JIXIAO_DATABASE_URL;
    delete process.env.JIXIAO_DATABASE_URL;
    const err: string[] = [];
    try {
      expect(await main(["worker"], { out: () => undefined, err: (s) => err.push(s) })).toBe(2);
    } finally {
      if (saved !== undefined) process.env.JIXIAO_DATABASE_URL = saved;
    }
    expect(err.join("\n")).toMatch(/jixiao worker 需要 PostgreSQL：请设置 JIXIAO_DATABASE_URL.*由 jixiao serve 在进程内执行/);
    const usage: string[] = [];
    expect(await main(["worker", "--concurrency", "0"], { out: () => undefined, err: (s) => usage.push(s) })).toBe(2);
    expect(usage[0]).toContain("--concurrency 需要一个正整数");
  });
});

describe("jobs in process (SQLite)", () => {
  let dir: string;
  let store: Store;
  let fake: FakeOpenAI;
  const queues: LocalJobs[] = [];
  const outcomes: { job: Job; outcome: Outcome }[] = [];
  const llm = () => createLlm(new LlmConfig({ baseURL: fake.url, apiKey: "sk-test", model: "test-model", timeoutMs: 30_000, maxRetries: 0 }));

  async function start(opts: Parameters<typeof LocalJobs.start>[1] = {}) {
    const q = await LocalJobs.start(store, { limits: fast(), pollMs: 50, attempt: { progressIntervalMs: 0, heartbeatMs: 50 }, onOutcome: (job, outcome) => outcomes.push({ job, outcome }), ...opts });
    queues.push(q);
    return q;
  }

  async function finished(q: LocalJobs, id: number): Promise<{ job: Job; events: JobEvent[] }> {
    const events: JobEvent[] = [];
    for await (const e of q.watch(id, { intervalMs: 20 })) events.push(e);
    return { job: events.at(-1)!.job, events };
  }

  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    forgetEndpointCapabilities();
    fake.setFallback(null);
    dir = mkdtempSync(join(tmpdir(), "jixiao-jobs-"));
    store = await Store.open(dir);
    outcomes.length = 0;
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("batch check: every document's counts as the document view computes them; progress to done = total, then the result", async () => {
    const ws = await seededWorkspace(store);
    const q = await start();
    const job = await q.enqueue("check", { workspaceId: ws.id }, { user: "张三" });
    expect(job).toMatchObject({ kind: "check", state: "queued", progress: { done: 0, total: SEEDS.length }, createdBy: "张三" });
    const { job: done, events } = await finished(q, job.id);
    expect(done).toMatchObject({ state: "succeeded", attempts: 1, progress: { done: 4, total: 4, current: null }, resultKey: `job:${job.id}` });
    expect(events.at(-1)!.type).toBe("end");
    expect(events.slice(0, -1).every((e) => e.type === "progress")).toBe(true);

    const result = done.result as { files: { name: string; documents: { documentId: number; counts: object }[] }[]; totals: Record<string, number> };
    const files = await store.listFiles(ws.id);
    expect(result.files.map((f) => f.name)).toEqual(SEEDS);
    // The expected counts: each file checked with the workspace's 申报表s of the other files, as views.ts does.
    const all = await store.listDocuments(ws.id);
    for (const f of files) {
      const docs = all.filter((d) => d.fileId === f.id);
      const related = all.filter((d) => d.fileId !== f.id).map((d) => d.data);
      const want = checkExtracted({ file: f.name, format: f.format, documents: docs.map((d) => d.data), error: null }, defaultProfile(), related).documents.map((d, i) => {
        const c = { error: 0, warning: 0, info: 0 };
        for (const x of d.findings) c[x.severity]++;
        return { documentId: docs[i]!.id, counts: c };
      });
      expect(result.files.find((x) => x.name === f.name)!.documents.map((d) => ({ documentId: d.documentId, counts: d.counts }))).toEqual(want);
    }
    expect(result.totals.documents).toBe(all.length);
    expect(result.totals.files).toBe(4);
  });

  it("a 自评表 is checked against its 申报表 in another file (TARGET_DRIFT) by the batch and by the document view alike", async () => {
    const ws = await store.createWorkspace("漂移", null);
    const form = targetForm({
      name: "禁毒宣传专项经费",
      targets: [
        { level1: "产出目标", level2: "数量目标", level3: "禁毒宣传活动场次", value: "≥5场", description: null },
        { level1: "产出目标", level2: "质量目标", level3: "宣传覆盖率", value: "≥98%", description: null },
      ],
    });
    const put = (name: string, doc: ReturnType<typeof selfEval> | ReturnType<typeof targetForm>) =>
      store.addFile({ workspaceId: ws.id, name, bytes: new Uint8Array([1]), sha256: "x", format: "docx", error: null, documents: [doc], user: null });
    const self = await put("自评.docx", selfEval());
    await put("申报.docx", form);
    const view = await documentView({ store, profile: defaultProfile() }, self.documents[0]!);
    expect(view.findings.map((f) => f.code)).toContain("TARGET_DRIFT");
    const q = await start();
    const { job } = await finished(q, (await q.enqueue("check", { workspaceId: ws.id })).id);
    const counted = (job.result as { files: { documents: { documentId: number; counts: { error: number } }[] }[] }).files[0]!.documents[0]!;
    expect(counted).toMatchObject({ documentId: self.documents[0]!.id, counts: { error: view.document.counts.error } });
    expect(counted.counts.error).toBeGreaterThan(0);
  });

  it("batch check of some files only; a payload for a workspace that does not exist is refused before it is queued", async () => {
    const ws = await seededWorkspace(store);
    const q = await start();
    const [first] = await store.listFiles(ws.id);
    const job = await q.enqueue("check", { workspaceId: ws.id, fileIds: [first!.id] });
    const { job: done } = await finished(q, job.id);
    expect((done.result as { files: unknown[] }).files).toHaveLength(1);
    await expect(q.enqueue("check", { workspaceId: 999 })).rejects.toMatchObject({ code: "NOT_FOUND", message: "工作区 999 不存在" });
    await expect(q.enqueue("check", { workspaceId: -1 } as never)).rejects.toMatchObject({ code: "BAD_PAYLOAD" });
    expect(await store.listJobs()).toHaveLength(1);
  });

  it("batch review: each 申报表 with its open opinions; a waived opinion counts as waived", async () => {
    const ws = await seededWorkspace(store);
    const forms = await store.listDocuments(ws.id, { kind: "目标申报表" });
    expect(forms).toHaveLength(2);
    const q = await start();
    const first = await finished(q, (await q.enqueue("review", { workspaceId: ws.id })).id);
    const r1 = first.job.result as { total: number; projects: { documentId: number; items: string[]; counts: { waived: number } }[]; items: { code: string; projects: number; open: number }[] };
    expect(r1.total).toBe(2);
    const some = r1.projects.find((p) => p.items.length > 0)!;
    const code = some.items[0]!;
    await store.waiveOpinion({ documentId: some.documentId, code, reason: "已按规定补充说明材料", field: null, user: "李四", detail: {} });
    const second = await finished(q, (await q.enqueue("review", { workspaceId: ws.id })).id);
    const r2 = second.job.result as typeof r1;
    const after = r2.projects.find((p) => p.documentId === some.documentId)!;
    expect(after.items).not.toContain(code);
    expect(after.counts.waived).toBe(1);
    expect(r2.items.find((i) => i.code === code)!.open).toBe(r1.items.find((i) => i.code === code)!.open - 1);
  });

  it("draft with the template (no model): the draft is stored with the result, once, even when the job is run again", async () => {
    const ws = await seededWorkspace(store, ["003-xiqu-2020.docx"]);
    const [doc] = await store.listDocuments(ws.id);
    const q = await start();
    const job = await q.enqueue("draft", { documentId: doc!.id, request: "帮我起草今年的自评报告" }, { user: "张三" });
    const { job: done } = await finished(q, job.id);
    const result = done.result as { draftId: number; drafter: string };
    expect(result.drafter).toBe("template");
    const drafts = await store.listDrafts(doc!.id);
    expect(drafts.map((d) => d.id)).toEqual([result.draftId]);
    expect(drafts[0]).toMatchObject({ request: "帮我起草今年的自评报告", createdBy: "张三", documentVersion: 1 });

    // A second delivery after the commit (a worker killed before it could tell the queue): the store
    // refuses to start it.
    expect(await store.startJob(job.id)).toBeNull();
    expect((await store.listDrafts(doc!.id)).length).toBe(1);
  });

  it("two deliveries of one draft job running at once (an expiry racing a slow worker): one result, one draft", async () => {
    const ws = await seededWorkspace(store, ["003-xiqu-2020.docx"]);
    const [doc] = await store.listDocuments(ws.id);
    const job = await store.createJob({ kind: "draft", payload: { documentId: doc!.id }, workspaceId: ws.id, user: null });
    const first = (await store.startJob(job.id))!;
    const second = (await store.startJob(job.id))!;
    const outs = await Promise.all([first, second].map((j) => runAttempt(j, { store, llm: null, limits: fast(), progressIntervalMs: 0 })));
    // The loser either finds the result committed, or sees at a progress report that the job is no longer running.
    expect(outs.filter((o) => o.state === "succeeded" && o.committed)).toHaveLength(1);
    expect(outs.filter((o) => !(o.state === "succeeded" && o.committed))).toEqual([expect.objectContaining({ state: expect.stringMatching(/^(succeeded|cancelled)$/) })]);
    const drafts = await store.listDrafts(doc!.id);
    expect(drafts).toHaveLength(1);
    expect(await store.getJob(job.id)).toMatchObject({ state: "succeeded", attempts: 2, result: expect.objectContaining({ draftId: drafts[0]!.id }) });
  });

  it("a draft of a 申报表 is refused at enqueue", async () => {
    const ws = await seededWorkspace(store, ["002-xinhong-2020-target.docx"]);
    const [form] = await store.listDocuments(ws.id);
    const q = await start();
    await expect(q.enqueue("draft", { documentId: form!.id })).rejects.toMatchObject({ code: "NOT_SELF_EVAL" });
  });

  it("export of a whole workspace: .docx with the drafts, .xlsx, .json, kept as the job's output", async () => {
    const ws = await seededWorkspace(store, ["001-jingzhou-2023.docx", "002-xinhong-2020-target.docx"]);
    const q = await start();
    const ids = [];
    for (const format of ["docx", "xlsx", "json"] as const) ids.push((await q.enqueue("export", { workspaceId: ws.id, format })).id);
    for (const id of ids) expect((await finished(q, id)).job.state).toBe("succeeded");
    const [docx, xlsx, jsonOut] = await Promise.all(ids.map((id) => q.output(id)));
    expect(docx).toMatchObject({ name: "样例单位.docx", mediaType: expect.stringContaining("wordprocessingml") });
    expect(Buffer.from(docx!.content.subarray(0, 2)).toString()).toBe("PK");
    expect(xlsx!.size).toBe(xlsx!.content.byteLength);
    const docs = JSON.parse(Buffer.from(jsonOut!.content).toString("utf8"));
    expect(JSON.stringify(docs)).toContain("靖州县禁毒办");
    const back = await extractBuffer(docx!.content, "back.docx");
    expect(back.documents).toHaveLength((await store.listDocuments(ws.id)).length);
  });

  it("a transient model failure (429) is retried after a backoff; the job succeeds on its second attempt with one draft", async () => {
    const ws = await seededWorkspace(store, ["003-xiqu-2020.docx"]);
    const [doc] = await store.listDocuments(ws.id);
    fake.script({ status: 429, headers: { "retry-after": "0" }, body: { error: { message: "rate limited" } } }, json({ sections: SECTIONS }));
    const q = await start({ llm: llm() });
    const job = await q.enqueue("draft", { documentId: doc!.id });
    const { job: done, events } = await finished(q, job.id);
    expect(done).toMatchObject({ state: "succeeded", attempts: 2, error: null });
    expect((done.result as { drafter: string }).drafter).toBe("llm");
    expect(outcomes.map((o) => o.outcome.state)).toEqual(["retry", "succeeded"]);
    // Between the attempts the job was queued again with the model's message.
    expect(events.some((e) => e.job.state === "queued" && /HTTP 429/.test(e.job.error ?? ""))).toBe(true);
    expect((await store.listDrafts(doc!.id)).length).toBe(1);
  });

  it("transient failures stop after the last attempt; a wrong key fails at once", async () => {
    const ws = await seededWorkspace(store, ["003-xiqu-2020.docx"]);
    const [doc] = await store.listDocuments(ws.id);
    const q = await start({ llm: llm(), limits: fast({ maxAttempts: 2 }) });
    fake.setFallback({ status: 503, body: { error: { message: "upstream down" } } });
    const busy = await finished(q, (await q.enqueue("draft", { documentId: doc!.id })).id);
    expect(busy.job).toMatchObject({ state: "failed", attempts: 2 });
    expect(busy.job.error).toMatch(/HTTP 503.*已尝试 2 次/);
    fake.setFallback({ status: 401, body: { error: { message: "bad key" } } });
    const auth = await finished(q, (await q.enqueue("draft", { documentId: doc!.id })).id);
    expect(auth.job).toMatchObject({ state: "failed", attempts: 1 });
    expect(auth.job.error).toMatch(/拒绝了访问凭据/);
    expect(await store.listDrafts(doc!.id)).toEqual([]);
  });

  it("a job cancelled mid-run stops at its next progress report and commits nothing", async () => {
    // 40 files: the check reports after each one, so it is still running when the cancel lands.
    const ws = await seededWorkspace(store, Array.from({ length: 40 }, (_, i) => SEEDS[i % SEEDS.length]!));
    const q = await start();
    const job = await q.enqueue("check", { workspaceId: ws.id });
    await until("the check to be under way", async () => ((await store.getJob(job.id))!.progress.done >= 2 ? true : null));
    const cancelled = await q.cancel(job.id, "张三");
    expect(cancelled!.state).toBe("cancelled");
    const { job: end } = await finished(q, job.id);
    await until("the attempt to end", async () => outcomes.length === 1);
    expect(outcomes[0]!.outcome).toEqual({ state: "cancelled" });
    const after = (await store.getJob(job.id))!;
    expect(after).toMatchObject({ state: "cancelled", result: null, resultKey: null });
    expect(after.progress.done).toBeLessThan(40);
    expect(end.state).toBe("cancelled");
    expect((await store.listAudit({ workspaceId: ws.id })).map((a) => a.action)).toContain("cancel_job");
  });

  it("a model draft cancelled while the model is still writing: the request is aborted (heartbeat), no draft", async () => {
    const ws = await seededWorkspace(store, ["003-xiqu-2020.docx"]);
    const [doc] = await store.listDocuments(ws.id);
    fake.setFallback({ ...json({ sections: SECTIONS }), delayMs: 5_000 });
    const q = await start({ llm: llm() });
    const job = await q.enqueue("draft", { documentId: doc!.id });
    await until("the model to be asked", async () => fake.requests.length > 0);
    const t0 = Date.now();
    await q.cancel(job.id);
    await until("the attempt to end", async () => outcomes.length === 1);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(outcomes[0]!.outcome).toEqual({ state: "cancelled" });
    expect(await store.listDrafts(doc!.id)).toEqual([]);
  });

  it("a job over its time limit is stopped and failed, not retried", async () => {
    const ws = await seededWorkspace(store, ["003-xiqu-2020.docx"]);
    const [doc] = await store.listDocuments(ws.id);
    fake.setFallback({ ...json({ sections: SECTIONS }), delayMs: 5_000 });
    const q = await start({ llm: llm(), limits: fast({ timeLimitMs: 400 }) });
    const t0 = Date.now();
    const { job: done } = await finished(q, (await q.enqueue("draft", { documentId: doc!.id })).id);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(done).toMatchObject({ state: "failed", attempts: 1, error: "任务超过时间上限（0.4 秒），已停止" });
    expect(await store.listDrafts(doc!.id)).toEqual([]);
  });

  it("a job left running by a dead process goes back to the queue at the next start; one that keeps dying is failed", async () => {
    const ws = await seededWorkspace(store, ["002-xinhong-2020-target.docx"]);
    const a = await store.createJob({ kind: "check", payload: { workspaceId: ws.id }, workspaceId: ws.id, user: null });
    const b = await store.createJob({ kind: "check", payload: { workspaceId: ws.id }, workspaceId: ws.id, user: null });
    await store.startJob(a.id); // the process died here, once
    for (let i = 0; i < 3; i++) await store.startJob(b.id); // …and here, three times
    const logs: string[] = [];
    const q = await start({ log: (l) => logs.push(l) });
    expect(logs).toContain("任务：2 个任务在上次退出时未完成，已放回队列");
    const ra = await finished(q, a.id);
    const rb = await finished(q, b.id);
    expect(ra.job).toMatchObject({ state: "succeeded", attempts: 2 });
    expect(rb.job).toMatchObject({ state: "failed", attempts: 4 });
    expect(rb.job.error).toMatch(/已开始 3 次，每次都在完成前中断/);
  });

  it("close() lets a running job finish; past the grace period it stops and goes back to the queue", async () => {
    const ws = await seededWorkspace(store, ["003-xiqu-2020.docx"]);
    const [doc] = await store.listDocuments(ws.id);
    fake.setFallback({ ...json({ sections: SECTIONS }), delayMs: 5_000 });
    const q = await start({ llm: llm(), stopGraceMs: 200 });
    const job = await q.enqueue("draft", { documentId: doc!.id });
    await until("the model to be asked", async () => fake.requests.length > 0);
    await q.close();
    expect(outcomes.map((o) => o.outcome.state)).toEqual(["retry"]);
    expect(await store.getJob(job.id)).toMatchObject({ state: "queued", attempts: 1, error: expect.stringContaining("放回队列") });
  });
});

describe("jixiao serve runs jobs in process over SQLite", () => {
  it("a job queued into the server's database is taken by its runner; close() stops the runner", async () => {
    const { serve } = await import("../server/main.ts");
    const dir = mkdtempSync(join(tmpdir(), "jixiao-serve-jobs-"));
    const lines: string[] = [];
    const server = await serve({ port: 0, dataDir: dir, handleSignals: false, log: (l) => lines.push(l), env: {} });
    const store = await Store.open(dir);
    try {
      expect(lines).toContain("任务：在本进程内执行（SQLite）");
      const ws = await seededWorkspace(store, ["002-xinhong-2020-target.docx"]);
      // Queued by another process (this test's store): the runner finds it at its next poll.
      const job = await store.createJob({ kind: "review", payload: { workspaceId: ws.id }, workspaceId: ws.id, user: null });
      const done = await until("the server's runner to finish the job", async () => {
        const j = await store.getJob(job.id);
        return j && j.state !== "queued" && j.state !== "running" ? j : null;
      });
      expect(done).toMatchObject({ state: "succeeded", result: { total: 1 } });
    } finally {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const ENGINES: { engine: Dialect; skip: string | null }[] = [
  { engine: "sqlite", skip: null },
  { engine: "postgres", skip: pgSkipReason() },
];

describe.each(ENGINES)("a job's side writes commit with its result, once ($engine)", ({ engine, skip }) => {
  describe.skipIf(skip !== null)(skip ? `skipped: ${skip}` : "", () => {
    let pg: TestPg | null = null;
    let dir: string;
    const stores: Store[] = [];
    beforeAll(async () => {
      if (engine === "postgres") pg = await startTestPg();
    });
    afterAll(async () => {
      await pg?.stop();
    });
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "jixiao-jobfx-"));
    });
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("four concurrent completions of one draft job from two stores: one result, one draft, one output", async () => {
      const opts = pg ? { databaseUrl: await pg.freshUrl() } : {};
      const a = await Store.open(dir, opts);
      stores.push(a);
      const b = await Store.open(dir, opts);
      stores.push(b);
      const ws = await seededWorkspace(a, ["003-xiqu-2020.docx"]);
      const [doc] = await a.listDocuments(ws.id);
      const job = await a.createJob({ kind: "draft", payload: { documentId: doc!.id }, workspaceId: ws.id, user: null });
      await a.startJob(job.id);
      const draft = { sections: SECTIONS, drafter: "template" as const, promptVersion: null, findings: [], usage: null };
      const outs = await Promise.all([1, 2, 3, 4].map((n) =>
        (n % 2 ? a : b).completeJob(job.id, { by: n }, {
          draft: { documentId: doc!.id, documentVersion: 1, parentId: null, request: null, draft, user: null },
          output: { name: `${n}.json`, mediaType: "application/json", content: new Uint8Array([n]) },
        }),
      ));
      expect(outs.filter((o) => o.committed)).toHaveLength(1);
      const drafts = await a.listDrafts(doc!.id);
      expect(drafts).toHaveLength(1);
      const stored = (await a.getJob(job.id))!;
      const by = (stored.result as { by: number }).by;
      expect(stored.result).toEqual({ by, draftId: drafts[0]!.id });
      expect(await a.getJobOutput(job.id)).toMatchObject({ name: `${by}.json`, size: 1 });
    });

    it("a failed side write (the document was deleted) rolls back the result too", async () => {
      const opts = pg ? { databaseUrl: await pg.freshUrl() } : {};
      const a = await Store.open(dir, opts);
      stores.push(a);
      const ws = await seededWorkspace(a, ["003-xiqu-2020.docx"]);
      const job = await a.createJob({ kind: "draft", payload: {}, workspaceId: ws.id, user: null });
      await a.startJob(job.id);
      const draft = { sections: SECTIONS, drafter: "template" as const, promptVersion: null, findings: [], usage: null };
      await expect(a.completeJob(job.id, {}, { draft: { documentId: 99_999, documentVersion: 1, parentId: null, request: null, draft, user: null } })).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await a.getJob(job.id)).toMatchObject({ state: "running", result: null, resultKey: null });
    });

    it("a retried job waits out its backoff before the poll takes it again", async () => {
      const opts = pg ? { databaseUrl: await pg.freshUrl() } : {};
      const a = await Store.open(dir, opts);
      stores.push(a);
      const ws = await a.createWorkspace("w", null);
      const job = await a.createJob({ kind: "check", payload: { workspaceId: ws.id }, workspaceId: ws.id, user: null });
      await a.claimNextJob();
      await a.failJob(job.id, "HTTP 429", { retry: true, runAfter: new Date(Date.now() + 60_000) });
      expect((await a.getJob(job.id))!.runAfter).not.toBeNull();
      expect(await a.claimNextJob()).toBeNull();
      await a.failJob(job.id, "HTTP 429", { retry: true, runAfter: new Date(Date.now() - 1) });
      expect(await a.claimNextJob()).toMatchObject({ id: job.id, attempts: 2, runAfter: null });
    });
  });
});
