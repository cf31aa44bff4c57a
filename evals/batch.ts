// The batch part of the benchmark, run alone in a child process by bench.ts: 1,000 documents
// generated from seed 003 (names and amounts varied), extracted one after the other; RSS sampled
// after every document. Prints one JSON line.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { extractBuffer } from "../src/pipeline.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEEDS = resolve(ROOT, "../shared/fixtures/seeds");
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const seedDocx = unzipSync(new Uint8Array(readFileSync(join(SEEDS, "003-xiqu-2020.docx"))));
const seedXml = strFromU8(seedDocx["word/document.xml"]!);
function generated(i: number): Uint8Array {
  const xml = seedXml.replace(/矛盾纠纷多元化解/g, `批量项目${i}`).replace(/>169\.4</g, `>${100 + (i % 900)}.${i % 10}<`);
  return zipSync({ ...seedDocx, "word/document.xml": strToU8(xml) }, { level: 1 });
}

await extractBuffer(generated(0), "warm-up.docx");
const rssStart = process.memoryUsage().rss;
let peak = rssStart;
const checkpoints: { n: number; rss_mb: number }[] = [];
const t0 = performance.now();
let docsOut = 0;
for (let i = 0; i < BATCH; i++) {
  const r = await extractBuffer(generated(i), `batch-${i}.docx`);
  docsOut += r.documents.length;
  const rss = process.memoryUsage().rss;
  if (rss > peak) peak = rss;
  if ((i + 1) % Math.max(1, Math.floor(BATCH / 10)) === 0) checkpoints.push({ n: i + 1, rss_mb: round(rss / 1048576, 1) });
}
const batchMs = performance.now() - t0;
const batch = {
  documents_in: BATCH,
  projects_out: docsOut,
  seconds: round(batchMs / 1000, 2),
  docs_per_second: round(BATCH / (batchMs / 1000), 1),
  rss_start_mb: round(rssStart / 1048576, 1),
  rss_peak_mb: round(peak / 1048576, 1),
  checkpoints,
};


process.stdout.write(JSON.stringify(batch) + "\n");
