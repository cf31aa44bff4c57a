// Every number written in a Chinese text, with its position: Arabic figures (with 万元/元/%/units),
// Chinese numerals with a measure word (四个村, 五场), and date parts. List markers (一、 （二） 1.)
// are structure, not data, and are skipped.
import { chineseNumeral, toHalfWidth } from "../domain/text.ts";

export interface TextNumber {
  /** Value as written (for 万元/元 amounts: in the written unit). */
  value: number;
  unit: string | null;
  kind: "amount" | "percent" | "count" | "year" | "date-part" | "plain";
  /** Character offsets in the text [start, end). */
  start: number;
  end: number;
  raw: string;
}

const MEASURE = "个|场|次|项|人次|人|名|件|户|村|所|家|期|份|批|部|台|套|辆|条|篇|处|座|间|类|轮|组|支|队|天|小时|周|个月|年度?|月|日|分|元|万元|亿元|%|公里|平方米|亩|吨|起|例|张|册|本";
const CN_NUM = "[零一二两三四五六七八九十百千]+";
const AR = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;

// Chinese numerals that are words, not quantities.
const CN_WORDS = /^(一些|一定|一是|一步|一般|一致|统一|一体|一线|一起|之一|一批|一系列|一方面|一直|一次性|一律|一并|一切|一同|一旦|进一步|一把手|一岗双责|一对一|一站式|万一|十分|一流|一带|三大|两个维护)/;

export function numbersIn(text: string): TextNumber[] {
  const t = toHalfWidth(text);
  const out: TextNumber[] = [];
  const re = new RegExp(`(${AR})\\s*(${MEASURE})?|(${CN_NUM})(${MEASURE})`, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    const start = m.index;
    const end = start + m[0].length;
    if (isListMarker(t, start, end)) continue;
    if (m[1] !== undefined) {
      const value = Number(m[1].replace(/,/g, ""));
      const unit = m[2] ?? null;
      out.push({ value, unit, kind: kindOf(value, unit, t, end), start, end, raw: m[0] });
    } else {
      const word = t.slice(start);
      if (CN_WORDS.test(word) || (start > 0 && CN_WORDS.test(t.slice(start - 1)))) continue;
      // "三个方面的问题", "两个环节": the structure of the text, not data.
      if (/^(个)?(方面|部分|环节|层面|维度)/.test(t.slice(end - (m[4] === "个" ? 1 : 0)))) continue;
      // 下一年度, 上一年, 同一项, 每一次, 唯一: ordinal or determiner, not a quantity.
      if (/[下上同每任唯]$/.test(t.slice(Math.max(0, start - 1), start)) && m[3] === "一") continue;
      const v = chineseValue(m[3]!);
      if (v === null) continue;
      const unit = m[4]!;
      out.push({ value: v, unit, kind: kindOf(v, unit, t, end), start, end, raw: m[0] });
    }
  }
  return out;
}

function kindOf(value: number, unit: string | null, t: string, end: number): TextNumber["kind"] {
  if (unit === "%") return "percent";
  if (unit === "万元" || unit === "元" || unit === "亿元") return "amount";
  if (unit === "年" || unit === "年度") return value >= 1900 && value <= 2100 ? "year" : "count";
  if (unit === "月" || unit === "日") return "date-part";
  if (unit) return "count";
  return /^年/.test(t.slice(end)) ? "year" : "plain";
}

/** 一、 （二） 1. 2、 (3) at the start of a line, and 第一/其一 style ordinals. */
function isListMarker(t: string, start: number, end: number): boolean {
  const lineStart = t.lastIndexOf("\n", start - 1) + 1;
  const before = t.slice(lineStart, start);
  const after = t.slice(end, end + 1);
  if (/^\s*[（(]?$/.test(before) && /^[、.．)）]/.test(after)) return true;
  if (/第$/.test(t.slice(Math.max(0, start - 1), start))) return true;
  return false;
}

function chineseValue(s: string): number | null {
  if (s === "两") return 2;
  if (/^[零一二三四五六七八九十]+$/.test(s)) return chineseNumeral(s);
  const digits: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  let total = 0;
  let cur = 0;
  for (const ch of s) {
    if (ch in digits) cur = digits[ch]!;
    else if (ch === "十") (total += (cur || 1) * 10), (cur = 0);
    else if (ch === "百") (total += (cur || 1) * 100), (cur = 0);
    else if (ch === "千") (total += (cur || 1) * 1000), (cur = 0);
    else return null;
  }
  return total + cur;
}
