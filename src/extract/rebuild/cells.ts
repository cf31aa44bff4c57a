// Output rows: the cells a rebuilt row holds (with the provenance of what was read), placed tokens
// joined into one row, and rows turned into the grid table the recognizer reads.
import type { TableBlock, TableCell, UnplacedText } from "../../ingest/blocks.ts";
import { norm } from "./templates.ts";
import type { Placement } from "./align.ts";

export interface OutCell {
  text: string;
  paragraphs: string[];
  col: number;
  line?: number;
  page?: number;
  inferred?: boolean;
  /** The cell as read (keeps its provenance and spans when placed as is). */
  src?: TableCell;
}
export type OutRow = OutCell[];

export function outOf(c: TableCell, col: number, inferred: boolean): OutCell {
  const o: OutCell = { text: c.text, paragraphs: [...c.paragraphs], col, src: c };
  if (c.line !== undefined) o.line = c.line;
  if (c.page !== undefined) o.page = c.page;
  if (inferred) o.inferred = true;
  return o;
}

export function toTable(index: number, rows: OutRow[], base: Partial<TableBlock>, unplaced: UnplacedText[]): TableBlock {
  const cells: TableCell[][] = rows.map((r, ri) =>
    [...r]
      .sort((a, b) => a.col - b.col)
      .filter((c, k, arr) => k === 0 || arr[k - 1]!.col !== c.col)
      .map((o) => {
        const c: TableCell = { ...(o.src ?? {}), text: o.text, paragraphs: o.paragraphs, row: ri, col: o.col, rowSpan: 1, colSpan: o.src?.colSpan ?? 1 };
        if (o.line !== undefined) c.line = o.line;
        if (o.page !== undefined) c.page = o.page;
        if (o.inferred) c.inferred = true;
        else delete c.inferred;
        return c;
      }),
  );
  // spans never reach past the next cell of the row
  for (const row of cells) row.forEach((c, k) => (c.colSpan = Math.max(1, Math.min(c.colSpan, (row[k + 1]?.col ?? Infinity) - c.col))));
  const nCols = Math.max(1, ...cells.flat().map((c) => c.col + c.colSpan));
  const t: TableBlock = { kind: "table", index, nCols, rows: cells, layout: "grid" };
  if (base.page !== undefined) t.page = base.page;
  if (base.sheet !== undefined) t.sheet = base.sheet;
  if (unplaced.length) t.unplaced = unplaced;
  return t;
}

/** Placed tokens → cells of one row: tokens continuing a cell are joined into it; the empty columns
 * between the first and the last placed cell get empty cells (the row reaches past them, so they were
 * printed blank — only the leading and trailing ones may have been dropped or cut). */
export function rowFromPlacement(items: { o: OutCell; p: Placement; sep: string }[], fill = true): OutRow {
  const row: OutRow = [];
  for (const { o, p, sep } of items) {
    const last = row[row.length - 1];
    if (p.joined && last && last.col === p.col) {
      last.text = last.text ? `${last.text}${sep}${o.text}` : o.text;
      last.paragraphs = sep === "\n" ? [...last.paragraphs, ...o.paragraphs] : [last.text];
      delete last.src;
      continue;
    }
    row.push({ ...o, col: p.col });
  }
  const filled = row.filter((c) => norm(c.text) !== "");
  // a 总分 row's label spans the columns up to its numbers: nothing blank was printed there
  if (filled.length === 0 || !fill) return fill ? row : filled;
  const lo = Math.min(...filled.map((c) => c.col));
  const hi = Math.max(...filled.map((c) => c.col));
  const kept = row.filter((c) => norm(c.text) !== "" || (c.col > lo && c.col < hi));
  const line = filled[0]!.line;
  for (let k = lo + 1; k < hi; k++) {
    if (!kept.some((c) => c.col === k)) kept.push({ text: "", paragraphs: [""], col: k, ...(line !== undefined ? { line } : {}) });
  }
  return kept.sort((a, b) => a.col - b.col);
}
