// Extraction accuracy on the real development documents (../shared/fixtures/real) against the expected
// values written by reading them (evals/data/real/*.json): field precision / recall / F1 per family and
// per format, the document count of each file, and the error-severity findings `check` raises on them
// (a misread must never become a confident error). Run alone: `npx tsx evals/real.ts [--wrong]`.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { extractBuffer } from "../src/pipeline.ts";
import { checkExtracted } from "../src/check.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { prf, pc, scoreExtraction, type Counts, type PRF } from "./extraction.ts";
import type { FieldDiff } from "./compare.ts";
import { ROOT } from "./seeds.ts";

export const REAL_DIR = resolve(ROOT, "../shared/fixtures/real");
export const REAL_GOLD_DIR = join(ROOT, "evals/data/real");

const RealGoldSchema = z.object({
  source: z.string(),
  family: z.string(),
  format: z.string(),
  document_count: z.number().int(),
  sheets: z.array(z.object({ name: z.string(), state: z.string(), empty: z.boolean() })).optional(),
  documents: z.array(
    z.object({
      index: z.number().int(),
      sheet: z.string().optional(),
      doc: z.record(z.string(), z.unknown()),
      notes: z.string().optional(),
      /** Error-severity findings that are true defects of this document (any other error is a false one). */
      errors: z.array(z.string()).optional(),
      review: z.object({ items: z.array(z.string()), notes: z.string().optional() }).optional(),
    }),
  ),
});
export type RealGold = z.infer<typeof RealGoldSchema> & { id: string };

export function loadRealGold(): RealGold[] {
  return readdirSync(REAL_GOLD_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ ...RealGoldSchema.parse(JSON.parse(readFileSync(join(REAL_GOLD_DIR, f), "utf8"))), id: f.replace(/\.json$/, "") }));
}

export interface RealFileResult extends PRF {
  id: string;
  family: string;
  format: string;
  documents: { expected: number; found: number };
  error: string | null;
  /** Error-severity findings of `check` on the file's labelled documents. `expected`: a true defect listed in
   * the expected values; `misread`: the field it names was read wrong. Unexpected ones are false errors. */
  errorFindings: { document: number; code: string; label: string; expected: boolean; misread: boolean }[];
  wrong: FieldDiff[];
  fields: number;
}

export interface RealResult {
  files: RealFileResult[];
  byFamily: Record<string, PRF & { files: number }>;
  byFormat: Record<string, PRF & { files: number }>;
  overall: PRF & { files: number; documentsRight: number; errorFindings: number; falseErrors: number; misreadErrors: number };
}

const sum = (xs: Counts[]): Counts => xs.reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }), { tp: 0, fp: 0, fn: 0 });

export async function runRealEval(log: (s: string) => void = () => {}): Promise<RealResult> {
  const files: RealFileResult[] = [];
  for (const g of loadRealGold()) {
    const path = join(REAL_DIR, g.source);
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    const gold: unknown[] = [];
    const ours: unknown[] = [];
    for (const d of g.documents) {
      gold.push(d.doc);
      ours.push(r.documents[d.index] ?? {});
    }
    const s = scoreExtraction(gold, ours, { strict: true });
    // A missing or extra document beyond the listed ones counts once per document.
    const countDiff = Math.abs(r.documents.length - g.document_count);
    const checked = checkExtracted(r, defaultProfile());
    // Wrong fields per document index ("documents[k].x" → the k-th listed document's index).
    const wrongAt = new Map<number, string[]>();
    for (const w of s.wrong) {
      const m = /^documents\[(\d+)\]\.?(.*)$/.exec(w.path);
      if (!m) continue;
      const idx = g.documents[Number(m[1])]!.index;
      wrongAt.set(idx, [...(wrongAt.get(idx) ?? []), m[2]!]);
    }
    const errorFindings = checked.documents.flatMap((d, i) => {
      const labelled = g.documents.find((x) => x.index === i);
      if (!labelled) return [];
      return d.findings
        .filter((f) => f.severity === "error")
        .map((f) => {
          const field = f.where.field ?? "";
          const wrong = wrongAt.get(i) ?? [];
          const misread = field !== "" && wrong.some((p) => p.startsWith(field) || field.startsWith(p.replace(/\.length$/, "")));
          return { document: i, code: f.code, label: f.where.label, expected: (labelled.errors ?? []).includes(f.code), misread };
        });
    });
    const res: RealFileResult = {
      id: g.id,
      family: g.family,
      format: g.format,
      documents: { expected: g.document_count, found: r.documents.length },
      error: r.error?.code ?? null,
      errorFindings,
      wrong: s.wrong,
      fields: s.fields,
      ...prf({ tp: s.tp, fp: s.fp + (r.documents.length > g.document_count ? countDiff : 0), fn: s.fn + (r.documents.length < g.document_count ? countDiff : 0) }),
    };
    files.push(res);
    const falseErrors = errorFindings.filter((e) => !e.expected).length;
    log(`  ${res.id.padEnd(48)} P ${pc(res.precision)}  R ${pc(res.recall)}  F1 ${pc(res.f1)}  文档 ${res.documents.found}/${res.documents.expected}  错误级问题 ${errorFindings.length}（非真实缺陷 ${falseErrors}）${res.error ? `  读取失败 ${res.error}` : ""}`);
  }
  const group = (key: (f: RealFileResult) => string) => {
    const out: Record<string, PRF & { files: number }> = {};
    for (const k of [...new Set(files.map(key))]) {
      const xs = files.filter((f) => key(f) === k);
      out[k] = { ...prf(sum(xs)), files: xs.length };
    }
    return out;
  };
  return {
    files,
    byFamily: group((f) => f.family),
    byFormat: group((f) => f.format),
    overall: {
      ...prf(sum(files)),
      files: files.length,
      documentsRight: files.filter((f) => f.documents.found === f.documents.expected).length,
      errorFindings: files.reduce((n, f) => n + f.errorFindings.length, 0),
      falseErrors: files.reduce((n, f) => n + f.errorFindings.filter((e) => !e.expected).length, 0),
      misreadErrors: files.reduce((n, f) => n + f.errorFindings.filter((e) => e.misread).length, 0),
    },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const showWrong = process.argv.includes("--wrong");
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
  const r = await runRealEval(console.log);
  for (const [k, v] of Object.entries(r.byFamily)) console.log(`  [${k}] P ${pc(v.precision)} R ${pc(v.recall)} F1 ${pc(v.f1)}`);
  console.log(`  合计 P ${pc(r.overall.precision)} R ${pc(r.overall.recall)} F1 ${pc(r.overall.f1)}`);
  if (showWrong) {
    for (const f of r.files) {
      if (only && !f.id.includes(only)) continue;
      for (const w of f.wrong) console.log(`    ${f.id} ${w.path}: 应为 ${JSON.stringify(w.expected)?.slice(0, 80)} 实为 ${JSON.stringify(w.actual)?.slice(0, 80)}`);
      for (const e of f.errorFindings) console.log(`    ${f.id} 错误级${e.expected ? "（真实缺陷）" : e.misread ? "（误读）" : "（非真实缺陷）"} ${e.code} [${e.document}] ${e.label}`);
    }
  }
}
