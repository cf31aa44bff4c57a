// 指标值 / 完成值 text → operator, number and unit (domain.md §3.2: "≥16个" → ≥, 16, 个).
import { chineseNumeral, squash, toHalfWidth } from "../domain/text.ts";

export type Op = "≥" | "≤" | "=" | ">" | "<";

export interface Quantity {
  op: Op | null;
  value: number;
  /** Upper bound of a range "80-100次" (op is null then). */
  upper?: number;
  unit: string | null;
  /** The text the quantity was read from. */
  text: string;
}

const UNIT_RE = "万元|亿元|千元|元|万人|万份|万(?![人份])|%|人次|户次|个|人|场|次|件|户|套|台|公里|千米|米|平方米|亩|吨|天|日|个月|月|年|项|部|名|家|所|期|份|批|条|篇|册|张|辆|座|处|间|所|分|小时|万人|万份";
const NUM = String.raw`(\d+(?:\.\d+)?)`;

/** Simple Chinese counts such as "五场", "十二次". */
function chineseCount(t: string): string {
  return t.replace(/([一二三四五六七八九十]{1,3})(?=(个|场|次|件|户|项|部|名|家|期|份|批|人|套|台))/g, (m) => {
    const n = chineseNumeral(m);
    return n === null ? m : String(n);
  });
}

/**
 * Reads one quantity from a value text. Returns null when there is no number, or when the numbers
 * are a date or several unrelated figures (those are not comparable values).
 */
export function parseQuantity(text: string | null | undefined): Quantity | null {
  if (text == null) return null;
  let t = chineseCount(squash(toHalfWidth(text))).replace(/(\d),(?=\d{3})/g, "$1");
  t = t.replace(/[。.;；]+$/, "");
  if (!/\d/.test(t)) return null;
  // Dates (2024年6月30日前, 2020年全年) are deadlines, not quantities.
  if (/\d{4}年(\d{1,2}月)?/.test(t) || /\d{1,2}月\d{1,2}日/.test(t)) return null;
  const range = new RegExp(`${NUM}(?:${UNIT_RE})?[-~至到]${NUM}(${UNIT_RE})?`).exec(t);
  if (range) {
    const unit = range[3] ?? null;
    return { op: null, value: Number(range[1]), upper: Number(range[2]), unit, text };
  }
  // A minus sign counts only where it cannot be a range dash (start, or after a non-digit).
  const nums = [...t.matchAll(new RegExp(`((?:(?<![\\d.])-)?\\d+(?:\\.\\d+)?)(${UNIT_RE})?`, "g"))];
  if (nums.length !== 1) return null;
  const m = nums[0]!;
  const value = Number(m[1]);
  const unit = m[2] ?? null;
  let op: Op | null = null;
  if (/>=|≥|≧|不低于|不少于|不小于|至少|达到|以上/.test(t)) op = "≥";
  else if (/<=|≤|≦|不高于|不超过|不大于|不多于|以内|以下|控制在/.test(t)) op = "≤";
  else if (/＞|>|大于|高于|超过/.test(t)) op = ">";
  else if (/＜|<|小于|低于|少于/.test(t)) op = "<";
  else if (/=|等于/.test(t)) op = "=";
  return { op, value, unit, text };
}

/** Converts between money units so that 万元 and 元 compare; other units must match or be absent. */
export function toCommonUnit(q: Quantity, other: Quantity): { a: number; b: number } | null {
  const money: Record<string, number> = { 元: 1, 千元: 1e3, 万元: 1e4, 万: 1e4, 亿元: 1e8 };
  const ua = q.unit;
  const ub = other.unit;
  // "≥90%" against "0.93": a share written as a fraction.
  if (ua === "%" && ub === null && other.value <= 1) return { a: q.value, b: other.value * 100 };
  if (ub === "%" && ua === null && q.value <= 1) return { a: q.value * 100, b: other.value };
  if (ua && ub && ua !== ub) {
    if (money[ua] && money[ub]) return { a: q.value * money[ua]!, b: other.value * money[ub]! };
    return null;
  }
  return { a: q.value, b: other.value };
}

/** Amount in 万元 for a money quantity ("30.0万元", "50000元"); null for other units. */
export function toWanYuan(q: Quantity): number | null {
  // "66.44万" in a money context means 万元.
  if (q.unit === "万元" || q.unit === "万") return q.value;
  if (q.unit === "元") return q.value / 1e4;
  if (q.unit === "千元") return q.value / 10;
  if (q.unit === "亿元") return q.value * 1e4;
  return null;
}
