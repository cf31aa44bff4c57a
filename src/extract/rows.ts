// A uniform view of table rows for the recognizer: origin cells with their grid range and text,
// plus helpers to read a field's value by the grid range of its header cell.
import type { Block, ParagraphBlock, TableBlock, TableCell } from "../ingest/blocks.ts";
import type { Provenance } from "../domain/document.ts";
import { cleanText, squash } from "../domain/text.ts";

export interface RCell {
  /** Cleaned text (paragraphs trimmed, blanks dropped, joined with "\n"); "" when blank. */
  text: string;
  /** Whitespace-free text, for matching labels. */
  key: string;
  col: number;
  span: number;
  cell: TableCell;
  table: TableBlock;
}

export interface RRow {
  table: TableBlock;
  row: number;
  cells: RCell[];
  /** Paragraph blocks seen since the previous row of any table (titles, year lines, report text). */
  before: Block[];
}

export type Range = [number, number];

export function rowsOf(t: TableBlock): RRow[] {
  return t.rows.map((cells, r) => ({
    table: t,
    row: r,
    before: [],
    cells: cells.map((c) => {
      const text = cleanText(c.paragraphs.length ? c.paragraphs : [c.text]) ?? "";
      return { text, key: squash(text), col: c.col, span: c.colSpan, cell: c, table: t };
    }),
  }));
}

export function isEmptyRow(r: RRow): boolean {
  return r.cells.every((c) => c.key === "");
}

/** A note under the form (注：…, 备注：…, 填报说明：…): its only filled cell starts with the word and a colon. */
export function isNoteRow(r: RRow): boolean {
  const filled = r.cells.filter((c) => c.key !== "");
  return filled.length === 1 && /^(备注|注|说明|填报说明|填表说明)[:：]/.test(filled[0]!.key.replace(/^[*★※]+/, "").replace(/:/g, "："));
}

/** A blank row drawn as one cell across (nearly) the whole table, or with no cells: a spacer, never a row of the form. */
export function isSpacerRow(r: RRow): boolean {
  if (!isEmptyRow(r)) return false;
  return r.cells.length === 0 || (r.cells.length === 1 && r.cells[0]!.span >= Math.max(2, r.table.nCols - 1));
}

/** Cells whose start column lies inside the range. */
export function cellsIn(r: RRow, range: Range): RCell[] {
  return r.cells.filter((c) => c.col >= range[0] && c.col < range[1]);
}

/** The value of a field: the non-empty cells inside its header range, joined. */
export function valueIn(r: RRow, range: Range): RCell | null {
  const cs = cellsIn(r, range).filter((c) => c.key !== "");
  if (cs.length === 0) return null;
  if (cs.length === 1) return cs[0]!;
  // A split cell (e.g. 得分 cut in two): keep the cells' texts together, provenance on the first.
  const text = cs.map((c) => c.text).join("\n");
  return { ...cs[0]!, text, key: squash(text) };
}

export function rangeOf(c: RCell): Range {
  return [c.col, c.col + c.span];
}

export function provOf(file: string, c: RCell | null): Provenance | null {
  if (!c) return null;
  const p: Provenance = { file, table: c.table.index, row: c.cell.row, col: c.cell.col, text: c.cell.text };
  if (c.cell.page !== undefined) p.page = c.cell.page;
  else if (c.table.page !== undefined) p.page = c.table.page;
  if (c.cell.line !== undefined) p.line = c.cell.line;
  if (c.cell.address !== undefined) p.address = c.cell.address;
  if (c.cell.inferred) p.inferred = true;
  if (c.table.sheet !== undefined) p.sheet = c.table.sheet;
  return p;
}

/** Provenance of a paragraph outside tables (report text, captions, 申报表 header lines). */
export function paraProvOf(file: string, p: ParagraphBlock): Provenance {
  const o: Provenance = { file, paragraph: p.index, text: p.text };
  if (p.page !== undefined) o.page = p.page;
  if (p.line !== undefined) o.line = p.line;
  return o;
}

/** Finds the first cell whose whitespace-free text matches. */
export function findCell(r: RRow, re: RegExp): RCell | undefined {
  return r.cells.find((c) => re.test(c.key));
}

/** The cell right after `c` in its row (the value next to a label). */
export function nextCell(r: RRow, c: RCell): RCell | null {
  const i = r.cells.indexOf(c);
  return r.cells[i + 1] ?? null;
}
