// The jobs part of the benchmark, run alone in a child process by bench.ts (or by itself: one line
// per run on stderr, then one JSON line on stdout). A batch check of BENCH_JOBS_FILES (default 1,000) files generated
// from seed 003 as evals/batch.ts does, split into jobs of 25 files, run
//   - in process by `jixiao serve` over SQLite (the single-machine app), and
//   - by 1, 2 and 4 `jixiao worker` processes over PostgreSQL (a throw-away cluster, as the tests
//     start one; or JIXIAO_TEST_DATABASE_URL), beside a `jixiao serve` that only answers requests;
// each configuration warmed up, then timed over BENCH_JOBS_REPEATS batches (default 3, the median
// reported with the range); jobs queued through the server's job API as the web app queues them;
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
import { isFinal } from "../src/jobs/index.ts";
// The tests' own ways of starting PostgreSQL, the server and the workers as real processes.
import { startTestPg, type TestPg } from "../tests/helpers/pg.ts";
import { startServerProcess, type ServerProcess } from "../tests/helpers/serverProcess.ts";
import { startWorkerProcess, type WorkerProcess } from "../tests/helpers/workerProcess.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEEDS = resolve(ROOT, "../shared/fixtures/seeds");
const FILES = Number(process.env.BENCH_JOBS_FILES ?? 1000);
const FILES_PER_JOB = 25;
const WORKERS = [1, 2, 4];
/** Timed batches per configuration: this machine is shared, and one batch's docs/s moved by ±20 % from run to run. */
const REPEATS = Number(process.env.BENCH_JOBS_REPEATS ?? 3);
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
async function readLoop(base: string, docIds: number[], stop: Promise<unknown> | null, count = Infinity): Promise<{ xs: number[]; errors: number }> {
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
  return { xs, errors };
}

const idleReads = async (base: string, docIds: number[]) => {
  await readLoop(base, docIds, null, 20); // warm-up
  const r = await readLoop(base, docIds, null, 100);
  return summary(r.xs, r.errors);
};

interface Run {
  engine: string; workers: number | null; jobs: number; documents: number;
  /** The median of the repeats (by docs/s), and the range over them. */
  seconds: number; docs_per_s: number; files_per_s: number; docs_per_s_range: [number, number]; repeats: number;
  failed: number;
  /** Over every read of every repeat. */
  reads: Reads;
}

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

/**
 * A warm-up batch, then REPEATS timed batches of the whole workspace, each queued through the job API
 * of the server at `base` (as the web app queues them) while its documents are read.
 */
async function timed(engine: string, workers: number | null, base: string, store: Store, workspaceId: number, fileIds: number[], docIds: number[]): Promise<Run> {
  const enqueue = async (part: number[]) => {
    const res = await fetch(`${base}/api/workspaces/${workspaceId}/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "check", fileIds: part }) });
    if (res.status !== 202) throw new Error(`POST jobs: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: number }).id;
  };
  const warm: number[] = [];
  for (const part of warmUp(fileIds, workers ?? 1)) warm.push(await enqueue(part));
  await finish(store, warm, performance.now(), new Date().toISOString());
  const tries: { jobs: Job[]; seconds: number; docs: number; files: number }[] = [];
  const xs: number[] = [];
  let errors = 0;
  for (let k = 0; k < REPEATS; k++) {
    const startIso = new Date().toISOString();
    const start = performance.now();
    const ids: number[] = [];
    for (const part of chunks(fileIds)) ids.push(await enqueue(part));
    const done = finish(store, ids, start, startIso);
    const reads = await readLoop(base, docIds, done);
    xs.push(...reads.xs);
    errors += reads.errors;
    const { jobs, seconds } = await done;
    const docs = jobs.reduce((n, j) => n + ((j.result as { totals?: { documents: number } } | null)?.totals?.documents ?? 0), 0);
    const files = jobs.reduce((n, j) => n + ((j.result as { totals?: { files: number } } | null)?.totals?.files ?? 0), 0);
    tries.push({ jobs, seconds, docs, files });
  }
  tries.sort((a, b) => a.docs / a.seconds - b.docs / b.seconds);
  const mid = tries[Math.floor(tries.length / 2)]!;
  const rate = (t: (typeof tries)[number]) => round(t.docs / t.seconds);
  const reads = summary(xs, errors);
  const r: Run = {
    engine, workers, jobs: mid.jobs.length, documents: mid.docs, seconds: round(mid.seconds, 2), docs_per_s: rate(mid), files_per_s: round(mid.files / mid.seconds),
    docs_per_s_range: [rate(tries[0]!), rate(tries.at(-1)!)], repeats: tries.length,
    failed: tries.reduce((n, t) => n + t.jobs.filter((j) => j.state !== "succeeded").length, 0), reads,
  };
  log(`  ${engine}${workers ? ` × ${workers}` : ""}: ${r.documents} documents in ${r.seconds} s = ${r.docs_per_s} docs/s (median of ${r.repeats}: ${r.docs_per_s_range.join("–")}); reads p50 ${reads.p50_ms} ms, p95 ${reads.p95_ms} ms (${reads.reads} reads)${r.failed ? `; ${r.failed} jobs NOT succeeded` : ""}`);
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
    out.idle_reads_sqlite = await idleReads(server.url, docIds);
    log(`  idle reads (SQLite): p50 ${out.idle_reads_sqlite.p50_ms} ms, p95 ${out.idle_reads_sqlite.p95_ms} ms`);
    out.sqlite = await timed("in-process SQLite", null, server.url, store, workspaceId, fileIds, docIds);
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
  const workers: WorkerProcess[] = [];
  try {
    const { workspaceId, fileIds, docIds } = await fill(store);
    server = await startServerProcess({ JIXIAO_DATABASE_URL: url, JIXIAO_DATA_DIR: join(tmp, "pg-server") });
    const idle = await idleReads(server.url, docIds);
    log(`  idle reads (PostgreSQL): p50 ${idle.p50_ms} ms, p95 ${idle.p95_ms} ms`);
    const runs: Run[] = [];
    for (const n of WORKERS) {
      for (let i = 0; i < n; i++) workers.push(await startWorkerProcess({ JIXIAO_DATABASE_URL: url, JIXIAO_DATA_DIR: join(tmp, `w${i}`) }));
      runs.push(await timed("pg-boss workers", n, server.url, store, workspaceId, fileIds, docIds));
      for (const w of workers.splice(0)) await w.stop();
    }
    out.postgres = { runs, idle_reads: idle };
  } catch (e) {
    out.postgres = { error: `the PostgreSQL runs failed: ${e instanceof Error ? e.message : String(e)}` };
    log(`  ${out.postgres.error}`);
  } finally {
    for (const w of workers) await w.kill();
    await server?.stop();
    await store.close();
    await pg.stop();
  }
}

rmSync(tmp, { recursive: true, force: true });
process.stdout.write(JSON.stringify(out) + "\n");
