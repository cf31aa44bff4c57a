// The compact, verified data given to the LLM drafter: one project's table values and the scorer's
// results, without provenance or other projects (the prompt must stay small: issue target ≤ 20% of
// the naive whole-document prompt).
import type { SelfEvalDoc } from "../domain/document.ts";
import type { Profile } from "../score/profile.ts";
import { FUND_ROW_LABELS, SOURCE_ROWS } from "../domain/selfEvalForm.ts";
import { scoreDocument } from "../score/index.ts";
import { pct } from "../score/decimal.ts";
import { gradeOf } from "../score/profile.ts";
import { isPlaceholder } from "../domain/text.ts";

export function draftData(doc: SelfEvalDoc, profile: Profile): string {
  const sc = scoreDocument(doc, profile);
  const f = doc.funds;
  const row = (r: typeof f.total) => [r.initial, r.adjusted, r.executed];
  const sources: Record<string, (number | null)[]> = {};
  for (const k of SOURCE_ROWS) {
    if (row(f[k]).some((v) => v !== null && v !== 0)) sources[FUND_ROW_LABELS[k].name] = row(f[k]);
  }
  // Short keys and arrays: the whole prompt must stay under 20% of the naive whole-file prompt.
  const data: Record<string, unknown> = {
    项目: doc.name,
    主管: doc.department,
    实施: doc.implementer === doc.department ? null : doc.implementer,
    年度: doc.year,
    "资金(万元)[年初,全年预算,全年执行]": { 合计: row(f.total), ...sources },
    执行率: sc.execution.rate === null ? "无法计算" : pct(sc.execution.rate),
    执行率得分: f.total.score,
    目标: doc.goals.expected,
    完成: doc.goals.actual,
    "指标[二级(空=同上),三级,指标值,完成值,分值,得分,偏差原因]": doc.indicators.map((i, k) =>
      trimNulls([k > 0 && doc.indicators[k - 1]!.level2 === i.level2 ? "" : (i.level2 ?? "").replace(/指标$/, ""), i.level3, i.target, i.actual, i.weight, i.score, isPlaceholder(i.deviation) ? null : i.deviation]),
    ),
    总分: doc.total.score,
    各项得分合计: sc.total.sumOfPrinted,
    等级: doc.total.score !== null ? gradeOf(doc.total.score, profile) : null,
  };
  for (const k of Object.keys(data)) if (data[k] === null || data[k] === undefined) delete data[k];
  return JSON.stringify(data);
}

function trimNulls<T>(xs: (T | null)[]): (T | null)[] {
  let n = xs.length;
  while (n > 0 && xs[n - 1] === null) n--;
  return xs.slice(0, n);
}

/** Last year's report as a style example, shortened: headings plus the start of each section. */
export function styleExample(doc: SelfEvalDoc | undefined, maxPerSection = 16): string {
  if (!doc?.report) return "";
  // The opening words of each section show the register; the headings are already in the prompt.
  return doc.report.sections
    .filter((s) => s.text_present)
    .map((s) => `${s.heading.slice(0, 2)}${s.text.replace(/\s+/g, "").slice(0, maxPerSection)}…`)
    .join("\n");
}

/** Rough token count used for prompt budgets: one token per CJK character, one per 4 other characters. */
export function estimateTokens(text: string): number {
  const cjk = (text.match(/[\u3000-\u9fff\uff00-\uffef]/g) ?? []).length;
  const other = text.replace(/[\u3000-\u9fff\uff00-\uffef\s]/g, "").length;
  return cjk + Math.ceil(other / 4);
}
