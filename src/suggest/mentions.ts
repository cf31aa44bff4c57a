// Numbers with a unit inside free text ("开展5场活动", "管控率95%以上", "19.2万元", "2024年6月30日前"):
// the raw material of document-based proposals (domain.md §3.2 指标值 form).
import { squash, toHalfWidth } from "../domain/text.ts";

export type UnitKind = "count" | "percent" | "money" | "area" | "date" | "duration";
export type Op = "≥" | "≤" | "=";

export interface Mention {
  /** The number as written (half-width), or the date text for kind "date". */
  value: string;
  num: number;
  unit: string;
  kind: UnitKind;
  /** Operator given in the text (以上 → ≥, 以内 → ≤ …), else null. */
  op: Op | null;
  /** Offsets in the normalised text. */
  start: number;
  end: number;
  /** The comma-delimited clause that holds the mention. */
  clause: string;
  /** Offset of the mention inside the clause. */
  clauseStart: number;
}

// Longest first, so 人次 wins over 人 and 个工作日 over 个.
const UNITS: [string, UnitKind][] = ([
  ["个百分点", "percent"], ["%", "percent"],
  ["亿元", "money"], ["万元", "money"], ["元", "money"],
  ["平方米", "area"], ["平方公里", "area"], ["公里", "area"], ["千米", "area"], ["亩", "area"],
  ["个工作日", "duration"], ["工作日", "duration"], ["个月", "duration"], ["小时", "duration"],
  ["人次", "count"], ["户次", "count"], ["批次", "count"], ["场次", "count"],
  ["个", "count"], ["人", "count"], ["场", "count"], ["次", "count"], ["件", "count"], ["户", "count"], ["套", "count"],
  ["台", "count"], ["项", "count"], ["部", "count"], ["名", "count"], ["家", "count"], ["所", "count"], ["期", "count"],
  ["份", "count"], ["批", "count"], ["篇", "count"], ["条", "count"], ["处", "count"], ["座", "count"], ["册", "count"],
  ["起", "count"], ["宗", "count"], ["吨", "count"], ["辆", "count"], ["张", "count"], ["幅", "count"], ["本", "count"],
  ["村", "count"], ["站", "count"],
] as [string, UnitKind][]).sort((a, b) => b[0].length - a[0].length);

const UNIT_ALT = UNITS.map(([u]) => u).join("|");
const NUM_RE = new RegExp(`(\\d+(?:\\.\\d+)?)\\s*(${UNIT_ALT})`, "g");
const CN_NUM_RE = new RegExp(`([二两三四五六七八九十百千]+|一[十百千][一二三四五六七八九十百千]*)(${UNITS.filter(([, k]) => k === "count").map(([u]) => u).join("|")})`, "g");
const DATE_RE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日|(\d{4})年(\d{1,2})月底|(\d{4})-(\d{1,2})-(\d{1,2})/g;
// Days as a time base only count when a limit follows (30日内, 15天以内).
const DAYS_RE = /(\d+(?:\.\d+)?)\s*(个工作日|工作日|天|日|个月|小时)(?=以内|内|之内)/g;

const OP_BEFORE: [string, Op][] = [
  ["不低于", "≥"], ["不少于", "≥"], ["至少", "≥"], ["超过", "≥"], ["高于", "≥"], ["大于", "≥"], ["≥", "≥"], [">=", "≥"], [">", "≥"],
  ["不超过", "≤"], ["不高于", "≤"], ["控制在", "≤"], ["低于", "≤"], ["少于", "≤"], ["小于", "≤"], ["≤", "≤"], ["<=", "≤"], ["<", "≤"],
  ["=", "="],
];
const OP_AFTER: [string, Op][] = [["及以上", "≥"], ["以上", "≥"], ["及以下", "≤"], ["以下", "≤"], ["以内", "≤"], ["之内", "≤"]];

const CLAUSE_BREAK = /[。；;！!？?\n，,]/;

/** Half-width, whitespace squashed: the text every offset refers to. */
export function normText(text: string): string {
  return squash(toHalfWidth(text)).replace(/％/g, "%");
}

export function chineseNumber(s: string): number | null {
  const digit: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  const mult: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
  let total = 0;
  let cur = 0;
  for (const ch of s) {
    if (ch in digit) cur = digit[ch]!;
    else if (ch in mult) {
      total += (cur === 0 ? 1 : cur) * mult[ch]!;
      cur = 0;
    } else return null;
  }
  const n = total + cur;
  return n > 0 ? n : null;
}

// A clause is looked for within this many characters each side: a 20,000-character cell without
// punctuation must not make every number scan the whole text (quadratic time).
const CLAUSE_WINDOW = 80;

function clauseAround(text: string, start: number, end: number): { clause: string; clauseStart: number } {
  let a = start;
  const aMin = Math.max(0, start - CLAUSE_WINDOW);
  while (a > aMin && !CLAUSE_BREAK.test(text[a - 1]!)) a--;
  let b = end;
  const bMax = Math.min(text.length, end + CLAUSE_WINDOW);
  while (b < bMax && !CLAUSE_BREAK.test(text[b]!)) b++;
  return { clause: text.slice(a, b), clauseStart: start - a };
}

function opAround(text: string, start: number, end: number): Op | null {
  const before = text.slice(Math.max(0, start - 4), start);
  const after = text.slice(end, end + 3);
  for (const [w, op] of OP_BEFORE) if (before.endsWith(w)) return op;
  for (const [w, op] of OP_AFTER) if (after.startsWith(w)) return op;
  return null;
}

/** Every number-with-unit in `text`, in order. Bare numbers, years ("2023年") and ordinals ("第2次") are skipped. */
export function findMentions(raw: string): Mention[] {
  const text = normText(raw);
  const out: Mention[] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || s >= b);
  const push = (m: Omit<Mention, "clause" | "clauseStart" | "op">, op?: Op | null) => {
    if (!free(m.start, m.end)) return;
    taken.push([m.start, m.end]);
    out.push({ ...m, op: op === undefined ? opAround(text, m.start, m.end) : op, ...clauseAround(text, m.start, m.end) });
  };

  for (const m of text.matchAll(DATE_RE)) {
    const s = m.index;
    const e = s + m[0].length;
    // "前" or "以前" after a date makes it a deadline; either way it is a date.
    push({ value: m[0], num: Number(m[1] ?? m[4] ?? m[6] ?? 0), unit: "", kind: "date", start: s, end: e }, "≤");
  }
  for (const m of text.matchAll(DAYS_RE)) {
    const s = m.index;
    // The whole number, not the digits after its decimal point ("0.07日内" is 0.07, never 07).
    if (/[\d.]/.test(text[s - 1] ?? "")) continue;
    push({ value: m[1]!, num: Number(m[1]), unit: m[2]!, kind: "duration", start: s, end: s + m[1]!.length + m[2]!.length }, "≤");
  }
  for (const m of text.matchAll(NUM_RE)) {
    const s = m.index;
    const e = s + m[0].length;
    const prev = text[s - 1] ?? "";
    if (prev === "第" || /[\d.]/.test(prev)) continue;
    const unit = m[2]!;
    const kind = UNITS.find(([u]) => u === unit)?.[1] ?? "count";
    // "6个月" is caught above only with 内; a bare "6个月" stays a duration-free count of months: skip it.
    if (kind === "duration") continue;
    // "一次性" / "部分" are words, not counts.
    if (unit === "部" && text[e] === "分") continue;
    push({ value: m[1]!, num: Number(m[1]), unit: unit === "个百分点" ? "个百分点" : unit, kind, start: s, end: e });
  }
  for (const m of text.matchAll(CN_NUM_RE)) {
    const s = m.index;
    const e = s + m[0].length;
    if (text[s - 1] === "第" || /[性分些样般]/.test(text[e] ?? "")) continue;
    const n = chineseNumber(m[1]!);
    if (n == null) continue;
    push({ value: String(n), num: n, unit: m[2]!, kind: "count", start: s, end: e });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The unit kind a 三级指标 name asks for: "…率"/"…满意度" → percent, "…个数" → count (个) … */
export function nameUnitHint(name: string): { kind: UnitKind; unit?: string } | null {
  const t = normText(name).replace(/[。.、，,；;]+$/, "");
  if (/(率|满意度|知晓度|占比|比例|比重)(\(|（)?%?(\)|）)?$/.test(t)) return { kind: "percent" };
  const m = /(个|人|场|次|件|户|套|台|项|名|家|所|期|份|批|篇|条|处|座)数$/.exec(t);
  if (m) return { kind: "count", unit: m[1]! };
  if (/(人次|场次|批次|户次)$/.test(t)) return { kind: "count", unit: /(人次|场次|批次|户次)$/.exec(t)![1]! };
  if (/(成本|费用|金额|资金|经费)$/.test(t)) return { kind: "money" };
  if (/(时间|时限|日期)$/.test(t)) return { kind: "date" };
  return null;
}

/** Does the text carry a number immediately followed by a unit (or %), or a date? The second half of the hard rule. */
export function hasUnit(text: string): boolean {
  const t = normText(text);
  if (/\d\s*%/.test(t)) return true;
  if (/\d{4}年\d{1,2}月(\d{1,2}日|底)|\d{1,2}月\d{1,2}日/.test(t)) return true;
  return findMentions(t).length > 0 || new RegExp(`\\d\\s*(年|天|日|月|${UNIT_ALT})`).test(t);
}
