// Output: paragraphs and tables as blocks, numbered in reading order; rows as read → a TableBlock
// with `layout: "rows"`.
import type { Block, ParagraphBlock, TableBlock, TableCell } from "../blocks.ts";
import { cellText, isEmptyCell, type RawCell, type RawRow } from "./lines.ts";

/** Paragraph text: markdown heading markers are dropped, everything else is kept verbatim. */
const paragraphText = (line: string) => line.replace(/^\s{0,3}#{1,6}\s+/, "").replace(/\t+$/, "");

export class Out {
  blocks: Block[] = [];
  private p = 0;
  private t = 0;
  para(text: string, line: number): void {
    const clean = paragraphText(text);
    if (clean.trim() === "") return;
    const b: ParagraphBlock = { kind: "paragraph", index: this.p++, text: clean, line };
    this.blocks.push(b);
  }
  cellAsParagraphs(c: RawCell): void {
    c.paragraphs.forEach((p, k) => this.para(p, c.line + k));
  }
  table(rows: TableCell[][], nCols: number, layout: TableBlock["layout"]): void {
    const b: TableBlock = { kind: "table", index: this.t++, nCols, rows, layout };
    this.blocks.push(b);
  }
}

/**
 * Rows as read, one cell per text cell in reading order (col = position, span 1): text carries no merge
 * information, so the table is `layout: "rows"` and the recognizer's rebuild stage (src/extract/rebuild/)
 * places the cells under the form's header rows. Trailing empty cells are dropped: pasted web text
 * pads rows at their end with the empty cells of merged or blank slots, wherever those were. Word's
 * cell export (`cellsMode`) is the exception: it writes every origin cell of a row in place, so its
 * trailing empty cells are real and kept (a row then has as many cells as the header row above it).
 */
export function emitRowTable(rows: RawRow[], out: Out, cellsMode = false): void {
  const kept = rows.map((r) => {
    // a row without any text keeps its cells: a printed blank row, not padding
    if (cellsMode || r.every((c) => isEmptyCell(c))) return r;
    let n = r.length;
    while (n > 0 && isEmptyCell(r[n - 1])) n--;
    return r.slice(0, n);
  });
  if (!kept.some((r) => r.length > 0)) {
    for (const r of rows) for (const c of r) out.cellAsParagraphs(c);
    return;
  }
  const nCols = Math.max(1, ...kept.map((r) => r.length));
  out.table(
    kept.map((r, ri) => r.map((c, ci) => toCell(c, ri, ci))),
    nCols,
    "rows",
  );
}

function toCell(c: RawCell, row: number, col: number): TableCell {
  return { text: cellText(c), paragraphs: [...c.paragraphs], row, col, rowSpan: 1, colSpan: 1, line: c.line };
}
