// Sheet → blocks: merged ranges become origin cells with spans, rows are classified as paragraph or
// table rows (from borders or vertical alignment), and contiguous table rows become one TableBlock.
import type { Block, ParagraphBlock, TableBlock, TableCell } from "../blocks.ts";
import { columnName, isBlank, type Range, type SheetData } from "./sheet.ts";
import type { CellStyle, Styles } from "./styles.ts";

/** A paragraph read from a sheet: ParagraphBlock plus where it sits. */
export interface XlsxParagraphBlock extends ParagraphBlock {
  sheet: string;
  /** Address of the cell the paragraph was read from, e.g. "A1". */
  address: string;
}

interface GridCell {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
  text: string;
  style: number;
  blank: boolean;
}

export function sheetToBlocks(
  sheet: SheetData,
  sheetName: string,
  styles: Styles,
  out: Block[],
  counters: { table: number; paragraph: number },
): void {
  if (sheet.cells.length === 0) return;

  // Merges indexed by row, clipped to the rows present in the XML (a merge may name whole
  // columns) and to a sane width (a merge may name whole rows).
  let maxRow = 0;
  let maxCol = 0;
  for (const [r, rowMap] of sheet.present) {
    if (r > maxRow) maxRow = r;
    for (const c of rowMap.keys()) if (c > maxCol) maxCol = c;
  }
  const merges = sheet.merges
    .filter((g) => g.r0 <= maxRow && g.c0 <= maxCol)
    .map((g) => ({ ...g, r1: Math.min(g.r1, maxRow), c1: Math.min(g.c1, Math.max(maxCol, 255)) }));
  const mergesByRow = new Map<number, Range[]>();
  for (const g of merges) {
    for (let r = g.r0; r <= g.r1; r++) {
      let l = mergesByRow.get(r);
      if (!l) mergesByRow.set(r, (l = []));
      l.push(g);
    }
  }
  const mergeAt = (r: number, c: number): Range | undefined => mergesByRow.get(r)?.find((g) => c >= g.c0 && c <= g.c1);

  // Origin cells with text.
  const gridCells: GridCell[] = [];
  const originOf = new Set<Range>();
  for (const c of sheet.cells) {
    const g = mergeAt(c.row, c.col);
    if (g && (g.r0 !== c.row || g.c0 !== c.col)) continue; // a value repeated inside a merge
    if (g) originOf.add(g);
    gridCells.push({ r0: c.row, c0: c.col, r1: g ? g.r1 : c.row, c1: g ? g.c1 : c.col, text: c.text, style: c.style, blank: false });
  }
  if (gridCells.length === 0) return;
  const bbox: Range = { r0: Infinity, c0: Infinity, r1: -1, c1: -1 };
  for (const g of gridCells) {
    bbox.r0 = Math.min(bbox.r0, g.r0);
    bbox.c0 = Math.min(bbox.c0, g.c0);
    bbox.r1 = Math.max(bbox.r1, g.r1);
    bbox.c1 = Math.max(bbox.c1, g.c1);
  }
  // Blank merged ranges inside the used range.
  for (const g of merges) {
    if (originOf.has(g) || g.r0 < bbox.r0 || g.c0 < bbox.c0 || g.r0 > bbox.r1 || g.c0 > bbox.c1) continue;
    const raw = sheet.present.get(g.r0)?.get(g.c0);
    gridCells.push({
      r0: g.r0, c0: g.c0, r1: Math.min(g.r1, bbox.r1), c1: Math.min(g.c1, bbox.c1),
      text: raw?.text ?? "", style: raw?.style ?? 0, blank: true,
    });
  }

  // Cells intersecting each row.
  const nRows = bbox.r1 - bbox.r0 + 1;
  const byRow: GridCell[][] = Array.from({ length: nRows }, () => []);
  for (const g of gridCells) for (let r = g.r0; r <= g.r1; r++) byRow[r - bbox.r0]!.push(g);
  const nonBlank = (r: number): number => byRow[r]!.reduce((n, g) => n + (g.blank ? 0 : 1), 0);

  // Which style property tells table cells from free text in this sheet.
  const multiRows: number[] = [];
  for (let i = 0; i < nRows; i++) if (byRow[i]!.length >= 2) multiRows.push(i);
  const styleOf = (g: GridCell): CellStyle | undefined => styles.xfs[g.style];
  let tableLike: ((g: GridCell) => boolean) | null = null;
  const borderMode = gridCells.some((g) => !g.blank && styleOf(g)?.border);
  if (borderMode) {
    tableLike = (g) => styleOf(g)?.border ?? false;
  } else {
    const counts = new Map<string, number>();
    for (const i of multiRows) for (const g of byRow[i]!) if (!g.blank && g.r0 === i + bbox.r0) {
      const va = styleOf(g)?.vAlign ?? "bottom";
      counts.set(va, (counts.get(va) ?? 0) + 1);
    }
    const body = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (body !== undefined) {
      const singles = byRow.filter((l) => l.length === 1 && !l[0]!.blank).map((l) => l[0]!);
      if (singles.some((g) => (styleOf(g)?.vAlign ?? "bottom") !== body)) {
        tableLike = (g) => (styleOf(g)?.vAlign ?? "bottom") === body;
      }
    }
  }

  // Row kinds.
  type Kind = "empty" | "emptyBordered" | "para" | "table" | "tableSingle";
  const kind: Kind[] = new Array<Kind>(nRows);
  for (let i = 0; i < nRows; i++) {
    const l = byRow[i]!;
    if (nonBlank(i) === 0) {
      const bordered = borderMode &&
        (sheet.borderedBlankRows.has(i + bbox.r0) || l.some((g) => styleOf(g)?.border));
      kind[i] = bordered ? "emptyBordered" : "empty";
    } else if (l.length === 1) {
      const g = l[0]!;
      let alone = true;
      for (let r = g.r0; r <= g.r1; r++) if (byRow[r - bbox.r0]!.length !== 1) alone = false;
      kind[i] = !alone ? "table" : tableLike?.(g) ? "tableSingle" : "para";
    } else kind[i] = "table";
  }
  // Empty bordered rows stay inside a table only between table rows.
  const isTab = (k: Kind | undefined): boolean => k === "table" || k === "tableSingle";
  for (let i = 0; i < nRows; i++) {
    if (kind[i] !== "emptyBordered") continue;
    let a = i - 1;
    while (a >= 0 && kind[a] === "emptyBordered") a--;
    let b = i + 1;
    while (b < nRows && kind[b] === "emptyBordered") b++;
    if (!(isTab(kind[a]) && isTab(kind[b]))) kind[i] = "empty";
  }
  const inTable = (k: Kind | undefined): boolean => isTab(k) || k === "emptyBordered";
  // A run of single-cell rows with no real table row is text, not a table.
  for (let i = 0; i < nRows; ) {
    if (!inTable(kind[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < nRows && inTable(kind[j])) j++;
    if (!kind.slice(i, j).includes("table")) for (let k = i; k < j; k++) kind[k] = kind[k] === "tableSingle" ? "para" : "empty";
    i = j;
  }

  // Emit.
  for (let i = 0; i < nRows; ) {
    const k = kind[i]!;
    if (k === "empty") {
      i++;
      continue;
    }
    if (k === "para") {
      const g = byRow[i]!.find((c) => !c.blank)!;
      if (g.r0 === i + bbox.r0) {
        for (const line of splitLines(g.text)) {
          if (isBlank(line)) continue;
          const p: XlsxParagraphBlock = {
            kind: "paragraph", index: counters.paragraph++, text: line, sheet: sheetName, address: columnName(g.c0) + (g.r0 + 1),
          };
          out.push(p);
        }
      }
      i++;
      continue;
    }
    let j = i;
    while (j < nRows && inTable(kind[j])) j++;
    out.push(buildTable(i + bbox.r0, j - 1 + bbox.r0, bbox.c0, gridCells, sheet, sheetName, counters.table++));
    i = j;
  }
}

function buildTable(
  r0: number,
  r1: number,
  colBase: number,
  gridCells: GridCell[],
  sheet: SheetData,
  sheetName: string,
  index: number,
): TableBlock {
  const nRows = r1 - r0 + 1;
  const rows: TableCell[][] = Array.from({ length: nRows }, () => []);
  const occupied: [number, number][][] = Array.from({ length: nRows }, () => []);
  let nCols = 0;
  const add = (g: GridCell): void => {
    const rowEnd = Math.min(g.r1, r1);
    const paragraphs = g.text === "" ? [""] : splitLines(g.text);
    rows[g.r0 - r0]!.push({
      text: paragraphs.join("\n"),
      paragraphs,
      row: g.r0 - r0,
      col: g.c0 - colBase,
      rowSpan: rowEnd - g.r0 + 1,
      colSpan: g.c1 - g.c0 + 1,
      address: columnName(g.c0) + (g.r0 + 1),
    });
    nCols = Math.max(nCols, g.c1 - colBase + 1);
    for (let r = g.r0; r <= rowEnd; r++) occupied[r - r0]!.push([g.c0, g.c1]);
  };
  for (const g of gridCells) if (g.r0 >= r0 && g.r0 <= r1) add(g);
  // Interior gaps: blank cells present in the XML between two cells of the row.
  for (let i = 0; i < nRows; i++) {
    const occ = occupied[i]!;
    if (occ.length < 2) continue;
    const lo = Math.min(...occ.map((o) => o[0]));
    const hi = Math.max(...occ.map((o) => o[1]));
    const present = sheet.present.get(r0 + i);
    if (!present) continue;
    for (const [c, raw] of present) {
      if (c <= lo || c >= hi || c < colBase) continue;
      if (occ.some((o) => c >= o[0] && c <= o[1])) continue;
      if (!isBlank(raw.text)) continue;
      if (sheet.merges.some((g) => r0 + i >= g.r0 && r0 + i <= g.r1 && c >= g.c0 && c <= g.c1)) continue;
      add({ r0: r0 + i, c0: c, r1: r0 + i, c1: c, text: raw.text, style: raw.style, blank: true });
    }
  }
  for (const r of rows) r.sort((a, b) => a.col - b.col);
  return { kind: "table", index, nCols, rows, sheet: sheetName };
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
