// Concurrent uploads against the real server: N uploads (default 20) of seed 003's .docx sent at once
// over HTTP, each one's time from sending to the answer, p50/p95, with the pool of reader threads and
// with the path before it (one fresh thread per file, JIXIAO_READER_POOL=0), each on a server of its
// own run as a child process (`node --import tsx server/main.ts`, SQLite in a temp directory).
// Two bursts per server: the first right after it starts listening, the second once the first is done.
//
// Alone: `npx tsx evals/bench-uploads.ts [--uploads 20]` prints the table and writes
// evals/results/bench-uploads.json and .md. From another script: `runBenchUploads()` does the same
// and returns the figures; `benchUploads()` only measures.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEED = resolve(ROOT, "../shared/fixtures/seeds/003-xiqu-2020.docx");
const RESULTS = join(ROOT, "evals/results");
/** The target of issue 11, item 4, for the pool: p95 of 20 concurrent uploads. */
export const TARGET_P95_MS = 2000;

export type UploadMode = "pool" | "thread-per-file";

export interface BurstResult {
  mode: UploadMode;
  /** 1: sent as soon as the server listens; 2: sent after the first burst was answered. */
  burst: number;
  /** Each upload's time, in the order they were sent (ms). */
  ms: number[];
  p50: number;
  p95: number;
  max: number;
  /** From the first send to the last answer. */
  wallMs: number;
  /** Uploads answered 200 with the file's five documents and no error. */
  stored: number;
  /** The others: HTTP status and error code or message, one per upload. */
  failures: string[];
  /** Files and documents the workspace holds afterwards (GET /api/workspaces/:id/files). */
  files: number;
  documents: number;
}

export interface BenchUploadsResult {
  date: string;
  file: string;
  uploads: number;
  machine: { cores: number; cpu: string; node: string; loadavg1mAtStart: number };
  targetP95Ms: number;
  bursts: BurstResult[];
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), "jixiao-bench-uploads-"));
  // No model, no PostgreSQL, no token from the caller's environment: the embedded app as shipped.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OPENAI_|JIXIAO_|PORT$|HOST$)/.test(k))) as Record<string, string>;
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server/main.ts")], {
    cwd: ROOT,
    env: { ...clean, HOST: "127.0.0.1", PORT: "0", JIXIAO_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), 120_000);
    child.stdout!.on("data", () => {
      const m = /已启动：(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code}) before starting:\n${out}`));
    });
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function burst(url: string, data: Uint8Array, n: number, mode: UploadMode, index: number): Promise<BurstResult> {
  const ws = (await (await fetch(`${url}/api/workspaces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: `并发上传 ${mode} ${index}` }) })).json()) as { id: number };
  const t0 = performance.now();
  const answers = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const form = new FormData();
      form.append("files", new File([data], `003-${i + 1}.docx`));
      const t = performance.now();
      const r = await fetch(`${url}/api/workspaces/${ws.id}/files`, { method: "POST", body: form });
      const text = await r.text();
      const ms = performance.now() - t;
      let f: { error?: { code?: string } | null; documents?: unknown[] } | undefined;
      try {
        f = (JSON.parse(text) as { files?: (typeof f)[] }).files?.[0];
      } catch {
        f = undefined;
      }
      const ok = r.status === 200 && !f?.error && f?.documents?.length === 5;
      return { ms, ok, failure: ok ? null : `003-${i + 1}.docx: HTTP ${r.status} ${f?.error?.code ?? `${f?.documents?.length ?? "?"} documents`} ${text.slice(0, 200)}` };
    }),
  );
  const wallMs = performance.now() - t0;
  const list = ((await (await fetch(`${url}/api/workspaces/${ws.id}/files`)).json()) as { files: { documents: unknown[] }[] }).files;
  const ms = answers.map((a) => Math.round(a.ms));
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    mode,
    burst: index,
    ms,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1)!,
    wallMs: Math.round(wallMs),
    stored: answers.filter((a) => a.ok).length,
    failures: answers.flatMap((a) => (a.failure ? [a.failure] : [])),
    files: list.length,
    documents: list.reduce((k, f) => k + f.documents.length, 0),
  };
}

/** Measures; writes nothing. */
export async function benchUploads(o: { uploads?: number; modes?: UploadMode[] } = {}): Promise<BenchUploadsResult> {
  const n = o.uploads ?? 20;
  const data = new Uint8Array(readFileSync(SEED));
  const result: BenchUploadsResult = {
    date: new Date().toISOString(),
    file: "003-xiqu-2020.docx",
    uploads: n,
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? "?", node: process.version, loadavg1mAtStart: Math.round(loadavg()[0]! * 100) / 100 },
    targetP95Ms: TARGET_P95_MS,
    bursts: [],
  };
  for (const mode of o.modes ?? (["pool", "thread-per-file"] as const)) {
    const server = await startServer(mode === "pool" ? {} : { JIXIAO_READER_POOL: "0" });
    try {
      for (const b of [1, 2]) result.bursts.push(await burst(server.url, data, n, mode, b));
    } finally {
      await server.stop();
    }
  }
  return result;
}

const MODE_NAME: Record<UploadMode, string> = { pool: "pool (default)", "thread-per-file": "thread per file (JIXIAO_READER_POOL=0)" };

export function benchUploadsMarkdown(r: BenchUploadsResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    `# Concurrent uploads (${r.date.slice(0, 10)})`,
    "",
    `${r.uploads} uploads of seed ${r.file} sent at once over HTTP to a server started for the run (SQLite), each upload one request;`,
    `time per upload from sending to the answer. Burst 1 is sent as soon as the server listens, burst 2 after burst 1 is answered.`,
    `Machine: ${r.machine.cores} cores (os.availableParallelism()), ${r.machine.cpu}, Node ${r.machine.node}; 1-minute load average at start ${r.machine.loadavg1mAtStart}.`,
    `Target (issue 11, item 4): p95 ≤ ${s(r.targetP95Ms)} with the pool.`,
    "",
    "| reader | burst | p50 | p95 | max | all answered in | stored | files / documents |",
    "|---|---|---|---|---|---|---|---|",
    ...r.bursts.map((b) => `| ${MODE_NAME[b.mode]} | ${b.burst} | ${s(b.p50)} | ${s(b.p95)} | ${s(b.max)} | ${s(b.wallMs)} | ${b.stored}/${r.uploads} | ${b.files} / ${b.documents} |`),
    "",
    ...r.bursts.flatMap((b) => b.failures.map((f) => `Not stored (${MODE_NAME[b.mode]}, burst ${b.burst}): ${f}`)),
    "",
    "Each upload's time (ms, in sending order):",
    "",
    ...r.bursts.map((b) => `- ${MODE_NAME[b.mode]}, burst ${b.burst}: ${b.ms.join(", ")}`),
    "",
  ];
  return lines.join("\n");
}

/** Measures, prints the table, writes evals/results/bench-uploads.json and .md; returns the figures. */
export async function runBenchUploads(o: { uploads?: number; modes?: UploadMode[]; print?: (s: string) => void } = {}): Promise<BenchUploadsResult> {
  const r = await benchUploads(o);
  const md = benchUploadsMarkdown(r);
  (o.print ?? ((t: string) => process.stdout.write(t + "\n")))(md);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "bench-uploads.json"), JSON.stringify(r, null, 2) + "\n");
  writeFileSync(join(RESULTS, "bench-uploads.md"), md);
  return r;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const at = process.argv.indexOf("--uploads");
  const uploads = at >= 0 ? Number(process.argv[at + 1]) : undefined;
  if (uploads !== undefined && !(Number.isInteger(uploads) && uploads > 0)) {
    process.stderr.write("--uploads 应为正整数\n");
    process.exit(2);
  }
  runBenchUploads(uploads ? { uploads } : {}).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
