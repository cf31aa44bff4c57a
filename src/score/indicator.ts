// Recomputes one indicator's score from its target, actual and weight (domain.md §2.3), with the
// formula in words and numbers. Qualitative and non-numeric values are "not computable": the
// printed score stands, and the validator reports the value problem instead.
import type { Profile } from "./profile.ts";
import { fmt, roundHalfUp } from "./decimal.ts";
import { parseQuantity, toCommonUnit, type Quantity } from "./quantity.ts";

export type Method = "positive" | "reverse" | "equal-zero" | "not-computable";

export interface IndicatorScore {
  method: Method;
  /** Share of the weight earned (0–1), null when not computable. */
  ratio: number | null;
  /** Recomputed score, null when not computable or no weight. */
  score: number | null;
  /** Chinese explanation with the numbers. */
  formula: string;
  target: Quantity | null;
  actual: Quantity | null;
}

const unitText = (q: Quantity) => q.unit ?? "";

/** The earned share for a target/actual pair, or a reason why it cannot be computed. */
export interface RatioOptions {
  /** A 成本 indicator: a target written without an operator is a cap (≤), spending less is not a shortfall. */
  costLike?: boolean;
}

export function scoreRatio(targetText: string | null, actualText: string | null, p: Profile, o: RatioOptions = {}): Omit<IndicatorScore, "score"> {
  const parsedTarget = parseQuantity(targetText);
  const target = parsedTarget && o.costLike && parsedTarget.op === null && parsedTarget.upper === undefined ? { ...parsedTarget, op: "≤" as const } : parsedTarget;
  const actual = parseQuantity(actualText);
  if (!target) return { method: "not-computable", ratio: null, formula: "年度指标值不是可比较的数值，无法按公式计分", target, actual };
  if (!actual) return { method: "not-computable", ratio: null, formula: "实际完成值不是可比较的数值，无法按公式计分", target, actual };
  const c = toCommonUnit(target, actual);
  if (!c) {
    return { method: "not-computable", ratio: null, formula: `指标值单位（${target.unit}）与完成值单位（${actual.unit}）不一致，无法比较`, target, actual };
  }
  const A = c.a;
  const B = Math.max(0, c.b); // vendor practice: a negative actual counts as 0
  const tA = `${fmt(target.value, 4)}${unitText(target)}`;
  const tB = `${fmt(actual.value, 4)}${unitText(actual)}`;
  if (target.op === "≤" || target.op === "<") {
    if (B <= A) return { method: "reverse", ratio: 1, formula: `反向指标：完成值 ${tB} 未超过指标值 ${tA}，得满分`, target, actual };
    if (p.reverseVariant === 1) {
      return { method: "reverse", ratio: A / B, formula: `反向指标超出：得分 = 分值 × 指标值 ÷ 完成值 = 分值 × ${fmt(A, 4)} ÷ ${fmt(B, 4)}`, target, actual };
    }
    const r = B >= 2 * A ? 0 : 1 - (B - A) / A;
    return { method: "reverse", ratio: r, formula: `反向指标超出：得分 = 分值 × (1 − (完成值 − 指标值) ÷ 指标值) = 分值 × (1 − (${fmt(B, 4)} − ${fmt(A, 4)}) ÷ ${fmt(A, 4)})`, target, actual };
  }
  if (A === 0) {
    const ok = B <= 0;
    return { method: "equal-zero", ratio: ok ? 1 : 0, formula: ok ? `指标值为 0，完成值 ${tB}，得满分` : `指标值为 0，完成值 ${tB} 大于 0，得 0 分`, target, actual };
  }
  if (B >= A) return { method: "positive", ratio: 1, formula: `正向指标：完成值 ${tB} ≥ 指标值 ${tA}，得满分`, target, actual };
  return { method: "positive", ratio: B / A, formula: `正向指标未达标：得分 = 分值 × 完成值 ÷ 指标值 = 分值 × ${fmt(B, 4)} ÷ ${fmt(A, 4)}`, target, actual };
}

export function scoreIndicator(targetText: string | null, actualText: string | null, weight: number | null, p: Profile, o: RatioOptions = {}): IndicatorScore {
  const r = scoreRatio(targetText, actualText, p, o);
  if (r.ratio === null || weight === null) return { ...r, score: null };
  const score = roundHalfUp(weight * Math.min(1, Math.max(0, r.ratio)), 2);
  return { ...r, score, formula: `${r.formula.replace(/分值/g, `${fmt(weight)}`)} → ${fmt(score)} 分` };
}
