// Table assembly: paragraphs → blocks. Cell and row-end marks group paragraphs into cells and rows;
// each row's cell boundaries place its cells on the table's grid (spans, vertical merges); nested
// tables are folded into their cell's text.
import type { Block, ParagraphBlock, TableBlock, TableCell } from "../blocks.ts";
import { newTapCell, type Tap, type TapCell } from "./papx.ts";
import type { RawPara } from "./paragraphs.ts";

interface RawRow {
  cells: string[][];
  tap: Tap | null;
}

interface Slot {
  cell: TableCell;
  left: number;
  right: number;
}

function buildTable(rows: RawRow[], index: number): TableBlock {
  // Per row: boundaries (n+1) for its n text cells.
  const rowBounds: number[][] = [];
  const rowFlags: TapCell[][] = [];
  let lastTap: Tap | null = null;
  for (const r of rows) {
    const n = r.cells.length;
    // A row without its own table properties reuses the previous row's.
    const tap = r.tap ?? lastTap;
    if (r.tap) lastTap = r.tap;
    const b: number[] = [];
    const f: TapCell[] = [];
    if (tap && tap.centers.length >= 2) {
      for (let i = 0; i <= n; i++) {
        let v = tap.centers[i];
        if (v === undefined) v = b[i - 1]! + 1;
        if (i > 0 && v <= b[i - 1]!) v = b[i - 1]! + 1; // keep boundaries increasing
        b.push(v);
      }
      for (let i = 0; i < n; i++) f.push(tap.cells[i] ?? newTapCell());
    } else {
      for (let i = 0; i <= n; i++) b.push(i);
      for (let i = 0; i < n; i++) f.push(newTapCell());
    }
    rowBounds.push(b);
    rowFlags.push(f);
  }
  const grid = [...new Set(rowBounds.flat())].sort((a, b) => a - b);
  const colOf = new Map<number, number>();
  grid.forEach((v, i) => colOf.set(v, i));
  const nCols = Math.max(1, grid.length - 1);

  const out: TableCell[][] = [];
  // Cells whose vertical merge is still open, by left boundary column.
  let prevSlots: Slot[] = [];
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r]!.cells;
    const b = rowBounds[r]!;
    const f = rowFlags[r]!;
    const rowOut: TableCell[] = [];
    const slots: Slot[] = [];
    for (let i = 0; i < cells.length; i++) {
      let paragraphs = cells[i]!;
      const left = colOf.get(b[i]!)!;
      let right = colOf.get(b[i + 1]!)!;
      const flag = f[i]!;
      // Legacy horizontal merge: fFirstMerged followed by fMerged cells form one cell.
      if (flag.firstMerged) {
        while (i + 1 < cells.length && f[i + 1]!.merged && !f[i + 1]!.firstMerged) {
          i++;
          if (cells[i]!.some((p) => p.trim() !== "")) paragraphs = [...paragraphs, ...cells[i]!];
          right = colOf.get(b[i + 1]!)!;
        }
      }
      if (flag.vertMerge && !flag.vertRestart) {
        const above = prevSlots.find((s) => s.left === left);
        if (above) {
          above.cell.rowSpan++;
          if (paragraphs.some((p) => p.trim() !== "")) {
            above.cell.paragraphs.push(...paragraphs);
            above.cell.text = above.cell.paragraphs.join("\n");
          }
          slots.push(above);
          continue;
        }
      }
      const cell: TableCell = {
        text: paragraphs.join("\n"),
        paragraphs: [...paragraphs],
        row: r,
        col: left,
        rowSpan: 1,
        colSpan: Math.max(1, right - left),
      };
      rowOut.push(cell);
      slots.push({ cell, left, right });
    }
    out.push(rowOut);
    prevSlots = slots;
  }
  return { kind: "table", index, nCols, rows: out };
}

export function assemble(paras: RawPara[]): Block[] {
  const blocks: Block[] = [];
  let nTables = 0;
  let nParas = 0;
  let rows: RawRow[] | null = null;
  let rowCells: string[][] = [];
  let cellParas: string[] = [];
  // Nested table (depth >= 2) inside the current cell: folded into the cell's paragraphs,
  // one paragraph per inner row with its origin cells' texts joined by tabs.
  let innerRows: RawRow[] = [];
  let innerCells: string[][] = [];
  let innerParas: string[] = [];

  const flushInner = (): void => {
    if (innerParas.length) {
      innerCells.push(innerParas);
      innerParas = [];
    }
    if (innerCells.length) {
      innerRows.push({ cells: innerCells, tap: null });
      innerCells = [];
    }
    if (innerRows.length) {
      const t = buildTable(innerRows, -1);
      for (const r of t.rows) cellParas.push(r.map((c) => c.text).join("\t"));
      innerRows = [];
    }
  };

  const closeTable = (): void => {
    flushInner();
    if (rowCells.length || cellParas.length) {
      // Dangling cells without a row-end mark: keep them as a row.
      if (cellParas.length) rowCells.push(cellParas);
      (rows ??= []).push({ cells: rowCells, tap: null });
      rowCells = [];
      cellParas = [];
    }
    if (rows && rows.length) blocks.push(buildTable(rows, nTables++));
    rows = null;
  };

  for (const p of paras) {
    const pp = p.props;
    const depth = pp.itap ?? (pp.inTable ? 1 : 0);
    if (depth <= 0 && !(p.mark === "\x07")) {
      closeTable();
      if (p.text.trim() !== "") {
        const block: ParagraphBlock = { kind: "paragraph", index: nParas++, text: p.text };
        blocks.push(block);
      }
      continue;
    }
    rows ??= [];
    if (depth >= 2) {
      if (pp.innerTtp) {
        if (innerParas.length) {
          innerCells.push(innerParas);
          innerParas = [];
        }
        innerRows.push({ cells: innerCells, tap: pp.tap });
        innerCells = [];
      } else {
        innerParas.push(p.text);
        if (pp.innerCell || p.mark === "\x07") {
          innerCells.push(innerParas);
          innerParas = [];
        }
      }
      continue;
    }
    flushInner();
    if (pp.ttp) {
      if (cellParas.length) {
        rowCells.push(cellParas);
        cellParas = [];
      }
      rows.push({ cells: rowCells, tap: pp.tap });
      rowCells = [];
      continue;
    }
    cellParas.push(p.text);
    if (p.mark === "\x07") {
      rowCells.push(cellParas);
      cellParas = [];
    }
  }
  closeTable();
  return blocks;
}
