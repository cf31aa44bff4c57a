// Target and indicator quality (domain.md §3.3, §3.4, §4.2).
import { z } from "zod";
import type { Finding } from "../domain/finding.ts";
import type { SelfEvalDoc } from "../domain/document.ts";
import { finding } from "./catalogue.ts";
import { isPlaceholderText } from "../domain/vocabulary.ts";
import { level1Group, q, whereDoc, whereIndicator, type SelfEvalContext } from "./context.ts";
import { hasDigit, normalizeValue, vagueActual, vagueTarget } from "./vague.ts";
import { parseQuantity } from "../score/quantity.ts";
import { suggestTarget } from "../suggest/index.ts";
import { fmt, sum, within } from "../score/decimal.ts";
import { squash, toHalfWidth } from "../domain/text.ts";
import fieldsData from "./data/fields.json" with { type: "json" };

const FIELDS = z.object({ fields: z.record(z.string(), z.array(z.string())) }).parse(fieldsData).fields;

export const SENTENCE_VERBS = /^(加强|做好|维护|开展|推进|推动|提高|完善|确保|实现|保障|落实|强化|深入|坚持|组织|按照)/;

/** 万元 amount written in a cost text ("30.0万元", "66.44万", "50000元"); null when none or several. */
export function moneyWan(text: string | null): number | null {
  if (!text) return null;
  const t = squash(toHalfWidth(text)).replace(/(\d),(?=\d{3})/g, "$1");
  const ms = [...t.matchAll(/(\d+(?:\.\d+)?)(万元|万|元)/g)];
  if (ms.length !== 1) return null;
  const v = Number(ms[0]![1]);
  return ms[0]![2] === "元" ? v / 1e4 : v;
}

const isUnitCost = (t: string) => /\/(人|次|个|户|场|件)|每(人|次|个|户|场|件)|单价|人均|户均/.test(t);

export function fieldsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const [field, words] of Object.entries(FIELDS)) if (words.some((w) => text.includes(w))) out.add(field);
  return out;
}

/** Fields named by the indicator but by none of the project's own texts, or null when it fits. */
export function irrelevantFields(indicatorText: string, projectText: string): string[] | null {
  const ind = fieldsOf(indicatorText);
  if (ind.size === 0) return null;
  const proj = fieldsOf(projectText);
  if (proj.size === 0) return null;
  if ([...ind].some((f) => proj.has(f))) return null;
  return [...ind];
}

export function checkIndicators(ctx: SelfEvalContext): Finding[] {
  const out: Finding[] = [];
  const { doc } = ctx;
  doc.indicators.forEach((ind, i) => {
    // A 不适用 / 无 / / row says the dimension does not apply: it raises nothing about its wording.
    if (isPlaceholderText(ind.level3) || isPlaceholderText(ind.target)) return;
    const pv = doc.provenance.indicators[i]!;
    const w = (f: string) => whereIndicator(ctx, i, f);
    const vt = vagueTarget(ind.target);
    if (vt.vague) {
      out.push(
        finding("VAGUE_TARGET", {
          where: w("target"),
          message: `指标值${q(ind.target)}没有数值${vt.boolean ? "（只写了“是/否”）" : vt.words.length ? `（含“${vt.words[0]}”等不可衡量的词）` : ""}，无法判断是否完成。`,
          suggestion: suggestTarget(doc, i),
          provenance: [pv.target],
        }),
      );
    }
    if (vagueActual(ind.actual, ind.target)) {
      out.push(
        finding("VAGUE_ACTUAL", {
          where: w("actual"),
          message: hasDigit(ind.target)
            ? `指标值为${q(ind.target)}，实际完成值却只写${q(ind.actual)}，无法与指标值比较。`
            : `实际完成值只写${q(ind.actual)}，没有实际完成的数量或程度。`,
          provenance: [pv.target, pv.actual],
        }),
      );
    }
    if (ind.target && ind.actual && !hasDigit(ind.target) && normalizeValue(ind.target) !== "" && normalizeValue(ind.target) === normalizeValue(ind.actual)) {
      out.push(
        finding("TARGET_EQUALS_ACTUAL_TEXT", {
          // The fault is the target (vague, then copied): it is reported on the target's cell, with the
          // vague-target and repeated-name findings of that cell (one fault, one finding).
          where: w("target"),
          message: `指标值与完成值都是${q(ind.target)}，完成情况无法核实。`,
          provenance: [pv.target, pv.actual],
        }),
      );
    }
    const name = ind.level3 ? squash(ind.level3) : "";
    // domain.md §4.2: name == 指标值, or the target only restates the name (no value of its own), or the
    // name itself holds the value (a digit with unit, or an operator) while the target is not measurable.
    const target = ind.target ? squash(ind.target) : "";
    const restates = name && target && (name === target || (name.length > 4 && target.startsWith(name) && !hasDigit(target.slice(name.length))));
    const nameHoldsValue = name && target && /[≥≤<>＞＜]|\d+(\.\d+)?\s*(%|个|人|场|次|件|户|项|万元|元)|以上|以下/.test(name) && !hasDigit(target);
    if (restates || nameHoldsValue) {
      out.push(
        finding("TARGET_REPEATS_NAME", {
          where: w("target"),
          message: restates
            ? `指标值${q(ind.target)}重复了三级指标名称${q(ind.level3)}，没有单独给出目标数值。`
            : `目标数值写在了三级指标名称${q(ind.level3)}里，指标值只写${q(ind.target)}。`,
          provenance: [pv.level3, pv.target],
        }),
      );
    }
    if (name && (name.length > 20 || /。$/.test(name) || SENTENCE_VERBS.test(name))) {
      out.push(
        finding("NAME_IS_SENTENCE", {
          where: w("level3"),
          message: `三级指标${q(ind.level3)}是一句话，不是指标名称。`,
          provenance: [pv.level3],
        }),
      );
    }
    const tq = parseQuantity(ind.target);
    if (tq && tq.unit === null && !/%/.test(ind.target ?? "")) {
      out.push(finding("MISSING_UNIT", { where: w("target"), message: `指标值${q(ind.target)}有数值但没有计量单位。`, provenance: [pv.target] }));
    }
    if (tq && tq.op === null && tq.upper === undefined) {
      out.push(finding("MISSING_OPERATOR", { where: w("target"), message: `指标值${q(ind.target)}没有写明 ≥、≤ 或 =。`, provenance: [pv.target] }));
    }
    if (/时效/.test(ind.level2 ?? "") && ind.target && !hasDeadline(ind.target)) {
      out.push(
        finding("TIMELINESS_NO_DATE", {
          where: w("target"),
          message: `时效指标的指标值${q(ind.target)}没有具体日期或时限。`,
          provenance: [pv.target],
        }),
      );
    }
    const group = level1Group(ind.level1, ind.level2);
    if (group === "output" && [ind.level3, ind.target].some((t) => /(财政拨款|拨款|资金|经费)\s*[\d０-９]|资金支付完成/.test(t ?? ""))) {
      const isCost = /成本/.test(ind.level2 ?? "");
      out.push(
        finding("INPUT_AS_OUTPUT", {
          where: w("target"),
          message: `${q(ind.level3)}/${q(ind.target)}写的是资金来源（拨款），不是${isCost ? "本项目的成本" : "产出"}。`,
          fix: isCost ? "成本指标写本项目的总成本或单位成本，如“项目总成本 ≤ 全年预算数”，不写拨款来源。" : undefined,
          provenance: [pv.level3, pv.target],
        }),
      );
    }
    if (group === "satisfaction") {
      const surveyed = (doc.report?.sections ?? []).some((s) => /问卷|调查|样本|测评|回访/.test(s.text));
      const hasPct = /%|％/.test(ind.target ?? "");
      if (!hasPct || !surveyed) {
        out.push(
          finding("SATISFACTION_NO_SURVEY", {
            where: w("target"),
            message: !hasPct
              ? `满意度指标值${q(ind.target)}不是百分比。`
              : doc.report
                ? `满意度${q(ind.target)}→${q(ind.actual)}，但报告中没有说明调查方式、样本量。`
                : `满意度${q(ind.target)}→${q(ind.actual)}：本文件没有自评报告，需在报告中说明调查方式、样本量。`,
            provenance: [pv.target, pv.actual],
          }),
        );
      }
    }
    const projectText = [doc.name, doc.goals.expected, doc.report?.sections[0]?.text].filter(Boolean).join(" ");
    const irr = irrelevantFields(`${ind.level3 ?? ""} ${ind.target ?? ""}`, projectText);
    if (irr) {
      out.push(
        finding("INDICATOR_IRRELEVANT", {
          where: w("level3"),
          message: `${q(ind.level3)}属于“${irr.join("、")}”领域，与本项目（${doc.name ?? "未命名"}）的内容无关。`,
          provenance: [pv.level3, pv.target],
        }),
      );
    }
  });
  out.push(...checkCost(ctx), ...checkWeightAsTarget(ctx), ...checkDimensions(ctx));
  return out;
}

export function hasDeadline(t: string): boolean {
  const s = squash(toHalfWidth(t));
  return (
    /\d{1,2}月(\d{1,2}日)?(前|之前|以前|内|底|末)?/.test(s) ||
    /%/.test(s) ||
    /\d+(个)?(工作日|日|天|小时|周|个月)(内|以内|之内)/.test(s) ||
    /[≤<]\d+(个)?(工作日|日|天|小时|周|个月)/.test(s) ||
    /\d{4}[-./]\d{1,2}/.test(s) ||
    /(年底|年末|季度末|上半年|下半年)前/.test(s)
  );
}

function checkCost(ctx: SelfEvalContext): Finding[] {
  const { doc, profile } = ctx;
  const idx = doc.indicators.map((ind, i) => ({ ind, i })).filter(({ ind }) => /成本/.test(`${ind.level1 ?? ""}${ind.level2 ?? ""}`));
  const amounts = idx
    .filter(({ ind }) => ind.target && !isUnitCost(ind.target))
    .map(({ ind, i }) => ({ i, v: moneyWan(ind.target) }))
    .filter((x): x is { i: number; v: number } => x.v !== null);
  if (amounts.length === 0) return [];
  const total = sum(amounts.map((a) => a.v));
  const t = doc.funds.total;
  const budgets = [t.initial, t.adjusted, t.executed].filter((x): x is number => x !== null && x > 0);
  if (budgets.length === 0 || budgets.some((b) => within(b, total, profile.tolerance.line))) return [];
  // Ceilings ("≤4万元", "不超过4万元") state a cap, not the total: only exceeding the budget is wrong
  // (domain.md §3.4). Plain amounts itemise the project's cost and must add up to it (001 gold: 72.7 ≠ 73.6).
  const ceilings = amounts.every((a) => /[≤<]|不超过|不高于|以内|以下|控制在/.test(doc.indicators[a.i]!.target ?? ""));
  if (ceilings && total <= Math.max(...budgets) + profile.tolerance.line) return [];
  const parts = amounts.length > 1 ? `${amounts.map((a) => fmt(a.v, 4)).join(" + ")} = ${fmt(total, 4)}` : fmt(total, 4);
  return [
    finding("COST_BUDGET_MISMATCH", {
      where: whereIndicator(ctx, amounts[0]!.i, "target"),
      message: `成本指标合计 ${parts} 万元，与本项目年初预算数 ${t.initial ?? "（空）"}、全年预算数 ${t.adjusted ?? "（空）"}、全年执行数 ${t.executed ?? "（空）"} 万元均不一致。`,
      provenance: [...amounts.map((a) => doc.provenance.indicators[a.i]?.target), doc.provenance.funds.total.initial, doc.provenance.funds.total.adjusted],
    }),
  ];
}

function checkWeightAsTarget(ctx: SelfEvalContext): Finding[] {
  const { doc } = ctx;
  const hits = doc.indicators
    .map((ind, i) => ({ ind, i }))
    .filter(({ ind }) => {
      const t = squash(toHalfWidth(ind.target ?? ""));
      return /^\d{1,3}\/100$/.test(t) || (ind.weight !== null && /^\d{1,3}$/.test(t) && Number(t) === ind.weight);
    });
  if (hits.length < 2) return [];
  return [
    finding("WEIGHT_AS_TARGET", {
      where: whereDoc(ctx, "年度指标值"),
      message: `${hits.length} 项指标的指标值是分值（如${q(hits[0]!.ind.target)}），不是目标数值。`,
      provenance: hits.map((h) => doc.provenance.indicators[h.i]?.target),
    }),
  ];
}

const LEVEL2_EXPECTED: Record<"output" | "benefit", { name: string; re: RegExp }[]> = {
  output: [
    { name: "数量指标", re: /数量/ },
    { name: "质量指标", re: /质量/ },
    { name: "时效指标", re: /时效/ },
    { name: "成本指标", re: /成本/ },
  ],
  benefit: [
    { name: "经济效益指标", re: /经济/ },
    { name: "社会效益指标", re: /社会/ },
    { name: "生态效益指标", re: /生态|环境/ },
    { name: "可持续影响指标", re: /可持续/ },
  ],
};

function checkDimensions(ctx: SelfEvalContext): Finding[] {
  const { doc, profile } = ctx;
  if (doc.indicators.length === 0) return [];
  const out: Finding[] = [];
  const groups = new Set(doc.indicators.map((i) => level1Group(i.level1, i.level2)));
  const missing: string[] = [];
  if (!groups.has("output") && !groups.has("cost")) missing.push("产出指标");
  if (!groups.has("benefit")) missing.push("效益指标");
  if (missing.length) {
    out.push(finding("MISSING_CORE_DIMENSION", { where: whereDoc(ctx, "绩效指标"), message: `缺少${missing.join("、")}。` }));
  }
  if (!groups.has("satisfaction") && profile.weights.satisfaction > 0) {
    // An error only when the table leaves room for it: weights already summing to 100 without 满意度
    // are an adjusted first-level weighting (allowed), so only an info then.
    const used = sum([doc.funds.total.weight ?? profile.weights.execution, ...doc.indicators.map((i) => i.weight ?? 0)]);
    const adjusted = within(used, 100, profile.tolerance.line);
    out.push(
      finding("MISSING_CORE_DIMENSION", {
        severity: adjusted ? "info" : "error",
        where: whereDoc(ctx, "满意度指标"),
        message: adjusted ? "没有满意度指标（其余指标权重已合计 100，视为调整了一级指标权重）。" : "缺少满意度指标，而满意度默认应占 10 分。",
        fix: "补充服务对象满意度指标（如“服务对象满意度 ≥90%（问卷调查）”）；确不适用的，在报告中说明权重调整理由。",
      }),
    );
  }
  const level2s = doc.indicators.map((i) => ({ g: level1Group(i.level1, i.level2), l2: i.level2 ?? "" }));
  for (const g of ["output", "benefit"] as const) {
    if (!groups.has(g)) continue;
    const absent = LEVEL2_EXPECTED[g].filter((e) => !level2s.some((x) => (x.g === g || (g === "output" && x.g === "cost")) && e.re.test(x.l2)));
    if (absent.length) {
      out.push(
        finding("MISSING_CORE_DIMENSION", {
          severity: "info",
          where: whereDoc(ctx, g === "output" ? "产出指标" : "效益指标"),
          message: `${g === "output" ? "产出指标" : "效益指标"}下没有${absent.map((a) => a.name).join("、")}（不必为凑类别而设指标，确有相关内容时再补充）。`,
          fix: "如项目确有相应产出或效益，补充可衡量的指标；不相关的类别可以不设。",
        }),
      );
    }
  }
  return out;
}

export type { SelfEvalDoc };
