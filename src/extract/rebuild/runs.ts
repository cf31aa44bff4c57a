// Runs of paragraphs that hold a form: one cell per line (a PDF viewer copy) or cells separated by
// spaces. Labels wrapped over lines are joined back, and the rows are rebuilt under the form's own
// header rows.
import type { Block, ParagraphBlock } from "../../ingest/blocks.ts";
import {
  fundsColumnOf,
  fundsRowOf,
  goalColumnOf,
  headerFieldOf,
  indicatorColumnOf,
  inlineField,
  isNarrativeLabel,
  isTotalLabel,
  labelKey,
  level1Of,
  level2Of,
} from "../../domain/vocabulary.ts";
import {
  type Template,
  norm,
  columnOf,
  isBlockLabel,
  FAMILIES,
  headerOf,
  makeTemplate,
  isTitleText,
  isKeyText,
} from "./templates.ts";
import { classify, type Placement, place } from "./align.ts";
import { type OutCell, type OutRow, toTable, rowFromPlacement } from "./cells.ts";

/** Plain paragraphs → the same paragraphs, with each piece that holds a form replaced by a grid table.
 * The run is read as space-separated cells when some line splits at spaces into a header row, else as
 * one cell per line. */
export function rebuildLines(paras: ParagraphBlock[], newIndex: () => number): Block[] {
  if (!holdsForm(paras)) return paras;
  // Cells separated by runs of spaces (or a tab, or an ideographic space) keep a value's own single
  // spaces (15 其他经费, 2024年1月 — 12月); text whose cells are separated by single spaces splits at each.
  const split = separatorOf(paras);
  const spaces = paras.some((p) => {
    const w = split(p.text);
    return w.length >= 3 && headerOf(w) !== null;
  });
  const built = spaces ? spacesRows(paras, split) : linesRows(paras);
  if (!built.length) return paras;
  const out: Block[] = [];
  let k = 0;
  for (const b of built) {
    out.push(...paras.slice(k, b.from));
    const page = paras[b.from]!.page;
    out.push(toTable(newIndex(), b.rows, page !== undefined ? { page } : {}, []));
    k = b.to;
  }
  out.push(...paras.slice(k));
  return out;
}

interface Tok {
  text: string;
  paragraphs: string[];
  line?: number;
  /** Line of the token's last piece (a wrapped label ends a line or more below its start). */
  last?: number;
  page?: number;
  /** Index of the paragraph (line) the token starts in, within the run. */
  at: number;
}

/** A word of the vocabulary a wrapped label may rebuild (header field, column, block, row or level
 * name, total). Titles are not: a title line followed by its year line is not one word. */
function isWord(t: string): boolean {
  const k = labelKey(t);
  if (k === "") return false;
  return (
    headerFieldOf(t) !== null ||
    fundsColumnOf(t) !== null ||
    goalColumnOf(t) !== null ||
    indicatorColumnOf(t) !== null ||
    fundsRowOf(t) !== null ||
    isBlockLabel(t) ||
    isTotalLabel(t) ||
    isNarrativeLabel(t) ||
    level1Of(t) !== null ||
    level2Of(t) !== null
  );
}

const isNote = (t: string) => /^[(（][^()（）]{1,12}[)）]$/.test(norm(t));
const isHeaderWord = (t: string) => FAMILIES.some((f) => columnOf(t, f) !== null) || isBlockLabel(t);

function adjacent(a: Tok, b: Tok): boolean {
  if (a.page !== undefined && b.page !== undefined && a.page !== b.page) return false;
  const end = a.last ?? a.line;
  return end === undefined || b.line === undefined || b.line - end <= 1;
}

/** Joins a label wrapped over 2–4 short pieces (年度/指标值, 绩/效/指/标, 一级 + 指标, 项目资金 + （万元）):
 * the joined text is a vocabulary word and at least one piece is not. `pieces[0]` may end a longer line. */
function wrappedJoin(pieces: Tok[]): number {
  for (let len = Math.min(4, pieces.length); len >= 2; len--) {
    const part = pieces.slice(0, len);
    if (part.slice(1).some((p, k) => norm(p.text).length > 6 || !adjacent(part[k]!, p))) continue;
    const joined = part.map((p) => p.text.trim()).join("");
    if (norm(joined).length > 24) continue;
    // a note only closes a label (项目资金 / （万元）); it starts none ((2022年度) / 项目名称)
    if (part.slice(0, -1).some((p) => labelKey(p.text) === "")) continue;
    const words = part.map((p) => isWord(p.text));
    if (isWord(joined) && words.some((w) => !w)) return len;
    // a note line under a label: 项目资金 / （万元）
    if (len === 2 && words[0] && isNote(part[1]!.text)) return 2;
  }
  return 1;
}

function mergeTok(part: Tok[], sep: string): Tok {
  const text = part.map((p) => p.text.trim()).join(sep);
  const t: Tok = { ...part[0]!, text, paragraphs: sep === "" ? part.map((p) => p.text.trim()) : [text] };
  const end = part[part.length - 1]!;
  const last = end.last ?? end.line;
  if (last !== undefined) t.last = last;
  return t;
}

/** Does a run of paragraphs hold a form? A title among its short lines, or ≥3 lines that are header
 * words of the vocabulary. */
function holdsForm(paras: ParagraphBlock[]): boolean {
  let words = 0;
  for (const p of paras) {
    const t = p.text.trim();
    if (norm(t).length > 60) continue;
    if (isTitleText(t)) return true;
    if (t.split(/[\s\u00a0\u3000]+/).some((w) => isHeaderWord(w) || isWord(w))) words++;
    if (words >= 3) return true;
  }
  return false;
}

interface Built {
  /** Index of the first and after-last paragraph of the run that the table replaces. */
  from: number;
  to: number;
  rows: OutRow[];
}

const splitSpaces = (s: string) => s.trim().split(/[\s\u00a0\u3000]+/).filter((x) => x !== "");
const WIDE_GAP = /[ \u00a0]{2,}|\t|\u3000+/;
const splitWide = (s: string) => s.trim().split(WIDE_GAP).map((x) => x.trim()).filter((x) => x !== "");

/** How the run separates its cells: by wide gaps when nearly every line with a gap has a wide one. */
function separatorOf(paras: ParagraphBlock[]): (s: string) => string[] {
  const gapped = paras.map((p) => p.text.trim()).filter((t) => /[\s\u00a0\u3000]/.test(t));
  const wide = gapped.filter((t) => WIDE_GAP.test(t)).length;
  return gapped.length >= 3 && wide >= 0.8 * gapped.length ? splitWide : splitSpaces;
}

function tokOf(p: ParagraphBlock, at: number, text: string): Tok {
  const t: Tok = { text, paragraphs: [text], at };
  if (p.line !== undefined) t.line = p.line;
  if (p.page !== undefined) t.page = p.page;
  return t;
}

function outOfTok(k: Tok, col: number, inferred: boolean): OutCell {
  const o: OutCell = { text: k.text, paragraphs: [...k.paragraphs], col };
  if (k.line !== undefined) o.line = k.line;
  if (k.page !== undefined) o.page = k.page;
  if (inferred) o.inferred = true;
  return o;
}

/** Cells separated by spaces: one row per line; labels wrapped onto the next line are joined back, and
 * a line of block labels (项目资金（万元）) joins the header line below it. */
function spacesRows(paras: ParagraphBlock[], split: (s: string) => string[]): Built[] {
  // lines → token lists, with wrapped labels joined
  const lines: Tok[][] = paras.map((p, i) => split(p.text).map((w) => tokOf(p, i, w)));
  for (let i = 0; i < lines.length; i++) {
    const cur = lines[i]!;
    if (!cur.length) continue;
    for (;;) {
      // the line's last word, then the first word of the next lines (through one-word lines only)
      const pieces = [cur[cur.length - 1]!];
      const owners: number[] = [];
      for (let j = i + 1; j < lines.length && pieces.length < 4 && lines[j]!.length > 0; j++) {
        pieces.push(lines[j]![0]!);
        owners.push(j);
        if (lines[j]!.length > 1) break;
      }
      const n = wrappedJoin(pieces);
      if (n < 2) break;
      cur[cur.length - 1] = mergeTok(pieces.slice(0, n), "");
      for (const j of owners.slice(0, n - 1)) lines[j]!.shift();
    }
  }
  const built: Built[] = [];
  let rows: OutRow[] = [];
  let from = -1;
  let to = -1;
  let tpl: Template | null = null;
  let shift = 0;
  let headers = 0;
  let pending: Tok[] | null = null; // a line of block labels waiting for the header line below it
  let prevHeader: Tok[] | null = null; // the header row just read (a wrapped header continues it)
  let labelRow: number | null = null; // cells of the row of labels just read (its values follow)
  const finish = () => {
    if (from >= 0 && headers > 0) built.push({ from, to, rows });
    rows = [];
    from = -1;
    tpl = null;
    headers = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    let toks = lines[i]!;
    if (!toks.length) continue;
    const texts = toks.map((k) => k.text);
    const line = paras[i]!.text.trim();
    if (pending && adjacent(pending[pending.length - 1]!, toks[0]!)) {
      const merged = [...pending, ...toks];
      const h = headerOf(merged.map((k) => k.text));
      if (h) toks = merged;
      else {
        rows.push(pending.map((k, c) => outOfTok(k, c, false)));
        to = pending[0]!.at + 1;
      }
    } else if (pending) {
      rows.push(pending.map((k, c) => outOfTok(k, c, false)));
      to = pending[0]!.at + 1;
    }
    pending = null;
    const h = headerOf(toks.map((k) => k.text));
    if (h) {
      if (from < 0) from = toks[0]!.at;
      // a header row wrapped over two lines: the second line names further columns of the same block
      const prev = rows[rows.length - 1];
      if (prevHeader && prev && tpl && tpl.family === h.family && adjacent(prevHeader[prevHeader.length - 1]!, toks[0]!)) {
        const have = new Set(tpl.cols.map((c) => c.field).filter((f) => f !== undefined));
        if (h.cols.every((c) => c.field === undefined || !have.has(c.field))) {
          toks = [...prevHeader, ...toks];
          rows.pop();
        }
      }
      const hh = headerOf(toks.map((k) => k.text))!;
      ({ tpl, shift } = makeTemplate(hh, toks.map((k) => k.text)));
      rows.push(toks.map((k, c) => outOfTok(k, c + shift, false)));
      prevHeader = toks;
      headers++;
      to = i + 1;
      continue;
    }
    prevHeader = null;
    if (texts.every((x) => isHeaderWord(x) || isNote(x)) && texts.some((x) => isHeaderWord(x))) {
      if (from < 0) from = i;
      pending = toks;
      continue;
    }
    const first = texts[0]!;
    const total = tpl?.family === "ind" && isTotalLabel(first);
    if (isTitleText(line) && from >= 0) {
      finish();
      continue;
    }
    if (!total && (isKeyText(first) || isKeyText(line)) && !(tpl && fundsRowOf(first))) {
      if (isTitleText(line)) continue;
      if (from < 0) from = i;
      tpl = null;
      rows.push(toks.map((k, c) => outOfTok(k, c, false)));
      to = i + 1;
      // a row of labels only (项目名称 主管部门 实施单位): its values are the next line, cell for cell
      labelRow = toks.length >= 2 && texts.every((x) => headerFieldOf(x) !== null || isNarrativeLabel(x) || isBlockLabel(x)) ? toks.length : null;
      continue;
    }
    // its values: under the last labels when there are fewer (a block label before them has no value)
    if (!tpl && labelRow !== null && toks.length <= labelRow && from >= 0) {
      const offset = labelRow - toks.length;
      rows.push(toks.map((k, c) => outOfTok(k, c + offset, offset > 0)));
      to = i + 1;
      labelRow = null;
      continue;
    }
    labelRow = null;
    // before any column header: a line that names a block, a funds row or a labelled amount
    // (资金情况（万元） 年度资金总额： 153.5, 其中：1.中央资金) is a row of the form's header part
    if (!tpl && from >= 0 && (isBlockLabel(first) || fundsRowOf(first) !== null || texts.some((x) => x !== first && (headerFieldOf(x) !== null || inlineField(x) !== null)))) {
      rows.push(toks.map((k, c) => outOfTok(k, c, false)));
      to = i + 1;
      continue;
    }
    if (!tpl) {
      if (from >= 0) finish();
      continue;
    }
    const tokens = toks.map((k) => classify(k.text));
    if (!total && toks.length === tpl.cols.length) {
      rows.push(toks.map((k, c) => outOfTok(k, c, false)));
    } else {
      const p = place(tokens, tpl.cols, { join: true, multiRow: false, total });
      if (!p) rows.push(toks.map((k, c) => outOfTok(k, c, false)));
      else rows.push(rowFromPlacement(toks.map((k, c) => ({ o: outOfTok(k, p[c]!.col, true), p: p[c]!, sep: " " })), !total));
    }
    to = i + 1;
    if (total) tpl = null;
  }
  if (pending && from >= 0 && tpl) {
    rows.push(pending.map((k, c) => outOfTok(k, c, false)));
    to = pending[0]!.at + 1;
  }
  finish();
  return built;
}

/** One cell per line: header words on consecutive lines form the header row; the data cells between
 * two structural lines are cut into rows by placing them under the header (rows start where a cell
 * fits no later column). */
function linesRows(paras: ParagraphBlock[]): Built[] {
  const raw: Tok[] = paras.map((p, i) => tokOf(p, i, p.text.trim())).filter((k) => k.text !== "");
  const toks: Tok[] = [];
  for (let i = 0; i < raw.length; ) {
    const n = wrappedJoin(raw.slice(i, i + 4));
    toks.push(n > 1 ? mergeTok(raw.slice(i, i + n), "") : raw[i]!);
    i += n;
  }
  const built: Built[] = [];
  let rows: OutRow[] = [];
  let from = -1;
  let to = -1;
  let tpl: Template | null = null;
  let shift = 0;
  let headers = 0;
  const finish = () => {
    if (from >= 0 && headers > 0) built.push({ from, to, rows });
    rows = [];
    from = -1;
    tpl = null;
    headers = 0;
  };
  /** A run of header words starting at i that makes a header row: its length, or 0. */
  const headerRun = (i: number): number => {
    let j = i;
    while (j < toks.length && j - i < 16 && isHeaderWord(toks[j]!.text)) j++;
    for (let k = j; k > i; k--) if (headerOf(toks.slice(i, k).map((x) => x.text))) return k - i;
    return 0;
  };
  const structural = (i: number) => {
    const t = toks[i]!.text;
    return headerRun(i) > 0 || isKeyText(t) || (tpl?.family === "ind" && isTotalLabel(t));
  };
  let i = 0;
  while (i < toks.length) {
    const k = toks[i]!;
    const hn = headerRun(i);
    if (hn) {
      const part = toks.slice(i, i + hn);
      if (from < 0) from = k.at;
      ({ tpl, shift } = makeTemplate(headerOf(part.map((x) => x.text))!, part.map((x) => x.text)));
      rows.push(part.map((x, c) => outOfTok(x, c + shift, false)));
      headers++;
      i += hn;
      to = part[part.length - 1]!.at + 1;
      continue;
    }
    if (isTitleText(k.text)) {
      if (from >= 0) finish();
      i++;
      continue;
    }
    if (tpl?.family === "ind" && isTotalLabel(k.text)) {
      const row = [k];
      let j = i + 1;
      while (j < toks.length && row.length < 3 && ["NUM", "PH"].includes(classify(toks[j]!.text).kind)) row.push(toks[j++]!);
      const p = place(row.map((x) => classify(x.text)), tpl.cols, { join: false, multiRow: false, total: true });
      rows.push(p ? rowFromPlacement(row.map((x, c) => ({ o: outOfTok(x, p[c]!.col, c > 0), p: p[c]!, sep: "\n" })), false) : row.map((x, c) => outOfTok(x, c, false)));
      tpl = null;
      to = row[row.length - 1]!.at + 1;
      i = j;
      continue;
    }
    if (isKeyText(k.text) && !(tpl && fundsRowOf(k.text))) {
      // a row of labels over a row of values (项目名称 / 主管部门 / 实施单位, then their three values):
      // paired one for one when as many values as labels follow
      const isPlainLabel = (t: Tok | undefined) => t !== undefined && headerFieldOf(t.text) !== null && !inlineField(t.text);
      let n = 0;
      while (isPlainLabel(toks[i + n])) n++;
      if (n >= 2) {
        let j = i + n;
        const vals: Tok[] = [];
        while (j < toks.length && !structural(j) && !isTitleText(toks[j]!.text)) vals.push(toks[j++]!);
        if (vals.length === n) {
          if (from < 0) from = k.at;
          tpl = null;
          rows.push(toks.slice(i, i + n).map((x, c) => outOfTok(x, c, false)));
          rows.push(vals.map((x, c) => outOfTok(x, c, true)));
          to = vals[n - 1]!.at + 1;
          i = j;
          continue;
        }
      }
      // label | value: the value is every following line up to the next structural line
      let j = i + 1;
      const vals: Tok[] = [];
      if (!inlineField(k.text)) while (j < toks.length && !structural(j) && !isTitleText(toks[j]!.text)) vals.push(toks[j++]!);
      if (from < 0) from = k.at;
      tpl = null;
      rows.push(vals.length ? [outOfTok(k, 0, false), outOfTok(mergeTok(vals, "\n"), 1, false)] : [outOfTok(k, 0, false)]);
      to = (vals[vals.length - 1] ?? k).at + 1;
      i = j;
      continue;
    }
    if (!tpl) {
      if (from >= 0) finish();
      i++;
      continue;
    }
    let j = i;
    const seg: Tok[] = [];
    while (j < toks.length && (j === i || !structural(j)) && !isTitleText(toks[j]!.text)) seg.push(toks[j++]!);
    const p = place(seg.map((x) => classify(x.text)), tpl.cols, { join: true, multiRow: true });
    if (!p) {
      for (const x of seg) rows.push([outOfTok(x, 0, false)]);
    } else {
      let r = -1;
      let cur: { o: OutCell; p: Placement; sep: string }[] = [];
      const flush = () => {
        if (cur.length) rows.push(rowFromPlacement(cur));
        cur = [];
      };
      seg.forEach((x, c) => {
        if (p[c]!.row !== r) {
          flush();
          r = p[c]!.row;
        }
        cur.push({ o: outOfTok(x, p[c]!.col, true), p: p[c]!, sep: "\n" });
      });
      flush();
    }
    to = seg[seg.length - 1]!.at + 1;
    i = j;
  }
  finish();
  return built;
}
