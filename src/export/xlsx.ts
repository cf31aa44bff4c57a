// Documents → an .xlsx workbook with one sheet per document, in the same layout as the .docx
// (layout.ts): merged ranges for the spans, numbers stored as numbers with a number format that
// shows them as the source printed them, wrapped text, column widths and estimated row heights
// (Excel does not grow a row for wrapped text in merged cells). Pure over its input.
import ExcelJS from "exceljs";
import type { PerfDoc } from "../domain/document.ts";
import { docLayout, type LayoutBlock, type LayoutCell, type LayoutOptions, type LayoutTable } from "./layout.ts";

export type XlsxOptions = LayoutOptions;

const TABLE_FONT = "SimSun";
const TEXT_FONT = "FangSong";
/** Font sizes (pt) of paragraph styles and table cells. */
const PT = { title: 16, heading: 12, body: 12, caption: 14, subcaption: 12, label: 11, cell: 10.5 } as const;
/** Excel column width units per twip: a unit is the width of a digit of the default font (≈ 7 px = 105 twips). */
const UNITS_PER_TWIP = 1 / 100;
const THIN = { style: "thin" as const, color: { argb: "FF000000" } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

export async function exportXlsx(docs: PerfDoc[], opts: XlsxOptions = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "jixiao";
  const used = new Set<string>();
  docs.forEach((doc, i) => {
    const layout = docLayout(doc, undefined, opts);
    const name = sheetName(layout.name, i, used);
    writeSheet(wb, name, layout.blocks);
  });
  if (docs.length === 0) wb.addWorksheet("Sheet1");
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

function writeSheet(wb: ExcelJS.Workbook, name: string, blocks: LayoutBlock[]): void {
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9 as ExcelJS.PaperSize, // A4
      orientation: "portrait",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.6, right: 0.6, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    },
    views: [{ showGridLines: false }],
  });
  const firstTable = blocks.find((b): b is LayoutTable => b.kind === "table");
  const widths = (firstTable?.widths ?? [9412]).map((w) => Math.round(w * UNITS_PER_TWIP * 10) / 10);
  const nCols = widths.length;
  ws.columns = widths.map((width) => ({ width }));
  const totalUnits = widths.reduce((a, b) => a + b, 0);

  let row = 1;
  let prev: LayoutBlock["kind"] | null = null;
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      // A blank row after a table and before a new page's caption keeps blocks apart.
      if (prev === "table" || (b.pageBreakBefore && prev !== null)) row++;
      const size = PT[b.style];
      const cell = ws.getCell(row, 1);
      cell.value = b.text;
      cell.font = { name: b.style === "body" || b.style === "label" || b.style === "subcaption" ? TEXT_FONT : TABLE_FONT, size, bold: b.style === "title" || b.style === "heading" || b.style === "caption" };
      cell.alignment = {
        horizontal: b.style === "title" || b.style === "caption" || b.style === "subcaption" ? "center" : b.style === "body" ? "justify" : "left",
        vertical: "middle",
        wrapText: true,
        ...(b.style === "body" ? { indent: 2 } : {}),
      };
      if (nCols > 1) ws.mergeCells(row, 1, row, nCols);
      ws.getRow(row).height = Math.max(20, lineCount([b.text], totalUnits - (b.style === "body" ? 4 : 1), size) * size * 1.45 + 6);
      row++;
    } else {
      if (prev === "table") row++;
      row = writeTable(ws, b, row, widths);
    }
    prev = b.kind;
  }
}

function writeTable(ws: ExcelJS.Worksheet, t: LayoutTable, top: number, widths: number[]): number {
  const heights = t.rows.map(() => 0);
  const lineHeight = PT.cell * 1.4;
  t.rows.forEach((r, ri) => {
    const excelRow = top + ri;
    for (const c of r.cells) {
      // Every cell of a range gets the border, so merged ranges are outlined whole.
      for (let rr = 0; rr < c.rowSpan; rr++) {
        for (let cc = 0; cc < c.colSpan; cc++) ws.getCell(excelRow + rr, c.col + 1 + cc).border = BORDER;
      }
      const cell = ws.getCell(excelRow, c.col + 1);
      setValue(cell, c);
      cell.font = { name: TABLE_FONT, size: PT.cell, bold: c.bold };
      cell.alignment = {
        horizontal: c.align === "left" ? "left" : "center",
        vertical: "middle",
        wrapText: true,
        ...(c.vertical ? { textRotation: "vertical" as const } : {}),
      };
      if (c.rowSpan > 1 || c.colSpan > 1) ws.mergeCells(excelRow, c.col + 1, excelRow + c.rowSpan - 1, c.col + c.colSpan);
      if (c.rowSpan === 1) {
        const units = widths.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
        heights[ri] = Math.max(heights[ri]!, lineCount(c.lines, units - 1, PT.cell) * lineHeight);
      }
    }
  });
  // Cells merged down need their rows to hold them together: grow the last row if they don't.
  t.rows.forEach((r, ri) => {
    for (const c of r.cells) {
      if (c.rowSpan === 1) continue;
      const units = widths.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
      const need = c.vertical ? [...c.lines.join("")].length * lineHeight : lineCount(c.lines, units - 1, PT.cell) * lineHeight;
      const span = heights.slice(ri, ri + c.rowSpan).map((h) => Math.max(h, lineHeight));
      const have = span.reduce((a, b) => a + b, 0);
      if (need > have) heights[ri + c.rowSpan - 1] = span[span.length - 1]! + (need - have);
    }
  });
  heights.forEach((h, ri) => {
    ws.getRow(top + ri).height = Math.max(18, Math.ceil(h + 6));
  });
  return top + t.rows.length;
}

function setValue(cell: ExcelJS.Cell, c: LayoutCell): void {
  if (c.num) {
    cell.value = c.num.value;
    if (c.num.format !== "General") cell.numFmt = c.num.format;
    return;
  }
  const text = c.vertical ? c.lines.join("") : c.lines.join("\n");
  if (text !== "") cell.value = text;
}

/** Lines a text takes in a cell `units` wide (CJK and other wide characters count double). */
function lineCount(lines: string[], units: number, pt: number): number {
  const perUnit = 10.5 / pt; // widths are in units of an 11 pt digit ≈ half a 10.5 pt CJK character
  const cap = Math.max(1, units * perUnit);
  let n = 0;
  for (const line of lines) {
    let w = 0;
    for (const ch of line) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{1F000}-\u{1FFFF}]|[\u{20000}-\u{3FFFD}]/u.test(ch) ? 2 : 1.1;
    n += Math.max(1, Math.ceil(w / cap));
  }
  return Math.max(1, n);
}

/**
 * A sheet name Excel accepts: ≤ 31 characters, none of []:*?/\, not starting or ending with an
 * apostrophe, not "History", unique within the workbook (case-insensitively).
 */
export function sheetName(name: string | null, index: number, used: Set<string>): string {
  let base = (name ?? "")
    .replace(/[\u0000-\u001F\u007F\uFFFE\uFFFF]/g, "")
    .replace(/[[\]:*?/\\]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^'+|'+$/g, "");
  if (base === "" || base.toLowerCase() === "history") base = `${base || "文档"}${index + 1}`;
  let candidate = truncate(base, 31);
  for (let n = 2; used.has(candidate.toLowerCase()); n++) {
    const suffix = `(${n})`;
    candidate = truncate(base, 31 - suffix.length) + suffix;
  }
  used.add(candidate.toLowerCase());
  return candidate;
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = "";
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.replace(/'+$/, "").trimEnd();
}
