// Cells: a fragment's grid → cells enclosed by drawn borders (merged cells get their spans), with
// the text runs that fall inside each cell.
import { type Fragment, hDrawn, vDrawn } from "./fragments.ts";
import { type Line, type Run, TOL } from "./geometry.ts";
import { groupLines } from "./lines.ts";

export interface WorkCell {
  /** Global row (within the joined table) and column. */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  lines: Line[];
  page: number;
  /** Extent of the cell's part on its first page. */
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** Extent of the part on its last page (for joins with the next page). */
  lastTop: number;
  lastBottom: number;
  lastLines: Line[];
  firstLines: Line[];
  /** Rows on the first/last page part. */
  firstRows: number;
  lastRows: number;
  dead?: boolean;
}

export interface FragGrid {
  frag: Fragment;
  rowOffset: number;
  nRows: number;
  cells: WorkCell[];
  /** Top border of each column drawn on this page? */
  topDrawn: boolean[];
  bottomDrawn: boolean[];
}

export function buildFragGrid(frag: Fragment, xs: number[], rowOffset: number, runs: Run[]): FragGrid {
  const ys = frag.ys;
  const nRows = ys.length - 1;
  const nCols = xs.length - 1;
  const owner: (WorkCell | null)[][] = Array.from({ length: nRows }, () => new Array<WorkCell | null>(nCols).fill(null));
  const cells: WorkCell[] = [];
  // Columns outside this fragment's extent (other pages may be wider) are left void.
  const colInside = (c: number) => (xs[c]! + xs[c + 1]!) / 2 > frag.left - TOL && (xs[c]! + xs[c + 1]!) / 2 < frag.right + TOL;
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      if (owner[r]![c] || !colInside(c)) continue;
      let cs = 1;
      while (c + cs < nCols && !owner[r]![c + cs] && colInside(c + cs) && !vDrawn(frag, xs[c + cs]!, ys[r]!, ys[r + 1]!)) cs++;
      let rs = 1;
      for (;;) {
        const rr = r + rs;
        if (rr >= nRows) break;
        let ok = true;
        for (let k = c; k < c + cs; k++) {
          if (owner[rr]![k] || hDrawn(frag, ys[rr]!, xs[k]!, xs[k + 1]!)) {
            ok = false;
            break;
          }
        }
        // the span's side borders must stay open inside, and closed at the edges is not required
        if (ok) {
          for (let k = c + 1; k < c + cs; k++) {
            if (vDrawn(frag, xs[k]!, ys[rr]!, ys[rr + 1]!)) {
              ok = false;
              break;
            }
          }
        }
        if (!ok) break;
        rs++;
      }
      const cell: WorkCell = {
        row: rowOffset + r,
        col: c,
        rowSpan: rs,
        colSpan: cs,
        lines: [],
        page: frag.page.num,
        top: ys[r]!,
        bottom: ys[r + rs]!,
        left: xs[c]!,
        right: xs[c + cs]!,
        lastTop: ys[r]!,
        lastBottom: ys[r + rs]!,
        lastLines: [],
        firstLines: [],
        firstRows: rs,
        lastRows: rs,
      };
      cells.push(cell);
      for (let i = r; i < r + rs; i++) for (let k = c; k < c + cs; k++) owner[i]![k] = cell;
    }
  }
  // text
  const byCell = new Map<WorkCell, Run[]>();
  for (const run of runs) {
    const cx = (run.x0 + run.x1) / 2;
    const cy = run.y - run.size * 0.35;
    let r = upperIndex(ys, cy);
    let c = upperIndex(xs, cx);
    r = Math.min(Math.max(r, 0), nRows - 1);
    c = Math.min(Math.max(c, 0), nCols - 1);
    let cell = owner[r]![c];
    if (!cell) {
      // text in a void slot: nearest cell of the row
      cell = owner[r]!.find((x) => x) ?? null;
    }
    if (!cell) continue;
    let list = byCell.get(cell);
    if (!list) byCell.set(cell, (list = []));
    list.push(run);
  }
  for (const cell of cells) {
    const list = byCell.get(cell) ?? [];
    cell.lines = groupLines(list);
    cell.firstLines = cell.lines;
    cell.lastLines = cell.lines;
  }
  const topDrawn: boolean[] = [];
  const bottomDrawn: boolean[] = [];
  for (let c = 0; c < nCols; c++) {
    topDrawn.push(hDrawn(frag, ys[0]!, xs[c]!, xs[c + 1]!));
    bottomDrawn.push(hDrawn(frag, ys[nRows]!, xs[c]!, xs[c + 1]!));
  }
  return { frag, rowOffset, nRows, cells, topDrawn, bottomDrawn };
}

/** Index i such that sorted[i] <= v < sorted[i+1]. */
function upperIndex(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
