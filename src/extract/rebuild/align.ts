// The typed alignment: every cell gets a type (amount, rate, score, operator, unit, placeholder, level
// name, text) that fits some column roles better than others, and a row's cells are placed under the
// columns in order by dynamic programming; the costs say which cells a paste tends to drop.
import {
  fundsRowOf,
  isPlaceholderText,
  isTotalLabel,
  isUnitWord,
  level1Of,
  level2Of,
  operatorPrefix,
  unitSuffix,
} from "../../domain/vocabulary.ts";
import { type Role, type Col, norm } from "./templates.ts";

type Kind = "E" | "ELL" | "POINTS" | "PCT" | "NUM" | "OP" | "PH" | "UNIT" | "OPVAL" | "QTY" | "TEXT";

export interface CT {
  text: string;
  /** Half-width, whitespace-free. */
  t: string;
  kind: Kind;
  num: number | null;
  l1: boolean;
  l2: boolean;
  frow: boolean;
  total: boolean;
}

const NUM_RE = /^[+-]?\d[\d,]*(?:\.\d+)?$/;
const PCT_RE = /^[+-]?\d[\d,]*(?:\.\d+)?%$/;
const QTY_RE = /^[+-]?\d[\d,]*(?:\.\d+)?(\D{1,5})$/;

export function classify(text: string): CT {
  const t = norm(text);
  const ct: CT = { text, t, kind: "TEXT", num: null, l1: false, l2: false, frow: false, total: false };
  if (t === "") ct.kind = "E";
  else if (/^[.。…·]{2,}$/.test(t)) ct.kind = "ELL";
  else if (/^\(\d{1,3}(?:\.\d+)?分\)$/.test(t)) ct.kind = "POINTS";
  else if (PCT_RE.test(t)) {
    ct.kind = "PCT";
    ct.num = Number(t.slice(0, -1).replace(/,/g, ""));
  } else if (NUM_RE.test(t)) {
    ct.kind = "NUM";
    ct.num = Number(t.replace(/,/g, ""));
  } else if (operatorPrefix(t) === t) ct.kind = "OP";
  else if (isPlaceholderText(t)) ct.kind = "PH";
  else if (isUnitWord(t)) ct.kind = "UNIT";
  else if (operatorPrefix(t)) ct.kind = "OPVAL";
  else if (QTY_RE.test(t) && unitSuffix(t)) ct.kind = "QTY";
  if (ct.kind === "TEXT") {
    ct.l1 = level1Of(t) !== null;
    ct.l2 = level2Of(t) !== null;
    ct.frow = fundsRowOf(t) !== null;
    ct.total = isTotalLabel(t);
  }
  return ct;
}

const NEG = -4;
export const isNumber = (c: CT) => c.kind === "NUM" || c.kind === "PCT";

/** How well a cell fits under a column (higher is better). In a 总分/合计 row the numbers are the totals
 * of the 分值/得分 columns. */
function fit(c: CT, col: Col, total: boolean): number {
  const r = col.role;
  if (c.kind === "E") return 0;
  if (total) {
    if (c.total) return r === "label" ? 3 : r === "level1" || r === "level2" || r === "level3" ? 1 : NEG;
    if (c.kind === "NUM") return r === "iweight" || r === "fweight" ? 2 : r === "iscore" || r === "fscore" ? 1.5 : NEG;
    if (c.kind === "PH") return r === "iweight" || r === "iscore" || r === "fweight" || r === "fscore" ? 1 : 0;
  }
  const small = c.kind === "NUM" && c.num !== null && c.num >= 0 && c.num <= 100;
  const level = c.l1 || c.l2;
  const textLike = c.kind === "TEXT" || c.kind === "QTY" || c.kind === "OPVAL";
  switch (r) {
    case "label":
      if (c.frow || c.total) return 3;
      if (c.kind === "POINTS") return 2;
      if (c.kind === "ELL") return 1;
      if (level) return -1;
      if (c.kind === "TEXT") return c.t.length <= 12 ? 0.2 : -0.5;
      return c.kind === "PH" ? -0.5 : NEG;
    case "other":
      return isNumber(c) ? 0 : 0.1;
    case "amount":
      if (c.kind === "NUM") return 1.5;
      if (c.kind === "PH") return 0.5;
      if (c.kind === "QTY") return 0.5;
      return NEG;
    case "rate":
      if (c.kind === "PCT") return 3;
      if (c.kind === "NUM") return 0.3;
      return c.kind === "PH" ? 0.6 : NEG;
    case "fweight":
    case "fscore":
      if (c.kind === "NUM") return small ? 1.2 : -1;
      return c.kind === "PH" ? 1 : NEG;
    case "freason":
    case "goal":
      if (c.kind === "TEXT" || c.kind === "QTY" || c.kind === "OPVAL") return c.frow ? -1 : 1;
      if (c.kind === "PH") return 0.6;
      return isNumber(c) ? -1 : 0;
    case "level1":
      if (c.l1) return 4;
      if (c.l2) return 1;
      if (c.kind === "TEXT") return -0.5;
      return c.kind === "PH" ? -1 : NEG;
    case "level2":
      if (c.l2) return 4;
      if (c.l1) return 0.5;
      if (c.kind === "TEXT") return -0.5;
      return c.kind === "PH" ? -1 : NEG;
    case "level3":
      if (level) return -1;
      if (c.kind === "TEXT") return 1.5;
      if (c.kind === "QTY" || c.kind === "PH") return 0.5;
      if (c.kind === "OPVAL") return 0;
      if (c.kind === "NUM" || c.kind === "PCT") return -0.5;
      return NEG;
    case "operator":
      if (c.kind === "OP") return 4;
      return c.kind === "PH" ? 0.2 : NEG;
    case "unit":
      if (c.kind === "UNIT") return 4;
      return c.kind === "PH" ? 0.2 : NEG;
    case "target":
      if (c.kind === "OPVAL") return 2;
      if (c.kind === "NUM" || c.kind === "PCT" || c.kind === "QTY") return 1.5;
      if (level) return -1;
      if (c.kind === "TEXT") return 1;
      if (c.kind === "PH") return 0.5;
      return -1;
    case "actual":
      if (c.kind === "PCT" || c.kind === "QTY") return 1.5;
      if (c.kind === "NUM") return 1.2;
      if (level) return -1;
      if (c.kind === "TEXT") return 1;
      if (c.kind === "PH" || c.kind === "OPVAL") return 0.5;
      return -1;
    case "iweight":
    case "iscore":
      if (c.kind === "NUM") return small ? 1.5 : -1;
      return c.kind === "PH" ? 0.8 : NEG;
    case "deviation":
    case "description":
      if (textLike) return level ? -0.5 : 0.9;
      if (c.kind === "PH") return 0.8;
      return -0.5;
  }
}

const JOINABLE = new Set<Role>(["level3", "target", "actual", "deviation", "description", "goal", "freason", "other"]);
/** Costs of leaving columns empty. Dropped cells are taken to be the leading ones (merged 一级/二级 or
 * block-label cells, which pasted web text loses), then trailing ones (a blank last cell, a cut row),
 * and only last ones inside the row: a leading gap is nearly free (later columns cost a little more),
 * a gap inside the row costs most. */
const leadCost = (k: number) => 0.001 * (k + 1);
const TRAIL_COST = 0.01;
const INNER_COST = 0.05;
/** Cost of starting a row (one cell per line) and of continuing a cell over a further line. */
const ROW_COST = 2;
const JOIN_COST = 0.7;
const EMPTY_JOIN_COST = 0.02;

export interface Placement {
  row: number;
  col: number;
  /** The token continues the previous token's cell. */
  joined: boolean;
}

/**
 * Order-preserving placement of tokens under the columns, maximising the fit. `join`: a token may
 * continue the previous token's text cell (text split over lines or at spaces); `multiRow`: the tokens
 * are several rows (one cell per line) and row breaks are chosen too. Null when they cannot be placed.
 */
export function place(tokens: CT[], cols: Col[], opts: { join: boolean; multiRow: boolean; total?: boolean }): Placement[] | null {
  const n = tokens.length;
  const m = cols.length;
  if (n === 0 || m === 0) return n === 0 ? [] : null;
  if (!opts.join && !opts.multiRow && tokens.filter((t) => t.kind !== "E").length > m) return null;
  const pre = [0];
  for (let k = 0; k < m; k++) pre.push(pre[k]! + leadCost(k));
  const lead = (j: number) => pre[j]!; // columns 0..j-1 skipped before a row's first cell
  const inner = (p: number, j: number) => (j - p - 1) * INNER_COST;
  const trail = (j: number) => (m - 1 - j) * TRAIL_COST;
  const NONE = -1e9;
  const dp = Array.from({ length: n }, () => new Array<number>(m).fill(NONE));
  // back: previous column, and how: 0 same row, 1 joined, 2 new row
  const back = Array.from({ length: n }, () => new Array<[number, number]>(m).fill([-1, 0]));
  const f = (i: number, j: number) => fit(tokens[i]!, cols[j]!, opts.total ?? false);
  for (let j = 0; j < m; j++) dp[0]![j] = f(0, j) - lead(j);
  for (let i = 1; i < n; i++) {
    let bestEnd = NONE;
    let bestEndCol = -1;
    if (opts.multiRow) {
      for (let j = 0; j < m; j++) {
        const v = dp[i - 1]![j]! - trail(j);
        if (v > bestEnd) {
          bestEnd = v;
          bestEndCol = j;
        }
      }
    }
    const joinable = opts.join && tokens[i]!.kind === "TEXT" && tokens[i - 1]!.kind === "TEXT" && !tokens[i]!.l1 && !tokens[i]!.l2 && !tokens[i]!.frow;
    // an empty cell may share its neighbour's column: a header cell spanning two cells of the row
    const emptyJoin = tokens[i]!.kind === "E";
    for (let j = 0; j < m; j++) {
      const fj = f(i, j);
      let best = NONE;
      let from: [number, number] = [-1, 0];
      for (let p = 0; p < j; p++) {
        const v = dp[i - 1]![p]! - inner(p, j);
        if (v > best) {
          best = v;
          from = [p, 0];
        }
      }
      if ((joinable && JOINABLE.has(cols[j]!.role)) || emptyJoin) {
        const v = dp[i - 1]![j]! - (emptyJoin ? EMPTY_JOIN_COST : JOIN_COST);
        if (v > best) {
          best = v;
          from = [j, 1];
        }
      }
      if (opts.multiRow && bestEndCol >= 0) {
        const v = bestEnd - ROW_COST - lead(j);
        if (v > best) {
          best = v;
          from = [bestEndCol, 2];
        }
      }
      if (best > NONE / 2) {
        dp[i]![j] = best + fj;
        back[i]![j] = from;
      }
    }
  }
  let end = -1;
  let endV = NONE;
  for (let j = 0; j < m; j++) {
    const v = dp[n - 1]![j]! - trail(j);
    if (v > endV) {
      endV = v;
      end = j;
    }
  }
  if (end < 0 || endV < NONE / 2) return null;
  const out: Placement[] = new Array(n);
  const how: number[] = new Array(n);
  for (let i = n - 1, j = end; i >= 0; i--) {
    out[i] = { row: 0, col: j, joined: back[i]![j]![1] === 1 };
    how[i] = back[i]![j]![1];
    j = back[i]![j]![0];
  }
  let row = 0;
  for (let i = 1; i < n; i++) {
    if (how[i] === 2) row++;
    out[i]!.row = row;
  }
  return out;
}
