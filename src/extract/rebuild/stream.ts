// Run-together paragraphs rebuilt as one table: the text joined into one stream, split at the
// vocabulary's labels into key-value rows, header rows, funds rows and indicator rows; what no check
// confirms is kept as unplaced text.
import type { ParagraphBlock, UnplacedText } from "../../ingest/blocks.ts";
import { toHalfWidth } from "../../domain/text.ts";
import { VOCABULARY, indicatorColumnOf } from "../../domain/vocabulary.ts";
import { type Family, type Role, type Template, norm, makeTemplate } from "./templates.ts";
import { type OutCell, type OutRow, rowFromPlacement } from "./cells.ts";
import { type WordInfo, afterNotes, type Match, wordAt, headerRunAt } from "./together.ts";
import { DIGITS_RE, splits, splitFunds, indicatorBody } from "./digits.ts";

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
export function rebuildStream(paras: ParagraphBlock[]): StreamOut {
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

/** A paragraph of run-together form text: a header run of the vocabulary somewhere inside it. */
export function isRunTogether(p: ParagraphBlock): boolean {
  if (norm(p.text).length < 30) return false;
  // whitespace kept: labels separated by spaces are the spaces shape, not run-together text
  const s = toHalfWidth(p.text);
  for (let i = 0; i < s.length; i++) if (headerRunAt(s, i)) return true;
  return false;
}
