// Weights and scores (domain.md §2.1, §2.3, §2.5, §4.1): sums, missing or excessive scores,
// recomputed quantitative scores, deductions without reasons, the all-full-marks pattern.
import type { Finding } from "../domain/finding.ts";
import type { Indicator } from "../domain/document.ts";
import { finding } from "./catalogue.ts";
import { level1Group, q, whereDoc, whereIndicator, type SelfEvalContext } from "./context.ts";
import { fmt, roundHalfUp, sum, within } from "../score/decimal.ts";
import { scoreRatio } from "../score/indicator.ts";
import { scoreExecution } from "../score/execution.ts";
import { isPlaceholder, squash, toHalfWidth } from "../domain/text.ts";
import { groupRatio, scoredLines } from "../score/lines.ts";



export function checkScores(ctx: SelfEvalContext): Finding[] {
  const out: Finding[] = [];
  const { doc, profile } = ctx;
  const tol = profile.tolerance;
  const lines = scoredLines(doc.indicators);
  const execW = doc.funds.total.weight;
  const execS = doc.funds.total.score;

  // Σ weights = 100
  const weights = lines.map((l) => doc.indicators[l.i]!.weight);
  if (weights.some((w) => w !== null)) {
    // A blank 分值 on the 年度资金总额 row means the profile's execution weight, as the scorer assumes.
    const execWeightUsed = execW ?? profile.weights.execution;
    const total = sum([execWeightUsed, ...weights.map((w) => w ?? 0)]);
    const printed = doc.total.weight;
    if (!within(total, 100, tol.line) || (printed !== null && !within(printed, 100, tol.line))) {
      out.push(
        finding("WEIGHT_SUM_NOT_100", {
          where: whereDoc(ctx, "分值合计", "total.weight"),
          message: `预算执行率分值 ${fmt(execWeightUsed)}${execW === null ? "（未填，按默认）" : ""} + 各指标分值 ${fmt(sum(weights.map((w) => w ?? 0)))} = ${fmt(total)}${printed !== null ? `（表中总分值 ${fmt(printed)}）` : ""}，应为 100。`,
          provenance: [doc.provenance.total.weight, doc.provenance.funds.total.weight],
        }),
      );
    }
  }

  // First-level shares against the profile's defaults.
  const byGroup = { output: 0, benefit: 0, satisfaction: 0, cost: 0 };
  for (const l of lines) {
    const ind = doc.indicators[l.i]!;
    const g = level1Group(ind.level1, ind.level2);
    if (g && ind.weight !== null) byGroup[g] = sum([byGroup[g], ind.weight]);
  }
  const output = sum([byGroup.output, byGroup.cost]);
  const w = profile.weights;
  const execWeight = execW ?? w.execution;
  if (lines.length && (execWeight !== w.execution || output !== w.output || byGroup.benefit !== w.benefit || byGroup.satisfaction !== w.satisfaction) && !noteExplainsWeights(ctx)) {
    out.push(
      finding("WEIGHTS_NONSTANDARD", {
        where: whereDoc(ctx, "一级指标权重"),
        message: `一级指标权重为 预算执行率 ${fmt(execWeight)}、产出 ${fmt(output)}、效益 ${fmt(byGroup.benefit)}、满意度 ${fmt(byGroup.satisfaction)}，与${profile.label}的默认 ${w.execution}/${w.output}/${w.benefit}/${w.satisfaction} 不同，且未说明理由。`,
        provenance: lines.map((l) => ctx.doc.provenance.indicators[l.i]?.weight),
      }),
    );
  }

  // Per line: missing score, score over weight, recomputed score, shortfall with full marks, reasons.
  for (const l of lines) {
    const ind = doc.indicators[l.i]!;
    const pv = doc.provenance.indicators[l.i]!;
    const where = (f: string) => whereIndicator(ctx, l.i, f);
    if (ind.weight !== null && ind.score === null) {
      // A score cell with text that is not a number ("满分", "十分") is as unusable as a blank one.
      const written = pv.score?.text.replace(/\s+/g, "") ?? "";
      out.push(
        finding("SCORE_MISSING", {
          where: where("score"),
          message: written
            ? `${q(ind.level3 ?? ind.level2)}分值为 ${fmt(ind.weight)}，得分写成${q(written)}，不是数字。`
            : `${q(ind.level3 ?? ind.level2)}分值为 ${fmt(ind.weight)}，得分未填写。`,
          provenance: [pv.weight, pv.score],
        }),
      );
      continue;
    }
    if (ind.weight === null || ind.score === null) continue;
    if (ind.score < 0 || ind.score > ind.weight + tol.line) {
      out.push(
        finding(ind.score < 0 ? "SCORE_NEGATIVE" : "SCORE_EXCEEDS_WEIGHT", {
          where: where("score"),
          message: ind.score < 0 ? `得分 ${fmt(ind.score)} 为负数。` : `得分 ${fmt(ind.score)} 超过分值 ${fmt(ind.weight)}。`,
          fix: ind.score < 0 ? "得分应在 0 与分值之间。" : undefined,
          provenance: [pv.weight, pv.score],
        }),
      );
      continue;
    }
    // Recompute from the quantities of every indicator of the (shared-score) group.
    const ratios = l.group.map((gi) => scoreRatio(doc.indicators[gi]!.target, doc.indicators[gi]!.actual, profile, { costLike: /成本/.test(doc.indicators[gi]!.level2 ?? "") }));
    const computable = ratios.every((r) => r.ratio !== null);
    if (computable) {
      const ratio = groupRatio(ratios.map((r) => r.ratio!));
      const expected = roundHalfUp(ind.weight * ratio, 2);
      const shortfall = ratio < 1 - 1e-9;
      if (shortfall && within(ind.score, ind.weight, tol.line)) {
        out.push(
          finding("SHORTFALL_FULL_SCORE", {
            where: where("score"),
            message: `${q(ind.level3)}未达到指标值（${ratios.map((r) => r.formula).join("；")}），却得了满分 ${fmt(ind.score)}。`,
            suggestion: { text: fmt(expected), basis: `按完成比例计分：${fmt(ind.weight)} × ${fmt(ratio * 100)}% = ${fmt(expected)} 分`, field: `indicators[${l.i}].score`, value: expected, source: "rule" },
            provenance: [pv.target, pv.actual, pv.score],
          }),
        );
      } else if (!within(ind.score, expected, tol.line) && !(ratio >= 1 && hasReason(ind))) {
        // A deduction despite meeting the target is allowed when explained (domain.md §2.3:
        // a target set clearly too low); any other difference from the formula is flagged.
        out.push(
          finding("QUANT_SCORE_MISCALC", {
            where: where("score"),
            message: `${q(ind.level3)}得分 ${fmt(ind.score)}，按计分公式应为 ${fmt(expected)}（${ratios.map((r) => r.formula).join("；")}）。`,
            suggestion: { text: fmt(expected), basis: ratios.map((r) => r.formula).join("；"), field: `indicators[${l.i}].score`, value: expected, source: "rule" },
            provenance: [pv.target, pv.actual, pv.score],
          }),
        );
      }
      // Large over-achievement needs an explanation (domain.md §2.5, 广西 rule).
      for (const [k, r] of ratios.entries()) {
        const gi = l.group[k]!;
        const t = r.target;
        const a = r.actual;
        if (!t || !a || r.method !== "positive" || !(t.op === "≥" || t.op === ">" || t.op === null)) continue;
        if (t.unit === "%" || a.unit === "%") continue;
        const over = t.value === 0 ? a.value >= 30 : a.value >= profile.overAchieveFactor * t.value;
        if (over && !hasReason(doc.indicators[gi]!)) {
          out.push(
            finding("OVER_ACHIEVE_NO_REASON", {
              where: whereIndicator(ctx, gi, "deviation"),
              message: `${q(doc.indicators[gi]!.level3)}完成值 ${fmt(a.value)}${a.unit ?? ""} 达到指标值 ${fmt(t.value)}${t.unit ?? ""} 的 ${fmt((a.value / (t.value || 1)) * 100, 0)}%，未说明超额原因。`,
              provenance: [doc.provenance.indicators[gi]?.target, doc.provenance.indicators[gi]?.actual],
            }),
          );
        }
      }
    }
    const tier = qualitativeTier(ind.actual);
    if (tier !== null) {
      // 财预〔2020〕10号 grade bands (profile data): 达成 80–100%, 部分达成 60–80%, 未达成 0–60%.
      const band = profile.qualitativeBands[tier];
      if (band) {
        const share = ind.score / ind.weight;
        const top = tier === 0;
        const inBand = share >= band.min - 1e-9 && (top ? share <= band.max + 1e-9 : share < band.max - 1e-9);
        if (!inBand) {
          const lo = roundHalfUp(ind.weight * band.min, 2);
          const hi = roundHalfUp(ind.weight * band.max, 2);
          out.push(
            finding("QUAL_TIER_MISMATCH", {
              where: where("score"),
              message: `${q(ind.level3 ?? ind.level2)}完成情况为“${band.grade}”，得分应在 ${fmt(lo)}–${fmt(hi)} 分${top ? "" : `（不含 ${fmt(hi)}）`}之间，表中为 ${fmt(ind.score)} 分。`,
              provenance: [pv.actual, pv.score],
            }),
          );
        }
      }
    }
    if (ind.score < ind.weight - tol.line && !hasReason(ind)) {
      out.push(
        finding("MISSING_DEVIATION", {
          where: where("deviation"),
          message: `${q(ind.level3 ?? ind.level2)}得分 ${fmt(ind.score)}（分值 ${fmt(ind.weight)}），偏差原因为${ind.deviation ? q(ind.deviation) : "空白"}。`,
          provenance: [pv.score, pv.deviation],
        }),
      );
    }
  }

  // Σ scores (with the execution score) = printed 总分.
  const scores = lines.map((l) => doc.indicators[l.i]!.score);
  if (doc.total.score !== null && (scores.some((s) => s !== null) || execS !== null)) {
    const computed = sum([execS ?? 0, ...scores.map((s) => s ?? 0)]);
    if (!within(computed, doc.total.score, tol.total)) {
      const missing = lines.filter((l) => doc.indicators[l.i]!.weight !== null && doc.indicators[l.i]!.score === null).length;
      out.push(
        finding("SCORE_SUM_MISMATCH", {
          where: whereDoc(ctx, "总分", "total.score"),
          message: `预算执行率得分 ${fmt(execS ?? 0)} + 各指标得分 ${fmt(computed - (execS ?? 0))} = ${fmt(computed)}，表中总分为 ${fmt(doc.total.score)}${missing ? `（其中 ${missing} 项得分空白，按 0 计）` : ""}。`,
          suggestion: missing ? null : { text: fmt(computed), basis: "各项得分之和", field: "total.score", value: computed, source: "rule" },
          provenance: [doc.provenance.total.score, doc.provenance.funds.total.score, ...lines.map((l) => doc.provenance.indicators[l.i]?.score)],
        }),
      );
    }
  }

  // Every score = weight and 执行率 100%: the inflated self-score pattern.
  const exec = scoreExecution(doc.funds.total, profile.weights.execution);
  const allFull = lines.length > 0 && lines.every((l) => {
    const ind = doc.indicators[l.i]!;
    return ind.weight !== null && ind.score !== null && within(ind.score, ind.weight, tol.line);
  });
  const printedRate = doc.funds.total.rate;
  // The printed rate as the forms write it: "100%", "100.00%", "１００％", "100 %".
  const rateFull = (exec.rate !== null && exec.rate >= 1 - 1e-9) || (printedRate !== null && /^100(\.0+)?%$/.test(squash(toHalfWidth(printedRate))));
  if (allFull && rateFull && execS !== null && execW !== null && within(execS, execW, tol.line)) {
    out.push(
      finding("ALL_FULL_MARKS", {
        where: whereDoc(ctx, "全部指标", "total.score"),
        message: `全部 ${lines.length} 项指标得分均等于分值，执行率 100%，总分 ${fmt(doc.total.score ?? 100)}。`,
        provenance: [doc.provenance.total.score],
      }),
    );
  }
  return out;
}

/** Band index of a qualitative grade written in 完成值: 0 达成, 1 部分达成, 2 未达成; null when none. */
export function qualitativeTier(actual: string | null): 0 | 1 | 2 | null {
  const t = squash(actual ?? "");
  if (/未达成|未达到/.test(t)) return 2;
  if (/部分达成|部分达到/.test(t)) return 1;
  if (/^(已)?达成(年度|预期)?(指标|目标)?$/.test(t)) return 0;
  return null;
}

function hasReason(ind: Indicator): boolean {
  return !isPlaceholder(ind.deviation);
}

function noteExplainsWeights(ctx: SelfEvalContext): boolean {
  const texts = ctx.doc.report?.sections.map((s) => s.text) ?? [];
  return texts.some((t) => /权重/.test(t) && /调整|特殊/.test(t));
}
