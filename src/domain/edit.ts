// One user edit of one cell, addressed by its interchange path ("indicators[3].actual",
// "funds.total.executed", "goals.expected", "name"). Pure: returns a new document validated
// by the same zod schema the extractor's output satisfies; the server stores it as a new version.
import { parseNumber } from "./text.ts";
import { FUND_COL_LABELS, FUND_ROW_LABELS, INDICATOR_COLUMNS } from "./selfEvalForm.ts";
import { FUND_COLS, FUND_ROWS, PerfDocSchema, type PerfDoc } from "./document.ts";

export type EditValue = string | number | null;

export type EditErrorCode = "UNKNOWN_FIELD" | "WRONG_TYPE" | "INVALID_DOCUMENT";

/** An edit the document cannot take; `message` is Chinese and names the field. */
export class EditError extends Error {
  readonly code: EditErrorCode;
  readonly field: string;
  constructor(code: EditErrorCode, field: string, message: string) {
    super(message);
    this.name = "EditError";
    this.code = code;
    this.field = field;
  }
}

type Kind = "text" | "number" | "integer";

/** A parsed path: top-level key, optional list index, optional nested keys. */
interface Path {
  head: string;
  index: number | null;
  rest: string[];
}

const SECTION_TEXT = /^report\.sections\[(\d{1,3})\]\.text$/;
const PATH = /^([a-z_][a-z0-9_]*)(?:\[(\d{1,4})\])?((?:\.[a-z_][a-z0-9_]*){0,2})$/;

function parsePath(field: string): Path | null {
  const m = PATH.exec(field);
  if (!m) return null;
  return { head: m[1]!, index: m[2] === undefined ? null : Number(m[2]), rest: m[3] ? m[3].slice(1).split(".") : [] };
}

// Which paths exist and what they hold, per document kind. Labels make the error messages readable.
const SELF_EVAL_TOP: Record<string, [Kind, string]> = {
  name: ["text", "项目名称"], department: ["text", "主管部门"], implementer: ["text", "实施单位"],
  unit: ["text", "金额单位"], year: ["integer", "年度"],
};
const FUND_ROW_LABEL: Record<string, string> = Object.fromEntries(Object.entries(FUND_ROW_LABELS).map(([k, v]) => [k, v.name]));
const FUND_COL_LABEL: Record<string, [Kind, string]> = Object.fromEntries(Object.entries(FUND_COL_LABELS).map(([k, v]) => [k, [v.kind, v.name]]));
const INDICATOR_FIELDS: Record<string, [Kind, string]> = Object.fromEntries(Object.entries(INDICATOR_COLUMNS).map(([k, v]) => [k, [v.kind, v.name]]));
const TARGET_FORM_TOP: Record<string, [Kind, string]> = {
  name: ["text", "项目名称"], department: ["text", "主管部门"], implementer: ["text", "实施单位"],
  unit: ["text", "金额单位"], year: ["integer", "年度"], category: ["text", "项目类别"],
  start: ["text", "开始日期"], end: ["text", "结束日期"], funds_total: ["number", "项目资金总额"],
  amount_total: ["number", "预算分解合计"], code: ["text", "项目编码"], period: ["text", "实施期限"],
  project_type: ["text", "项目类型"], funds_year: ["number", "本年度项目金额"], policy_basis: ["text", "政策依据"],
  calc_basis: ["text", "测算依据"], annual_goal: ["text", "年度目标"], long_term_goal: ["text", "长期目标"],
};
const TARGET_FIELDS: Record<string, [Kind, string]> = {
  level1: ["text", "一级指标"], level2: ["text", "二级指标"], level3: ["text", "三级指标"],
  value: ["text", "指标值"], description: ["text", "指标说明"],
};
const DEPT_TOP: Record<string, [Kind, string]> = {
  name: ["text", "部门（单位）名称"], code: ["text", "部门编码"], department: ["text", "主管部门"],
  unit: ["text", "金额单位"], year: ["integer", "年度"], duties: ["text", "部门职能职责概述"],
};
const DEPT_GOALS: Record<string, string> = { expected: "年度绩效目标", adjusted: "全年（调整）绩效目标", actual: "全年目标实际完成情况" };
const TASK_FIELDS: Record<string, [Kind, string]> = { name: ["text", "任务名称"], amount: ["number", "金额"], description: ["text", "主要内容"] };
const BUDGET_ITEM_FIELDS: Record<string, [Kind, string]> = {
  name: ["text", "明细名称"], amount: ["number", "金额"], unit_price: ["number", "单价"], quantity: ["number", "数量"],
};

/** Own keys only: "__proto__" or "constructor" in a path must not reach Object.prototype. */
function own<T>(table: Record<string, T>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

function unknown(field: string, why = "不是可编辑的字段"): EditError {
  return new EditError("UNKNOWN_FIELD", field, `字段“${field}”${why}`);
}

/** Coerces the user's input to the field's type; blank input clears the cell (null). */
export function coerceValue(field: string, label: string, kind: Kind, value: EditValue): string | number | null {
  if (value === null) return null;
  if (kind === "text") {
    // Text is kept verbatim (the validator reads what the user typed); only an empty string means blank.
    if (typeof value === "number") return Number.isFinite(value) ? String(value) : badType(field, label, String(value));
    return value === "" ? null : value;
  }
  let n: number | null;
  if (typeof value === "number") n = Number.isFinite(value) ? value : null;
  else if (value.trim() === "") return null;
  else n = parseNumber(value);
  if (n === null) return badType(field, label, String(value));
  if (kind === "integer" && !Number.isInteger(n)) {
    throw new EditError("WRONG_TYPE", field, `“${label}”应为整数，收到“${String(value)}”`);
  }
  return n;
}

function badType(field: string, label: string, shown: string): never {
  const s = shown.length > 30 ? shown.slice(0, 30) + "…" : shown;
  throw new EditError("WRONG_TYPE", field, `“${label}”应为数字（如 12.5 或 12.5万元），收到“${s}”`);
}

/** Returns a copy of `doc` with `field` set to `value`; throws EditError for an unknown path or a wrong type. */
export function applyEdit(doc: PerfDoc, field: string, value: EditValue): PerfDoc {
  const p = parsePath(field) ?? (SECTION_TEXT.test(field) ? { head: "report", index: null, rest: ["sections"] } : null);
  if (!p) throw unknown(field, "的写法无法识别（示例：indicators[3].actual、funds.total.executed、goals.expected）");
  const next = structuredClone(doc) as PerfDoc;
  if (next.kind === "自评表") editSelfEval(next, field, p, value);
  else if (next.kind === "目标申报表") editTargetForm(next, field, p, value);
  else editDept(next, field, p, value);
  const parsed = PerfDocSchema.safeParse(next);
  if (!parsed.success) {
    throw new EditError("INVALID_DOCUMENT", field, `修改“${field}”后文档不再符合格式：${parsed.error.issues[0]?.message ?? "未知原因"}`);
  }
  return parsed.data;
}

function editSelfEval(doc: Extract<PerfDoc, { kind: "自评表" }>, field: string, p: Path, value: EditValue): void {
  const { head, index, rest } = p;
  const top = own(SELF_EVAL_TOP, head);
  if (top && index === null && rest.length === 0) {
    (doc as Record<string, unknown>)[head] = coerceValue(field, top[1], top[0], value);
    return;
  }
  if (head === "funds" && index === null && rest.length === 2) {
    const [row, col] = rest as [string, string];
    const spec = own(FUND_COL_LABEL, col);
    if (!(FUND_ROWS as readonly string[]).includes(row) || !(FUND_COLS as readonly string[]).includes(col) || !spec) throw unknown(field);
    const r = doc.funds[row as keyof typeof doc.funds] as Record<string, unknown>;
    r[col] = coerceValue(field, `${FUND_ROW_LABEL[row]}/${spec[1]}`, spec[0], value);
    return;
  }
  if (head === "goals" && index === null && rest.length === 1 && (rest[0] === "expected" || rest[0] === "actual")) {
    doc.goals[rest[0]] = coerceValue(field, rest[0] === "expected" ? "年度总体目标/预期目标" : "年度总体目标/实际完成情况", "text", value) as string | null;
    return;
  }
  if (head === "total" && index === null && rest.length === 1 && (rest[0] === "weight" || rest[0] === "score")) {
    doc.total[rest[0]] = coerceValue(field, rest[0] === "weight" ? "总分/分值" : "总分/得分", "number", value) as number | null;
    return;
  }
  if (head === "indicators" && index !== null && rest.length === 1) {
    const spec = own(INDICATOR_FIELDS, rest[0]);
    if (!spec) throw unknown(field);
    const ind = doc.indicators[index];
    if (!ind) throw unknown(field, `不存在：本表只有 ${doc.indicators.length} 项指标`);
    (ind as Record<string, unknown>)[rest[0]!] = coerceValue(field, `第 ${index + 1} 项指标/${spec[1]}`, spec[0], value);
    return;
  }
  if (head === "report" && index === null && rest.length === 1 && rest[0] === "title") {
    if (!doc.report) throw unknown(field, "不存在：本文档没有自评报告");
    doc.report.title = (coerceValue(field, "自评报告标题", "text", value) as string | null) ?? "";
    return;
  }
  // report.sections[i].text does not fit the one-index grammar above; handled here explicitly.
  const sec = SECTION_TEXT.exec(field);
  if (sec) {
    const i = Number(sec[1]);
    const s = doc.report?.sections[i];
    if (!s) throw unknown(field, "不存在：自评报告没有这一节");
    s.text = (coerceValue(field, `自评报告“${s.heading}”`, "text", value) as string | null) ?? "";
    s.text_present = s.text.trim() !== "";
    return;
  }
  throw unknown(field);
}

function editDept(doc: Extract<PerfDoc, { kind: "部门整体" }>, field: string, p: Path, value: EditValue): void {
  const { head, index, rest } = p;
  const top = own(DEPT_TOP, head);
  if (top && index === null && rest.length === 0) {
    (doc as Record<string, unknown>)[head] = coerceValue(field, top[1], top[0], value);
    return;
  }
  const goal = head === "goals" && index === null && rest.length === 1 ? own(DEPT_GOALS, rest[0]) : undefined;
  if (goal) {
    doc.goals[rest[0] as keyof typeof doc.goals] = coerceValue(field, goal, "text", value) as string | null;
    return;
  }
  if (head === "tasks" && index !== null && rest.length === 1) {
    const spec = own(TASK_FIELDS, rest[0]);
    const task = doc.tasks[index];
    if (!spec) throw unknown(field);
    if (!task) throw unknown(field, `不存在：本表只有 ${doc.tasks.length} 项任务`);
    (task as Record<string, unknown>)[rest[0]!] = coerceValue(field, `第 ${index + 1} 项任务/${spec[1]}`, spec[0], value);
    return;
  }
  if (head === "indicators" && index !== null && rest.length === 1 && rest[0] === "description") {
    const ind = doc.indicators[index];
    if (!ind) throw unknown(field, `不存在：本表只有 ${doc.indicators.length} 项指标`);
    ind.description = coerceValue(field, `第 ${index + 1} 项指标/指标说明`, "text", value) as string | null;
    return;
  }
  // Funds, indicators and the total have the 自评表's paths.
  editSelfEval(doc as unknown as Extract<PerfDoc, { kind: "自评表" }>, field, p, value);
}

function editTargetForm(doc: Extract<PerfDoc, { kind: "目标申报表" }>, field: string, p: Path, value: EditValue): void {
  const { head, index, rest } = p;
  const top = own(TARGET_FORM_TOP, head);
  if (top && index === null && rest.length === 0) {
    (doc as Record<string, unknown>)[head] = coerceValue(field, top[1], top[0], value);
    return;
  }
  const lists: Record<string, [Record<string, unknown>[], Record<string, [Kind, string]>, string]> = {
    targets: [doc.targets, TARGET_FIELDS, "绩效目标"],
    budget_items: [doc.budget_items, BUDGET_ITEM_FIELDS, "预算明细"],
  };
  const list = own(lists, head);
  if (list && index !== null && rest.length === 1) {
    const [items, fields, label] = list;
    const spec = own(fields, rest[0]);
    if (!spec) throw unknown(field);
    const item = items[index];
    if (!item) throw unknown(field, `不存在：本表只有 ${items.length} 项${label}`);
    item[rest[0]!] = coerceValue(field, `第 ${index + 1} 项${label}/${spec[1]}`, spec[0], value);
    return;
  }
  throw unknown(field);
}

/** The current value at `field` (for the version history's old → new), or undefined for an unknown path. */
export function readField(doc: PerfDoc, field: string): unknown {
  let cur: unknown = doc;
  for (const part of field.split(".")) {
    const m = /^([a-z_][a-z0-9_]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m || cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[m[1]!];
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  return cur;
}
