// Tables: the fragments of one table (one per page) → a TableBlock. Decides which fragment continues
// the table before it, drops header rows repeated on continuation pages, and compacts rows and
// columns no cell starts in.
import type { TableBlock, TableCell } from "../blocks.ts";
import { buildFragGrid, type FragGrid, type WorkCell } from "./cells.ts";
import { type Fragment, hDrawn } from "./fragments.ts";
import { clusterValues, lineNumber, type Run, TOL } from "./geometry.ts";
import { cellParagraphs } from "./lines.ts";
import { joinGrids } from "./pageBreaks.ts";

export interface TableWork {
  frags: Fragment[];
}

/** Is `next` (first table fragment on its page) the continuation of table `t`? */
export function continues(t: TableWork, next: Fragment): boolean {
  const last = t.frags[t.frags.length - 1]!;
  if (next.page.num !== last.page.num + 1) return false;
  if (Math.abs(next.left - last.left) > 3 || Math.abs(next.right - last.right) > 3) return false;
  // columns: most inner boundaries of the new part exist in the table already
  const known = clusterValues(
    t.frags.flatMap((f) => f.xs.slice(1, -1)),
    TOL,
  );
  const inner = next.xs.slice(1, -1);
  if (inner.length > 0 && known.length > 0) {
    const matched = inner.filter((x) => known.some((k) => Math.abs(k - x) <= TOL)).length;
    if (matched < Math.min(inner.length, known.length) * 0.5) return false;
  }
  return true;
}

export function buildTable(t: TableWork, runsByFrag: Map<Fragment, Run[]>, index: number, contentBottom: Map<number, number>): TableBlock | null {
  const xs = clusterValues(
    t.frags.flatMap((f) => f.xs),
    TOL,
  );
  const nCols = xs.length - 1;
  if (nCols < 1) return null;
  let rowOffset = 0;
  const all = new Set<WorkCell>();
  let prevGrid: FragGrid | null = null;
  let headerRows: string[][] | null = null;
  for (const frag of t.frags) {
    let grid = buildFragGrid(frag, xs, rowOffset, runsByFrag.get(frag) ?? []);
    if (prevGrid && headerRows) {
      // Header rows repeated on the continuation page (Word's "repeat as header row") are dropped.
      for (const header of headerRows) {
        const first = rowTexts(grid, grid.rowOffset);
        if (grid.nRows <= 1 || header.every((t) => t.endsWith(":")) || first.join("|") !== header.join("|")) break;
        grid = dropFirstRow(grid, xs);
      }
    }
    if (prevGrid) {
      const { split, mergedInto } = joinGrids(prevGrid, grid, contentBottom.get(prevGrid.frag.page.num) ?? Infinity);
      if (split) {
        // the first row of the new page is the last row of the previous one
        for (const c of grid.cells) if (!c.dead) c.row -= 1;
        grid.rowOffset -= 1;
      }
      grid.cells = grid.cells.map((c) => mergedInto.get(c) ?? c);
    } else {
      headerRows = [0, 1, 2].filter((r) => r < grid.nRows).map((r) => rowTexts(grid, r));
    }
    for (const c of grid.cells) if (!c.dead) all.add(c);
    rowOffset = grid.rowOffset + grid.nRows;
    prevGrid = grid;
  }
  const cells = [...all].filter((c) => !c.dead);
  // Drop rows that no cell starts in (all slots covered from above).
  const used = new Set(cells.map((c) => c.row));
  const maxRow = Math.max(...cells.map((c) => c.row + c.rowSpan));
  const remap: number[] = [];
  let k = 0;
  for (let r = 0; r <= maxRow; r++) {
    remap.push(k);
    if (used.has(r)) k++;
  }
  const nRows = k;
  const rows: TableCell[][] = Array.from({ length: nRows }, () => []);
  for (const c of cells) {
    const r0 = remap[c.row]!;
    const r1 = remap[c.row + c.rowSpan]!;
    const paragraphs = cellParagraphs(c.lines, c.left, c.right);
    const first = c.lines[0];
    const cell: TableCell = {
      text: paragraphs.join("\n"),
      paragraphs,
      row: r0,
      col: c.col,
      rowSpan: Math.max(1, r1 - r0),
      colSpan: c.colSpan,
      page: first ? first.page : c.page,
    };
    if (first) {
      const page = t.frags.find((f) => f.page.num === first.page)?.page;
      if (page) cell.line = lineNumber(page, first.y);
    }
    rows[r0]!.push(cell);
  }
  for (const r of rows) r.sort((a, b) => a.col - b.col);
  // Drop columns that no cell starts in (never separated anywhere in the table).
  const colUsed = new Set(cells.map((c) => c.col));
  const colMap: number[] = [];
  let kc = 0;
  for (let c = 0; c <= nCols; c++) {
    colMap.push(kc);
    if (colUsed.has(c)) kc++;
  }
  for (const r of rows) {
    for (const cell of r) {
      const c0 = colMap[cell.col]!;
      const c1 = colMap[cell.col + cell.colSpan]!;
      cell.col = c0;
      cell.colSpan = Math.max(1, c1 - c0);
    }
  }
  return { kind: "table", index, nCols: kc, rows, page: t.frags[0]!.page.num };
}

function rowTexts(grid: FragGrid, row: number): string[] {
  return grid.cells
    .filter((c) => c.row === row)
    .sort((a, b) => a.col - b.col)
    .map((c) => `${c.col}:${c.colSpan}:${c.lines.map((l) => l.text).join("").replace(/\s+/g, "")}`);
}

function dropFirstRow(grid: FragGrid, xs: number[]): FragGrid {
  const r0 = grid.rowOffset;
  const cells: WorkCell[] = [];
  for (const c of grid.cells) {
    if (c.row === r0 && c.rowSpan === 1) continue;
    if (c.row === r0) {
      // a cell spanning down from the dropped row now starts one row lower
      c.rowSpan -= 1;
      c.firstRows -= 1;
      c.lastRows -= 1;
    } else c.row -= 1;
    cells.push(c);
  }
  const ys = grid.frag.ys.slice(1);
  const frag: Fragment = { ...grid.frag, ys, top: ys[0]! };
  for (const c of cells) {
    if (c.top < frag.top) c.top = c.lastTop = frag.top;
    c.firstLines = c.firstLines.filter((l) => l.y > frag.top);
    c.lines = c.lines.filter((l) => l.page !== frag.page.num || l.y > frag.top);
    c.lastLines = c.firstLines;
  }
  const topDrawn: boolean[] = [];
  for (let c = 0; c < xs.length - 1; c++) topDrawn.push(hDrawn(frag, ys[0]!, xs[c]!, xs[c + 1]!));
  return { ...grid, frag, nRows: grid.nRows - 1, cells, topDrawn };
}
