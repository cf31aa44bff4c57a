// Extraction accuracy: field-level precision / recall of every seed file (each format) against its
// gold file, with compareDoc's walk. Per gold leaf: equal → TP; gold non-null and ours null → FN;
// gold null and ours non-null → FP; both non-null and different → FP + FN. A flag we set that the
// gold lacks (shared_score_with_next) is an FP; elements we produce beyond the gold's array length
// count one FP per non-null leaf.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { compareDoc, type FieldDiff } from "./compare.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { FORMATS, loadSeeds, seedFiles, type Format } from "./seeds.ts";

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface PRF extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export interface ExtractionFileResult extends PRF {
  seed: string;
  format: Format;
  file: string;
  ms: number;
  fields: number;
  error: string | null;
  wrong: FieldDiff[];
}

export interface ExtractionResult {
  files: ExtractionFileResult[];
  byFormat: Record<string, PRF & { files: number; ms: number }>;
  overall: PRF & { files: number; ms: number };
}

export function prf(c: Counts): PRF {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

const isNull = (v: unknown) => v === null || v === undefined || (typeof v === "string" && v.replace(/[\s\u00A0\u3000\u200B\uFEFF]+/g, "") === "");

/** Non-null leaves of a value (objects and arrays walked). */
function leaves(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + leaves(x), 0);
  if (v !== null && typeof v === "object") return Object.values(v as Record<string, unknown>).reduce((n: number, x) => n + leaves(x), 0);
  return isNull(v) ? 0 : 1;
}

/** Resolves "documents[1].indicators" in `root` (whose top-level name is `rootName`). */
function resolvePath(root: unknown, rootName: string, path: string): unknown {
  let rest = path.startsWith(rootName) ? path.slice(rootName.length) : path;
  let cur: unknown = root;
  while (rest.length) {
    const m = /^\[(\d+)\]|^\.([^.[]+)/.exec(rest);
    if (!m) return undefined;
    if (cur === null || typeof cur !== "object") return undefined;
    cur = m[1] !== undefined ? (cur as unknown[])[Number(m[1])] : (cur as Record<string, unknown>)[m[2]!];
    rest = rest.slice(m[0].length);
  }
  return cur;
}

/**
 * TP/FP/FN of our documents against the gold documents. `strict`: a blank gold field that we leave blank
 * is not a true positive (only values read count), so an unread document scores recall 0, not the share
 * of its blank fields.
 */
export function scoreExtraction(goldDocs: unknown[], ours: unknown[], opts: { strict?: boolean } = {}): Counts & { fields: number; wrong: FieldDiff[] } {
  const st = compareDoc(goldDocs, ours, "documents");
  const c: Counts = { tp: 0, fp: 0, fn: 0 };
  let leafDiffs = 0;
  for (const d of st.diffs) {
    if (d.path.endsWith(".length")) {
      const arrPath = d.path.slice(0, -".length".length);
      const g = resolvePath(goldDocs, "documents", arrPath);
      const a = resolvePath(ours, "documents", arrPath);
      if (Array.isArray(g) && Array.isArray(a) && a.length > g.length) c.fp += leaves(a.slice(g.length));
      continue;
    }
    if (d.expected === undefined) {
      c.fp++; // a flag we set that the gold does not have
      continue;
    }
    leafDiffs++;
    if (isNull(d.expected)) c.fp++;
    else if (isNull(d.actual)) c.fn++;
    else {
      c.fp++;
      c.fn++;
    }
  }
  // Every diff whose gold value is not blank adds exactly one FN, so the gold's non-blank leaves that
  // matched are its non-blank leaves minus the FNs.
  c.tp = opts.strict ? leaves(goldDocs) - c.fn : st.fields - leafDiffs;
  return { ...c, fields: st.fields, wrong: st.diffs };
}

function sumCounts(xs: Counts[]): Counts {
  return xs.reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }), { tp: 0, fp: 0, fn: 0 });
}

export async function runExtractionEval(log: (s: string) => void = () => {}): Promise<ExtractionResult> {
  const files: ExtractionFileResult[] = [];
  const seeds = loadSeeds();
  // Warm-up: module loading and JIT of every reader, so the first file's time is not inflated.
  for (const f of seedFiles(seeds[0]!)) await extractBuffer(new Uint8Array(readFileSync(f.path)), f.path);
  for (const seed of seeds) {
    for (const f of seedFiles(seed)) {
      const data = new Uint8Array(readFileSync(f.path));
      const t = performance.now();
      const r = await extractBuffer(data, f.path);
      const ms = performance.now() - t;
      const s = scoreExtraction(seed.gold.documents, r.documents);
      const res: ExtractionFileResult = {
        seed: seed.id,
        format: f.format,
        file: f.path.split("/").pop()!,
        ms: Math.round(ms * 10) / 10,
        fields: s.fields,
        error: r.error?.code ?? null,
        wrong: s.wrong,
        ...prf(s),
      };
      files.push(res);
      log(`  提取 ${res.file.padEnd(34)} P ${pc(res.precision)}  R ${pc(res.recall)}  F1 ${pc(res.f1)}  错 ${res.wrong.length}  ${res.ms} ms`);
    }
  }
  const byFormat: ExtractionResult["byFormat"] = {};
  for (const fmt of FORMATS) {
    const xs = files.filter((f) => f.format === fmt);
    if (!xs.length) continue;
    byFormat[fmt] = { ...prf(sumCounts(xs)), files: xs.length, ms: round1(xs.reduce((a, b) => a + b.ms, 0)) };
  }
  const overall = { ...prf(sumCounts(files)), files: files.length, ms: round1(files.reduce((a, b) => a + b.ms, 0)) };
  return { files, byFormat, overall };
}

export const pc = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
const round1 = (x: number) => Math.round(x * 10) / 10;
