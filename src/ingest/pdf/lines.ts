// Lines and text joining: text runs → lines (spacing decided from geometry, no spaces between CJK
// characters), and wrapped lines → paragraphs.
import type { Line, Run } from "./geometry.ts";

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d\u2014\u2026\u00b7\u25a0-\u25ff\u2610-\u2612]/;

function isCjk(ch: string | undefined): boolean {
  return !!ch && CJK.test(ch);
}

export function groupLines(runs: Run[]): Line[] {
  if (runs.length === 0) return [];
  const sorted = [...runs].sort((a, b) => a.page - b.page || a.y - b.y || a.x0 - b.x0);
  const lines: Run[][] = [];
  for (const r of sorted) {
    const last = lines[lines.length - 1];
    const ref = last?.[0];
    if (last && ref && ref.page === r.page && Math.abs(r.y - ref.y) <= Math.max(1.5, 0.4 * Math.min(ref.size, r.size))) last.push(r);
    else lines.push([r]);
  }
  return lines.map(makeLine);
}

function makeLine(runs: Run[]): Line {
  const sorted = [...runs].sort((a, b) => a.x0 - b.x0);
  // Text drawn twice at (almost) the same place (simulated bold, shadow) is kept once.
  const rs = sorted.filter((r, i) => !sorted.slice(Math.max(0, i - 3), i).some((q) => q.str === r.str && Math.abs(q.x0 - r.x0) < 0.3 * r.size && Math.abs(q.y - r.y) < 0.3 * r.size));
  let text = "";
  let prev: Run | null = null;
  for (const r of rs) {
    if (prev) {
      const gap = r.x0 - prev.x1;
      const size = Math.max(prev.size, r.size);
      const a = text[text.length - 1];
      const b = r.str[0];
      const cjkSide = isCjk(a) || isCjk(b);
      // CJK text has no spaces between characters; a gap between two CJK characters is layout
      // (justification, letter spacing) unless it is wide. Between CJK and Latin/digits the
      // producer's automatic spacing is about 0.2 em; a real space is wider.
      const threshold = isCjk(a) && isCjk(b) ? 1.0 * size : cjkSide ? 0.35 * size : 0.15 * size;
      if (gap > threshold && a !== " " && b !== " ") text += " ";
    }
    text += r.str;
    prev = r;
  }
  const size = rs.reduce((m, r) => Math.max(m, r.size), 0);
  return {
    runs: rs,
    text,
    x0: rs[0]!.x0,
    x1: Math.max(...rs.map((r) => r.x1)),
    y: rs.reduce((s, r) => s + r.y, 0) / rs.length,
    size,
    page: rs[0]!.page,
  };
}

/** Joins a wrapped line onto the text before it. */
export function joinWrapped(a: string, b: string): string {
  const ta = a.replace(/[ \t]+$/, "");
  const tb = b.replace(/^[ \t]+/, "");
  const x = ta[ta.length - 1];
  const y = tb[0];
  if (x && y && /[A-Za-z0-9,.;:!?)\]]/.test(x) && /[A-Za-z(\[]/.test(y) && !(/[0-9]/.test(x) && /[0-9]/.test(y))) {
    return `${ta} ${tb}`;
  }
  return ta + tb;
}

/**
 * How far short of the right margin a line may end and still be wrapped: the next line's first
 * word (Latin) would not have fitted; for CJK about one character plus line-breaking rules.
 */
export function wrapSlack(next: Line, size: number): number {
  const t = next.text.trimStart();
  const word = /^[A-Za-z0-9\u00c0-\u024f'’.,;:!?%()\-]+/.exec(t);
  if (word && word[0].length > 1) {
    const charW = (next.x1 - next.x0) / Math.max(1, next.text.length);
    return Math.max(1.5 * size, (word[0].length + 1) * charW + 0.5 * size);
  }
  return 1.5 * size;
}

/** Splits a cell's lines into paragraphs. */
export function cellParagraphs(lines: Line[], left: number, right: number): string[] {
  if (lines.length === 0) return [];
  const pad = Math.min(8, Math.max(1, Math.min(...lines.map((l) => l.x0 - left))));
  const inner = right - pad;
  const paras: string[] = [];
  let cur = "";
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (i === 0) {
      cur = l.text;
      continue;
    }
    const p = lines[i - 1]!;
    const size = Math.max(p.size, l.size);
    const samePage = p.page === l.page;
    const pitch = l.y - p.y;
    const prevFull = p.x1 >= inner - wrapSlack(l, size);
    const bigGap = samePage && pitch > 2.2 * size;
    if (prevFull && !bigGap) cur = joinWrapped(cur, l.text);
    else {
      paras.push(cur);
      cur = l.text;
    }
  }
  paras.push(cur);
  return paras;
}
