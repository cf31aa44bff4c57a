// The form-family vocabulary (data/forms.json) with its schema, and its lookups: which field a label
// names, which column a header cell is, which 一级/二级 category a level name is, which cell means "does
// not apply". Shared vocabulary: the recognizer and the text rebuilder (src/extract) read forms with it,
// the validator and the review (src/validate, src/review) judge their rows by it. Labels are compared in one normal form (labelKey), so "全年预算数（A）",
// "＊项目名称：" and "其中：1.中央资金" find their entries.
import { z } from "zod";
import data from "./data/forms.json" with { type: "json" };
import { squash, toHalfWidth } from "./text.ts";

export const FORM_KINDS = ["自评表", "目标申报表", "部门整体自评表", "部门整体目标表"] as const;
export type FormKind = (typeof FORM_KINDS)[number];

export const HEADER_FIELDS = [
  "name", "code", "department", "implementer", "applicant", "unit_name", "period", "start", "end", "project_type",
  "category", "new_or_continuing", "funds_total", "funds_year", "policy_basis", "calc_basis", "annual_goal",
  "long_term_goal", "duties", "self_score", "contact",
] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];

export const FUNDS_FIELDS = ["initial", "adjusted", "executed", "weight", "rate", "score", "reason"] as const;
export type FundsField = (typeof FUNDS_FIELDS)[number];
export const FUNDS_ROW_KEYS = ["total", "fiscal", "carryover", "other", "more"] as const;
export type FundsRowKey = (typeof FUNDS_ROW_KEYS)[number];
export const GOAL_FIELDS = ["expected", "adjusted", "actual"] as const;
export type GoalField = (typeof GOAL_FIELDS)[number];
export const INDICATOR_FIELDS = ["level1", "level2", "level3", "operator", "target", "unit", "actual", "weight", "score", "deviation", "description"] as const;
export type IndicatorField = (typeof INDICATOR_FIELDS)[number];

const labels = z.array(z.string().min(1)).min(1);
const column = <T extends readonly [string, ...string[]]>(fields: T) => z.object({ field: z.enum(fields), labels });

export const FormsVocabularySchema = z.object({
  titles: z.array(z.object({ kind: z.enum(FORM_KINDS), words: labels })),
  fields: z.array(column(HEADER_FIELDS)),
  funds: z.object({
    blockLabels: labels,
    columns: z.array(column(FUNDS_FIELDS)),
    rows: z.array(z.object({ key: z.enum(FUNDS_ROW_KEYS), labels })),
  }),
  goals: z.object({ blockLabels: labels, columns: z.array(column(GOAL_FIELDS)) }),
  indicators: z.object({ blockLabels: labels, columns: z.array(column(INDICATOR_FIELDS)) }),
  totals: labels,
  narratives: labels,
  levels: z.object({
    level1: z.array(z.object({ canonical: z.string(), names: labels })),
    level2: z.array(z.object({ canonical: z.string(), level1: z.string(), names: labels })),
  }),
  placeholders: labels,
  operators: labels,
  /** Measurement units printed after target values (度量单位 / 计量单位 cells, "1000万元"). */
  units: labels,
  frames: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      execution: z.number().optional(),
      indicators: z.number().optional(),
      stages: z.array(z.string()).optional(),
    }),
  ),
});
export type FormsVocabulary = z.infer<typeof FormsVocabularySchema>;

export const VOCABULARY: FormsVocabulary = FormsVocabularySchema.parse(data);

/**
 * The normal form labels are compared in: half-width, no whitespace, no leading "*"/"＊"/"★", no
 * parenthesised notes, no leading "其中：" or list numbering ("1.", "（一）", "一、"), no trailing colon.
 */
export function labelKey(text: string): string {
  let s = squash(toHalfWidth(text));
  s = s.replace(/^[*★※]+/, "");
  s = s.replace(/[:：]+$/, "");
  // Parenthesised notes: (万元), (A), (B/A), (90分), (盖章) — also an unclosed one at the end ("执行率(B/A1").
  s = s.replace(/[(（【\[][^()（）【】\[\]]*[)）】\]]/g, "").replace(/[(（][^()（）]*$/, "");
  s = s.replace(/^其中[:：]?/, "");
  s = s.replace(/^(?:[0-9]{1,2}[.、．]|[一二三四五六七八九十]{1,3}[、.．]|[(（][0-9一二三四五六七八九十]{1,3}[)）])/, "");
  return s.replace(/[:：]+$/, "");
}

function index<T extends string>(entries: { labels: string[] }[], keyOf: (e: { labels: string[] }, i: number) => T): Map<string, T> {
  const m = new Map<string, T>();
  entries.forEach((e, i) => {
    for (const l of e.labels) {
      const k = labelKey(l);
      if (!m.has(k)) m.set(k, keyOf(e, i));
    }
  });
  return m;
}

const FIELD_BY_LABEL = index(VOCABULARY.fields, (_, i) => VOCABULARY.fields[i]!.field);
const FUNDS_COL_BY_LABEL = index(VOCABULARY.funds.columns, (_, i) => VOCABULARY.funds.columns[i]!.field);
const FUNDS_ROW_BY_LABEL = index(VOCABULARY.funds.rows, (_, i) => VOCABULARY.funds.rows[i]!.key);
const GOAL_COL_BY_LABEL = index(VOCABULARY.goals.columns, (_, i) => VOCABULARY.goals.columns[i]!.field);
const IND_COL_BY_LABEL = index(VOCABULARY.indicators.columns, (_, i) => VOCABULARY.indicators.columns[i]!.field);
const keys = (xs: string[]) => new Set(xs.map(labelKey));
const FUNDS_BLOCK = keys(VOCABULARY.funds.blockLabels);
const GOALS_BLOCK = keys(VOCABULARY.goals.blockLabels);
const IND_BLOCK = keys(VOCABULARY.indicators.blockLabels);
const TOTALS = keys(VOCABULARY.totals);
const NARRATIVES = keys(VOCABULARY.narratives);
const PLACEHOLDERS = new Set(VOCABULARY.placeholders.map((p) => squash(toHalfWidth(p))));
const LEVEL1 = new Map<string, string>();
for (const l of VOCABULARY.levels.level1) for (const n of l.names) LEVEL1.set(labelKey(n), l.canonical);
const LEVEL2 = new Map<string, { canonical: string; level1: string }>();
for (const l of VOCABULARY.levels.level2) for (const n of l.names) LEVEL2.set(labelKey(n), { canonical: l.canonical, level1: l.level1 });

/** The header field a label cell names ("项目名称", "项目总金额（中期规划，万元）："), or null. */
export function headerFieldOf(text: string): HeaderField | null {
  return FIELD_BY_LABEL.get(labelKey(text)) ?? null;
}

/** "项目名称：XXX" / "项目名称:XXX" → the field, the label and the value after the colon. */
export function inlineField(text: string): { field: HeaderField; label: string; value: string } | null {
  // The label is matched in normal form; the value is kept verbatim (full-width punctuation and all).
  const t = text.trim();
  const m = /^([^:：\n]{2,24}?)\s*[:：]\s*([\s\S]*)$/.exec(t);
  if (!m) return null;
  const field = headerFieldOf(m[1]!);
  if (!field) return null;
  return { field, label: labelKey(m[1]!), value: m[2]!.trim() };
}

export const fundsColumnOf = (text: string): FundsField | null => FUNDS_COL_BY_LABEL.get(labelKey(text)) ?? null;
export const fundsRowOf = (text: string): FundsRowKey | null => FUNDS_ROW_BY_LABEL.get(labelKey(text)) ?? null;
export const goalColumnOf = (text: string): GoalField | null => GOAL_COL_BY_LABEL.get(labelKey(text)) ?? null;
export const indicatorColumnOf = (text: string): IndicatorField | null => IND_COL_BY_LABEL.get(labelKey(text)) ?? null;
export const isFundsBlockLabel = (text: string): boolean => FUNDS_BLOCK.has(labelKey(text));
export const isGoalsBlockLabel = (text: string): boolean => GOALS_BLOCK.has(labelKey(text));
export const isIndicatorBlockLabel = (text: string): boolean => IND_BLOCK.has(labelKey(text));
export const isTotalLabel = (text: string): boolean => TOTALS.has(labelKey(text));
export const isNarrativeLabel = (text: string): boolean => NARRATIVES.has(labelKey(text));

/** A cell that means "this row does not apply" (不适用, 无, /, —). */
export function isPlaceholderText(text: string | null | undefined): boolean {
  if (text == null) return false;
  const t = squash(toHalfWidth(text)).replace(/[。.]+$/, "");
  return t !== "" && (PLACEHOLDERS.has(t) || /^[—\-–－/／]+$/.test(t));
}

/** Canonical 一级 category of a level name ("产出" → 产出指标), or null. */
export function level1Of(text: string | null | undefined): string | null {
  if (!text) return null;
  return LEVEL1.get(labelKey(text)) ?? null;
}

/** Canonical 二级 category of a level name ("数量" → 数量指标 under 产出指标), or null. */
export function level2Of(text: string | null | undefined): { canonical: string; level1: string } | null {
  if (!text) return null;
  return LEVEL2.get(labelKey(text)) ?? null;
}

/** The form kind a title line names, or null. The longest matching title word wins (部门整体… before 自评表). */
export function titleKindOf(text: string): FormKind | null {
  const t = squash(toHalfWidth(text)).replace(/\(/g, "（").replace(/\)/g, "）");
  let best: { kind: FormKind; len: number } | null = null;
  for (const title of VOCABULARY.titles) {
    for (const w of title.words) {
      if (t.includes(w) && (!best || w.length > best.len)) best = { kind: title.kind, len: w.length };
    }
  }
  return best?.kind ?? null;
}

const OPERATORS = [...VOCABULARY.operators].sort((a, b) => b.length - a.length);

/** The operator a 指标性质 cell or a target's start holds (as printed), or null. */
export function operatorPrefix(text: string): string | null {
  const t = squash(text);
  return OPERATORS.find((o) => t.startsWith(o)) ?? null;
}

/** 执行率 weight from a block label such as "预算执行情况（10分）" / "绩效指标(90分)". */
export function pointsInLabel(text: string): number | null {
  const m = /[(（]\s*(\d{1,3})\s*分\s*[)）]/.exec(toHalfWidth(text));
  return m ? Number(m[1]) : null;
}

const FORM_WORDS: string[] = [
  ...VOCABULARY.fields.filter((f) => f.field !== "contact").flatMap((f) => f.labels),
  ...VOCABULARY.funds.columns.flatMap((c) => c.labels),
  ...VOCABULARY.indicators.columns.flatMap((c) => c.labels),
]
  .map(labelKey)
  .filter((w) => w.length >= 4);

/** How many distinct form header words a text holds, and the form a title line of it names. */
export function formWordsIn(text: string): { count: number; title: FormKind | null } {
  const t = squash(toHalfWidth(text));
  const found = new Set(FORM_WORDS.filter((w) => t.includes(w)));
  let title: FormKind | null = null;
  for (const line of text.split("\n")) {
    if (line.trim().length > 60) continue;
    title = titleKindOf(line);
    if (title) break;
  }
  return { count: found.size, title };
}

const UNITS = [...VOCABULARY.units].map((u) => toHalfWidth(u)).sort((a, b) => b.length - a.length);
const UNIT_SET = new Set(UNITS);

const escapeRe = (u: string) => u.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const UNIT_ALT = UNITS.map(escapeRe).join("|");
/** A rate unit made of two units: 元/米, 万元/公里, 次/年, 人次/月, 元每人. */
const COMPOUND_UNIT = new RegExp(`(?:${UNIT_ALT})(?:/|每)(?:${UNIT_ALT})$`);

/** A cell that is only a measurement unit (万元, 人次, %, 元/米). */
export function isUnitWord(text: string): boolean {
  const t = squash(toHalfWidth(text));
  if (UNIT_SET.has(t)) return true;
  const m = COMPOUND_UNIT.exec(t);
  return m !== null && m.index === 0;
}

/** The longest unit the text ends with ("6.47亿元" → 亿元, "440元/米" → 元/米), or null. */
export function unitSuffix(text: string): string | null {
  const t = squash(toHalfWidth(text));
  const compound = COMPOUND_UNIT.exec(t);
  if (compound) return compound[0];
  return UNITS.find((u) => t.endsWith(u)) ?? null;
}

/** The longest unit the text starts with at `at` ("万亩2810810" → 万亩), or null. */
export function unitAt(text: string, at: number): string | null {
  return UNITS.find((u) => text.startsWith(u, at)) ?? null;
}
