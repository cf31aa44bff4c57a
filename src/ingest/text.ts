// Plain text → blocks. Three table shapes are understood:
//
//  1. Word's plain-text export (the seed .txt files): every table cell starts on a line that begins
//     with a TAB; a cell continues over the following lines that do not begin with a TAB (its further
//     paragraphs, blank ones included); rows are separated by blank lines, but a blank line may also be
//     the trailing empty paragraph of a cell, so row boundaries are decided from the number of cells per
//     row ("cells" mode below).
//  2. Text pasted from a web page / spreadsheet / markdown: one row per line, cells separated by TABs
//     ("rows" mode) or by `|` (markdown-ish, with or without outer pipes and `---` separator rows).
//  3. Text copied from a PDF viewer: one cell per line and no separators at all. This is only rebuilt
//     for the standard 项目支出绩效自评表, from its header words and the shape of the values.
//
// The text carries no merge information. For the standard self-evaluation form (项目名称 / 主管部门 /
// 项目资金 / 年度总体目标 / 绩效指标 / 总分) the known 10-column layout is applied, with its colspans and
// the vertical merges of the label columns; any other table gets span-1 cells, one per text cell, with
// empty cells where the text had empty slots.
import {
  IngestError,
  type Block,
  type IngestResult,
  type ParagraphBlock,
  type TableBlock,
  type TableCell,
} from "./blocks.ts";

// ---------------------------------------------------------------------------------------------------
// Decoding

/** Bytes → text: UTF-8 (BOM stripped), UTF-16LE/BE (with BOM, or ASCII-heavy without), otherwise
 * GB18030 (a superset of GBK/GB2312) when the bytes are not valid UTF-8. Line ends become LF. */
export function decodeText(data: Uint8Array): string {
  let text: string;
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(data.subarray(3));
  } else if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) {
    text = decodeUtf16(data.subarray(2), true);
  } else if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) {
    text = decodeUtf16(data.subarray(2), false);
  } else {
    const u16 = guessUtf16(data);
    if (u16) text = decodeUtf16(data, u16 === "le");
    else {
      try {
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
      } catch {
        text = decodeLegacyChinese(data);
      }
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, "\n");
}

function decodeUtf16(data: Uint8Array, littleEndian: boolean): string {
  const n = data.length - (data.length % 2);
  if (littleEndian) return new TextDecoder("utf-16le", { ignoreBOM: true }).decode(data.subarray(0, n));
  const swapped = new Uint8Array(n);
  for (let i = 0; i < n; i += 2) {
    swapped[i] = data[i + 1]!;
    swapped[i + 1] = data[i]!;
  }
  return new TextDecoder("utf-16le", { ignoreBOM: true }).decode(swapped);
}

/** UTF-16 without BOM can only be told apart when it holds mostly ASCII (every other byte is 0). */
function guessUtf16(data: Uint8Array): "le" | "be" | null {
  const n = Math.min(data.length - (data.length % 2), 4096);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (data[i] === 0) evenZero++;
    if (data[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return "le";
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return "be";
  return null;
}

function decodeLegacyChinese(data: Uint8Array): string {
  for (const label of ["gb18030", "gbk"]) {
    try {
      return new TextDecoder(label).decode(data);
    } catch {
      // label unsupported by this runtime (Node built without ICU): try the next one
    }
  }
  return new TextDecoder("utf-8").decode(data);
}

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

const NUM_RE = /^[+-]?\d[\d,]*(?:\.\d+)?%?$/;
const PLAIN_NUM_RE = /^\d+(?:\.\d+)?$/;
const PERCENT_RE = /^\d+(?:\.\d+)?[%％]$/;
const DASH_RE = /^[—–\-－/／]+$|^—+$/;
const isNumeric = (s: string) => NUM_RE.test(norm(s));

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
  table(rows: TableCell[][], nCols: number): void {
    const b: TableBlock = { kind: "table", index: this.t++, nCols, rows };
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
    if (i >= noPipeUntil) {
      const pipeEnd = pipeTableEnd(lines, i);
      if (pipeEnd > i) {
        emitRowTable(readPipeRows(lines, i, pipeEnd), out);
        i = pipeEnd;
        continue;
      }
      noPipeUntil = pipeRunEnd(lines, i) - 1;
    }
    if (isOnePerLineStart(lines, i)) {
      const parsed = parseOnePerLine(lines, i);
      if (parsed) {
        emitRowTable(parsed.rows, out, true);
        i = parsed.end;
        continue;
      }
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
// Rows → TableBlock

/** `cellsMode`: rows come from Word's cell-per-line export (empty slots are present as empty cells,
 * so no realignment); otherwise rows may be ragged or shifted and are realigned on numeric columns. */
function emitRowTable(rows: RawRow[], out: Out, cellsMode = false): void {
  rows = rows.filter((r) => r.length > 0);
  if (!rows.length) return;
  const tpl = layoutSelfEvalForm(rows);
  if (tpl) {
    out.table(tpl.rows, tpl.nCols);
    return;
  }
  const aligned = cellsMode ? rows : realignRows(rows);
  const nCols = Math.max(...aligned.map((r) => r.length));
  const cells = aligned.map((r, ri) => {
    const row = r.map((c, ci) => toCell(c, ri, ci, 1, 1));
    const line = r[r.length - 1]!.line;
    for (let c = r.length; c < nCols; c++) row.push(toCell(emptyCell(line), ri, c, 1, 1));
    return row;
  });
  out.table(cells, nCols);
}

function toCell(c: RawCell, row: number, col: number, rowSpan: number, colSpan: number): TableCell {
  return { text: cellText(c), paragraphs: [...c.paragraphs], row, col, rowSpan, colSpan, line: c.line };
}

type CellType = "E" | "N" | "T";
const typeOf = (c: RawCell | undefined): CellType => (isEmptyCell(c) ? "E" : isNumeric(cellText(c!)) ? "N" : "T");

/** Ragged or shifted rows (a row pasted with its cells starting in the wrong column, or missing a
 * leading empty cell) are shifted so that their numbers fall under the numbers of the row above. */
function realignRows(rows: RawRow[]): RawRow[] {
  const width = Math.max(...rows.map((r) => r.length));
  const out: RawRow[] = [];
  for (const row of rows) {
    const ref = out[out.length - 1];
    let best = row;
    if (ref && ref.some((c) => typeOf(c) === "N") && row.some((c) => typeOf(c) === "N")) {
      const score = (r: RawRow) => {
        let s = 0;
        r.forEach((c, k) => {
          const t = typeOf(c);
          const rt = typeOf(ref[k]);
          if (t === "E" || rt === "E") return;
          if (t === rt) s += t === "N" ? 1 : 0.25;
          else s -= 1;
        });
        return s;
      };
      // a candidate must beat the row as it is by a whole matched number; among equals the first
      // found wins: fewest inserted cells, then the latest insertion point
      let bestScore = score(row) + 0.5;
      let lastNonEmpty = -1;
      row.forEach((c, k) => {
        if (!isEmptyCell(c)) lastNonEmpty = k;
      });
      const trailing = row.length - 1 - lastNonEmpty;
      const line = row[0]!.line;
      for (let m = 1; m <= width - row.length + trailing; m++) {
        for (let p = lastNonEmpty; p >= 0; p--) {
          const cand = [...row.slice(0, p), ...Array.from({ length: m }, () => emptyCell(line)), ...row.slice(p)];
          while (cand.length > width && isEmptyCell(cand[cand.length - 1])) cand.pop();
          if (cand.length > width) continue;
          const s = score(cand);
          if (s > bestScore) {
            best = cand;
            bestScore = s;
          }
        }
      }
    }
    out.push(best);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The standard 项目支出绩效自评表 layout (10-column grid)

type Kind = "name" | "dept" | "fundsHead" | "funds" | "goalHead" | "goal" | "indHead" | "ind" | "total" | "other";
interface Slot {
  col: number;
  span: number;
}
const S = (col: number, span = 1): Slot => ({ col, span });
const FORM_COLS = 10;
const SLOTS: Record<Exclude<Kind, "other">, { slots: Slot[]; align: "left" | "right" }> = {
  name: { slots: [S(0), S(1, 9)], align: "left" },
  dept: { slots: [S(0), S(1, 4), S(5), S(6, 4)], align: "left" },
  fundsHead: { slots: [S(0), S(1, 2), S(3), S(4), S(5), S(6), S(7, 2), S(9)], align: "right" },
  funds: { slots: [S(0), S(1, 2), S(3), S(4), S(5), S(6), S(7, 2), S(9)], align: "right" },
  goalHead: { slots: [S(0), S(1, 5), S(6, 4)], align: "right" },
  goal: { slots: [S(0), S(1, 5), S(6, 4)], align: "right" },
  indHead: { slots: [S(0), S(1), S(2), S(3), S(4), S(5), S(6), S(7, 2), S(9)], align: "right" },
  ind: { slots: [S(0), S(1), S(2), S(3), S(4), S(5), S(6), S(7, 2), S(9)], align: "right" },
  total: { slots: [S(0, 6), S(6), S(7, 2), S(9)], align: "left" },
};

const TOTAL_WORDS = new Set(["总分", "合计", "总计"]);

function classifyFormRows(rows: RawRow[]): Kind[] | null {
  const keys = rows.map((r) => r.map((c) => norm(cellText(c))));
  const flat = keys.flat();
  const hasName = keys.some((k) => k.find((x) => x !== "") === "项目名称");
  const hasBody = flat.includes("年初预算数") || flat.includes("全年预算数") || flat.includes("一级指标");
  if (!hasName || !hasBody) return null;
  let state: "top" | "funds" | "goal" | "ind" | "after" = "top";
  return keys.map((k): Kind => {
    const first = k.find((x) => x !== "") ?? "";
    if (k.includes("年初预算数") || k.includes("全年预算数") || k.includes("全年执行数")) {
      state = "funds";
      return "fundsHead";
    }
    if (first === "年度总体目标" || (k.includes("预期目标") && k.includes("实际完成情况"))) {
      state = "goal";
      return "goalHead";
    }
    if (k.includes("一级指标") && k.includes("二级指标")) {
      state = "ind";
      return "indHead";
    }
    if (TOTAL_WORDS.has(first)) {
      state = "after";
      return "total";
    }
    if (state === "top") {
      if (first === "项目名称") return "name";
      if (k.includes("主管部门")) return "dept";
      return "other";
    }
    if (state === "funds") return "funds";
    if (state === "goal") return "goal";
    if (state === "ind") return "ind";
    return "other";
  });
}

interface Placed {
  raw: RawCell;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

function layoutSelfEvalForm(rows: RawRow[]): { rows: TableCell[][]; nCols: number } | null {
  const kinds = classifyFormRows(rows);
  if (!kinds) return null;
  let nCols = FORM_COLS;
  const grid: Placed[][] = rows.map((r, ri) => {
    const kind = kinds[ri]!;
    const spec = kind === "other" ? undefined : SLOTS[kind];
    let slots: Slot[];
    if (spec && r.length !== FORM_COLS && r.length <= spec.slots.length) {
      slots = spec.align === "left" ? spec.slots.slice(0, r.length) : spec.slots.slice(spec.slots.length - r.length);
    } else {
      slots = r.map((_, k) => S(k));
      nCols = Math.max(nCols, r.length);
    }
    return r.map((c, k) => ({ raw: c, row: ri, col: slots[k]!.col, rowSpan: 1, colSpan: slots[k]!.span }));
  });

  const at = (r: number, col: number) => grid[r]!.find((p) => p.col === col);
  const covers = (r: number, col: number) => grid[r]!.some((p) => p.col <= col && col < p.col + p.colSpan);
  /** Merge row r's slot `col` into `anchor` when it is empty (or absent); false when it holds text. */
  const absorb = (anchor: Placed, r: number, col: number): boolean => {
    if (anchor.row + anchor.rowSpan !== r) return false;
    const c = at(r, col);
    if (c) {
      if (!isEmptyCell(c.raw) || c.colSpan !== anchor.colSpan) return false;
      grid[r] = grid[r]!.filter((p) => p !== c);
    } else if (covers(r, col)) return false;
    anchor.rowSpan++;
    return true;
  };

  // vertical labels: 项目资金 over its rows, 年度总体目标 over the goal rows, 绩效指标 over the indicators,
  // and inside the indicator block 一级 / 二级 labels over the rows that leave them empty
  for (const [head, body] of [
    ["fundsHead", "funds"],
    ["goalHead", "goal"],
    ["indHead", "ind"],
  ] as const) {
    for (let r = 0; r < rows.length; r++) {
      if (kinds[r] !== head) continue;
      const anchor = at(r, 0);
      if (!anchor || anchor.colSpan !== 1) continue;
      for (let q = r + 1; q < rows.length && kinds[q] === body; q++) if (!absorb(anchor, q, 0)) break;
    }
  }
  let l1: Placed | undefined;
  let l2: Placed | undefined;
  for (let r = 0; r < rows.length; r++) {
    if (kinds[r] !== "ind") {
      l1 = l2 = undefined;
      continue;
    }
    const c1 = at(r, 1);
    if (c1 && !isEmptyCell(c1.raw)) {
      l1 = c1;
      const c2 = at(r, 2);
      l2 = c2 && !isEmptyCell(c2.raw) ? c2 : undefined;
      continue;
    }
    if (!l1 || !absorb(l1, r, 1)) {
      l1 = l2 = undefined;
      continue;
    }
    const c2 = at(r, 2);
    if (c2 && !isEmptyCell(c2.raw)) l2 = c2;
    else if (!l2 || !absorb(l2, r, 2)) l2 = undefined;
  }

  // every slot that nothing covers gets an empty cell
  const covered: boolean[][] = rows.map(() => new Array<boolean>(nCols).fill(false));
  for (const row of grid)
    for (const p of row)
      for (let r = p.row; r < Math.min(rows.length, p.row + p.rowSpan); r++)
        for (let c = p.col; c < Math.min(nCols, p.col + p.colSpan); c++) covered[r]![c] = true;
  grid.forEach((row, r) => {
    const line = rows[r]![0]!.line;
    for (let c = 0; c < nCols; c++) if (!covered[r]![c]) row.push({ raw: emptyCell(line), row: r, col: c, rowSpan: 1, colSpan: 1 });
    row.sort((x, y) => x.col - y.col);
  });
  return { rows: grid.map((row) => row.map((p) => toCell(p.raw, p.row, p.col, p.rowSpan, p.colSpan))), nCols };
}

// ---------------------------------------------------------------------------------------------------
// One cell per line (PDF viewer copy) of the self-evaluation form

const NAME_WORDS = ["项目名称"];
const FUNDS_HEAD = new Set(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]);
const FUNDS_LABEL_RE = /^(年度资金总额|其中[:：]?当年财政拨款|当年财政拨款|财政拨款|上年结转资金|上年结转|其他资金)$/;
const IND_HEAD = new Set([
  "一级指标",
  "二级指标",
  "三级指标",
  "年度指标值",
  "指标值",
  "实际完成值",
  "完成值",
  "分值",
  "得分",
  "偏差原因分析及改进措施",
  "偏差原因",
]);
const LEVEL1 = new Set(["产出指标", "效益指标", "满意度指标", "满意度"]);
const LEVEL2 = new Set([
  "数量指标",
  "质量指标",
  "时效指标",
  "成本指标",
  "经济效益指标",
  "社会效益指标",
  "生态效益指标",
  "环境效益指标",
  "可持续影响指标",
  "服务对象满意度指标",
  "满意度指标(服务对象)",
]);
const VOCAB = new Set<string>([
  ...NAME_WORDS,
  "主管部门",
  "实施单位",
  "项目资金（万元）",
  "项目资金(万元)",
  "项目资金",
  ...FUNDS_HEAD,
  "年度资金总额",
  "其中：当年财政拨款",
  "其中:当年财政拨款",
  "当年财政拨款",
  "上年结转资金",
  "其他资金",
  "年度总体目标",
  "预期目标",
  "实际完成情况",
  "绩效指标",
  ...IND_HEAD,
  ...LEVEL1,
  ...LEVEL2,
  ...TOTAL_WORDS,
]);
const isVocab = (k: string) => VOCAB.has(k) || FUNDS_LABEL_RE.test(k);

function isOnePerLineStart(lines: string[], i: number): boolean {
  if (!NAME_WORDS.includes(norm(lines[i]!))) return false;
  const seen = new Set<string>();
  for (let j = i + 1, n = 0; j < lines.length && n < 120; j++) {
    const l = lines[j]!;
    if (isBlank(l)) continue;
    n++;
    if (hasTab(l) || hasPipe(l)) return false;
    const k = norm(l);
    if (["主管部门", "年初预算数", "全年预算数", "年度总体目标", "一级指标", "二级指标"].includes(k)) seen.add(k);
  }
  return seen.size >= 3;
}

interface Tok {
  cell: RawCell;
  key: string;
  /** line index after the token */
  next: number;
}

class Cursor {
  constructor(
    private lines: string[],
    public pos: number,
  ) {}
  peek(): Tok | null {
    let i = this.pos;
    while (i < this.lines.length && isBlank(this.lines[i]!)) i++;
    if (i >= this.lines.length) return null;
    // a header word wrapped over up to 4 consecutive short lines (年度/指标值, 绩/效/指/标, 项目资金/（万元）)
    for (let len = 4; len >= 2; len--) {
      const part = this.lines.slice(i, i + len);
      if (part.length < len || part.some((l) => isBlank(l) || norm(l).length > 10)) continue;
      const key = norm(part.join(""));
      if (VOCAB.has(key)) return { cell: { paragraphs: part, line: i + 1 }, key, next: i + len };
    }
    const l = this.lines[i]!;
    return { cell: { paragraphs: [l], line: i + 1 }, key: norm(l), next: i + 1 };
  }
  take(): Tok {
    const t = this.peek()!;
    this.pos = t.next;
    return t;
  }
  /** Take the next token when it is not a header word. */
  value(): RawCell | null {
    const t = this.peek();
    if (!t || isVocab(t.key)) return null;
    this.pos = t.next;
    return t.cell;
  }
  /** All following non-header lines as one cell (a value wrapped over several lines). */
  text(): RawCell | null {
    const first = this.value();
    if (!first) return null;
    for (let v = this.value(); v; v = this.value()) first.paragraphs.push(...v.paragraphs);
    return first;
  }
}

function parseOnePerLine(lines: string[], start: number): { rows: RawRow[]; end: number } | null {
  const cur = new Cursor(lines, start);
  const rows: RawRow[] = [];
  const is = (pred: (k: string) => boolean) => {
    const t = cur.peek();
    return !!t && pred(t.key);
  };

  // 项目名称 | value
  const name = cur.take();
  rows.push([name.cell, cur.text() ?? emptyCell(name.cell.line)]);
  // 主管部门 | value | 实施单位 | value
  if (is((k) => k === "主管部门")) {
    const d = cur.take();
    const row: RawRow = [d.cell, cur.text() ?? emptyCell(d.cell.line)];
    if (is((k) => k === "实施单位")) {
      const u = cur.take();
      row.push(u.cell, cur.text() ?? emptyCell(u.cell.line));
    }
    rows.push(row);
  }
  // funds block
  let fundsLabel: RawCell | null = null;
  if (is((k) => k.startsWith("项目资金"))) fundsLabel = cur.take().cell;
  const fundsHead: Tok[] = [];
  while (is((k) => FUNDS_HEAD.has(k))) fundsHead.push(cur.take());
  if (fundsHead.length) {
    const line = fundsLabel?.line ?? fundsHead[0]!.cell.line;
    rows.push([fundsLabel ?? emptyCell(line), emptyCell(line), ...fundsHead.map((t) => t.cell)]);
    while (is((k) => FUNDS_LABEL_RE.test(k))) {
      const label = cur.take().cell;
      const vals: RawCell[] = [];
      for (let v = cur.value(); v; v = cur.value()) vals.push(v);
      rows.push([label, ...assignFunds(vals, fundsHead.map((t) => t.key), label.line)]);
    }
  } else if (fundsLabel) return null;
  // 年度总体目标 | 预期目标 | 实际完成情况, then the two texts
  if (is((k) => k === "年度总体目标")) {
    const head: RawRow = [cur.take().cell];
    while (is((k) => k === "预期目标" || k === "实际完成情况")) head.push(cur.take().cell);
    rows.push(head);
    const vals: RawCell[] = [];
    for (let v = cur.value(); v; v = cur.value()) vals.push(v);
    if (vals.length) {
      const actual = vals.length >= 2 ? vals.pop()! : emptyCell(vals[0]!.line);
      const expected: RawCell = { paragraphs: vals.flatMap((v) => v.paragraphs), line: vals[0]!.line };
      rows.push([expected, actual]);
    }
  }
  // indicator header and rows
  let label: RawCell | null = null;
  if (is((k) => k === "绩效指标")) label = cur.take().cell;
  const indHead: RawCell[] = [];
  while (is((k) => IND_HEAD.has(k))) indHead.push(cur.take().cell);
  if (indHead.length) {
    rows.push([label ?? emptyCell(indHead[0]!.line), ...indHead]);
    for (;;) {
      const l1 = is((k) => LEVEL1.has(k)) ? cur.take().cell : null;
      const l2 = is((k) => LEVEL2.has(k)) ? cur.take().cell : null;
      if (!l1 && !l2) break;
      const vals: RawCell[] = [];
      for (let v = cur.value(); v && vals.length < 8; v = cur.value()) vals.push(v);
      const line = (l2 ?? l1)!.line;
      rows.push([...(l1 ? [l1] : []), l2 ?? emptyCell(line), ...assignIndicator(vals, line)]);
    }
  }
  // 总分 | 分值 | 得分 | (偏差)
  if (is((k) => TOTAL_WORDS.has(k))) {
    const t = cur.take().cell;
    const row: RawRow = [t];
    while (row.length < 3 && is((k) => NUM_RE.test(k))) row.push(cur.take().cell);
    while (row.length < 4) row.push(emptyCell(t.line));
    rows.push(row);
  }
  if (rows.length < 3) return null;
  return { rows, end: cur.pos };
}

/** Funds values in reading order (empty cells vanish in a PDF copy) → one cell per header column,
 * choosing the order-preserving assignment that best fits the column kinds. */
function assignFunds(vals: RawCell[], heads: string[], line: number): RawCell[] {
  const n = vals.length;
  const m = heads.length;
  if (n >= m) return [...vals.slice(0, m - 1), ...(n > m ? [{ paragraphs: vals.slice(m - 1).flatMap((v) => v.paragraphs), line: vals[m - 1]!.line }] : vals.slice(m - 1))];
  const kind = (h: string) => (h === "执行率" ? "rate" : h === "分值" || h === "得分" ? "score" : "amount");
  const fit = (v: RawCell, h: string): number => {
    const s = norm(cellText(v));
    const k = kind(h);
    if (PERCENT_RE.test(s)) return k === "rate" ? 2 : -2;
    if (DASH_RE.test(s)) return k === "score" ? 1 : 0;
    if (NUM_RE.test(s)) return k === "score" ? 1.5 : k === "amount" ? 1 : 0;
    return 0;
  };
  // best[i][j]: first i values placed within the first j columns
  const NEG = -1e9;
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(NEG));
  for (let j = 0; j <= m; j++) best[0]![j] = 0;
  for (let i = 1; i <= n; i++)
    for (let j = i; j <= m; j++)
      best[i]![j] = Math.max(best[i]![j - 1]!, best[i - 1]![j - 1]! + fit(vals[i - 1]!, heads[j - 1]!));
  const outCells: RawCell[] = heads.map(() => emptyCell(line));
  for (let i = n, j = m; i > 0; j--) {
    if (best[i]![j] === best[i - 1]![j - 1]! + fit(vals[i - 1]!, heads[j - 1]!)) {
      outCells[j - 1] = vals[i - 1]!;
      i--;
    }
  }
  return outCells;
}

/** Indicator values → [三级指标, 指标值, 完成值, 分值, 得分, 偏差原因]. The two scores are the last pair of
 * plain numbers with at most one value (the reason) after them. */
function assignIndicator(vals: RawCell[], line: number): RawCell[] {
  const E = () => emptyCell(line);
  if (vals.length === 6) return vals;
  const plain = (v: RawCell | undefined) => !!v && PLAIN_NUM_RE.test(norm(cellText(v)));
  for (let i = vals.length - 2; i >= 1; i--) {
    if (vals.length - (i + 2) > 1) break;
    if (plain(vals[i]) && plain(vals[i + 1])) {
      const texts = vals.slice(0, i);
      let three: RawCell[];
      if (texts.length >= 3) {
        const head = texts.slice(0, texts.length - 2);
        three = [{ paragraphs: head.flatMap((v) => v.paragraphs), line: head[0]!.line }, texts[texts.length - 2]!, texts[texts.length - 1]!];
      } else three = [...texts, ...Array.from({ length: 3 - texts.length }, E)];
      return [...three, vals[i]!, vals[i + 1]!, vals[i + 2] ?? E()];
    }
  }
  const outCells = vals.slice(0, 6);
  while (outCells.length < 6) outCells.push(E());
  return outCells;
}
