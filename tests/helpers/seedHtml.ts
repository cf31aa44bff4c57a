// The seed texts' HTML sources as grids, and a comparison of table cells relative to the form's header
// rows: which header cell a data cell lies under (the header cell starting at or left of its column),
// the way the recognizer reads a grid. Two grids of one form agree when every non-empty cell of every
// row lies under the same header, whatever their spans and column counts.
import type { TableBlock } from "../../src/ingest/blocks.ts";
import { fundsColumnOf, goalColumnOf, indicatorColumnOf } from "../../src/domain/vocabulary.ts";

export interface HCell {
  text: string; // whitespace removed
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export const ws = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, "");

function htmlText(inner: string): string {
  const s = inner
    .replace(/<input\b[^>]*>/gi, (m) => (/\bchecked\b/i.test(m) ? "☑" : "□"))
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
  return ws(s);
}

/** A small regex HTML table reader: origin cells with their grid positions and spans. */
export function htmlTables(html: string): HCell[][][] {
  const tables: HCell[][][] = [];
  for (const tm of html.matchAll(/<table\b[\s\S]*?<\/table>/gi)) {
    const rows: HCell[][] = [];
    const taken: boolean[][] = [];
    const take = (r: number, c: number) => ((taken[r] ??= [])[c] = true);
    const isTaken = (r: number, c: number) => !!taken[r]?.[c];
    let r = 0;
    for (const trm of tm[0].matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)) {
      const row: HCell[] = [];
      let c = 0;
      for (const tdm of trm[1]!.matchAll(/<t[dh]\b([^>]*)>([\s\S]*?)<\/t[dh]>/gi)) {
        const attrs = tdm[1]!;
        const rowSpan = Number(/rowspan\s*=\s*"?(\d+)/i.exec(attrs)?.[1] ?? 1);
        const colSpan = Number(/colspan\s*=\s*"?(\d+)/i.exec(attrs)?.[1] ?? 1);
        while (isTaken(r, c)) c++;
        row.push({ text: htmlText(tdm[2]!), row: r, col: c, rowSpan, colSpan });
        for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) take(r + dr, c + dc);
        c += colSpan;
      }
      rows.push(row);
      r++;
    }
    tables.push(rows);
  }
  return tables;
}

const isColumn = (t: string) => fundsColumnOf(t) !== null || goalColumnOf(t) !== null || indicatorColumnOf(t) !== null;

/** Per row: header rows as their texts; every other row as "header=text" for its non-empty cells in
 * column order ("-" before the first header row). */
export function underHeaders(rows: { text: string; col: number }[][]): string[][] {
  let head: { text: string; col: number }[] | null = null;
  return rows.map((r) => {
    const cells = r.filter((c) => ws(c.text) !== "").sort((a, b) => a.col - b.col);
    if (cells.filter((c) => isColumn(c.text)).length >= 2) {
      head = cells;
      return cells.map((c) => ws(c.text));
    }
    return cells.map((c) => {
      const h = head ? [...head].reverse().find((x) => x.col <= c.col) : undefined;
      return `${h ? ws(h.text) : "-"}=${ws(c.text)}`;
    });
  });
}

export const underHeadersOf = (t: TableBlock) => underHeaders(t.rows);

/** Non-empty texts of each row in reading order. */
export const rowTexts = (rows: { text: string; col: number }[][]) =>
  rows.map((r) => [...r].sort((a, b) => a.col - b.col).map((c) => ws(c.text)).filter((x) => x !== ""));
