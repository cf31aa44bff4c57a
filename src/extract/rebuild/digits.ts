// Runs of digits in run-together text, split only where the numbers confirm the split: funds rows
// (执行率 = 执行数 / 预算数, 得分 = 分值 × 执行率) and indicator rows (分值/得分 ranges, the rows above,
// targets found by repetition). What no check confirms is left unsplit.
import { operatorPrefix, unitAt, unitSuffix } from "../../domain/vocabulary.ts";
import type { Role, Col, Template } from "./templates.ts";
import { wordAt } from "./together.ts";

export const DIGITS_RE = /^[0-9.,%]+/;

/** Splits of a digit string into n printed numbers (no leading zeros, one decimal point, a percent sign
 * only where `pct` allows it). */
export function splits(d: string, n: number, pctAt: number | null): string[][] {
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
export function splitFunds(d: string, cols: Col[], points: number | null): { parts: string[]; cols: number[]; rest: string } | null {
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
export function indicatorBody(s: string, p: number, t: Template, consensus: string[]): { cells: [number, number, Role][] | null; end: number | null } {
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
