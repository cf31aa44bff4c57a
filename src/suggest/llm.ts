// LLM proposals for vague targets, from the project's context. Each proposal must pass the same
// vagueness and unit checks as the deterministic ones, and a cost proposal may not exceed the budget;
// anything else is discarded (and counted, so the UI can say so).
import type { SelfEvalDoc } from "../domain/document.ts";
import type { Suggestion } from "../domain/finding.ts";
import type { Llm } from "../llm/index.ts";
import { SuggestTargetsOutputSchema } from "../llm/index.ts";
import { vagueTarget } from "../validate/vague.ts";
import { moneyWan } from "../validate/indicators.ts";
import { isMeasurable } from "./index.ts";

export interface LlmSuggestions {
  /** indicator index → accepted proposal */
  accepted: Map<number, Suggestion>;
  discarded: { index: number; target: string; reason: string }[];
  promptVersion: string;
}

export async function suggestWithLlm(doc: SelfEvalDoc, llm: Llm): Promise<LlmSuggestions | null> {
  const vague = doc.indicators.map((ind, i) => ({ ind, i })).filter(({ ind }) => vagueTarget(ind.target).vague);
  if (vague.length === 0) return null;
  const project = JSON.stringify({
    项目名称: doc.name,
    年度: doc.year,
    资金: { 年初预算数: doc.funds.total.initial, 全年预算数: doc.funds.total.adjusted, 全年执行数: doc.funds.total.executed, 单位: doc.unit ?? "万元" },
    年度总体目标: doc.goals.expected,
    其他指标: doc.indicators.filter((x) => !vagueTarget(x.target).vague).map((x) => [x.level2, x.level3, x.target, x.actual]),
  });
  const targets = JSON.stringify(vague.map(({ ind, i }) => ({ index: i, 一级: ind.level1, 二级: ind.level2, 三级: ind.level3, 指标值: ind.target, 完成值: ind.actual })));
  const r = await llm.structured({ prompt: "suggest-targets", vars: { project, targets }, schema: SuggestTargetsOutputSchema, schemaName: "suggest_targets" });
  const accepted = new Map<number, Suggestion>();
  const discarded: LlmSuggestions["discarded"] = [];
  const budget = Math.max(doc.funds.total.adjusted ?? 0, doc.funds.total.initial ?? 0);
  for (const s of r.data.suggestions) {
    const ind = doc.indicators[s.index];
    if (!ind || !vague.some((v) => v.i === s.index)) {
      discarded.push({ index: s.index, target: s.target, reason: "不是需要改写的指标" });
      continue;
    }
    if (!isMeasurable(s.target)) {
      discarded.push({ index: s.index, target: s.target, reason: "仍不可衡量（缺少数值或单位）" });
      continue;
    }
    const wan = moneyWan(s.target);
    if (/成本/.test(ind.level2 ?? "") && wan !== null && budget > 0 && wan > budget + 0.005) {
      discarded.push({ index: s.index, target: s.target, reason: `成本 ${wan} 万元超过项目预算 ${budget} 万元` });
      continue;
    }
    accepted.set(s.index, { text: s.target, basis: s.basis, field: `indicators[${s.index}].target`, value: s.target, source: "llm" });
  }
  return { accepted, discarded, promptVersion: `${r.prompt}@${r.promptVersion}` };
}
