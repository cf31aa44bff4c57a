// The compact, verified data given to the LLM drafter: one project's table values and the scorer's
// results, without provenance or other projects (the prompt must stay small: issue target ≤ 20% of
// the naive whole-document prompt).
import type { SelfEvalDoc } from "../domain/document.ts";
import type { Profile } from "../score/profile.ts";
import { scoreDocument } from "../score/index.ts";
import { pct } from "../score/decimal.ts";
import { gradeOf } from "../score/profile.ts";

export function draftData(doc: SelfEvalDoc, profile: Profile): string {
  const sc = scoreDocument(doc, profile);
  const f = doc.funds;
  const row = (r: typeof f.total) => [r.initial, r.adjusted, r.executed];
  const data = {
    项目名称: doc.name,
    主管部门: doc.department,
    实施单位: doc.implementer,
    年度: doc.year,
    单位: doc.unit ?? "万元",
    资金: { 说明: "[年初预算数, 全年预算数, 全年执行数]", 合计: row(f.total), 当年财政拨款: row(f.fiscal), 上年结转资金: row(f.carryover), 其他资金: row(f.other) },
    执行率: sc.execution.rate === null ? "无法计算（全年预算数为0或空）" : pct(sc.execution.rate),
    执行率得分: [f.total.score, f.total.weight],
    年度总体目标: { 预期: doc.goals.expected, 实际: doc.goals.actual },
    指标: doc.indicators.map((i) => [i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score, i.deviation]),
    指标列: ["一级", "二级", "三级", "指标值", "完成值", "分值", "得分", "偏差原因"],
    总分: doc.total.score,
    各项得分合计: sc.total.sumOfPrinted,
    等级: doc.total.score !== null ? gradeOf(doc.total.score, profile) : null,
  };
  return JSON.stringify(data);
}

/** Last year's report as a style example, shortened: headings plus the start of each section. */
export function styleExample(doc: SelfEvalDoc | undefined, maxPerSection = 60): string {
  if (!doc?.report) return "";
  return doc.report.sections.map((s) => `${s.heading}\n${s.text.replace(/\s+/g, "").slice(0, maxPerSection)}…`).join("\n");
}

/** Rough token count used for prompt budgets: one token per CJK character, one per 4 other characters. */
export function estimateTokens(text: string): number {
  const cjk = (text.match(/[\u3000-\u9fff\uff00-\uffef]/g) ?? []).length;
  const other = text.replace(/[\u3000-\u9fff\uff00-\uffef\s]/g, "").length;
  return cjk + Math.ceil(other / 4);
}
