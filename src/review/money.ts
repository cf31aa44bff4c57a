// Sums of money written in a 申报表's texts (测算依据, cost targets), in 万元, and the checks a reviewer
// does with them: is the amount 元 written under a 万元 label, does a computation reach the amount.
import { squash, toHalfWidth } from "../domain/text.ts";

export interface MoneyMention {
  /** In 万元. */
  wan: number;
  raw: string;
  start: number;
  end: number;
}

// "万"/"亿" without 元 is money only when no other measure word follows ("22万/年" is, "4.3万平方米" is not).
const MONEY = /(\d+(?:,\d{3})*(?:\.\d+)?)\s*(亿元|万元|元|亿(?![\u4e00-\u9fff])|万(?![\u4e00-\u9fff]))(?![a-zA-Z])/g;

/** Every sum in the text ("15万元", "250,000元", "22万/年", "1.2亿元"), in 万元. */
export function moneyIn(text: string | null | undefined): MoneyMention[] {
  if (!text) return [];
  const t = toHalfWidth(text);
  const out: MoneyMention[] = [];
  for (const m of t.matchAll(MONEY)) {
    const v = Number(m[1]!.replace(/,/g, ""));
    if (!Number.isFinite(v)) continue;
    const u = m[2]!;
    const wan = u.startsWith("亿") ? v * 1e4 : u.startsWith("万") ? v : v / 1e4;
    out.push({ wan, raw: m[0], start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** Products written in the text ("2万×3", "9.3万元*13个月", "0.5万元/人×4人"), in 万元. */
export function productsIn(text: string | null | undefined): number[] {
  if (!text) return [];
  const t = squash(toHalfWidth(text));
  const out: number[] = [];
  const re = /(\d+(?:\.\d+)?)(亿元|万元|万|元)?(?:\/[^\d×xX*乘]{0,4})?[×xX*乘](?:以)?(\d+(?:\.\d+)?)(亿元|万元|万|元)?/g;
  for (const m of t.matchAll(re)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const ua = m[2];
    const ub = m[4];
    const unit = ua ?? ub;
    if (!unit) continue; // a product of plain numbers says nothing about money
    const k = unit.startsWith("亿") ? 1e4 : unit.startsWith("万") ? 1 : 1e-4;
    out.push(a * b * k);
  }
  return out;
}

/** Counts written in the text with a measure word ("1人", "12个月", "37个"): the other factor of a standard × count. */
export function countsIn(text: string | null | undefined): number[] {
  if (!text) return [];
  const t = toHalfWidth(text);
  return [...t.matchAll(/(\d+(?:\.\d+)?)\s*(人|名|个月|个|次|场|户|台|套|件|天|月|年|期|批|处|宗)/g)].map((m) => Number(m[1]));
}

/** Whether some ≥ 2 of the amounts add up to the target (within `tol`). At most 14 amounts are tried. */
export function subsetSums(amounts: number[], target: number, tol = 0.02): boolean {
  const xs = amounts.slice(0, 14);
  const n = xs.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    if ((mask & (mask - 1)) === 0) continue; // a single item is a lump sum, not a computation
    let s = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s += xs[i]!;
    if (near(s, target, tol)) return true;
  }
  return false;
}

/** Whether two amounts in 万元 agree within `tol` (relative). */
export function near(a: number, b: number, tol = 0.15): boolean {
  if (a === 0 || b === 0) return a === b;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)) <= tol;
}

/** The printed amount is about 10⁴ × the reference (元 written under a 万元 label). */
export function looksLikeYuan(printed: number, referenceWan: number): boolean {
  if (printed <= 0 || referenceWan <= 0) return false;
  const r = printed / referenceWan;
  return r >= 5000 && r <= 20000;
}

export function fmtWan(x: number): string {
  return `${Number(x.toFixed(4))}万元`;
}
