// The rebuild stage, run first by the recognizer: every form-like piece of a file becomes a grid table
// the recognizer reads by header ranges (each field owns the grid columns from its header cell to the
// next one). The form's own header rows are the template:
//
//  - `layout: "rows"` tables (pasted text: cells in reading order, merged cells dropped, empty cells
//    moved to the row end): each data row is placed under the header row above it by an
//    order-preserving alignment of cell types (amount, rate, score, operator, unit, placeholder, level
//    name, text) against the columns' field types.
//  - runs of paragraphs that hold a form: one cell per line (a PDF viewer copy) or cells separated by
//    spaces; their rows are rebuilt under the same templates.
//  - run-together paragraphs (OCR of a Word file, no separators at all): split at the vocabulary's labels;
//    runs of digits are split only where the numbers confirm the split, the rest is kept as unplaced text.
//
// Everything the stage knows about forms comes from the vocabulary (src/domain/vocabulary.ts, data/forms.json).
// Cells whose column was inferred carry `inferred: true`; grid tables from other readers pass unchanged.
//
// This file dispatches each piece to its stage:
//   rowsTable.ts   `layout: "rows"` tables
//   runs.ts        paragraph runs (one cell per line, or cells separated by spaces)
//   stream.ts      run-together paragraphs, with together.ts (the label tokenizer) and digits.ts
//                  (digit runs split only where the numbers confirm the split)
// and the parts they share: templates.ts (columns, header rows, templates), align.ts (cell types and
// the order-preserving placement), cells.ts (output rows → grid table).
import type { Block, ParagraphBlock, TableBlock } from "../../ingest/blocks.ts";
import { level1Of, level2Of, isPlaceholderText } from "../../domain/vocabulary.ts";
import { toTable } from "./cells.ts";
import { rebuildRowsTable } from "./rowsTable.ts";
import { rebuildLines } from "./runs.ts";
import { rebuildStream, isRunTogether } from "./stream.ts";

/** Blocks as read → the same blocks with their form pieces rebuilt as grid tables (new tables numbered
 * after the existing ones, paragraphs numbered again in order). */
export function rebuildBlocks(input: Block[]): Block[] {
  const blocks = joinLoneCells(input);
  let nextTable = Math.max(-1, ...blocks.filter((b): b is TableBlock => b.kind === "table").map((b) => b.index)) + 1;
  const out: Block[] = [];
  let run: ParagraphBlock[] = [];
  const flush = () => {
    if (run.length) out.push(...rebuildParagraphs(run, () => nextTable++));
    run = [];
  };
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      run.push(b);
      continue;
    }
    flush();
    out.push(b.layout === "rows" ? rebuildRowsTable(b) : b);
  }
  flush();
  // paragraphs taken into tables leave gaps, title lines split off add some: number them again in order
  let p = 0;
  return out.map((b) => (b.kind === "paragraph" && b.index !== p++ ? { ...b, index: p - 1 } : b));
}

/** A line that is one cell of a form row whose other cells were merged away: a level name or a placeholder. */
function isLoneCell(p: ParagraphBlock): boolean {
  const t = p.text.trim();
  return t !== "" && t.length <= 12 && !/[\t|]/.test(t) && (level1Of(t) !== null || level2Of(t) !== null || isPlaceholderText(t));
}

/**
 * Pasted rows with a single cell (二级 质量 under 一级 产出, whose cell the paste dropped) come as lines
 * without separators, which the reader takes for paragraphs and which cut the form's table in pieces:
 * such lines right after a `rows` table are rows of it, and a `rows` table after them continues it.
 */
function joinLoneCells(blocks: Block[]): Block[] {
  const out: Block[] = [];
  let open: TableBlock | null = null;
  let pending: ParagraphBlock[] = [];
  const addRow = (t: TableBlock, cells: TableBlock["rows"][number]) => {
    const row = t.rows.length;
    t.rows.push(cells.map((c) => ({ ...c, row })));
  };
  const flushPending = () => {
    if (open) for (const p of pending) addRow(open, [{ text: p.text.trim(), paragraphs: [p.text.trim()], row: 0, col: 0, rowSpan: 1, colSpan: 1, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.page !== undefined ? { page: p.page } : {}) }]);
    else out.push(...pending);
    pending = [];
  };
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      if (open && isLoneCell(b)) {
        pending.push(b);
        continue;
      }
      flushPending();
      open = null;
      out.push(b);
      continue;
    }
    if (b.layout === "rows" && open && pending.length && (b as { sheet?: string }).sheet === (open as { sheet?: string }).sheet) {
      flushPending();
      for (const r of b.rows) addRow(open, r);
      open.nCols = Math.max(open.nCols, b.nCols);
      continue;
    }
    flushPending();
    if (b.layout === "rows") {
      open = { ...b, rows: [...b.rows] };
      out.push(open);
    } else {
      open = null;
      out.push(b);
    }
  }
  flushPending();
  return out;
}

/** A run of paragraphs between tables: consecutive run-together paragraphs are rebuilt as one stream
 * (stream.ts), the others as paragraph runs (runs.ts). */
function rebuildParagraphs(paras: ParagraphBlock[], newIndex: () => number): Block[] {
  const out: Block[] = [];
  let i = 0;
  let plain: ParagraphBlock[] = [];
  const flushPlain = () => {
    if (plain.length) out.push(...rebuildLines(plain, newIndex));
    plain = [];
  };
  while (i < paras.length) {
    if (!isRunTogether(paras[i]!)) {
      plain.push(paras[i]!);
      i++;
      continue;
    }
    flushPlain();
    let j = i + 1;
    while (j < paras.length && isRunTogether(paras[j]!)) j++;
    const stream = paras.slice(i, j);
    const r = rebuildStream(stream);
    const first = stream[0]!;
    if (!r.rows.some((row) => row.length)) {
      out.push(...stream);
      i = j;
      continue;
    }
    for (const b of r.before) {
      const p: ParagraphBlock = { kind: "paragraph", index: first.index, text: b.text };
      if (b.line !== undefined) p.line = b.line;
      if (first.page !== undefined) p.page = first.page;
      out.push(p);
    }
    out.push(toTable(newIndex(), r.rows, first.page !== undefined ? { page: first.page } : {}, r.unplaced));
    i = j;
  }
  flushPlain();
  return out;
}
