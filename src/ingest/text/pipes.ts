// Pipe tables (markdown-style rows, with or without outer pipes and `---` separator rows), and pipe
// cells one per line (a web page whose table cells each end in " |"): a lone "|" line starts a row,
// each following "text |" line is one cell, and a run of further pipes after a cell ("85 | ||",
// "| |||") pads the row with empty cells and ends it. Inside a row a lone "|" is an empty cell, unless
// the next line holds text: then it starts the next row (rows need not end in a pipe run).
import { cellParagraphs, emptyCell, isBlank, type RawRow } from "./lines.ts";

const PIPE_SEP_RE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const hasPipe = (s: string) => /(^|[^\\])\|/.test(s);

export function pipeRunEnd(lines: string[], i: number): number {
  let j = i;
  while (j < lines.length && !isBlank(lines[j]!) && (hasPipe(lines[j]!) || PIPE_SEP_RE.test(lines[j]!))) j++;
  return j;
}

/** End (exclusive) of a pipe table starting at `i`, or `i` when there is none. */
export function pipeTableEnd(lines: string[], i: number): number {
  const j = pipeRunEnd(lines, i);
  const n = j - i;
  if (n === 0) return i;
  const first = lines[i]!.trim();
  if (n === 1 && !(first.startsWith("|") && first.endsWith("|") && splitPipe(first).length >= 2)) return i;
  if (n >= 2 && !lines.slice(i, j).some((l) => splitPipe(l).length >= 2)) return i;
  return j;
}

function splitPipe(line: string): string[] {
  let t = line.trim();
  if (t.startsWith("|")) t = t.slice(1);
  if (t.endsWith("|") && !t.endsWith("\\|")) t = t.slice(0, -1);
  return t.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

export function readPipeRows(lines: string[], start: number, end: number): RawRow[] {
  const rows: RawRow[] = [];
  for (let i = start; i < end; i++) {
    const l = lines[i]!;
    if (PIPE_SEP_RE.test(l)) continue;
    rows.push(splitPipe(l).map((tx) => ({ paragraphs: cellParagraphs(tx), line: i + 1 })));
  }
  return rows;
}

export const LONE_PIPE_RE = /^\s*\|\s*$/;
/** "text |", "text | ||", "| |||": one cell (text may be empty) then a run of pipes. */
const PIPE_CELL_RE = /^(?!\s*\|\s*$)([^|]*?)\s*\|((?:\s*\|)*)\s*$/;

function isPipeCellLine(s: string): boolean {
  return PIPE_CELL_RE.test(s);
}

/** End (exclusive) of a run of lines in the one-cell-per-line pipe shape starting at `i`, or `i`. */
export function pipeCellRunEnd(lines: string[], i: number): number {
  let j = i;
  let lone = 0;
  let cells = 0;
  while (j < lines.length && !isBlank(lines[j]!)) {
    const l = lines[j]!;
    if (LONE_PIPE_RE.test(l)) lone++;
    else if (isPipeCellLine(l) && !l.trim().startsWith("|")) cells++;
    else if (!isPipeCellLine(l)) break;
    j++;
  }
  // Two row starts and two text cells at least: a one-row "a |" line is a markdown-ish row instead.
  return lone >= 2 && cells >= 2 ? j : i;
}

export function readPipeCells(lines: string[], start: number, end: number): RawRow[] {
  const rows: RawRow[] = [];
  let row: RawRow | null = null;
  const close = () => {
    if (row) rows.push(row);
    row = null;
  };
  for (let i = start; i < end; i++) {
    const l = lines[i]!;
    if (LONE_PIPE_RE.test(l)) {
      const next = lines[i + 1];
      const nextHasText = i + 1 < end && next !== undefined && !LONE_PIPE_RE.test(next) && (PIPE_CELL_RE.exec(next)?.[1] ?? "").trim() !== "";
      if (row === null || nextHasText) {
        close();
        row = [];
      } else row.push(emptyCell(i + 1));
      continue;
    }
    const m = PIPE_CELL_RE.exec(l)!;
    row ??= [];
    row.push({ paragraphs: cellParagraphs(m[1]!.trim()), line: i + 1 });
    // further pipes after the cell pad the row to the table's width and end it: they are not cells
    // of this row (a blank row keeps only its own empty cells)
    if (/\|/.test(m[2]!)) close();
  }
  close();
  return rows;
}
