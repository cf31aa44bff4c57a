// Text and number normalisation: the shared vocabulary of the recognizer, the scorer, the validator and the exporters.

/** Full-width ASCII (！…～) → half-width; ideographic space → space. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code === 0x3000 ? " " : String.fromCharCode(code - 0xfee0);
  });
}

const SPACE = /[\s\u00A0\u3000\u200B\uFEFF]+/g;

/** Removes every kind of whitespace (for labels and comparisons). */
export function squash(s: string): string {
  return s.replace(SPACE, "");
}

/** Trims each paragraph, drops empty ones, joins with "\n". Returns null for blank text. */
export function cleanText(paragraphsOrText: string[] | string): string | null {
  const paras = typeof paragraphsOrText === "string" ? paragraphsOrText.split("\n") : paragraphsOrText;
  const kept = paras.map((p) => p.replace(/^[\s\u00A0\u3000]+|[\s\u00A0\u3000]+$/g, "")).filter((p) => p !== "");
  return kept.length ? kept.join("\n") : null;
}

/** A cell that means "nothing here": blank, or a dash placeholder. */
export function isBlankValue(s: string | null | undefined): boolean {
  if (s == null) return true;
  const t = squash(s);
  return t === "" || /^[—\-–－/／]+$/.test(t);
}

/** Placeholders that count as empty when an explanation is required (domain.md §2.5). */
export function isPlaceholder(s: string | null | undefined): boolean {
  if (isBlankValue(s)) return true;
  const t = squash(toHalfWidth(s!)).replace(/[。.]+$/, "");
  return ["无", "暂无", "没有", "无偏差", "/"].includes(t);
}

export const UNITS = ["万元", "元", "%", "个", "人次", "人", "场", "次", "件", "户", "套", "台", "公里", "平方米", "天", "月", "年", "项", "部", "名", "家", "所", "期", "份", "批"] as const;

/**
 * Parses a cell that should hold one number (funds, 分值, 得分, amounts): full-width digits,
 * thousands separators, a unit and a trailing "。" are accepted. Returns null for anything else.
 */
export function parseNumber(text: string | null | undefined): number | null {
  if (text == null) return null;
  let t = squash(toHalfWidth(text)).replace(/[。.]+$/, (m) => (m === "." ? m : ""));
  if (t === "") return null;
  t = t.replace(/(\d),(?=\d{3}(\D|$))/g, "$1");
  const m = /^([+-]?\d+(?:\.\d+)?)(万元|元|%|个|人次|人|场|次|件|户|套|台|分|项|名)?$/.exec(t);
  if (!m) return null;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : null;
}

/** Chinese numerals used in headings (一 … 二十). */
export function chineseNumeral(s: string): number | null {
  const digits: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  if (s === "十") return 10;
  const m = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(s);
  if (!m || s === "") return null;
  if (!m[2]) return m[1] ? digits[m[1]]! : null;
  return (m[1] ? digits[m[1]]! : 1) * 10 + (m[3] ? digits[m[3]]! : 0);
}

export function toChineseNumeral(n: number): string {
  const d = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
  if (n <= 0 || n >= 100) return String(n);
  if (n < 10) return d[n]!;
  const tens = Math.floor(n / 10);
  return (tens === 1 ? "" : d[tens]) + "十" + d[n % 10];
}
