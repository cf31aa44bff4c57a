// Document assembly: pages → blocks in reading order. Splits each page's text between table
// fragments and body lines, drops running headers/footers, joins table fragments continued on the
// next page and emits tables and paragraphs.
import type { Block, ParagraphBlock } from "../blocks.ts";
import { type BodyLine, computeRightMargins, continuesParagraph, removeHeadersFooters } from "./body.ts";
import { findFragments, type Fragment } from "./fragments.ts";
import { lineNumber, type PageData, type Run } from "./geometry.ts";
import { groupLines, joinWrapped } from "./lines.ts";
import { buildTable, continues, type TableWork } from "./tables.ts";

export function buildBlocks(pages: PageData[]): Block[] {
  // 1. fragments per page, and the text runs outside them
  const fragsByPage = keepTableFragments(pages, pages.map(findFragments));
  const bodyLinesByPage: BodyLine[][] = [];
  const runsByFrag = new Map<Fragment, Run[]>();
  pages.forEach((page, pi) => {
    const frags = fragsByPage[pi]!;
    const outside: Run[] = [];
    for (const run of page.runs) {
      const cx = (run.x0 + run.x1) / 2;
      const cy = run.y - run.size * 0.35;
      const f = frags.find((fr) => cx >= fr.left - 1 && cx <= fr.right + 1 && cy >= fr.top - 1 && cy <= fr.bottom + 1);
      if (f) {
        let list = runsByFrag.get(f);
        if (!list) runsByFrag.set(f, (list = []));
        list.push(run);
      } else outside.push(run);
    }
    bodyLinesByPage.push(groupLines(outside).map((l) => ({ ...l, lineNo: lineNumber(page, l.y) })));
  });

  // 2. drop running headers/footers and lone page numbers
  removeHeadersFooters(pages, bodyLinesByPage);

  // 3. page items in reading order, joining tables across pages
  type Item = { kind: "line"; line: BodyLine } | { kind: "frag"; frag: Fragment };
  const items: Item[] = [];
  pages.forEach((_, pi) => {
    const list: (Item & { y: number })[] = [];
    for (const l of bodyLinesByPage[pi]!) list.push({ kind: "line", line: l, y: l.y - l.size * 0.35 });
    for (const f of fragsByPage[pi]!) list.push({ kind: "frag", frag: f, y: f.top });
    list.sort((a, b) => a.y - b.y);
    items.push(...list);
  });

  const seq: ({ kind: "table"; t: TableWork } | { kind: "line"; line: BodyLine })[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === "line") {
      seq.push({ kind: "line", line: it.line });
      continue;
    }
    const last = seq[seq.length - 1];
    if (last?.kind === "table" && continues(last.t, it.frag)) {
      last.t.frags.push(it.frag);
      continue;
    }
    seq.push({ kind: "table", t: { frags: [it.frag] } });
  }

  // 4. emit blocks
  const blocks: Block[] = [];
  let tableIndex = 0;
  let paraIndex = 0;
  const rightMargins = computeRightMargins(pages, bodyLinesByPage);
  const contentBottom = computeContentBottom(pages, fragsByPage, bodyLinesByPage);
  let pending: { text: string; last: BodyLine; first: BodyLine } | null = null;
  const flush = () => {
    if (!pending) return;
    const p: ParagraphBlock = { kind: "paragraph", index: paraIndex++, text: pending.text, page: pending.first.page, line: pending.first.lineNo };
    blocks.push(p);
    pending = null;
  };
  for (const s of seq) {
    if (s.kind === "table") {
      flush();
      const tb = buildTable(s.t, runsByFrag, tableIndex, contentBottom);
      if (tb) {
        tableIndex++;
        blocks.push(tb);
      }
      continue;
    }
    const l = s.line;
    if (pending && continuesParagraph(pending.last, l, rightMargins)) {
      pending.text = joinWrapped(pending.text, l.text);
      pending.last = l;
    } else {
      flush();
      pending = { text: l.text, first: l, last: l };
    }
  }
  flush();
  return blocks;
}

/**
 * A lone box (one cell: a page border, a framed note or text box) is not a table, unless it is
 * the top of a page and continues a table that ends at the bottom of the previous page.
 */
function keepTableFragments(pages: PageData[], fragsByPage: Fragment[][]): Fragment[][] {
  const inside = (r: Run, f: Fragment) => {
    const cx = (r.x0 + r.x1) / 2;
    const cy = r.y - r.size * 0.35;
    return cx >= f.left - 1 && cx <= f.right + 1 && cy >= f.top - 1 && cy <= f.bottom + 1;
  };
  const kept: Fragment[][] = [];
  pages.forEach((page, pi) => {
    const out: Fragment[] = [];
    for (const f of fragsByPage[pi]!) {
      if (f.xs.length > 2 || f.ys.length > 2) {
        out.push(f);
        continue;
      }
      const prev = kept[pi - 1];
      const prevLast = prev?.[prev.length - 1];
      const prevPage = pages[pi - 1];
      if (!prevLast || !prevPage) continue;
      // (text in the top and bottom tenth of the page may be a running header or footer)
      const body = (r: Run, pg: PageData) => r.y > pg.height * 0.1 && r.y < pg.height * 0.9;
      const firstHere = page.runs.every((r) => inside(r, f) || r.y - r.size > f.top || !body(r, page));
      const lastThere = prevPage.runs.every((r) => inside(r, prevLast) || r.y < prevLast.bottom || !body(r, prevPage));
      const sameEdges = Math.abs(prevLast.left - f.left) <= 3 && Math.abs(prevLast.right - f.right) <= 3;
      if (firstHere && lastThere && sameEdges && out.length === 0) out.push(f);
    }
    kept.push(out);
  });
  return kept;
}

/** Per page: the lowest content (table border or text line) on any page of the same size. */
function computeContentBottom(pages: PageData[], fragsByPage: Fragment[][], linesByPage: BodyLine[][]): Map<number, number> {
  const bySize = new Map<string, number>();
  const key = (p: PageData) => `${Math.round(p.width)}x${Math.round(p.height)}`;
  pages.forEach((p, i) => {
    let b = -Infinity;
    for (const f of fragsByPage[i]!) b = Math.max(b, f.bottom);
    for (const l of linesByPage[i]!) b = Math.max(b, l.y + 0.25 * l.size);
    bySize.set(key(p), Math.max(bySize.get(key(p)) ?? -Infinity, b));
  });
  return new Map(pages.map((p) => [p.num, bySize.get(key(p)) ?? p.height]));
}
