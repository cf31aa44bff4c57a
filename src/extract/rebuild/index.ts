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
// Everything the stage knows about forms comes from the vocabulary (vocabulary.ts, data/forms.json).
// Cells whose column was inferred carry `inferred: true`; grid tables from other readers pass unchanged.
import type { Block, ParagraphBlock, TableBlock, UnplacedText } from "../../ingest/blocks.ts";
import { toHalfWidth } from "../../domain/text.ts";
import {
  VOCABULARY,
  indicatorColumnOf,
  labelKey,
  operatorPrefix,
  unitAt,
  unitSuffix,
} from "../vocabulary.ts";
import {
  type Family,
  type Role,
  type Col,
  type Template,
  norm,
  headerOf,
  makeTemplate,
} from "./templates.ts";
import { type OutCell, type OutRow, toTable, rowFromPlacement } from "./cells.ts";
import { rebuildRowsTable } from "./rowsTable.ts";
import { rebuildLines } from "./runs.ts";

// ---------------------------------------------------------------------------------------------------
// Run-together text (no separators): split at the vocabulary's labels

interface WordInfo {
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

function afterNotes(s: string, i: number): number {
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

interface Match {
  start: number;
  end: number;
  word: string;
  info: WordInfo;
}

function wordAt(s: string, pos: number, ok: (i: WordInfo) => boolean): Match | null {
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
function headerRunAt(s: string, pos: number): { cells: [number, number][]; h: { family: Family; cols: Col[] }; end: number } | null {
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

const DIGITS_RE = /^[0-9.,%]+/;

/** Splits of a digit string into n printed numbers (no leading zeros, one decimal point, a percent sign
 * only where `pct` allows it). */
function splits(d: string, n: number, pctAt: number | null): string[][] {
  const out: string[][] = [];
  const ok = (x: string, k: number) => {
    const body = k === pctAt ? x.replace(/%$/, "") : x;
    if (k === pctAt && !x.endsWith("%") && d.includes("%")) return false;
    return /^(0|[1-9]\d*)(\.\d+)?$/.test(body);
  };
  const rec = (from: number, k: number, acc: string[]) => {
    if (out.length > 500) return;
    if (k === n - 1) {
      const x = d.slice(from);
      if (x && ok(x, k)) out.push([...acc, x]);
      return;
    }
    for (let e = from + 1; e < d.length; e++) {
      const x = d.slice(from, e);
      if (ok(x, k)) rec(e, k + 1, [...acc, x]);
    }
  };
  rec(0, 0, []);
  return out;
}

const decimals = (x: string) => (/\.(\d+)/.exec(x)?.[1]?.length ?? 0);
const near = (printed: string, value: number) => Math.abs(Number(printed.replace(/%$/, "")) - value) <= 0.5 * 10 ** -decimals(printed) + 1e-9;

/**
 * Funds numbers run together ("10001000100%20") under numeric columns: the one split that the numbers
 * confirm (执行率 = 执行数 / 预算数, 得分 = 分值 × 执行率), or null. A suffix may be confirmed alone
 * (执行率 | 权重 | 得分 after garbled amounts): `rest` is then the unconfirmed prefix.
 */
function splitFunds(d: string, cols: Col[], points: number | null): { parts: string[]; cols: number[]; rest: string } | null {
  const numeric = cols.map((c, k) => ({ c, k })).filter(({ c }) => ["amount", "rate", "fweight", "fscore"].includes(c.role));
  const check = (parts: string[], sel: { c: Col; k: number }[]): boolean => {
    const v = (field: string) => {
      const i = sel.findIndex((x) => x.c.field === field);
      return i >= 0 ? parts[i]! : null;
    };
    const rate = v("rate");
    const exec = v("executed");
    const base = v("adjusted") ?? v("initial");
    const weight = v("weight");
    const score = v("score");
    let checks = 0;
    if (rate !== null && Number(rate.replace(/%$/, "")) > 150) return false;
    // money spent out of a budget of 0: a split in the wrong place
    if (exec !== null && base !== null && Number(base) === 0 && Number(exec) > 0) return false;
    if (rate !== null && exec !== null && base !== null && Number(base) > 0) {
      if (!near(rate, (Number(exec) / Number(base)) * 100)) return false;
      // a rate printed as 0 with something executed is a split in the wrong place, not rounding
      if (Number(rate.replace(/%$/, "")) === 0 && Number(exec) > 0) return false;
      checks++;
    }
    const w = weight !== null ? Number(weight) : points;
    if (weight !== null && (Number(weight) > 100 || (points !== null && Number(weight) !== points))) return false;
    if (score !== null && w !== null) {
      if (Number(score) > w + 1e-9) return false;
      if (rate !== null) {
        if (!near(score, (w * Number(rate.replace(/%$/, ""))) / 100)) return false;
        checks++;
      }
    }
    return checks > 0;
  };
  const tryCols = (str: string, sel: { c: Col; k: number }[]) => {
    const pctAt = sel.findIndex((x) => x.c.role === "rate");
    const found = splits(str, sel.length, pctAt >= 0 ? pctAt : null).filter((parts) => check(parts, sel));
    return found.length === 1 ? found[0]! : null;
  };
  const whole = tryCols(d, numeric);
  if (whole) return { parts: whole, cols: numeric.map((x) => x.k), rest: "" };
  // the trailing rate/weight/score columns alone, after an unreadable start
  const tail = numeric.slice(numeric.findIndex((x) => x.c.role === "rate"));
  if (tail.length < 2 || tail[0]?.c.role !== "rate") return null;
  const found: { parts: string[]; at: number }[] = [];
  for (let at = 1; at < d.length; at++) {
    if (d[at - 1] === ".") continue;
    const parts = tryCols(d.slice(at), tail);
    if (parts) found.push({ parts, at });
  }
  if (found.length !== 1) return null;
  return { parts: found[0]!.parts, cols: tail.map((x) => x.k), rest: d.slice(0, found[0]!.at) };
}

interface StreamOut {
  rows: OutRow[];
  unplaced: UnplacedText[];
  /** Paragraph text before the form (title lines). */
  before: { text: string; line?: number }[];
}

/**
 * One stream of run-together text (the paragraphs joined, whitespace removed): labels found longest
 * first; key-value pairs, header rows, funds rows and indicator rows rebuilt; what no check confirms
 * goes to `unplaced`. Every cell is inferred.
 */
function rebuildStream(paras: ParagraphBlock[]): StreamOut {
  // s: half-width, whitespace-free text; lineAt[i]: source line (or paragraph) of s[i]
  let s = "";
  const lineAt: (number | undefined)[] = [];
  const pageAt: (number | undefined)[] = [];
  for (const p of paras) {
    const t = norm(p.text);
    s += t;
    for (let k = 0; k < t.length; k++) {
      lineAt.push(p.line);
      pageAt.push(p.page);
    }
  }
  const res: StreamOut = { rows: [], unplaced: [], before: [] };
  const cell = (a: number, b: number, col: number): OutCell => {
    const text = s.slice(a, b);
    const o: OutCell = { text, paragraphs: [text], col, inferred: true };
    const line = lineAt[a];
    const page = pageAt[a];
    if (line !== undefined) o.line = line;
    if (page !== undefined) o.page = page;
    return o;
  };
  const unplace = (part: string, reason: string, a: number, b: number) => {
    if (b <= a) return;
    const u: UnplacedText = { part, reason, text: s.slice(a, b) };
    if (lineAt[a] !== undefined) u.line = lineAt[a];
    if (pageAt[a] !== undefined) u.page = pageAt[a];
    res.unplaced.push(u);
  };
  const PART: Record<Family, string> = { funds: "资金情况", goals: "绩效目标", ind: "绩效指标" };

  let tpl = null as Template | null;
  let labelPending: [number, number] | null = null; // short text before a header run: its block label
  const emitHeader = (run: NonNullable<ReturnType<typeof headerRunAt>>) => {
    const texts = run.cells.map(([a, b]) => s.slice(a, b));
    const pre = labelPending;
    labelPending = null;
    const h = pre ? { family: run.h.family, cols: [{ role: "label" as Role }, ...run.h.cols] } : run.h;
    const cells = pre ? [pre, ...run.cells] : run.cells;
    const made = makeTemplate(h, pre ? [s.slice(pre[0], pre[1]), ...texts] : texts);
    tpl = made.tpl;
    res.rows.push(cells.map(([a, b], k) => cell(a, b, k + made.shift)));
  };

  /** Earliest anchor at or after `from`: a header run, or (outside data blocks) a label of the kinds
   * that `ok` accepts. */
  const nextAnchor = (from: number, ok: (i: WordInfo) => boolean) => {
    for (let p = from; p < s.length; p++) {
      const run = headerRunAt(s, p);
      if (run) return { pos: p, run, m: null as Match | null };
      const m = wordAt(s, p, ok);
      if (m) return { pos: p, run: null, m };
    }
    return { pos: s.length, run: null, m: null as Match | null };
  };
  const KEY = (i: WordInfo) => !!(i.field || i.narrative || i.title);

  let pos = 0;
  let started = false;
  let l1Seen = false;
  const consensus: string[] = [];
  while (pos < s.length) {
    if (tpl === null || tpl.family !== "ind") {
      const a = nextAnchor(pos, (i) => KEY(i) || (tpl?.family === "funds" && !!i.fundsRow));
      const gap: [number, number] = [pos, a.pos];
      if (a.m?.info.title && !started) {
        // the form's title (with what precedes it on its line) stays a paragraph
        res.before.push({ text: s.slice(pos, a.m.end), ...(lineAt[pos] !== undefined ? { line: lineAt[pos] } : {}) });
        pos = a.m.end;
        continue;
      }
      if (gap[1] > gap[0]) {
        if (tpl?.family === "goals") {
          const goalCols = tpl.cols.filter((c) => c.role === "goal").length;
          if (goalCols === 1) res.rows.push([cell(gap[0], gap[1], tpl.cols.findIndex((c) => c.role === "goal"))]);
          else unplace(PART.goals, "几栏目标文字连在一起，无法确定各栏的分界", gap[0], gap[1]);
        } else if (a.run && gap[1] - gap[0] <= 30 && tpl) labelPending = gap;
        else if (!started) res.before.push({ text: s.slice(gap[0], gap[1]), ...(lineAt[gap[0]] !== undefined ? { line: lineAt[gap[0]] } : {}) });
        else res.rows.push([cell(gap[0], gap[1], 0)]);
      }
      if (a.pos >= s.length) break;
      started = true;
      if (a.run) {
        emitHeader(a.run);
        pos = a.run.end;
        continue;
      }
      const m = a.m!;
      const lend = afterNotes(s, m.end);
      if (m.info.fundsRow && tpl?.family === "funds") {
        const d = DIGITS_RE.exec(s.slice(lend))?.[0] ?? "";
        const row = [cell(m.start, lend, tpl.cols.findIndex((c) => c.role === "label"))];
        if (d) {
          const sp = splitFunds(d, tpl.cols, tpl.points);
          if (sp) {
            let at = lend + sp.rest.length;
            sp.parts.forEach((x, k) => {
              row.push(cell(at, at + x.length, sp.cols[k]!));
              at += x.length;
            });
            unplace(PART.funds, "金额数字连在一起且无法用执行率核对，未拆分", lend, lend + sp.rest.length);
          } else unplace(PART.funds, "金额数字连在一起且无法用执行率核对，未拆分", lend, lend + d.length);
        }
        res.rows.push(row);
        pos = lend + d.length;
        continue;
      }
      // label | value up to the next anchor
      const nx = nextAnchor(lend, (i) => KEY(i) || (tpl?.family === "funds" && !!i.fundsRow));
      tpl = null;
      res.rows.push(nx.pos > lend ? [cell(m.start, lend, 0), cell(lend, nx.pos, 1)] : [cell(m.start, lend, 0)]);
      pos = nx.pos;
      continue;
    }
    // indicator rows
    const t: Template = tpl;
    const hasCol = (r: Role) => t.cols.some((c) => c.role === r);
    const colOf = (r: Role) => t.cols.findIndex((c) => c.role === r);
    const run = headerRunAt(s, pos);
    if (run) {
      emitHeader(run);
      pos = run.end;
      continue;
    }
    const key = wordAt(s, pos, KEY);
    if (key) {
      tpl = null;
      continue;
    }
    const row: OutCell[] = [];
    let p = pos;
    // a total row: 总分 + its numbers
    const tot = wordAt(s, p, (i) => !!i.total);
    if (tot) {
      const e = afterNotes(s, tot.end);
      const d = DIGITS_RE.exec(s.slice(e))?.[0] ?? "";
      row.push(cell(p, e, 0));
      const w = colOf("iweight");
      const sc = colOf("iscore");
      const numCols = [w, sc].filter((k) => k >= 0);
      const found = d ? splits(d, numCols.length, null).filter((x) => numCols.length < 2 || Number(x[1]) <= Number(x[0])) : [];
      if (found.length === 1) {
        let at = e;
        found[0]!.forEach((x, k) => {
          row.push(cell(at, at + x.length, numCols[k]!));
          at += x.length;
        });
      } else unplace(PART.ind, "总分数字连在一起，无法确定分值与得分的分界", e, e + d.length);
      res.rows.push(row);
      pos = e + d.length;
      tpl = null;
      continue;
    }
    // level names where a row starts
    if (hasCol("level1") || hasCol("level2")) {
      const m1 = wordAt(s, p, (i) => !!(i.l1 || i.l2));
      if (m1 && (m1.info.l1 && !(m1.info.l2 && l1Seen))) {
        if (!hasCol("level1")) {
          // the header's 一级指标 cell was not read (garbled or lost): the level names show the column
          const at = colOf("level2");
          t.cols.splice(at, 0, { role: "level1", field: "level1" });
          shiftHeader(res.rows, at);
        }
        row.push(cell(p, m1.end, colOf("level1")));
        l1Seen = true;
        p = m1.end;
      }
      const m2 = hasCol("level2") ? wordAt(s, p, (i) => !!i.l2) : null;
      if (m2) {
        row.push(cell(p, m2.end, colOf("level2")));
        p = m2.end;
      }
    }
    const body = indicatorBody(s, p, t, consensus);
    if (!body.cells) {
      // nothing confirms the split: the level cells are kept, the rest of the row is unplaced (up to the
      // next label when the row's end is not seen: a cut row)
      const end = Math.min(body.end ?? s.length, nextAnchor(p, KEY).pos);
      if (row.length) res.rows.push(row);
      unplace(PART.ind, "指标行文字连在一起，无法确定各栏的分界", p, end);
      pos = end > pos ? end : s.length;
      continue;
    }
    for (const [a, b, role] of body.cells) row.push(cell(a, b, colOf(role)));
    res.rows.push(rowFromPlacement(row.map((o) => ({ o, p: { row: 0, col: o.col, joined: false }, sep: "" }))));
    pos = body.end ?? s.length;
  }
  return res;

  function shiftHeader(rows: OutRow[], at: number): void {
    // the last header row (the template's) gets the inferred 一级指标 cell; its later cells move right
    for (let r = rows.length - 1; r >= 0; r--) {
      const row = rows[r]!;
      if (!row.some((c) => norm(c.text) !== "" && indicatorColumnOf(c.text) !== null)) continue;
      for (const c of row) if (c.col >= at) c.col++;
      const label = VOCABULARY.indicators.columns.find((c) => c.field === "level1")!.labels[0]!;
      row.push({ text: label, paragraphs: [label], col: at, inferred: true, ...(row[0]?.line !== undefined ? { line: row[0].line } : {}) });
      row.sort((a, b) => a.col - b.col);
      return;
    }
  }
}

/** Where an unsplittable indicator row ends: after its first digit run that a level name follows. */
function rowEnd(s: string, p: number): number {
  for (let i = p; i < s.length; i++) {
    if (!/\d/.test(s[i]!)) continue;
    let e = i;
    while (e < s.length && /[0-9.%]/.test(s[e]!)) e++;
    if (e >= s.length || wordAt(s, e, (x) => !!(x.l1 || x.l2 || x.total))) return e;
    i = e;
  }
  return s.length;
}

/**
 * The cells of one run-together indicator row after its level names: [start, end, role][], or null when
 * nothing confirms a split.
 *  - split target (度量单位 / 指标性质 columns): name, unit, operator, then the numbers run together —
 *    split where exactly one reading passes the checks (分值 1–100, 得分 ≤ 分值, % values ≤ 100), or
 *    where the rows above agree on one 分值/得分 pair;
 *  - one target column: name, target, actual and the trailing scores — the target and actual are found
 *    by repetition (the same text twice: 不超过预算不超过预算) or as two amounts of one unit (5亿元6.47亿元)
 *    that the name itself ends with.
 * `cells` is null when nothing confirms a split; `end` is then where the row visibly ends (after its
 * numbers), or null when that is unknown (a cut row).
 */
function indicatorBody(s: string, p: number, t: Template, consensus: string[]): { cells: [number, number, Role][] | null; end: number | null } {
  const roles = t.cols.map((c) => c.role);
  const has = (r: Role) => roles.includes(r);
  if (has("unit") || has("operator")) {
    const nums: Role[] = roles.filter((r) => r === "target" || r === "iweight" || r === "actual" || r === "iscore");
    for (let i = p + 1; i < s.length; i++) {
      const u = unitAt(s, i);
      if (!u) continue;
      let e = i + u.length;
      const op = operatorPrefix(s.slice(e, e + 4));
      const opEnd = op ? e + op.length : e;
      const d = /^[0-9.]+/.exec(s.slice(opEnd))?.[0];
      if (!d) continue;
      const pct = u === "%";
      const found = splits(d, nums.length, null).filter((parts) => {
        const v = (r: Role) => {
          const k = nums.indexOf(r);
          return k >= 0 ? Number(parts[k]) : null;
        };
        const w = v("iweight");
        const sc = v("iscore");
        if (w !== null && (w < 1 || w > 100)) return false;
        if (sc !== null && (sc < 0 || (w !== null && sc > w))) return false;
        if (pct && ((v("target") ?? 0) > 100 || (v("actual") ?? 0) > 200)) return false;
        return true;
      });
      const key = (parts: string[]) => nums.map((r, k) => (r === "iweight" || r === "iscore" ? parts[k] : "")).join("|");
      let pick = found.length === 1 ? found[0]! : null;
      if (!pick && consensus.length) {
        const agree = found.filter((x) => key(x) === consensus[consensus.length - 1]);
        if (agree.length === 1) pick = agree[0]!;
      }
      if (!pick) return { cells: null, end: opEnd + d.length };
      consensus.push(key(pick));
      const cells: [number, number, Role][] = [
        [p, i, "level3"],
        [i, i + u.length, "unit"],
      ];
      if (op) cells.push([e, opEnd, "operator"]);
      e = opEnd;
      pick.forEach((x, k) => {
        cells.push([e, e + x.length, nums[k]!]);
        e += x.length;
      });
      return { cells: cells.filter(([, , r]) => has(r)), end: e };
    }
    return { cells: null, end: null };
  }
  // one target column: the row ends at the first digit run followed by a level name, a total, a key
  // label or the end of the text
  const end = rowEnd(s, p);
  let e = end;
  while (e > p && /[0-9.]/.test(s[e - 1]!)) e--;
  const digits = s.slice(e, end);
  const after = roles.slice(roles.indexOf("actual") + 1).filter((r) => r === "iweight" || r === "iscore");
  const fail = { cells: null, end: digits ? end : null };
  if (!digits || !after.length || !has("target") || !has("actual")) return fail;
  const nsplit = splits(digits, after.length, null).filter((x) => after.length < 2 || (Number(x[0]) <= 100 && Number(x[1]) <= Number(x[0])));
  if (nsplit.length !== 1 || nsplit[0]!.some((x) => Number(x) > 100)) return fail;
  const text = s.slice(p, e);
  let cut: [number, number] | null = null; // target, actual start offsets in text
  for (let n = Math.floor((text.length - 1) / 2); n >= 1 && !cut; n--) {
    const x = text.slice(text.length - n);
    if (text.slice(text.length - 2 * n, text.length - n) === x) cut = [text.length - 2 * n, text.length - n];
  }
  if (!cut) {
    const q2 = /(\d+(?:\.\d+)?)(\D{1,4})$/.exec(text);
    const u = q2 ? unitSuffix(text) : null;
    if (q2 && u && q2[2] === u) {
      const before = text.slice(0, q2.index);
      const q1 = new RegExp(`(\\d+(?:\\.\\d+)?)${u.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`).exec(before);
      if (q1 && q1.index > 0 && before.slice(0, q1.index).endsWith(q1[0])) cut = [q1.index, q2.index];
    }
  }
  if (!cut || cut[0] <= 0) return fail;
  const cells: [number, number, Role][] = [
    [p, p + cut[0], "level3"],
    [p + cut[0], p + cut[1], "target"],
    [p + cut[1], e, "actual"],
  ];
  let at = e;
  nsplit[0]!.forEach((x, k) => {
    cells.push([at, at + x.length, after[k]!]);
    at += x.length;
  });
  return { cells, end };
}

/** A paragraph of run-together form text: a header run of the vocabulary somewhere inside it. */
function isRunTogether(p: ParagraphBlock): boolean {
  if (norm(p.text).length < 30) return false;
  // whitespace kept: labels separated by spaces are the spaces shape, not run-together text
  const s = toHalfWidth(p.text);
  for (let i = 0; i < s.length; i++) if (headerRunAt(s, i)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Entry point

export function rebuildBlocks(blocks: Block[]): Block[] {
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
