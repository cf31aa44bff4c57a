// Plain text → blocks: paragraphs and tables (the bytes are decoded by ../encoding.ts). The reader
// knows text shapes, not forms: which cell belongs under which header column is decided by the
// recognizer's rebuild stage (src/extract/rebuild/), which also rebuilds forms that arrive as plain
// paragraphs (one cell per line, cells separated by spaces, run-together OCR text). Table shapes
// read here:
//
//  1. Word's plain-text export (the seed .txt files): every table cell starts on a line that begins
//     with a TAB; a cell continues over the following lines that do not begin with a TAB (its further
//     paragraphs, blank ones included); rows are separated by blank lines, but a blank line may also be
//     the trailing empty paragraph of a cell, so row boundaries are decided from the number of cells per
//     row ("cells" mode, tabs.ts).
//  2. Text pasted from a web page / spreadsheet / markdown: one row per line, cells separated by TABs
//     ("rows" mode, tabs.ts) or by `|` (with or without outer pipes and `---` separator rows, pipes.ts).
//  3. Web pages whose cells each end in " |", one cell per line, with a lone "|" line starting a row
//     (pipes.ts).
//
// The text carries no merge information, so every table is emitted with `layout: "rows"`: each row's
// cells in reading order, col = position, span 1 (emit.ts). This file is the entry point: it walks the
// lines and hands each table-shaped run to its reader; lines.ts holds the line and cell shapes.
import { IngestError, type IngestResult } from "../blocks.ts";
import { emitRowTable, Out } from "./emit.ts";
import { hasTab, isBlank, isCellLine, isSingleCellTabLine } from "./lines.ts";
import { LONE_PIPE_RE, pipeCellRunEnd, pipeRunEnd, pipeTableEnd, readPipeCells, readPipeRows } from "./pipes.ts";
import { readTabCells, readTabRows } from "./tabs.ts";

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
