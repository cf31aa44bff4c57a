// Builds .xlsx workbooks for tests with exceljs, the way units publish their forms: a title and a
// year line above the table (merged across it, no borders), the table itself bordered, with merged
// cells for spanning labels, amounts stored as numbers with their number format.
// A sheet's table is a marker grid as in makeDocx.ts: "<" belongs to the cell on its left, "^" continues
// the cell above (the merged range grows down); any other string is a cell ("" blank, "\n" a line break).
import ExcelJS from "exceljs";
import { LEFT, UP, gridCells } from "./makeDocx.ts";

export interface SheetSpec {
  name: string;
  /** Lines above the table (title, year, 填报单位 …), each merged across the table's width. */
  before?: string[];
  /** The table, as a marker grid. */
  grid?: string[][];
  /** Lines below the table (填表人, 备注 …). */
  after?: string[];
  state?: "visible" | "hidden" | "veryHidden";
}

const thin = { style: "thin" as const, color: { argb: "FF000000" } };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

/** A cell's value as Excel stores it: amounts and rates as numbers with a number format, the rest as text. */
function typed(text: string): { value: string | number; numFmt?: string } {
  const pct = /^(\d+(?:\.(\d+))?)%$/.exec(text);
  if (pct) return { value: Number(pct[1]) / 100, numFmt: pct[2] ? `0.${"0".repeat(pct[2].length)}%` : "0%" };
  const num = /^-?(?:0|[1-9]\d{0,8})(?:\.(\d+))?$/.exec(text);
  if (num) return { value: Number(text), ...(num[1] ? { numFmt: `0.${"0".repeat(num[1].length)}` } : {}) };
  return { value: text };
}

export function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(spec.name);
  if (spec.state) ws.state = spec.state;
  const grid = spec.grid ?? [];
  gridCells(grid); // the same marker rules as a Word table: a "^" continues a cell of the same width
  const width = Math.max(1, grid[0]?.length ?? 1);
  ws.columns = Array.from({ length: width }, (_, i) => ({ width: i === 0 ? 14 : 16 }));
  let r = 1;
  const line = (text: string, title: boolean) => {
    const cell = ws.getCell(r, 1);
    cell.value = text;
    cell.alignment = { horizontal: title ? "center" : "left", vertical: "middle" };
    if (title) cell.font = { bold: true, size: 16, name: "方正小标宋简体" };
    if (width > 1) ws.mergeCells(r, 1, r, width);
    r++;
  };
  for (const t of spec.before ?? []) line(t, /表$/.test(t));
  const top = r;
  grid.forEach((row, ri) => {
    if (row.length !== width) throw new Error(`${spec.name}: grid row ${ri} has ${row.length} cells, expected ${width}`);
    row.forEach((t, ci) => {
      const cell = ws.getCell(top + ri, ci + 1);
      cell.border = BORDER;
      cell.alignment = { vertical: "middle", horizontal: t.length <= 12 ? "center" : "left", wrapText: true };
      cell.font = { size: 10, name: "宋体" };
      if (t === LEFT || t === UP || t === "") return;
      const v = typed(t);
      cell.value = v.value;
      if (v.numFmt) cell.numFmt = v.numFmt;
    });
  });
  // Merged ranges: an origin, its "<" run to the right, and the "^" rows below it with the same width.
  grid.forEach((row, ri) => {
    for (let c = 0; c < width; c++) {
      if (row[c] === LEFT || row[c] === UP) continue;
      let span = 1;
      while (c + span < width && row[c + span] === LEFT) span++;
      let down = 0;
      while (ri + down + 1 < grid.length) {
        const next = grid[ri + down + 1]!;
        if (next[c] !== UP) break;
        let k = 1;
        while (c + k < width && next[c + k] === LEFT) k++;
        if (k !== span) break;
        down++;
      }
      if (span > 1 || down > 0) ws.mergeCells(top + ri, c + 1, top + ri + down, c + span);
    }
  });
  r = top + grid.length;
  for (const t of spec.after ?? []) line(t, false);
  return ws;
}

export async function makeXlsx(sheets: SheetSpec[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "财政局预算管理一体化系统";
  for (const s of sheets) addSheet(wb, s);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
