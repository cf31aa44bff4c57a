// Columns and header rows: the column (role) a header cell names, the header row a row of texts is, and
// the template a block's rows are rebuilt under; also the rows that are not data (key-value rows,
// titles, narrative boxes), which end a block. All of it comes from the vocabulary.
import { squash, toHalfWidth } from "../../domain/text.ts";
import {
  fundsColumnOf,
  goalColumnOf,
  headerFieldOf,
  indicatorColumnOf,
  inlineField,
  isFundsBlockLabel,
  isGoalsBlockLabel,
  isIndicatorBlockLabel,
  isNarrativeLabel,
  titleKindOf,
  type FundsField,
  type IndicatorField,
} from "../../domain/vocabulary.ts";

export type Family = "funds" | "goals" | "ind";
export type Role =
  | "label"
  | "other"
  | "amount"
  | "rate"
  | "fweight"
  | "fscore"
  | "freason"
  | "goal"
  | "level1"
  | "level2"
  | "level3"
  | "operator"
  | "target"
  | "unit"
  | "actual"
  | "iweight"
  | "iscore"
  | "deviation"
  | "description";

export interface Col {
  role: Role;
  /** The vocabulary field of the header cell (initial / adjusted / executed for amounts). */
  field?: string;
}

export interface Template {
  family: Family;
  cols: Col[];
  /** Points of the block (预算执行情况（20分）, 得分（20分*执行率）), for the score check. */
  points: number | null;
}

const FUNDS_ROLE: Record<FundsField, Role> = {
  initial: "amount",
  adjusted: "amount",
  executed: "amount",
  weight: "fweight",
  rate: "rate",
  score: "fscore",
  reason: "freason",
};
const IND_ROLE: Record<IndicatorField, Role> = {
  level1: "level1",
  level2: "level2",
  level3: "level3",
  operator: "operator",
  target: "target",
  unit: "unit",
  actual: "actual",
  weight: "iweight",
  score: "iscore",
  deviation: "deviation",
  description: "description",
};

export const norm = (s: string) => squash(toHalfWidth(s));

export function columnOf(text: string, family: Family): Col | null {
  if (norm(text).length > 30) return null;
  if (family === "funds") {
    const f = fundsColumnOf(text);
    return f ? { role: FUNDS_ROLE[f], field: f } : null;
  }
  if (family === "goals") {
    const f = goalColumnOf(text);
    return f ? { role: "goal", field: f } : null;
  }
  const f = indicatorColumnOf(text);
  return f ? { role: IND_ROLE[f], field: f } : null;
}

export const isBlockLabel = (t: string) => isFundsBlockLabel(t) || isGoalsBlockLabel(t) || isIndicatorBlockLabel(t);
export const FAMILIES: Family[] = ["funds", "goals", "ind"];
const MIN_COLS: Record<Family, number> = { funds: 3, goals: 2, ind: 3 };

/** The header row a row of texts is (funds: ≥3 funds columns; goals: ≥2 goal columns; indicators: ≥3
 * indicator columns), with a column per cell, or null. The family with most columns wins. */
export function headerOf(texts: string[]): { family: Family; cols: Col[] } | null {
  let best: { family: Family; n: number; own: number } | null = null;
  for (const family of FAMILIES) {
    const fields = new Set<string>();
    let own = 0;
    for (const t of texts) {
      const c = columnOf(t, family);
      if (!c) continue;
      fields.add(c.field!);
      if (FAMILIES.every((f) => f === family || !columnOf(t, f))) own++;
    }
    if (fields.size < MIN_COLS[family]) continue;
    if (!best || fields.size > best.n || (fields.size === best.n && own > best.own)) best = { family, n: fields.size, own };
  }
  if (!best) return null;
  const family = best.family;
  let seenField = false;
  const cols = texts.map((t): Col => {
    const c = columnOf(t, family);
    if (c) {
      seenField = true;
      return c;
    }
    return { role: seenField ? "other" : "label" };
  });
  return { family, cols };
}

function pointsOf(texts: string[]): number | null {
  for (const t of texts) {
    const m = /[(（]\s*(\d{1,3}(?:\.\d+)?)\s*分/.exec(toHalfWidth(t));
    if (m) return Number(m[1]);
  }
  return null;
}

/** A funds header names no row-label column when its first cell is a field: the rows' labels
 * (年度资金总额, 其中：财政拨款) need one, so an empty label column is added in front. */
export function makeTemplate(h: { family: Family; cols: Col[] }, texts: string[]): { tpl: Template; shift: number } {
  const shift = h.family === "funds" && h.cols[0]?.role !== "label" ? 1 : 0;
  const cols: Col[] = shift ? [{ role: "label" }, ...h.cols] : h.cols;
  return { tpl: { family: h.family, cols, points: pointsOf(texts) }, shift };
}

// ---------------------------------------------------------------------------------------------------
// Rows that are not data: key-value rows, titles, narrative boxes

export const isTitleText = (t: string) => norm(t).length <= 60 && !/[，。；;]/.test(t) && titleKindOf(t) !== null;

/** A row led by a header-field label (项目名称 | X | 主管部门 | Y), an inline field (项目名称：X), a
 * narrative box (评价结论 | …) or a form title: kept as it is, and it ends the block above it. */
export function isKeyText(t: string): boolean {
  if (norm(t) === "") return false;
  return headerFieldOf(t) !== null || inlineField(t) !== null || isNarrativeLabel(t) || isTitleText(t);
}
