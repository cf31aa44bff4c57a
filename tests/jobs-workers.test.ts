// Nothing lost, nothing done twice, with real processes on a real PostgreSQL: two `jixiao worker`
// processes take a batch of 20 jobs over the seed files (model drafts against a local model server
// that answers slowly, batch checks, a review, an export); one worker is killed with SIGKILL while
// it runs a draft. Every job must end succeeded with exactly one committed result, every 自评表 with
// exactly one draft, the export with one output file, and no delivery left in pg-boss. The other
// worker then stops gracefully on SIGTERM.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractBuffer } from "../src/pipeline.ts";
import { Store, type Job } from "../src/store/index.ts";
import { BossJobs, QUEUE, isFinal, jobLimitsFromEnv, queueSchemaFor } from "../src/jobs/index.ts";
import { startFakeOpenAI, type FakeOpenAI } from "./helpers/fakeOpenAI.ts";
import { pgSkipReason, startTestPg, type TestPg } from "./helpers/pg.ts";
import { startWorkerProcess, type WorkerProcess } from "./helpers/workerProcess.ts";
import { SEEDS_DIR } from "./fixtures.ts";

const skip = pgSkipReason();
const SEEDS = ["001-jingzhou-2023.docx", "002-xinhong-2020-target.docx", "003-xiqu-2020.docx", "002-xinhong-2020-target.xlsx", "003-xiqu-2020.doc"];
const SECTIONS = ["一、项目基本情况", "二、绩效目标及完成情况", "三、资金使用情况", "四、绩效评价结论", "五、存在的问题", "六、改进措施"].map((heading) => ({ heading, text: "按计划推进，成效明显。" }));

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms: number, detail: () => string = () => ""): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip !== null)(skip ? `skipped: ${skip}` : "two jixiao worker processes on PostgreSQL, one killed mid-job", () => {
  let pg: TestPg;
  let fake: FakeOpenAI;
  let dir: string;
  let url: string;
  let store: Store;
  let queue: BossJobs;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    pg = await startTestPg();
    fake = await startFakeOpenAI();
    dir = mkdtempSync(join(tmpdir(), "jixiao-workers-"));
    url = await pg.freshUrl();
    store = await Store.open(join(dir, "app"), { databaseUrl: url });
    // The sender sets a delivery's retries and expiry, so it reads the same settings as the workers below.
    queue = await BossJobs.open(store, { url, limits: jobLimitsFromEnv({ JIXIAO_JOB_RETRY_DELAY_S: "1" }) });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) await w.kill();
    await queue?.close();
    await store?.close();
    await fake?.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("20 jobs, a worker SIGKILLed while it runs one: each job succeeds once, one draft per 自评表, nothing left in the queue", async () => {
    // A model that takes 1.5 s per draft: long enough to kill a worker in the middle of one.
    fake.setFallback({ content: JSON.stringify({ sections: SECTIONS }), delayMs: 1500 });
    const ws = await store.createWorkspace("批量任务", "张三");
    for (const name of SEEDS) {
      const bytes = new Uint8Array(readFileSync(join(SEEDS_DIR, name)));
      const r = await extractBuffer(bytes, name);
      await store.addFile({ workspaceId: ws.id, name, bytes, sha256: createHash("sha256").update(bytes).digest("hex"), format: r.format, error: r.error, documents: r.documents, user: "张三" });
    }
    const docs = await store.listDocuments(ws.id);
    const selfEvals = docs.filter((d) => d.kind === "自评表");
    expect(selfEvals).toHaveLength(14);
    const files = await store.listFiles(ws.id);

    const env = (n: number) => ({
      JIXIAO_DATABASE_URL: url,
      JIXIAO_DATA_DIR: join(dir, `w${n}`),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: "sk-test",
      JIXIAO_LLM_RETRIES: "0",
      // A running job silent for 3 s has lost its worker; retries wait 1–2 s; expiries are checked every second.
      JIXIAO_JOB_STALE_S: "3",
      JIXIAO_JOB_RETRY_DELAY_S: "1",
      JIXIAO_QUEUE_MAINTENANCE_S: "1",
    });
    workers.push(await startWorkerProcess(env(1)), await startWorkerProcess(env(2)));
    const [a, b] = workers as [WorkerProcess, WorkerProcess];

    // 14 drafts, 4 batch checks (a file each), a review, an export: 20 jobs.
    const jobs: Job[] = [];
    for (const d of selfEvals) jobs.push(await queue.enqueue("draft", { documentId: d.id }, { user: "张三" }));
    for (const f of files.slice(0, 4)) jobs.push(await queue.enqueue("check", { workspaceId: ws.id, fileIds: [f.id] }));
    jobs.push(await queue.enqueue("review", { workspaceId: ws.id }));
    jobs.push(await queue.enqueue("export", { workspaceId: ws.id, format: "docx" }));
    expect(jobs).toHaveLength(20);

    // Worker A in the middle of a draft: started, model asked, not finished.
    const drafts = new Set(jobs.slice(0, 14).map((j) => j.id));
    const victim = await until("worker A to be in the middle of a draft", () => {
      const out = a.output();
      const started = [...out.matchAll(/任务 #(\d+)（起草自评报告）开始/g)].map((m) => Number(m[1]));
      return started.find((id) => drafts.has(id) && !new RegExp(`任务 #${id} (完成|失败|将重试|已取消)`).test(out)) ?? null;
    }, 60_000, () => a.output());
    await new Promise((r) => setTimeout(r, 300));
    await a.kill();
    expect(a.output()).not.toMatch(new RegExp(`任务 #${victim} 完成`));

    const all = await until("every job to be final", async () => {
      const now = await Promise.all(jobs.map((j) => store.getJob(j.id)));
      return now.every((j) => j && isFinal(j)) ? now : null;
    }, 120_000, () => b.output());

    expect(all.map((j) => [j!.id, j!.state, j!.error])).toEqual(jobs.map((j) => [j.id, "succeeded", null]));
    const killed = all.find((j) => j!.id === victim)!;
    expect(killed.attempts).toBeGreaterThanOrEqual(2);
    expect(b.output()).toMatch(new RegExp(`任务 #${victim}：执行进程已 \\d+ 秒无响应`));
    expect(b.output()).toMatch(new RegExp(`任务 #${victim}（起草自评报告）开始，第 2 次`));

    // Counted in the database itself: committed results, drafts, output files.
    const [committed] = await pg.query<{ n: number }>(url, "SELECT count(*) AS n FROM jobs WHERE result_key IS NOT NULL");
    expect(committed!.n).toBe(20);
    const perDoc = await pg.query<{ document_id: number; n: number }>(url, "SELECT document_id, count(*) AS n FROM drafts GROUP BY document_id ORDER BY document_id");
    expect(perDoc).toEqual(selfEvals.map((d) => ({ document_id: d.id, n: 1 })).sort((x, y) => x.document_id - y.document_id));
    const [outputs] = await pg.query<{ n: number }>(url, "SELECT count(*) AS n FROM job_outputs");
    expect(outputs!.n).toBe(1);
    // Each draft job's result names the draft stored with it.
    for (const j of all.filter((x) => drafts.has(x!.id))) {
      const r = j!.result as { documentId: number; draftId: number };
      expect((await store.listDrafts(r.documentId)).map((d) => d.id)).toEqual([r.draftId]);
    }
    // And pg-boss holds no delivery that is still to run or running.
    const schema = await queueSchemaFor(url);
    const states = await pg.query<{ state: string; n: number }>(url, `SELECT state::text AS state, count(*) AS n FROM ${schema}.job WHERE name = $1 GROUP BY state ORDER BY state`, [QUEUE]);
    expect(states).toEqual([{ state: "completed", n: 20 }]);

    // SIGTERM: the surviving worker stops cleanly.
    expect(await b.stop()).toBe(0);
    expect(b.output()).toContain("jixiao worker 已停止");
  }, 300_000);
});
