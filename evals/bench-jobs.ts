// The jobs part of the benchmark, run alone in a child process by bench.ts (or by itself: one line
// per run on stderr, then one JSON line on stdout). A batch check of BENCH_JOBS_FILES (default 1,000) files generated
// from seed 003 as evals/batch.ts does, split into jobs of 25 files, run
//   - in process by `jixiao serve` over SQLite (the single-machine app), and
//   - by 1, 2 and 4 `jixiao worker` processes over PostgreSQL (a throw-away cluster, as the tests
//     start one; or JIXIAO_TEST_DATABASE_URL), beside a `jixiao serve` that only answers requests;
// docs/s from the first job queued to the last one committed, and the latency of GET
// /api/documents/:id while each batch runs (random documents of the batch, 10 reads a second — a
// busy office of reviewers, not a load test, so the reads measure the batch's effect on them rather
// than take the cores from it) and with nothing running. When PostgreSQL cannot be started here, the
// output says so and why.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { extractBuffer } from "../src/pipeline.ts";
import { Store, type Job } from "../src/store/index.ts";
import { BossJobs, isFinal } from "../src/jobs/index.ts";
// The tests' own ways of starting PostgreSQL, the server and the workers as real processes.
import { startTestPg, type TestPg } from "../tests/helpers/pg.ts";
import { startServerProcess, type ServerProcess } from "../tests/helpers/serverProcess.ts";
import { startWorkerProcess, type WorkerProcess } from "../tests/helpers/workerProcess.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEEDS = resolve(ROOT, "../shared/fixtures/seeds");
const FILES = Number(process.env.BENCH_JOBS_FILES ?? 1000);
const FILES_PER_JOB = 25;
const WORKERS = [1, 2, 4];
const READ_TARGET_MS = 100;
const READ_EVERY_MS = 100;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const log = (s: string) => process.stderr.write(s + "\n");

// ── the batch: files generated from seed 003 (names and amounts varied), extracted once ─────────────
const seedDocx = unzipSync(new Uint8Array(readFileSync(join(SEEDS, "003-xiqu-2020.docx"))));
const seedXml = strFromU8(seedDocx["word/document.xml"]!);
function generated(i: number): Uint8Array {
  const xml = seedXml.replace(/矛盾纠纷多元化解/g, `批量项目${i}`).replace(/>169\.4</g, `>${100 + (i % 900)}.${i % 10}<`);
  return zipSync({ ...seedDocx, "word/document.xml": strToU8(xml) }, { level: 1 });
}

const t0 = performance.now();
const batch: { name: string; bytes: Uint8Array; r: Awaited<ReturnType<typeof extractBuffer>> }[] = [];
for (let i = 0; i < FILES; i++) {
  const bytes = generated(i);
  batch.push({ name: `批量-${i}.docx`, bytes, r: await extractBuffer(bytes, `批量-${i}.docx`) });
}
const documents = batch.reduce((n, b) => n + b.r.documents.length, 0);
log(`jobs bench: ${FILES} files generated and read (${documents} documents) in ${round((performance.now() - t0) / 1000)} s`);

async function fill(store: Store): Promise<{ workspaceId: number; fileIds: number[]; docIds: number[] }> {
  const ws = await store.createWorkspace("批量核验基准", "bench");
  const fileIds: number[] = [];
  const docIds: number[] = [];
  for (const b of batch) {
    const saved = await store.addFile({ workspaceId: ws.id, name: b.name, bytes: b.bytes, sha256: createHash("sha256").update(b.bytes).digest("hex"), format: b.r.format, error: b.r.error, documents: b.r.documents, user: "bench" });
    fileIds.push(saved.file.id);
    docIds.push(...saved.documents.map((d) => d.id));
  }
  return { workspaceId: ws.id, fileIds, docIds };
}

/**
 * Jobs of a few files each, before a timed batch: a fresh process checks its first documents several
 * times slower than a warm one (V8 compiles the hot code as it goes), and four fresh workers would pay
 * that four times over on two cores. Workers and servers run for days; the steady state is what is timed.
 */
const warmUp = (fileIds: number[], slots: number) => Array.from({ length: slots * 3 }, (_, i) => fileIds.slice(i * 5, i * 5 + 5));

const chunks = (ids: number[]) => Array.from({ length: Math.ceil(ids.length / FILES_PER_JOB) }, (_, i) => ids.slice(i * FILES_PER_JOB, (i + 1) * FILES_PER_JOB));

// ── reads while a batch runs ──────────────────────────────────────────────────────────────────────────
interface Reads { reads: number; p50_ms: number; p95_ms: number; max_ms: number; errors: number }

function summary(xs: number[], errors: number): Reads {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))] ?? NaN;
  return { reads: s.length, p50_ms: round(q(0.5)), p95_ms: round(q(0.95)), max_ms: round(s.at(-1) ?? NaN), errors };
}

/** GET /api/documents/:id of random documents, one every READ_EVERY_MS (or back to back when late), until `stop` resolves or after `count` reads. */
async function readLoop(base: string, docIds: number[], stop: Promise<unknown> | null, count = Infinity): Promise<Reads> {
  let done = false;
  void stop?.then(() => (done = true));
  const xs: number[] = [];
  let errors = 0;
  for (let i = 0; !done && i < count; i++) {
    const id = docIds[Math.floor(Math.random() * docIds.length)]!;
    const t = performance.now();
    const res = await fetch(`${base}/api/documents/${id}`);
    await res.arrayBuffer();
    const ms = performance.now() - t;
    xs.push(ms);
    if (res.status !== 200) errors++;
    if (ms < READ_EVERY_MS) await new Promise((r) => setTimeout(r, READ_EVERY_MS - ms));
  }
  return summary(xs, errors);
}

interface Run { engine: string; workers: number | null; jobs: number; documents: number; seconds: number; docs_per_s: number; files_per_s: number; failed: number; reads: Reads }

/** Waits until every job is final; the batch's time runs from `start` to the last commit the store recorded. */
async function finish(store: Store, ids: number[], start: number, startIso: string): Promise<{ jobs: Job[]; seconds: number }> {
  for (;;) {
    const jobs = (await Promise.all(ids.map((id) => store.getJob(id)))) as Job[];
    if (jobs.every(isFinal)) {
      const last = Math.max(...jobs.map((j) => Date.parse(j.updatedAt)));
      return { jobs, seconds: (last - Date.parse(startIso)) / 1000 || (performance.now() - start) / 1000 };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(engine: string, workers: number | null, jobs: Job[], seconds: number, reads: Reads): Run {
  const docs = jobs.reduce((n, j) => n + ((j.result as { totals?: { documents: number } } | null)?.totals?.documents ?? 0), 0);
  const files = jobs.reduce((n, j) => n + ((j.result as { totals?: { files: number } } | null)?.totals?.files ?? 0), 0);
  const r: Run = { engine, workers, jobs: jobs.length, documents: docs, seconds: round(seconds, 2), docs_per_s: round(docs / seconds), files_per_s: round(files / seconds), failed: jobs.filter((j) => j.state !== "succeeded").length, reads };
  log(`  ${engine}${workers ? ` × ${workers}` : ""}: ${docs} documents in ${r.seconds} s = ${r.docs_per_s} docs/s; reads p50 ${reads.p50_ms} ms, p95 ${reads.p95_ms} ms (${reads.reads} reads)${r.failed ? `; ${r.failed} jobs NOT succeeded` : ""}`);
  return r;
}

const tmp = mkdtempSync(join(tmpdir(), "jixiao-bench-jobs-"));
const cores = availableParallelism();
const out: {
  cores: number; cpu: string; files: number; documents: number; files_per_job: number; read_target_ms: number; reads_per_s: number;
  sqlite: Run | null; idle_reads_sqlite: Reads | null; postgres: { error: string } | { runs: Run[]; idle_reads: Reads }; error?: string;
} = { cores, cpu: cpus()[0]?.model ?? "", files: FILES, documents, files_per_job: FILES_PER_JOB, read_target_ms: READ_TARGET_MS, reads_per_s: 1000 / READ_EVERY_MS, sqlite: null, idle_reads_sqlite: null, postgres: { error: "not run" } };

// ── in process, SQLite ────────────────────────────────────────────────────────────────────────────────
{
  const dataDir = join(tmp, "sqlite");
  const store = await Store.open(dataDir);
  const { workspaceId, fileIds, docIds } = await fill(store);
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess({ JIXIAO_DATA_DIR: dataDir });
    await readLoop(server.url, docIds, null, 20); // warm-up
    out.idle_reads_sqlite = await readLoop(server.url, docIds, null, 100);
    log(`  idle reads (SQLite): p50 ${out.idle_reads_sqlite.p50_ms} ms, p95 ${out.idle_reads_sqlite.p95_ms} ms`);
    // Queued straight into the server's database (the job API is not there yet); its runner polls every second.
    const warm: number[] = [];
    for (const part of warmUp(fileIds, 1)) warm.push((await store.createJob({ kind: "check", payload: { workspaceId, fileIds: part }, workspaceId, total: part.length, user: "bench" })).id);
    await finish(store, warm, performance.now(), new Date().toISOString());
    const startIso = new Date().toISOString();
    const start = performance.now();
    const ids: number[] = [];
    for (const part of chunks(fileIds)) ids.push((await store.createJob({ kind: "check", payload: { workspaceId, fileIds: part }, workspaceId, total: part.length, user: "bench" })).id);
    const done = finish(store, ids, start, startIso);
    const reads = await readLoop(server.url, docIds, done);
    const { jobs, seconds } = await done;
    out.sqlite = run("in-process SQLite", null, jobs, seconds, reads);
  } finally {
    await server?.stop();
    await store.close();
  }
}

// ── pg-boss and `jixiao worker`, PostgreSQL ───────────────────────────────────────────────────────────
let pg: TestPg | null = null;
try {
  pg = await startTestPg({ ...process.env, JIXIAO_TEST_PG: process.env.JIXIAO_TEST_DATABASE_URL ? "" : "start" });
} catch (e) {
  out.postgres = { error: `PostgreSQL could not be started here, so the worker runs were skipped: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}` };
  log(`  ${out.postgres.error}`);
}
if (pg) {
  const url = await pg.freshUrl();
  const store = await Store.open(join(tmp, "pg-app"), { databaseUrl: url });
  let server: ServerProcess | null = null;
  let queue: BossJobs | null = null;
  const workers: WorkerProcess[] = [];
  try {
    const { workspaceId, fileIds, docIds } = await fill(store);
    server = await startServerProcess({ JIXIAO_DATABASE_URL: url, JIXIAO_DATA_DIR: join(tmp, "pg-server") });
    queue = await BossJobs.open(store, { url });
    await readLoop(server.url, docIds, null, 20);
    const idle = await readLoop(server.url, docIds, null, 100);
    log(`  idle reads (PostgreSQL): p50 ${idle.p50_ms} ms, p95 ${idle.p95_ms} ms`);
    const runs: Run[] = [];
    for (const n of WORKERS) {
      for (let i = 0; i < n; i++) workers.push(await startWorkerProcess({ JIXIAO_DATABASE_URL: url, JIXIAO_DATA_DIR: join(tmp, `w${i}`) }));
      const warm: number[] = [];
      for (const part of warmUp(fileIds, n)) warm.push((await queue.enqueue("check", { workspaceId, fileIds: part }, { user: "bench" })).id);
      await finish(store, warm, performance.now(), new Date().toISOString());
      const startIso = new Date().toISOString();
      const start = performance.now();
      const ids: number[] = [];
      for (const part of chunks(fileIds)) ids.push((await queue.enqueue("check", { workspaceId, fileIds: part }, { user: "bench" })).id);
      const done = finish(store, ids, start, startIso);
      const reads = await readLoop(server.url, docIds, done);
      const { jobs, seconds } = await done;
      runs.push(run("pg-boss workers", n, jobs, seconds, reads));
      for (const w of workers.splice(0)) await w.stop();
    }
    out.postgres = { runs, idle_reads: idle };
  } catch (e) {
    out.postgres = { error: `the PostgreSQL runs failed: ${e instanceof Error ? e.message : String(e)}` };
    log(`  ${out.postgres.error}`);
  } finally {
    for (const w of workers) await w.kill();
    await queue?.close();
    await server?.stop();
    await store.close();
    await pg.stop();
  }
}

rmSync(tmp, { recursive: true, force: true });
process.stdout.write(JSON.stringify(out) + "\n");
