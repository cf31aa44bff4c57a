// 预算执行率 and its points (domain.md §2.2): R = 全年执行数 ÷ 全年预算数, S = 分值 × min(R, 1).
import type { FundsRow } from "../domain/document.ts";
import { fmt, pct, roundHalfUp } from "./decimal.ts";

export interface ExecutionScore {
  /** B / A, null when A is 0 or blank or B is blank. */
  rate: number | null;
  score: number | null;
  weight: number;
  formula: string;
}

export function scoreExecution(total: FundsRow, defaultWeight: number): ExecutionScore {
  const w = total.weight ?? defaultWeight;
  const A = total.adjusted;
  const B = total.executed;
  if (A === null || A === 0) {
    return { rate: null, score: null, weight: w, formula: `全年预算数为${A === null ? "空" : " 0"}，执行率无法计算（不能记为 100%）` };
  }
  if (B === null) return { rate: null, score: null, weight: w, formula: "全年执行数为空，执行率无法计算" };
  const rate = B / A;
  // 财预〔2020〕10号 gives no rule for B > A; practice caps the points at the weight.
  const score = roundHalfUp(w * Math.min(rate, 1), 2);
  return {
    rate,
    score,
    weight: w,
    formula: `执行率 = ${fmt(B, 6)} ÷ ${fmt(A, 6)} = ${pct(rate)} → ${fmt(w)} × ${rate > 1 ? "100%（超过 100% 按满分封顶）" : pct(rate)} = ${fmt(score)} 分`,
  };
}
