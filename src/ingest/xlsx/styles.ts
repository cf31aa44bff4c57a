// Cell styles (styles.xml): per cell format, its number format id, whether it has a border and its
// vertical alignment; and the workbook's custom number formats.
import { attrOf } from "./ooxml.ts";

export interface CellStyle {
  numFmtId: number;
  border: boolean;
  vAlign: string;
}

export interface Styles {
  xfs: CellStyle[];
  numFmts: Map<number, string>;
}

function sectionOf(xml: string, tag: string): string {
  const open = new RegExp(`<(?:[\\w.-]+:)?${tag}\\b[^>]*?(/?)>`).exec(xml);
  if (!open || open[1] === "/") return "";
  const close = new RegExp(`</(?:[\\w.-]+:)?${tag}>`).exec(xml.slice(open.index));
  return close ? xml.slice(open.index + open[0].length, open.index + close.index) : "";
}

export function parseStyles(xml: string): Styles {
  const numFmts = new Map<number, string>();
  for (const m of sectionOf(xml, "numFmts").matchAll(/<(?:[\w.-]+:)?numFmt\b([^>]*)>/g)) {
    const id = Number(attrOf(m[1]!, "numFmtId"));
    const code = attrOf(m[1]!, "formatCode");
    if (Number.isFinite(id) && code !== undefined) numFmts.set(id, code);
  }
  const borders: boolean[] = [];
  for (const m of sectionOf(xml, "borders").matchAll(/<(?:[\w.-]+:)?border\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?border>)/g)) {
    const inner = m[1] ?? "";
    borders.push(/<(?:[\w.-]+:)?(?:left|right|top|bottom|start|end)\b[^>]*\bstyle\s*=\s*["'](?!none["'])/.test(inner));
  }
  const xfs: CellStyle[] = [];
  for (const m of sectionOf(xml, "cellXfs").matchAll(/<(?:[\w.-]+:)?xf\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?xf>)/g)) {
    const attrs = m[1]!;
    const align = m[2] ? /<(?:[\w.-]+:)?alignment\b([^>]*)>/.exec(m[2]) : null;
    xfs.push({
      numFmtId: Number(attrOf(attrs, "numFmtId") ?? 0) || 0,
      border: borders[Number(attrOf(attrs, "borderId") ?? 0) || 0] ?? false,
      vAlign: (align && attrOf(align[1]!, "vertical")) || "bottom",
    });
  }
  return { xfs, numFmts };
}
