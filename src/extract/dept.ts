// Rows of a 部门整体支出绩效自评表 / 部门整体绩效目标表 → DeptDoc: the department's header fields,
// 部门职能职责, the year's goals, its funds, 年度主要任务, the indicators and 自评总分.
import type { DeptDoc, DeptProvenance, Provenance } from "../domain/document.ts";
import { parseNumber } from "../domain/text.ts";
import { readFormBody, type FormBody } from "./formBody.ts";
import { matchHeaderBy } from "./header.ts";
import { isEmptyRow, provOf, type RCell, type RRow } from "./rows.ts";
import { cutLastRow, groupIndicators, joinCells, readFunds } from "./selfEval.ts";
import { labelKey } from "../domain/vocabulary.ts";
import { isLabelText, pick } from "./fields.ts";

export interface DeptContext {
  file: string;
  form: "自评表" | "目标表";
  year: { value: number; prov: Provenance } | null;
  unit: { value: string; prov: Provenance } | null;
  /** The form's title line, when it has one (it may name the department). */
  title?: { text: string; prov: Provenance } | null;
}

/**
 * The department a 部门整体 form's title names before its year and form words:
 * "1、重庆市梁平区林业局2023年度部门整体绩效自评表" → 重庆市梁平区林业局; null when the title names none
 * ("部门整体支出绩效目标表"). The name is kept as written.
 */
export function deptFromTitle(title: string): string | null {
  const t = title.trim().replace(/^(?:附件\s*[\d-]*\s*[:：]?|[(（]?[0-9０-９一二三四五六七八九十]{1,3}[)）、.．])\s*/, "");
  const m = /^(.+?)\s*(?:[0-9０-９]{4}\s*年度?)?\s*部门整体/.exec(t);
  const name = m?.[1]?.trim() ?? "";
  return name.length >= 2 && !/[，。；]|绩效|自评|目标表|年度?$/.test(name) ? name : null;
}

const emptyRow = () => ({ initial: null, adjusted: null, executed: null, weight: null, rate: null, score: null });

export function emptyDept(ctx: DeptContext): DeptDoc {
  return {
    kind: "部门整体",
    form: ctx.form,
    report: null,
    name: null,
    code: null,
    department: null,
    year: ctx.year?.value ?? null,
    unit: ctx.unit?.value ?? null,
    duties: null,
    goals: { expected: null, adjusted: null, actual: null },
    funds: { total: emptyRow(), fiscal: emptyRow(), carryover: emptyRow(), other: emptyRow() },
    tasks: [],
    indicators: [],
    total: { weight: null, score: null },
    fields: {},
    complete: true,
    unread: [],
    provenance: {
      tables: [],
      name: null,
      code: null,
      department: null,
      year: ctx.year?.prov ?? null,
      unit: ctx.unit?.prov ?? null,
      duties: null,
      goals: { expected: null, adjusted: null, actual: null },
      funds: { total: emptyRow(), fiscal: emptyRow(), carryover: emptyRow(), other: emptyRow() },
      tasks: [],
      indicators: [],
      total: { weight: null, score: null },
      fields: {},
    },
  };
}

type TaskField = "name" | "description" | "amount";
const TASK_LABELS: Record<string, TaskField> = { 任务名称: "name", 主要任务: "name", 任务: "name", 主要内容: "description", 任务内容: "description", 金额: "amount", 预算金额: "amount", 资金: "amount", 预算数: "amount" };

export function recognizeDept(rows: RRow[], ctx: DeptContext, body: FormBody = readFormBody(rows)): DeptDoc {
  const { file } = ctx;
  const P = (c: RCell | null | undefined) => (c ? provOf(file, c) : null);
  const doc = emptyDept(ctx);
  const pv: DeptProvenance = doc.provenance;
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.table.index)) continue;
    seen.add(r.table.index);
    const t: Provenance = { file, table: r.table.index, text: "" };
    if (r.table.sheet !== undefined) t.sheet = r.table.sheet;
    pv.tables.push(t);
  }
  const hits = body.hits;
  // The department is named by 部门(单位)名称; a form that names only its 主管部门 is about that department.
  const name = pick(hits, "unit_name") ?? pick(hits, "department") ?? pick(hits, "implementer");
  if (name) [doc.name, pv.name] = [name.value, P(name.valueCell)];
  // No 部门名称 read (an OCR-garbled label, a form without one): the title names the department.
  if (doc.name === null && ctx.title) {
    const fromTitle = deptFromTitle(ctx.title.text);
    if (fromTitle) [doc.name, pv.name] = [fromTitle, ctx.title.prov];
  }
  const dept = pick(hits, "department");
  if (dept && dept !== name) [doc.department, pv.department] = [dept.value, P(dept.valueCell)];
  const code = pick(hits, "code");
  if (code) [doc.code, pv.code] = [code.value?.replace(/\s+/g, "") ?? null, P(code.valueCell)];
  const duties = pick(hits, "duties");
  if (duties) [doc.duties, pv.duties] = [duties.value, P(duties.valueCell)];
  const goal = pick(hits, "annual_goal");
  if (goal) [doc.goals.expected, pv.goals.expected] = [goal.value, P(goal.valueCell)];
  for (const f of ["expected", "adjusted", "actual"] as const) {
    const cs = body.goals[f];
    if (cs) [doc.goals[f], pv.goals[f]] = [joinCells(cs), P(cs[0])];
  }
  const self = pick(hits, "self_score");
  if (self) [doc.total.score, pv.total.score] = [parseNumber(self.value), P(self.valueCell)];
  for (const h of hits) {
    if ((h.field === "contact" || h.field === "narrative") && !(h.label in doc.fields)) {
      doc.fields[h.label] = h.value;
      pv.fields[h.label] = P(h.valueCell ?? h.labelCell);
    }
  }
  readFunds(doc, body, file);
  if (body.total.seen) {
    const w = parseNumber(body.total.weight?.text);
    const s = parseNumber(body.total.score?.text);
    if (w !== null) [doc.total.weight, pv.total.weight] = [w, P(body.total.weight)];
    if (s !== null && doc.total.score === null) [doc.total.score, pv.total.score] = [s, P(body.total.score)];
  }
  for (const ind of groupIndicators(body.raw, file)) {
    doc.indicators.push(ind.value);
    pv.indicators.push(ind.prov);
  }
  readTasks(doc, rows, P);
  doc.complete = !body.startsMidForm && !cutLastRow(body) && (ctx.form === "目标表" || body.ended || !body.indicatorHeader || doc.total.score !== null);
  return doc;
}

/** 年度主要任务: a header row naming 任务名称 / 主要内容 / 金额, then one task per row until a non-task row. */
function readTasks(doc: DeptDoc, rows: RRow[], P: (c: RCell | null | undefined) => Provenance | null): void {
  let head: { field: TaskField; range: [number, number] }[] | null = null;
  for (const r of rows) {
    if (isEmptyRow(r)) continue;
    const h = matchHeaderBy<TaskField>(r, (c) => TASK_LABELS[labelKey(c.text)] ?? null, 2);
    if (h && h.some((x) => x.field === "name")) {
      head = h.map((x) => ({ field: x.field, range: x.range }));
      continue;
    }
    if (!head) continue;
    const cell = (f: TaskField) => r.cells.find((c) => c.key !== "" && head!.some((x) => x.field === f && c.col >= x.range[0] && c.col < x.range[1])) ?? null;
    const name = cell("name");
    // Another block (goals, indicators, funds, a labelled field) ends the task list.
    if (!name || isLabelText(name.text) || r.cells.some((c) => c.key !== "" && c.col < name.col && isLabelText(c.text))) {
      head = null;
      continue;
    }
    const amount = cell("amount");
    const desc = cell("description");
    doc.tasks.push({ name: name.text, amount: parseNumber(amount?.text), description: desc?.text ?? null });
    doc.provenance.tasks.push({ name: P(name), amount: P(amount), description: P(desc) });
  }
}
