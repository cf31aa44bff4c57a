// Builders of small documents for rule tests: only the fields a test cares about are given.
import type { FundsRow, Indicator, Report, SelfEvalDoc, TargetFormDoc } from "../../src/domain/document.ts";

const row = (r: Partial<FundsRow> = {}): FundsRow => ({ initial: null, adjusted: null, executed: null, weight: null, rate: null, score: null, ...r });
const prow = () => ({ initial: null, adjusted: null, executed: null, weight: null, rate: null, score: null });

export function ind(level2: string, target: string | null, actual: string | null, weight: number | null, score: number | null, more: Partial<Indicator> = {}): Indicator {
  const level1 = /满意/.test(level2) ? "满意度指标" : /(效益|影响)/.test(level2) ? "效益指标" : "产出指标";
  return { level1, level2, level3: `${level2.replace(/指标$/, "")}测试指标`, target, actual, weight, score, deviation: null, ...more };
}

/** A clean, fully consistent 自评表 (no error findings), to be modified by each test. */
export function standardIndicators(): Indicator[] {
  return [
    ind("数量指标", "≥5场", "6场", 20, 20, { level3: "禁毒宣传活动场次" }),
    ind("质量指标", "≥95%", "98%", 10, 10, { level3: "宣传覆盖率" }),
    ind("时效指标", "12月31日前完成", "11月30日完成", 10, 10, { level3: "活动完成时间" }),
    ind("成本指标", "≤6万元", "6万元", 10, 10, { level3: "项目总成本" }),
    ind("社会效益指标", "≥90%", "93%", 15, 15, { level3: "群众禁毒知识知晓率" }),
    ind("可持续影响指标", "≥1项", "1项", 15, 15, { level3: "长效管理制度建立数" }),
    ind("服务对象满意度指标", "≥90%", "95%", 10, 10, { level3: "服务对象满意度" }),
  ];
}

export function selfEval(o: {
  name?: string;
  funds?: Partial<Record<"total" | "fiscal" | "carryover" | "other", Partial<FundsRow>>>;
  indicators?: Indicator[];
  total?: { weight: number | null; score: number | null };
  report?: Report | null;
  goals?: { expected: string | null; actual: string | null };
  department?: string | null;
} = {}): SelfEvalDoc {
  const indicators = o.indicators ?? standardIndicators();
  const funds = {
    total: row(o.funds?.total ?? { initial: 6, adjusted: 6, executed: 6, weight: 10, rate: "100.00%", score: 10 }),
    fiscal: row(o.funds?.fiscal ?? { initial: 6, adjusted: 6, executed: 6 }),
    carryover: row(o.funds?.carryover),
    other: row(o.funds?.other),
  };
  return {
    kind: "自评表",
    report: o.report === undefined ? null : o.report,
    name: o.name ?? "禁毒宣传专项经费",
    department: o.department === undefined ? "某县禁毒办" : o.department,
    implementer: "某县禁毒办",
    year: 2024,
    unit: "万元",
    funds,
    goals: o.goals ?? { expected: "开展禁毒宣传活动5场", actual: "开展禁毒宣传活动6场" },
    indicators,
    total: o.total ?? { weight: 100, score: 100 },
    complete: true,
    unread: [],
    provenance: {
      table: null, name: null, department: null, implementer: null, year: null, unit: null,
      funds: { total: prow(), fiscal: prow(), carryover: prow(), other: prow() },
      goals: { expected: null, actual: null },
      indicators: indicators.map(() => ({ level1: null, level2: null, level3: null, target: null, actual: null, weight: null, score: null, deviation: null })),
      total: { weight: null, score: null },
      report: o.report ? { title: null, sections: o.report.sections.map(() => null) } : null,
    },
  };
}

export function report(sections: [string, string][], raw?: string[]): { report: Report; raw?: string[] } {
  return {
    report: { title: "测试项目绩效自评报告", sections: sections.map(([heading, text]) => ({ heading, text, text_present: text.trim() !== "" })) },
    ...(raw ? { raw } : {}),
  };
}

export function targetForm(o: Partial<TargetFormDoc> = {}): TargetFormDoc {
  const targets = o.targets ?? [];
  const items = o.budget_items ?? [];
  return {
    kind: "目标申报表", report: null, name: "平安建设", department: null, implementer: "综治组", year: 2020, unit: "万元",
    category: null, start: null, end: null, funds_total: null, amount_total: null, fields: {},
    code: null, period: null, project_type: null, new_or_continuing: null, funds_year: null,
    policy_basis: null, calc_basis: null, annual_goal: null, long_term_goal: null, complete: true, unread: [],
    ...o,
    targets, budget_items: items,
    provenance: {
      tables: [], name: null, department: null, implementer: null, year: null, unit: null, category: null, start: null, end: null,
      funds_total: null, amount_total: null,
      targets: targets.map(() => ({ level1: null, level2: null, level3: null, value: null, description: null })),
      budget_items: items.map(() => ({ name: null, amount: null, unit_price: null, quantity: null })),
      fields: {},
      ...(o.provenance ?? {}),
    },
  };
}
