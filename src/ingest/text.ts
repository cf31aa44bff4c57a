// Plain text → blocks: decoding, then paragraphs and tables. The reader knows text shapes, not forms:
// which cell belongs under which header column is decided by the recognizer's rebuild stage
// (src/extract/rebuild.ts), which also rebuilds forms that arrive as plain paragraphs (one cell per
// line, cells separated by spaces, run-together OCR text). Table shapes read here:
//
//  1. Word's plain-text export (the seed .txt files): every table cell starts on a line that begins
//     with a TAB; a cell continues over the following lines that do not begin with a TAB (its further
//     paragraphs, blank ones included); rows are separated by blank lines, but a blank line may also be
//     the trailing empty paragraph of a cell, so row boundaries are decided from the number of cells per
//     row ("cells" mode below).
//  2. Text pasted from a web page / spreadsheet / markdown: one row per line, cells separated by TABs
//     ("rows" mode) or by `|` (with or without outer pipes and `---` separator rows).
//  3. Web pages whose cells each end in " |", one cell per line, with a lone "|" line starting a row.
//
// The text carries no merge information, so every table is emitted with `layout: "rows"`: each row's
// cells in reading order, col = position, span 1.
import {
  IngestError,
  type Block,
  type IngestResult,
  type ParagraphBlock,
  type TableBlock,
  type TableCell,
} from "./blocks.ts";

// ---------------------------------------------------------------------------------------------------
// Small helpers

interface RawCell {
  paragraphs: string[];
  /** 1-based line of the cell's first line. */
  line: number;
}
type RawRow = RawCell[];

const TAB = "\t";
const isBlank = (s: string) => !s.includes(TAB) && /^[\s\u3000]*$/.test(s);
const hasTab = (s: string) => s.includes(TAB);
/** Whitespace-free form used to match header words. */
const norm = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, "");
const cellText = (c: RawCell) => c.paragraphs.join("\n");
const isEmptyCell = (c: RawCell | undefined) => !c || c.paragraphs.every((p) => p.trim() === "");
const emptyCell = (line: number): RawCell => ({ paragraphs: [""], line });

/** A line holding cell separators: a TAB other than trailing ones, or nothing but TABs ("\t" is an
 * empty cell). "text\t" is text with a stray trailing TAB. */
function isCellLine(s: string): boolean {
  if (!s.includes(TAB)) return false;
  const t = s.replace(/\t+$/, "");
  return t === "" || t.includes(TAB);
}

/** A TAB line whose only TAB is the leading one (trailing TABs ignored): one cell per line. */
function isSingleCellTabLine(s: string): boolean {
  const t = s.replace(/\t+$/, "");
  return t === "" || (t.startsWith(TAB) && !t.slice(1).includes(TAB));
}

/** Cells of pasted HTML-ish text: `<p>` / `<br>` split paragraphs, checkboxes become □ / ☑. */
function cellParagraphs(raw: string): string[] {
  if (!/<\s*(p|br|input|\/p)\b/i.test(raw) && !/&(nbsp|amp|lt|gt|quot|#\d+);/.test(raw)) return [raw];
  let s = raw.replace(/<input\b[^>]*>/gi, (m) => (/type\s*=\s*["']?checkbox/i.test(m) ? (/\bchecked\b/i.test(m) ? "☑" : "□") : ""));
  s = s.replace(/<\/p>\s*<p\b[^>]*>/gi, "\n").replace(/<br\s*\/?>/gi, "\n").replace(/<\/?p\b[^>]*>/gi, "");
  s = s
    .replace(/&nbsp;/g, "\u00a0")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
  return s.split("\n");
}

/** Paragraph text: markdown heading markers are dropped, everything else is kept verbatim. */
const paragraphText = (line: string) => line.replace(/^\s{0,3}#{1,6}\s+/, "").replace(/\t+$/, "");

class Out {
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

// ---------------------------------------------------------------------------------------------------
// Entry point

export function ingestText(text: string, file: string): IngestResult {
  void file; // provenance of text blocks is the line number; the file name is added by the caller
  const t = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!/\p{L}/u.test(t)) throw new IngestError("EMPTY_FILE", "文件为空或不含任何文字内容");
  const lines = t.split("\n");
  const out = new Out();
  let noPipeUntil = 0; // lines known not to start a pipe table (keeps long runs of `|` prose linear)
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    // "text\t\t" (a wide first cell) starts a table only when TAB rows follow it
    if (isCellLine(line) || (hasTab(line) && nextNonBlankIsMultiCell(lines, i))) {
      const rowsMode = !isSingleCellTabLine(line) || nextNonBlankIsMultiCell(lines, i);
      i = rowsMode ? readTabRows(lines, i, out) : readTabCells(lines, i, out);
      continue;
    }
    if (i >= noPipeUntil && LONE_PIPE_RE.test(line)) {
      const cellsEnd = pipeCellRunEnd(lines, i);
      if (cellsEnd > i) {
        emitRowTable(readPipeCells(lines, i, cellsEnd), out);
        i = cellsEnd;
        continue;
      }
    }
    if (i >= noPipeUntil) {
      const pipeEnd = pipeTableEnd(lines, i);
      if (pipeEnd > i) {
        emitRowTable(readPipeRows(lines, i, pipeEnd), out);
        i = pipeEnd;
        continue;
      }
      noPipeUntil = pipeRunEnd(lines, i) - 1;
    }
    out.para(line, i + 1);
    i++;
  }
  return { format: "text", blocks: out.blocks };
}

function nextNonBlankIsMultiCell(lines: string[], i: number): boolean {
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (isBlank(l)) continue;
    return hasTab(l) && !isSingleCellTabLine(l);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// "cells" mode: Word's plain-text export, one cell per TAB-led line

const GAP_TITLE_RE = /自评表|申报表|报告|情况表/;
const GAP_HEADING_RE = /^(附件|注[:：]|第.{1,4}[章节条]|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[、.．])/;

/** After blank lines inside a cell, are the following non-TAB lines still that cell's text? Yes when
 * they are a few short pieces (a vertical label like 绩/效/指/标, 项目资金/（万元）, a second value
 * 100%/≥95%) that run straight into the next TAB line; text after a table is longer, or a heading.
 * Returns the index of that TAB line, or -1. */
function gapContinuationEnd(lines: string[], j: number): number {
  let k = j;
  let nonBlank = 0;
  while (k < lines.length && !isCellLine(lines[k]!)) {
    const l = lines[k]!;
    if (!isBlank(l)) {
      nonBlank++;
      const s = l.trim();
      if (s.length > 12 || GAP_HEADING_RE.test(s) || GAP_TITLE_RE.test(s)) return -1;
    }
    k++;
  }
  return k < lines.length && !isBlank(lines[k - 1]!) && nonBlank <= 8 ? k : -1;
}

function readTabCells(lines: string[], start: number, out: Out): number {
  const groups: RawRow[] = [];
  let group: RawRow = [];
  let cell: RawCell | null = null;
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const stripped = line.replace(/\t+$/, "");
    if (isCellLine(line)) {
      // "\t" is an empty cell; a trailing TAB ("\t10\t") is noise; inner TABs start further cells
      const pieces = stripped.split(TAB);
      const texts = stripped === "" ? [""] : pieces.slice(1);
      if (pieces[0]!.trim() !== "") texts.unshift(pieces[0]!);
      for (const tx of texts) {
        cell = { paragraphs: cellParagraphs(tx), line: i + 1 };
        group.push(cell);
      }
      i++;
    } else if (isBlank(line)) {
      let j = i;
      while (j < lines.length && isBlank(lines[j]!)) j++;
      if (j >= lines.length) break;
      if (isCellLine(lines[j]!)) {
        // candidate row boundary; the blank lines themselves are dropped
        if (group.length) groups.push(group);
        group = [];
        cell = null;
        i = j;
        continue;
      }
      const runEnd = cell ? gapContinuationEnd(lines, j) : -1;
      if (cell && runEnd > 0) {
        for (let k = i; k < runEnd; k++) cell.paragraphs.push(...cellParagraphs(lines[k]!.replace(/^[\s\u3000]+$/, "")));
        i = runEnd;
        continue;
      }
      break;
    } else {
      if (!cell) break;
      cell.paragraphs.push(...cellParagraphs(stripped));
      i++;
    }
  }
  if (group.length) groups.push(group);

  // Single-cell groups before the first / after the last real row are TAB-indented paragraphs
  // (titles such as "\t项目（政策）支出绩效自评表").
  let a = 0;
  let b = groups.length;
  while (a < b && groups[a]!.length === 1) a++;
  while (b > a && groups[b - 1]!.length === 1) b--;
  const rows = mergeGroups(groups.slice(a, b));
  const wide = rows.filter((r) => r.length >= 2).length;
  if (wide < 2) {
    for (const g of groups) for (const c of g) out.cellAsParagraphs(c);
    return i;
  }
  for (const g of groups.slice(0, a)) for (const c of g) out.cellAsParagraphs(c);
  emitRowTable(rows, out, true);
  for (const g of groups.slice(b)) for (const c of g) out.cellAsParagraphs(c);
  return i;
}

/** Blank-line groups → rows. A group shorter than the previous row is a fragment when it and the
 * following groups add up to exactly that width (a cell with a trailing empty paragraph caused the
 * blank line); a lone cell that cannot complete a row forward is glued to the previous row when that
 * only widens it by one (an extra cell in an otherwise regular row). */
function mergeGroups(groups: RawRow[]): RawRow[] {
  const rows: RawRow[] = [];
  let expected: number | undefined;
  let i = 0;
  while (i < groups.length) {
    const g = groups[i]!;
    if (expected !== undefined && g.length < expected) {
      let sum = g.length;
      let j = i;
      while (sum < expected && j + 1 < groups.length) {
        j++;
        sum += groups[j]!.length;
      }
      if (sum === expected) {
        rows.push(groups.slice(i, j + 1).flat());
        i = j + 1;
        continue;
      }
      const prev = rows[rows.length - 1];
      if (prev && g.length === 1 && prev.length === expected && i + 1 < groups.length) {
        prev.push(g[0]!);
        i++;
        continue;
      }
    }
    rows.push([...g]);
    expected = g.length;
    i++;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// "rows" mode: one row per line, TAB-separated

function readTabRows(lines: string[], start: number, out: Out): number {
  const rows: RawRow[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    if (hasTab(line)) {
      rows.push(line.split(TAB).map((tx) => ({ paragraphs: cellParagraphs(tx), line: i + 1 })));
      i++;
      continue;
    }
    if (isBlank(line)) {
      let j = i;
      while (j < lines.length && isBlank(lines[j]!)) j++;
      if (j < lines.length && hasTab(lines[j]!)) {
        i = j;
        continue;
      }
    }
    break;
  }
  emitRowTable(rows, out);
  return i;
}

// ---------------------------------------------------------------------------------------------------
// Pipe tables

const PIPE_SEP_RE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const hasPipe = (s: string) => /(^|[^\\])\|/.test(s);

function pipeRunEnd(lines: string[], i: number): number {
  let j = i;
  while (j < lines.length && !isBlank(lines[j]!) && (hasPipe(lines[j]!) || PIPE_SEP_RE.test(lines[j]!))) j++;
  return j;
}

/** End (exclusive) of a pipe table starting at `i`, or `i` when there is none. */
function pipeTableEnd(lines: string[], i: number): number {
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

function readPipeRows(lines: string[], start: number, end: number): RawRow[] {
  const rows: RawRow[] = [];
  for (let i = start; i < end; i++) {
    const l = lines[i]!;
    if (PIPE_SEP_RE.test(l)) continue;
    rows.push(splitPipe(l).map((tx) => ({ paragraphs: cellParagraphs(tx), line: i + 1 })));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Pipe cells one per line (a web page whose table cells each end in " |"): a lone "|" line starts a row,
// each following "text |" line is one cell, and a run of further pipes after a cell ("85 | ||",
// "| |||") pads the row with empty cells and ends it. Inside a row a lone "|" is an empty cell, unless
// the next line holds text: then it starts the next row (rows need not end in a pipe run).

const LONE_PIPE_RE = /^\s*\|\s*$/;
/** "text |", "text | ||", "| |||": one cell (text may be empty) then a run of pipes. */
const PIPE_CELL_RE = /^(?!\s*\|\s*$)([^|]*?)\s*\|((?:\s*\|)*)\s*$/;

function isPipeCellLine(s: string): boolean {
  return PIPE_CELL_RE.test(s);
}

/** End (exclusive) of a run of lines in the one-cell-per-line pipe shape starting at `i`, or `i`. */
function pipeCellRunEnd(lines: string[], i: number): number {
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

function readPipeCells(lines: string[], start: number, end: number): RawRow[] {
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

// ---------------------------------------------------------------------------------------------------
// Rows → TableBlock

/**
 * Rows as read, one cell per text cell in reading order (col = position, span 1): text carries no merge
 * information, so the table is `layout: "rows"` and the recognizer's rebuild stage (src/extract/rebuild.ts)
 * places the cells under the form's header rows. Trailing empty cells are dropped: pasted web text
 * pads rows at their end with the empty cells of merged or blank slots, wherever those were. Word's
 * cell export (`cellsMode`) is the exception: it writes every origin cell of a row in place, so its
 * trailing empty cells are real and kept (a row then has as many cells as the header row above it).
 */
function emitRowTable(rows: RawRow[], out: Out, cellsMode = false): void {
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
