// Review items against the labels written by reading the development workbooks (evals/data/real, the
// `review` of each labelled project): precision / recall per item, and how many findings a project gets
// from `check` before and after grouping. Run alone: `npx tsx evals/review.ts [--wrong]`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { extractBuffer } from "../src/pipeline.ts";
import { reviewDocuments } from "../src/review/index.ts";
import { DEFAULT_CHECKLIST } from "../src/review/checklist.ts";
import { checkExtracted } from "../src/check.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { loadRealGold, REAL_DIR } from "./real.ts";
import { prf, pc, type PRF } from "./extraction.ts";
import { atomsOf } from "../src/validate/group.ts";

export interface ReviewEvalResult {
  projects: number;
  byItem: Record<string, PRF>;
  overall: PRF;
  /** Items below the 0.9 goal in precision or recall. */
  belowGoal: string[];
  mismatches: { file: string; index: number; name: string | null; missed: string[]; extra: string[] }[];
  /** `check` findings per labelled project: as the validator raises them (one per code and cell) and as
   * `check` reports them (grouped: one per fault on a cell, one per code on a document). */
  findingsPerProject: { before: { median: number; mean: number }; after: { median: number; mean: number } };
}

const stats = (xs: number[]) => ({ median: median(xs), mean: Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 10) / 10 });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : 0;
};

export async function runReviewEval(log: (s: string) => void = () => {}): Promise<ReviewEvalResult> {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>(DEFAULT_CHECKLIST.items.map((i) => [i.name, { tp: 0, fp: 0, fn: 0 }]));
  const mismatches: ReviewEvalResult["mismatches"] = [];
  const perProject: number[] = [];
  const perProjectRaw: number[] = [];
  let projects = 0;
  for (const g of loadRealGold()) {
    const labelled = g.documents.filter((d) => d.review);
    if (!labelled.length) continue;
    const path = join(REAL_DIR, g.source);
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    const reviews = reviewDocuments(r.documents, path);
    const checked = checkExtracted(r, defaultProfile());
    for (const d of labelled) {
      projects++;
      const ours = new Set(reviews.find((x) => x.document === d.index)?.items ?? []);
      const want = new Set(d.review!.items);
      for (const name of new Set([...ours, ...want])) {
        const c = counts.get(name) ?? { tp: 0, fp: 0, fn: 0 };
        if (ours.has(name) && want.has(name)) c.tp++;
        else if (ours.has(name)) c.fp++;
        else c.fn++;
        counts.set(name, c);
      }
      const missed = [...want].filter((x) => !ours.has(x));
      const extra = [...ours].filter((x) => !want.has(x));
      if (missed.length || extra.length) mismatches.push({ file: g.id, index: d.index, name: (d.doc.name as string) ?? null, missed, extra });
      perProject.push(checked.documents[d.index]?.findings.length ?? 0);
      perProjectRaw.push(checked.documents[d.index]?.findings.flatMap(atomsOf).length ?? 0);
    }
  }
  const byItem: Record<string, PRF> = {};
  for (const [k, v] of counts) byItem[k] = prf(v);
  const overall = prf([...counts.values()].reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }), { tp: 0, fp: 0, fn: 0 }));
  const belowGoal = Object.entries(byItem)
    .filter(([, v]) => v.tp + v.fp + v.fn > 0 && (v.precision < 0.9 || v.recall < 0.9))
    .map(([k]) => k);
  for (const [k, v] of Object.entries(byItem)) if (v.tp + v.fp + v.fn > 0) log(`  ${k.padEnd(16, "　")} P ${pc(v.precision)}  R ${pc(v.recall)}  (TP ${v.tp} FP ${v.fp} FN ${v.fn})`);
  return {
    projects,
    byItem,
    overall,
    belowGoal,
    mismatches,
    findingsPerProject: { before: stats(perProjectRaw), after: stats(perProject) },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const r = await runReviewEval(console.log);
  console.log(`  合计（${r.projects} 个项目）P ${pc(r.overall.precision)} R ${pc(r.overall.recall)}；未达 0.9 的审核项：${r.belowGoal.join("、") || "无"}；每个项目的 check 问题数中位数：合并前 ${r.findingsPerProject.before.median}，合并后 ${r.findingsPerProject.after.median}`);
  if (process.argv.includes("--wrong")) for (const m of r.mismatches) console.log(`    ${m.file}[${m.index}] ${m.name?.slice(0, 24)}  漏 ${m.missed.join("、") || "—"}  多 ${m.extra.join("、") || "—"}`);
}
