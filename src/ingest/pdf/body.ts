// Body text (outside tables): running headers, footers and page numbers to drop, and which line
// continues the paragraph before it (right margin, indentation, list starts, line pitch).
import type { Line, PageData } from "./geometry.ts";
import { wrapSlack } from "./lines.ts";

export interface BodyLine extends Line {
  lineNo: number;
}

export function computeRightMargins(pages: PageData[], linesByPage: BodyLine[][]): Map<number, number> {
  // Per page width: the largest right edge that at least two lines reach, among edges in the right
  // part of the page; without such lines, the left margin mirrored.
  const byWidth = new Map<number, { x1: number[]; minX0: number }>();
  pages.forEach((p, i) => {
    const key = Math.round(p.width);
    let g = byWidth.get(key);
    if (!g) byWidth.set(key, (g = { x1: [], minX0: Infinity }));
    for (const l of linesByPage[i]!) {
      g.x1.push(l.x1);
      g.minX0 = Math.min(g.minX0, l.x0);
    }
  });
  const out = new Map<number, number>();
  for (const [w, g] of byWidth) {
    const sorted = g.x1.filter((x) => x >= 0.6 * w).sort((a, b) => b - a);
    let margin = Number.isFinite(g.minX0) && g.minX0 < 0.4 * w ? w - g.minX0 : 0.9 * w;
    // sorted descending: the first value with another line ending within 3 pt of it
    for (let i = 0; i + 1 < sorted.length; i++) {
      if (sorted[i]! - sorted[i + 1]! <= 3) {
        margin = sorted[i]!;
        break;
      }
    }
    out.set(w, margin);
  }
  return new Map(pages.map((p) => [p.num, out.get(Math.round(p.width)) ?? p.width]));
}

const LIST_START = /^\s*(第[一二三四五六七八九十百零〇\d]+[章节条部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、．]|\d+\.(?!\d)|附件\s*\d*\s*$|注[:：])/;

export function continuesParagraph(prev: BodyLine, next: BodyLine, margins: Map<number, number>): boolean {
  const size = prev.size;
  if (Math.abs(next.size - size) > 0.6) return false;
  const margin = margins.get(prev.page) ?? Infinity;
  if (prev.x1 < margin - wrapSlack(next, size)) return false;
  if (next.x0 > prev.x0 + 0.5 * size && next.page === prev.page) return false;
  if (LIST_START.test(next.text)) return false;
  if (next.page === prev.page) {
    const pitch = next.y - prev.y;
    if (pitch <= 0 || pitch > 2.6 * size) return false;
  } else if (next.page !== prev.page + 1) return false;
  return true;
}

export function removeHeadersFooters(pages: PageData[], linesByPage: BodyLine[][]): void {
  const PAGE_NO = /^\s*([-–—－]\s*)?(第\s*)?[0-9０-９]+\s*(页)?\s*([/／]\s*(共\s*)?[0-9０-９]+\s*页?|共\s*[0-9０-９]+\s*页)?\s*([-–—－])?\s*$|^\s*(page\s*)?\d+\s*(of\s*\d+)?\s*$/i;
  const marginZone = (page: PageData, y: number) => y < page.height * 0.1 || y > page.height * 0.9;
  // repeated lines at the same position on many pages
  const counts = new Map<string, number>();
  const keyOf = (l: BodyLine) => `${l.text.replace(/\s+/g, "").replace(/[0-9０-９]+/g, "#")}@${Math.round(l.y / 4)}`;
  pages.forEach((page, i) => {
    const seen = new Set<string>();
    for (const l of linesByPage[i]!) {
      if (!marginZone(page, l.y)) continue;
      const k = keyOf(l);
      if (seen.has(k)) continue;
      seen.add(k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  });
  const minRepeat = Math.max(3, Math.ceil(pages.length * 0.5));
  pages.forEach((page, i) => {
    const lines = linesByPage[i]!;
    linesByPage[i] = lines.filter((l, idx) => {
      const inZone = marginZone(page, l.y);
      if (inZone && (PAGE_NO.test(l.text) || /^\s*[ivxlcdm]{1,6}\s*$/i.test(l.text))) return false;
      // a lone number as the very last or first line of a page, below/above everything else
      if (PAGE_NO.test(l.text) && (idx === lines.length - 1 || idx === 0) && (l.y > page.height * 0.8 || l.y < page.height * 0.15)) return false;
      if (inZone && pages.length >= 3 && (counts.get(keyOf(l)) ?? 0) >= minRepeat) return false;
      return true;
    });
  });
}
