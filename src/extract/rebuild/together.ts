// The run-together tokenizer (OCR of a Word file, no separators at all): the vocabulary's labels as a
// lexicon matched longest first (notes inside a printed label skipped), and header rows written as a
// run of labels.
import { VOCABULARY, labelKey } from "../../domain/vocabulary.ts";
import { type Family, type Col, headerOf } from "./templates.ts";

export interface WordInfo {
  field?: boolean;
  column?: boolean;
  block?: boolean;
  fundsRow?: boolean;
  total?: boolean;
  narrative?: boolean;
  l1?: boolean;
  l2?: boolean;
  title?: boolean;
}

const LEXICON = (() => {
  const m = new Map<string, WordInfo>();
  const add = (label: string, info: WordInfo) => {
    const k = labelKey(label);
    if (k.length < 2) return;
    m.set(k, { ...(m.get(k) ?? {}), ...info });
  };
  for (const f of VOCABULARY.fields) for (const l of f.labels) add(l, { field: true });
  for (const c of [...VOCABULARY.funds.columns, ...VOCABULARY.goals.columns, ...VOCABULARY.indicators.columns]) for (const l of c.labels) add(l, { column: true });
  for (const l of [...VOCABULARY.funds.blockLabels, ...VOCABULARY.goals.blockLabels, ...VOCABULARY.indicators.blockLabels]) add(l, { block: true });
  for (const r of VOCABULARY.funds.rows) for (const l of r.labels) add(l, { fundsRow: true });
  for (const l of VOCABULARY.totals) add(l, { total: true });
  for (const l of VOCABULARY.narratives) add(l, { narrative: true });
  for (const l of VOCABULARY.levels.level1) for (const n of l.names) add(n, { l1: true });
  for (const l of VOCABULARY.levels.level2) for (const n of l.names) add(n, { l2: true });
  for (const t of VOCABULARY.titles) for (const w of t.words) add(w, { title: true });
  const byFirst = new Map<string, string[]>();
  for (const k of m.keys()) byFirst.set(k[0]!, [...(byFirst.get(k[0]!) ?? []), k]);
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  return { info: m, byFirst };
})();

/** End of a parenthesised note at i ("(万元)", "(20分*执行率)", an unclosed "(B/A1"), or i. */
function noteEnd(s: string, i: number): number {
  if (s[i] !== "(") return i;
  const m = /^\([^()]{0,15}\)/.exec(s.slice(i, i + 18)) ?? /^\([A-Za-z0-9/*+\-.%]{1,8}(?=[^A-Za-z0-9/*+\-.%)]|$)/.exec(s.slice(i, i + 10));
  return m ? i + m[0].length : i;
}

export function afterNotes(s: string, i: number): number {
  for (let k = noteEnd(s, i); k > i; k = noteEnd(s, i)) i = k;
  while (s[i] === ":") i++;
  return i;
}

/** End of `word` matched at s[pos] (notes inside the printed label are skipped: 全年(调整)预算数), or -1. */
function matchWord(s: string, pos: number, word: string): number {
  let i = pos;
  for (let j = 0; j < word.length; ) {
    if (s[i] === word[j]) {
      i++;
      j++;
    } else if (j > 0 && s[i] === "(" && /^\([^()]{0,15}\)/.test(s.slice(i, i + 18)) && !LEXICON.info.has(word.slice(0, j))) {
      // a closed note inside a label (全年(调整)预算数), unless a label ends before it: 执行率(B/A)得分 is
      // two labels, not 执行率得分
      i = noteEnd(s, i);
    } else return -1;
  }
  return i;
}

export interface Match {
  start: number;
  end: number;
  word: string;
  info: WordInfo;
}

export function wordAt(s: string, pos: number, ok: (i: WordInfo) => boolean): Match | null {
  let p = pos;
  while (s[p] === "*") p++;
  for (const w of LEXICON.byFirst.get(s[p] ?? "") ?? []) {
    const info = LEXICON.info.get(w)!;
    if (!ok(info)) continue;
    const e = matchWord(s, p, w);
    if (e >= 0) return { start: pos, end: e, word: w, info };
  }
  // "其中：财政拨款": the sub-row marker belongs to the funds row label
  const sub = /^其中:?/.exec(s.slice(p, p + 3));
  if (sub) {
    const m = wordAt(s, p + sub[0].length, (i) => !!i.fundsRow && ok(i));
    if (m) return { ...m, start: pos };
  }
  return null;
}

/** A header row written as a run of labels at pos (预算数(A)执行数(B)执行率(B/A1得分…). */
export function headerRunAt(s: string, pos: number): { cells: [number, number][]; h: { family: Family; cols: Col[] }; end: number } | null {
  const cells: [number, number][] = [];
  let p = pos;
  while (cells.length < 16) {
    // the longest word here must be a column or block label: 年度资金总额 is a row, not 年度资金 + 总额
    const m = wordAt(s, p, () => true);
    if (!m || !(m.info.column || m.info.block)) break;
    const e = afterNotes(s, m.end);
    cells.push([p, e]);
    p = e;
  }
  if (cells.length < 2) return null;
  for (let n = cells.length; n >= 2; n--) {
    const h = headerOf(cells.slice(0, n).map(([a, b]) => s.slice(a, b)));
    if (h && h.cols[n - 1]!.role !== "label") return { cells: cells.slice(0, n), h, end: cells[n - 1]![1] };
  }
  return null;
}
