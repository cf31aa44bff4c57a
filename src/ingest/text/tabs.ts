// TAB tables. "cells" mode: Word's plain-text export, one cell per TAB-led line, rows told apart by
// blank lines and cell counts. "rows" mode: one row per line, TAB-separated.
import { emitRowTable, Out } from "./emit.ts";
import { cellParagraphs, hasTab, isBlank, isCellLine, type RawCell, type RawRow, TAB } from "./lines.ts";

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

export function readTabCells(lines: string[], start: number, out: Out): number {
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

export function readTabRows(lines: string[], start: number, out: Out): number {
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
