// How a number is written back: as the source printed it when we still have that text (813.70,
// not 813.7; "—" for a dashed blank), else in its shortest form; plus the spreadsheet number format
// that makes Excel display the same text while the cell holds a real number.
import type { Provenance } from "../domain/document.ts";
import { cleanText, isBlankValue, parseNumber, squash } from "../domain/text.ts";

export interface NumberText {
  /** What a reader sees in the cell ("" for blank). */
  text: string;
  /** For spreadsheets: the value and an Excel number format that displays `text`. */
  num: { value: number; format: string } | null;
}

const BLANK: NumberText = { text: "", num: null };

/** A numeric field (funds, 分值, 得分, amounts) with the verbatim text it was read from. */
export function numberText(value: number | null, prov: Provenance | null | undefined): NumberText {
  const verbatim = prov ? cleanText(prov.text) : null;
  if (value === null || !Number.isFinite(value)) {
    // A dashed placeholder ("—") is kept: the template prints it in the 分值/得分 cells of the
    // sub-rows, and the recognizer reads it back as blank.
    if (verbatim !== null && !verbatim.includes("\n") && isBlankValue(verbatim)) return { text: verbatim, num: null };
    return BLANK;
  }
  if (verbatim !== null && !verbatim.includes("\n") && parseNumber(verbatim) === value) {
    return { text: verbatim, num: { value, format: excelFormat(verbatim) } };
  }
  const text = shortest(value);
  return { text, num: { value, format: "General" } };
}

/** 执行率 as printed ("100%"); a plain percentage becomes the number 1 with format "0%". */
export function rateText(rate: string | null, prov: Provenance | null | undefined): NumberText {
  const verbatim = prov ? cleanText(prov.text) : null;
  if (rate === null) {
    if (verbatim !== null && !verbatim.includes("\n") && isBlankValue(verbatim)) return { text: verbatim, num: null };
    return BLANK;
  }
  const text = verbatim !== null && !verbatim.includes("\n") && squash(verbatim) === squash(rate) ? verbatim : rate;
  const m = /^(\d+)(?:\.(\d+))?%$/.exec(squash(text));
  if (!m) return { text, num: null };
  const decimals = m[2]?.length ?? 0;
  const value = Number(`${m[1]}.${m[2] ?? "0"}`) / 100;
  return { text, num: { value, format: decimals ? `0.${"0".repeat(decimals)}%` : "0%" } };
}

/** Shortest decimal form without binary noise (0.1 + 0.2 → "0.3"). */
export function shortest(v: number): string {
  return String(Number(v.toPrecision(15)));
}

/** Excel number format that displays a number as `text` shows it: decimals, thousands
 * separators and a trailing unit ("5.00", "1,234.5", "10万元"). */
export function excelFormat(text: string): string {
  const m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([^\d.,]*)$/.exec(text.trim());
  if (!m || m[1] === "+") return "General";
  const grouped = m[2]!.includes(",");
  const decimals = m[3]?.length ?? 0;
  const unit = m[4]!;
  if (unit.includes('"') || unit.includes("\\")) return "General";
  let fmt = grouped ? "#,##0" : "0";
  if (decimals) fmt += "." + "0".repeat(decimals);
  if (unit === "%") return "General"; // "95%" as a 分值 would scale by 100; keep the plain number
  if (unit) fmt += `"${unit}"`;
  return fmt === "0" ? "General" : fmt;
}
