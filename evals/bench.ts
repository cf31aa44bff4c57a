// npm run bench — extraction speed per fixture against the plain-text reader of the same format,
// measured in the same run, peak memory over a batch of 1,000 generated documents, and the jobs:
// a 1,000-file batch check in process (SQLite) and by 1, 2 and 4 `jixiao worker` processes
// (PostgreSQL), with document reads timed while it runs (evals/bench-jobs.ts); and 20 concurrent
// uploads to a running server, reader pool against one thread per file (evals/bench-uploads.ts).
// Results: printed, and written to evals/results/bench.json and bench.md.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import { extractBuffer } from "../src/pipeline.ts";
import { checkExtracted } from "../src/check.ts";
import { defaultProfile } from "../src/score/profile.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEEDS = resolve(ROOT, "../shared/fixtures/seeds");
const RESULTS = join(ROOT, "evals/results");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);

type Baseline = { name: string; run: (data: Uint8Array) => Promise<unknown> };

async function baselineFor(format: string): Promise<Baseline> {
  switch (format) {
    case "docx": {
      const mammoth = (await import("mammoth")).default;
      return { name: "mammoth.extractRawText", run: (d) => mammoth.extractRawText({ buffer: Buffer.from(d) }) };
    }
    case "doc": {
      const WordExtractor = (await import("word-extractor")).default;
      const ex = new WordExtractor();
      return { name: "word-extractor getBody", run: async (d) => (await ex.extract(Buffer.from(d))).getBody() };
    }
    case "pdf": {
      const { PDFParse } = await import("pdf-parse");
      return {
        name: "pdf-parse getText",
        run: async (d) => {
          const p = new PDFParse({ data: new Uint8Array(d) });
          try {
            return await p.getText();
          } finally {
            await p.destroy();
          }
        },
      };
    }
    case "xlsx": {
      const ExcelJS = (await import("exceljs")).default;
      return {
        name: "exceljs load",
        run: async (d) => {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(Buffer.from(d) as unknown as ArrayBuffer);
          return wb;
        },
      };
    }
    default:
      return { name: "TextDecoder", run: async (d) => new TextDecoder().decode(d) };
  }
}

async function timeIt(fn: () => Promise<unknown>, runs: number): Promise<{ median: number; p95: number }> {
  await fn(); // warm-up (module loading, JIT)
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)]!, p95: xs[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]! };
}

const fixtures: { file: string; format: string }[] = [];
for (const base of ["001-jingzhou-2023", "002-xinhong-2020-target", "003-xiqu-2020"]) {
  for (const ext of ["docx", "doc", "pdf", "xlsx"]) {
    try {
      readFileSync(join(SEEDS, `${base}.${ext}`));
      fixtures.push({ file: join(SEEDS, `${base}.${ext}`), format: ext });
    } catch {
      /* not every seed has every format */
    }
  }
}
for (const t of ["001_fa7b0c701d8ca214.txt", "002_b959abbf1feb8992.txt", "003_cc3005463d32a7a4.txt"]) fixtures.push({ file: join(SEEDS, "src", t), format: "text" });
// The real development files: budget-system workbooks (20 sheets each) and pasted web text.
const REAL = resolve(ROOT, "../shared/fixtures/real");
for (const dir of ["songgang", "pasted"]) {
  try {
    for (const f of readdirSync(join(REAL, dir)).sort()) fixtures.push({ file: join(REAL, dir, f), format: f.endsWith(".xlsx") ? "xlsx" : "text" });
  } catch {
    /* the development set is optional for the benchmark */
  }
}

interface Row {
  fixture: string;
  format: string;
  ours_ms: number;
  ours_p95_ms: number;
  check_ms: number;
  check_ratio: number;
  baseline: string;
  baseline_ms: number;
  ratio: number;
  documents: number;
  error: string | null;
}
const rows: Row[] = [];
for (const f of fixtures) {
  const data = new Uint8Array(readFileSync(f.file));
  const base = await baselineFor(f.format);
  let documents = 0;
  let error: string | null = null;
  const ours = await timeIt(async () => {
    const r = await extractBuffer(data, f.file);
    documents = r.documents.length;
    error = r.error?.code ?? null;
  }, RUNS);
  const checked = await timeIt(async () => {
    checkExtracted(await extractBuffer(data, f.file), defaultProfile());
  }, RUNS);
  const b = await timeIt(() => base.run(data), RUNS);
  rows.push({
    fixture: f.file.split("/").pop()!,
    format: f.format,
    ours_ms: round(ours.median),
    ours_p95_ms: round(ours.p95),
    check_ms: round(checked.median),
    check_ratio: round(checked.median / b.median, 3),
    baseline: base.name,
    baseline_ms: round(b.median),
    ratio: round(ours.median / b.median, 3),
    documents,
    error,
  });
  console.log(`${f.file.split("/").pop()!.padEnd(32)} ours ${ours.median.toFixed(2).padStart(8)} ms (p95 ${ours.p95.toFixed(2)})   ${base.name} ${b.median.toFixed(2).padStart(8)} ms   ratio ${(ours.median / b.median).toFixed(3)}   extract+check ${checked.median.toFixed(2)} ms (ratio ${(checked.median / b.median).toFixed(3)})${error ? `   ERROR ${error}` : ""}`);
}

// Batch: run in a child process so its memory is measured alone (the baselines above load
// mammoth, pdf.js and exceljs into this process).
const child = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "evals/batch.ts")], {
  encoding: "utf8",
  env: { ...process.env, BENCH_BATCH: String(BATCH) },
  maxBuffer: 16 * 1024 * 1024,
});
if (child.status !== 0) {
  console.error(child.stderr);
  process.exit(1);
}
const batch = JSON.parse(child.stdout.trim().split("\n").pop()!) as {
  documents_in: number; projects_out: number; seconds: number; docs_per_second: number;
  rss_start_mb: number; rss_peak_mb: number; checkpoints: { n: number; rss_mb: number }[];
};
const checkpoints = batch.checkpoints;
console.log(`\nbatch of ${BATCH} generated .docx (child process): ${batch.seconds} s (${batch.docs_per_second} docs/s, including generation), RSS start ${batch.rss_start_mb} MB, peak ${batch.rss_peak_mb} MB`);
console.log(`RSS by documents done: ${checkpoints.map((c) => `${c.n}:${c.rss_mb}`).join("  ")}`);

// Jobs: in a child process of its own too (it starts servers, workers and a PostgreSQL cluster).
type JobRun = { engine: string; workers: number | null; jobs: number; documents: number; seconds: number; docs_per_s: number; docs_per_s_range: [number, number]; repeats: number; failed: number; reads: { reads: number; p50_ms: number; p95_ms: number; max_ms: number; errors: number } };
type JobsBench = {
  cores: number; cpu: string; files: number; documents: number; files_per_job: number; read_target_ms: number; reads_per_s: number;
  sqlite: JobRun | null; idle_reads_sqlite: JobRun["reads"] | null; postgres: { error: string } | { runs: JobRun[]; idle_reads: JobRun["reads"] };
};
console.log(`
jobs: ${BATCH}-file batch check, in process (SQLite) and by 1, 2, 4 jixiao worker processes (PostgreSQL)…`);
const jobs = childFigures<JobsBench>("evals/bench-jobs.ts", { BENCH_JOBS_FILES: String(BATCH) }, (out) => JSON.parse(out.trim().split("\n").pop()!));
const jobLines: string[] = [];
if ("error" in jobs) jobLines.push(`Jobs: not measured — ${jobs.error}.`);
else {
  const base = jobs.sqlite?.docs_per_s ?? NaN;
  const runs = jobRuns(jobs);
  jobLines.push(
    `Jobs: batch check of ${jobs.files} generated files (${jobs.documents} documents) in jobs of ${jobs.files_per_job} files, on ${jobs.cores} cores (${jobs.cpu}), each configuration warmed up, then the median of its timed batches; ` +
      `GET /api/documents/:id of random documents of the batch, ${jobs.reads_per_s} a second, while it runs (target p95 < ${jobs.read_target_ms} ms).`,
    "",
    "| engine | workers | documents | seconds | docs/s (median) | docs/s range | × in-process | reads | read p50 (ms) | read p95 (ms) | failed jobs |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...runs.map((r) => `| ${r.engine} | ${r.workers ?? "—"} | ${r.documents} | ${r.seconds} | ${r.docs_per_s} | ${r.docs_per_s_range.join("–")} (${r.repeats} runs) | ${round(r.docs_per_s / base, 2)} | ${r.reads.reads} | ${r.reads.p50_ms} | ${r.reads.p95_ms} ${r.reads.p95_ms < jobs.read_target_ms ? "✅" : "❌"} | ${r.failed} |`),
    "",
    `Reads with nothing running: SQLite p95 ${jobs.idle_reads_sqlite?.p95_ms ?? "—"} ms${"runs" in jobs.postgres ? `, PostgreSQL p95 ${jobs.postgres.idle_reads.p95_ms} ms` : ""}.`,
  );
  if ("error" in jobs.postgres) jobLines.push("", `PostgreSQL: ${jobs.postgres.error}`);
  for (const r of runs) console.log(`${r.engine}${r.workers ? ` × ${r.workers}` : ""}: ${r.docs_per_s} docs/s (${round(r.docs_per_s / base, 2)} × in-process), reads p95 ${r.reads.p95_ms} ms — ${jobs.cores} cores`);
  if ("error" in jobs.postgres) console.log(`PostgreSQL: ${jobs.postgres.error}`);
}

// Uploads: 20 of seed 003's .docx sent at once to a server of its own (a child process, as the jobs
// above), with the pool of reader threads and with one fresh thread per file (evals/bench-uploads.ts).
console.log(`
uploads: 20 concurrent uploads of seed 003 to a running server, reader pool and thread per file…`);
type UploadBurst = { mode: "pool" | "thread-per-file"; burst: number; p50: number; p95: number; max: number; stored: number };
// (the script prints its table; its figures are the JSON it writes)
const uploads = childFigures<{ uploads: number; targetP95Ms: number; bursts: UploadBurst[] }>("evals/bench-uploads.ts", {}, () => JSON.parse(readFileSync(join(RESULTS, "bench-uploads.json"), "utf8")));
const uploadLines: string[] = [];
if ("error" in uploads) uploadLines.push(`Uploads: not measured — ${uploads.error}.`);
else {
  uploadLines.push(
    `Uploads: ${uploads.uploads} uploads of seed 003's .docx sent at once to a running server (SQLite); time of each from sending to the answer (details in bench-uploads.md).`,
    "",
    "| reader | burst | p50 (s) | p95 (s) | max (s) | stored |",
    "|---|---:|---:|---:|---:|---:|",
    ...uploads.bursts.map((b) => `| ${b.mode} | ${b.burst} | ${round(b.p50 / 1000)} | ${round(b.p95 / 1000)} | ${round(b.max / 1000)} | ${b.stored}/${uploads.uploads} |`),
  );
  for (const b of uploads.bursts) console.log(`uploads (${b.mode}, burst ${b.burst}): p50 ${round(b.p50 / 1000)} s, p95 ${round(b.p95 / 1000)} s, stored ${b.stored}/${uploads.uploads}`);
}

// Target: extraction + check of each seed .docx at most 0.2 × mammoth.extractRawText of the same file.
const DOCX_TARGET = 0.2;
const seedDocx = rows.filter((r) => r.format === "docx");
const worstDocx = Math.max(...seedDocx.map((r) => r.check_ratio));
const targets: { name: string; value: number | string; ok: boolean }[] = [{ name: `seed .docx extract+check ≤ ${DOCX_TARGET} × mammoth.extractRawText`, value: worstDocx, ok: worstDocx <= DOCX_TARGET }];
if (!("error" in jobs)) {
  const runs = jobRuns(jobs);
  const worstRead = Math.max(...runs.map((r) => r.reads.p95_ms));
  targets.push({ name: `document reads while a batch runs: p95 < ${jobs.read_target_ms} ms`, value: `${worstRead} ms`, ok: worstRead < jobs.read_target_ms });
}
if (!("error" in uploads)) {
  const pool = uploads.bursts.filter((b) => b.mode === "pool");
  const worstUpload = Math.max(...pool.map((b) => b.p95));
  const lost = pool.some((b) => b.stored !== uploads.uploads);
  targets.push({ name: `${uploads.uploads} concurrent uploads (reader pool): p95 ≤ ${uploads.targetP95Ms / 1000} s, all stored`, value: `${round(worstUpload / 1000)} s${lost ? ", some not stored" : ""}`, ok: worstUpload <= uploads.targetP95Ms && !lost });
}
for (const t of targets) console.log(`${t.ok ? "通过" : "未达标"}  ${t.name}: worst ${t.value}`);

mkdirSync(RESULTS, { recursive: true });
const out = { date: new Date().toISOString(), node: process.version, runs: RUNS, fixtures: rows, batch, jobs, uploads, targets };
writeFileSync(join(RESULTS, "bench.json"), JSON.stringify(out, null, 2) + "\n");
const md = [
  `# Benchmark (${out.date}, Node ${out.node}, median of ${RUNS} runs after one warm-up)`,
  "",
  "| fixture | format | extract (ms) | p95 (ms) | extract+check (ms) | plain-text baseline | baseline (ms) | extract ratio | extract+check ratio |",
  "|---|---|---:|---:|---:|---|---:|---:|---:|",
  ...rows.map((r) => `| ${r.fixture} | ${r.format} | ${r.ours_ms} | ${r.ours_p95_ms} | ${r.check_ms} | ${r.baseline} | ${r.baseline_ms} | ${r.ratio} | ${r.check_ratio} |`),
  "",
  ...targets.map((t) => `Target: ${t.name} — worst ${t.value} ${t.ok ? "✅" : "❌"}`),
  "",
  `Batch: ${BATCH} generated .docx in ${batch.seconds} s (${batch.docs_per_second}/s); RSS start ${batch.rss_start_mb} MB, peak ${batch.rss_peak_mb} MB.`,
  "",
  `RSS (MB) after n documents: ${checkpoints.map((c) => `${c.n}: ${c.rss_mb}`).join(", ")}`,
  "",
  ...jobLines,
  "",
  ...uploadLines,
  "",
];
writeFileSync(join(RESULTS, "bench.md"), md.join("\n"));

/**
 * Runs an evals script in a child process of its own (its servers, workers and memory apart from this
 * one's) and reads its figures; when it fails, why, so the rest of the bench still reports.
 */
function childFigures<T>(script: string, env: Record<string, string>, read: (stdout: string) => T): T | { error: string } {
  const child = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, script)], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    if (child.status !== 0) throw new Error(`exit ${child.status}`);
    return read(child.stdout);
  } catch (e) {
    const error = `${script} failed (${(e as Error).message})`;
    console.error(error);
    return { error };
  }
}

/** Every measured configuration of the jobs bench: in process first, then the worker counts. */
function jobRuns(jobs: JobsBench): JobRun[] {
  return [...(jobs.sqlite ? [jobs.sqlite] : []), ...("runs" in jobs.postgres ? jobs.postgres.runs : [])];
}

function round(x: number, d = 2): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}
