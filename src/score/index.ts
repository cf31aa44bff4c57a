// Recomputed scores of a 自评表 beside the printed ones, each with its formula.
import type { SelfEvalDoc } from "../domain/document.ts";
import { fmt, roundHalfUp, sum } from "./decimal.ts";
import { scoreExecution } from "./execution.ts";
import { scoreRatio } from "./indicator.ts";
import { gradeOf, type Profile } from "./profile.ts";
import { groupRatio, scoredLines } from "./lines.ts";

export interface LineScore {
  /** Index of the first indicator of the line (a shared-score group counts once). */
  index: number;
  /** Indicators scored together on this line. */
  group: number[];
  weight: number | null;
  printed: number | null;
  /** Recomputed by formula; null when the values are not comparable numbers. */
  computed: number | null;
  formula: string;
}

export interface DocumentScore {
  profile: string;
  execution: { weight: number; printed: number | null; computed: number | null; rate: number | null; formula: string };
  lines: LineScore[];
  total: {
    printed: number | null;
    /** Σ printed line scores (with the execution score). */
    sumOfPrinted: number;
    /** Σ recomputed scores, taking the printed score where a line is not computable. */
    recomputed: number;
    grade: string;
  };
}

export function scoreDocument(doc: SelfEvalDoc, profile: Profile): DocumentScore {
  const exec = scoreExecution(doc.funds.total, profile.weights.execution);
  const lines: LineScore[] = [];
  for (const { i: k, group } of scoredLines(doc.indicators)) {
    const ind = doc.indicators[k]!;
    const ratios = group.map((g) => scoreRatio(doc.indicators[g]!.target, doc.indicators[g]!.actual, profile, { costLike: /成本/.test(doc.indicators[g]!.level2 ?? "") }));
    let computed: number | null = null;
    let formula: string;
    if (ind.weight !== null && ratios.every((r) => r.ratio !== null)) {
      const ratio = groupRatio(ratios.map((r) => r.ratio!));
      computed = roundHalfUp(ind.weight * ratio, 2);
      formula = `${ratios.map((r) => r.formula).join("；")} → ${fmt(ind.weight)} × ${fmt(ratio * 100)}% = ${fmt(computed)} 分`;
    } else {
      formula = ind.weight === null ? "无分值" : ratios.find((r) => r.ratio === null)!.formula + "，以填报得分为准";
    }
    lines.push({ index: k, group, weight: ind.weight, printed: ind.score, computed, formula });
  }
  const sumOfPrinted = sum([doc.funds.total.score ?? 0, ...lines.map((l) => l.printed ?? 0)]);
  const recomputed = sum([exec.score ?? 0, ...lines.map((l) => l.computed ?? l.printed ?? 0)]);
  return {
    profile: profile.name,
    execution: { weight: exec.weight, printed: doc.funds.total.score, computed: exec.score, rate: exec.rate, formula: exec.formula },
    lines,
    total: { printed: doc.total.score, sumOfPrinted, recomputed, grade: gradeOf(recomputed, profile) },
  };
}
