// A table grid in canonical form, to compare readers of the same document: grid lines that no origin
// cell starts or ends on are dropped. LibreOffice's .docx export of the seed fixtures keeps a
// zero-width column of the HTML source (gridSpan sums to 10 while tblGrid has 9 gridCols); a .doc stores
// real cell boundaries and a PDF only shows drawn borders, so neither can have that phantom column.
import type { TableBlock } from "../../src/ingest/blocks.ts";

export interface CanonCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
}

export function canonicalGrid(t: TableBlock, normText: (s: string) => string): { nCols: number; cells: CanonCell[] } {
  const used = new Set<number>();
  for (const c of t.rows.flat()) {
    used.add(c.col);
    used.add(c.col + c.colSpan);
  }
  const lines = [...used].sort((a, b) => a - b);
  const at = new Map(lines.map((v, i) => [v, i]));
  const cells = t.rows.flat().map((c) => {
    const col = at.get(c.col)!;
    return { row: c.row, col, rowSpan: c.rowSpan, colSpan: at.get(c.col + c.colSpan)! - col, text: normText(c.text) };
  });
  return { nCols: lines.length - 1, cells };
}
