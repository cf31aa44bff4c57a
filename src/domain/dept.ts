// A 部门整体 form seen through the project forms' shapes, so the scorer, the checks and the exporters
// that know 自评表 and 申报表 serve it without a third copy of their rules. Pure conversions.
import type { DeptDoc, SelfEvalDoc, TargetFormDoc } from "./document.ts";

/** A 部门整体支出绩效自评表 as a 自评表: the department is the "project", its indicators and funds as printed. */
export function deptAsSelfEval(doc: DeptDoc): SelfEvalDoc {
  const p = doc.provenance;
  return {
    kind: "自评表",
    report: null,
    name: doc.name,
    department: doc.department,
    implementer: doc.name,
    year: doc.year,
    unit: doc.unit,
    funds: doc.funds,
    goals: { expected: doc.goals.adjusted ?? doc.goals.expected, actual: doc.goals.actual },
    indicators: doc.indicators,
    total: doc.total,
    fields: doc.fields,
    complete: doc.complete,
    unread: doc.unread,
    provenance: {
      table: p.tables[0] ?? null,
      name: p.name,
      department: p.department,
      implementer: p.name,
      year: p.year,
      unit: p.unit,
      funds: p.funds,
      goals: { expected: p.goals.adjusted ?? p.goals.expected, actual: p.goals.actual },
      indicators: p.indicators,
      total: p.total,
      report: null,
      fields: p.fields,
    },
  };
}

/** A 部门整体绩效目标表 as a 申报表: its indicators are the targets. */
export function deptAsTargetForm(doc: DeptDoc): TargetFormDoc {
  const p = doc.provenance;
  return {
    kind: "目标申报表",
    report: null,
    name: doc.name,
    department: doc.department,
    implementer: doc.name,
    year: doc.year,
    unit: doc.unit,
    category: null,
    start: null,
    end: null,
    funds_total: doc.funds.total.initial ?? doc.funds.total.adjusted,
    targets: doc.indicators.map((i) => ({
      level1: i.level1, level2: i.level2, level3: i.level3, value: i.target, description: i.description ?? null,
      ...(i.parts ? { parts: i.parts } : {}),
    })),
    budget_items: [],
    amount_total: null,
    code: doc.code,
    period: null,
    project_type: null,
    new_or_continuing: null,
    funds_year: doc.funds.total.initial ?? doc.funds.total.adjusted,
    policy_basis: null,
    calc_basis: null,
    annual_goal: doc.goals.expected,
    long_term_goal: null,
    fields: doc.fields,
    complete: doc.complete,
    unread: doc.unread,
    provenance: {
      tables: p.tables,
      name: p.name, department: p.department, implementer: p.name, year: p.year, unit: p.unit,
      category: null, start: null, end: null,
      funds_total: p.funds.total.initial ?? p.funds.total.adjusted,
      amount_total: null,
      code: p.code,
      annual_goal: p.goals.expected,
      targets: p.indicators.map((i) => ({
        level1: i.level1, level2: i.level2, level3: i.level3, value: i.target, description: i.description ?? null,
        ...(i.parts ? { parts: i.parts } : {}),
      })),
      budget_items: [],
      fields: p.fields,
    },
  };
}
