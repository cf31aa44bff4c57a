// The interchange format (same keys as ../shared/fixtures/seeds/gold/*.json) as zod schemas:
// the single source of truth for the CLI's JSON, the API and the LLM's structured output.
import { z } from "zod";

export const ProvenanceSchema = z.object({
  file: z.string(),
  table: z.number().int().optional(),
  row: z.number().int().optional(),
  col: z.number().int().optional(),
  paragraph: z.number().int().optional(),
  page: z.number().int().optional(),
  line: z.number().int().optional(),
  sheet: z.string().optional(),
  address: z.string().optional(),
  /** Verbatim text of the cell or paragraph the value was read from. */
  text: z.string(),
  /** The value's column or boundaries were inferred (text without cell separators, a shifted row
   * realigned on the header), not read from the layout: checks treat it as possibly misread. */
  inferred: z.boolean().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

const num = z.number().nullable();
const str = z.string().nullable();
const prov = ProvenanceSchema.nullable();

export const FundsRowSchema = z.object({
  initial: num,
  adjusted: num,
  executed: num,
  weight: num,
  /** 执行率 as printed (text), e.g. "100%". */
  rate: str,
  score: num,
});
export type FundsRow = z.infer<typeof FundsRowSchema>;

export const FUND_ROWS = ["total", "fiscal", "carryover", "other"] as const;
export type FundRowKey = (typeof FUND_ROWS)[number];
export const FUND_COLS = ["initial", "adjusted", "executed", "weight", "rate", "score"] as const;
export type FundColKey = (typeof FUND_COLS)[number];

/** A funding-source row outside the three canonical ones (四川 财政专户管理资金 / 单位资金, 重庆 中央资金 / 市级资金 …). */
export const ExtraFundsRowSchema = FundsRowSchema.extend({ label: z.string() });
export type ExtraFundsRow = z.infer<typeof ExtraFundsRowSchema>;

export const FundsSchema = z.object({
  total: FundsRowSchema,
  fiscal: FundsRowSchema,
  carryover: FundsRowSchema,
  other: FundsRowSchema,
  /** Further source rows, in form order; they count in 年度资金总额 = Σ sources. */
  more: z.array(ExtraFundsRowSchema).optional(),
});
export type Funds = z.infer<typeof FundsSchema>;

/** A target written in split columns (指标性质 | 指标值 | 度量单位), kept as printed. */
export const TargetPartsSchema = z.object({
  /** 指标性质 / 计算符号: =, ≥, ≤, >, <, 定性 … */
  operator: str,
  /** 指标值 (the number or grade). */
  value: str,
  /** 度量单位 / 计量单位. */
  unit: str,
});
export type TargetParts = z.infer<typeof TargetPartsSchema>;

/** Something the reader saw but could not place (a cut row, a run-together cell, a garbled amount). */
export const UnreadSchema = z.object({
  /** Which part of the form, in Chinese (e.g. "绩效指标第 3 行", "资金情况"). */
  part: z.string(),
  /** Why it could not be read, in Chinese. */
  reason: z.string(),
  /** The source text concerned, when there is one. */
  text: z.string().nullable(),
  provenance: ProvenanceSchema.nullable(),
});
export type Unread = z.infer<typeof UnreadSchema>;

export const IndicatorSchema = z.object({
  level1: str,
  level2: str,
  level3: str,
  /** 年度指标值, verbatim. */
  target: str,
  /** 实际完成值, verbatim. */
  actual: str,
  /** 分值 */
  weight: num,
  /** 得分 */
  score: num,
  /** 偏差原因分析及改进措施 */
  deviation: str,
  /** Several indicators packed in one row share the first one's 分值/得分. */
  shared_score_with_next: z.boolean().optional(),
  /** The target's columns when the form splits it (指标性质 | 指标值 | 度量单位); `target` is their join. */
  parts: TargetPartsSchema.optional(),
  /** 指标解释 / 指标值说明 / 说明, when the form has that column. */
  description: str.optional(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const ReportSectionSchema = z.object({
  heading: z.string(),
  text_present: z.boolean(),
  /** Body text of the section (sub-headings included), paragraphs joined with "\n". */
  text: z.string(),
});
export type ReportSection = z.infer<typeof ReportSectionSchema>;

export const ReportSchema = z.object({
  title: z.string(),
  sections: z.array(ReportSectionSchema),
});
export type Report = z.infer<typeof ReportSchema>;

// Provenance mirrors the document's shape: each leaf value has a provenance (or null when blank/absent).
const FundsRowProvSchema = z.object({
  initial: prov, adjusted: prov, executed: prov, weight: prov, rate: prov, score: prov,
});
const PartsProvSchema = z.object({ operator: prov, value: prov, unit: prov });
const IndicatorProvSchema = z.object({
  level1: prov, level2: prov, level3: prov, target: prov, actual: prov, weight: prov, score: prov, deviation: prov,
  parts: PartsProvSchema.optional(),
  description: prov.optional(),
});
const FundsProvSchema = z.object({
  total: FundsRowProvSchema, fiscal: FundsRowProvSchema, carryover: FundsRowProvSchema, other: FundsRowProvSchema,
  more: z.array(FundsRowProvSchema.extend({ label: prov })).optional(),
});
/** Every document says whether the form was whole and what the reader could not place. */
const completeness = {
  /** false for a cut excerpt or a form missing its end (总分 row, later indicator groups …). */
  complete: z.boolean().default(true),
  unread: z.array(UnreadSchema).default([]),
};

export const SelfEvalProvenanceSchema = z.object({
  table: prov,
  name: prov,
  department: prov,
  implementer: prov,
  year: prov,
  unit: prov,
  funds: FundsProvSchema,
  goals: z.object({ expected: prov, actual: prov }),
  indicators: z.array(IndicatorProvSchema),
  total: z.object({ weight: prov, score: prov }),
  report: z.object({ title: prov, sections: z.array(prov) }).nullable(),
  fields: z.record(z.string(), prov).optional(),
});
export type SelfEvalProvenance = z.infer<typeof SelfEvalProvenanceSchema>;

export const SelfEvalDocSchema = z.object({
  kind: z.literal("自评表"),
  report: ReportSchema.nullable(),
  name: str,
  department: str,
  implementer: str,
  year: z.number().int().nullable(),
  unit: str,
  funds: FundsSchema,
  goals: z.object({ expected: str, actual: str }),
  indicators: z.array(IndicatorSchema),
  total: z.object({ weight: num, score: num }),
  /** Other labelled boxes of the form (评价结论, 存在问题, 项目负责人 …), verbatim. */
  fields: z.record(z.string(), str).optional(),
  ...completeness,
  provenance: SelfEvalProvenanceSchema,
});
export type SelfEvalDoc = z.infer<typeof SelfEvalDocSchema>;

export const TargetSchema = z.object({
  level1: str,
  level2: str,
  level3: str,
  value: str,
  /** 指标解释 / 描述 / 指标值说明. */
  description: str,
  /** The value's columns when the form splits it (指标性质 | 指标值 | 度量单位); `value` is their join. */
  parts: TargetPartsSchema.optional(),
});
export type Target = z.infer<typeof TargetSchema>;

export const BudgetItemSchema = z.object({
  name: str,
  amount: num,
  unit_price: num,
  quantity: num,
});
export type BudgetItem = z.infer<typeof BudgetItemSchema>;

const TargetProvSchema = z.object({
  level1: prov, level2: prov, level3: prov, value: prov, description: prov, parts: PartsProvSchema.optional(),
});
const BudgetItemProvSchema = z.object({ name: prov, amount: prov, unit_price: prov, quantity: prov });

export const TargetFormProvenanceSchema = z.object({
  tables: z.array(ProvenanceSchema),
  name: prov,
  department: prov,
  implementer: prov,
  year: prov,
  unit: prov,
  category: prov,
  start: prov,
  end: prov,
  funds_total: prov,
  amount_total: prov,
  code: prov.optional(),
  period: prov.optional(),
  project_type: prov.optional(),
  new_or_continuing: prov.optional(),
  funds_year: prov.optional(),
  policy_basis: prov.optional(),
  calc_basis: prov.optional(),
  annual_goal: prov.optional(),
  long_term_goal: prov.optional(),
  targets: z.array(TargetProvSchema),
  budget_items: z.array(BudgetItemProvSchema),
  /** Header fields of the form (项目负责人, 联系电话 …) with their cells, blank ones included. */
  fields: z.record(z.string(), prov),
});
export type TargetFormProvenance = z.infer<typeof TargetFormProvenanceSchema>;

export const TargetFormDocSchema = z.object({
  kind: z.literal("目标申报表"),
  /** A 申报表 carries no 自评报告; kept for the interchange format's shape. */
  report: z.null(),
  name: str,
  department: str,
  implementer: str,
  year: z.number().int().nullable(),
  unit: str,
  category: str,
  start: str,
  end: str,
  /** 项目总预算 / 项目总金额（中期规划）. */
  funds_total: num,
  targets: z.array(TargetSchema),
  budget_items: z.array(BudgetItemSchema),
  /** 金额合计 of the 项目预算分解. */
  amount_total: num,
  /** 项目编码. */
  code: str.default(null),
  /** 实施期限 / 起止时间, verbatim. */
  period: str.default(null),
  /** 项目类型. */
  project_type: str.default(null),
  /** "新增" or "延续" (from 项目属性 or 是否新增项目; the printed text is in the provenance). */
  new_or_continuing: z.enum(["新增", "延续"]).nullable().default(null),
  /** 本年度项目金额 / 当年预算 / 年度资金总额. */
  funds_year: num.default(null),
  /** 政策依据 / 立项依据. */
  policy_basis: str.default(null),
  /** 测算依据. */
  calc_basis: str.default(null),
  /** 年度目标 / 年度绩效目标. */
  annual_goal: str.default(null),
  /** 长期目标 / 总体目标. */
  long_term_goal: str.default(null),
  /** Every labelled header field of the form, verbatim (null when blank), e.g. {"项目负责人": null}. */
  fields: z.record(z.string(), str),
  ...completeness,
  provenance: TargetFormProvenanceSchema,
});
export type TargetFormDoc = z.infer<typeof TargetFormDocSchema>;

/** 年度主要任务 of a 部门整体 form. */
export const DeptTaskSchema = z.object({ name: str, amount: num, description: str });
export type DeptTask = z.infer<typeof DeptTaskSchema>;

export const DeptProvenanceSchema = z.object({
  tables: z.array(ProvenanceSchema),
  name: prov,
  code: prov,
  department: prov,
  year: prov,
  unit: prov,
  duties: prov,
  goals: z.object({ expected: prov, adjusted: prov, actual: prov }),
  funds: FundsProvSchema,
  tasks: z.array(z.object({ name: prov, amount: prov, description: prov })),
  indicators: z.array(IndicatorProvSchema),
  total: z.object({ weight: prov, score: prov }),
  fields: z.record(z.string(), prov),
});
export type DeptProvenance = z.infer<typeof DeptProvenanceSchema>;

/** 部门整体支出绩效自评表 (`form` 自评表) / 部门整体绩效目标表 (`form` 目标表): a department's whole budget, no 项目名称. */
export const DeptDocSchema = z.object({
  kind: z.literal("部门整体"),
  form: z.enum(["自评表", "目标表"]),
  report: z.null(),
  /** 部门(单位)名称. */
  name: str,
  /** 部门编码. */
  code: str,
  /** 主管部门, when printed apart from the name. */
  department: str,
  year: z.number().int().nullable(),
  unit: str,
  /** 部门职能职责概述. */
  duties: str,
  /** 年度绩效总目标 / 年初绩效目标; 全年(调整)绩效目标; 全年目标实际完成情况. */
  goals: z.object({ expected: str, adjusted: str, actual: str }),
  funds: FundsSchema,
  tasks: z.array(DeptTaskSchema),
  /** level1/2/3, target (with parts when split), actual, weight, score, deviation (说明 / 偏差原因), description. */
  indicators: z.array(IndicatorSchema),
  /** 自评总分 (score) and its scale (weight). */
  total: z.object({ weight: num, score: num }),
  fields: z.record(z.string(), str),
  ...completeness,
  provenance: DeptProvenanceSchema,
});
export type DeptDoc = z.infer<typeof DeptDocSchema>;

export const PerfDocSchema = z.discriminatedUnion("kind", [SelfEvalDocSchema, TargetFormDocSchema, DeptDocSchema]);
export type PerfDoc = z.infer<typeof PerfDocSchema>;

export const FileErrorSchema = z.object({ code: z.string(), message: z.string() });
export type FileError = z.infer<typeof FileErrorSchema>;

/** A workbook's sheet and what became of it: a hidden or empty sheet is named, never silently dropped. */
export const SheetInfoSchema = z.object({
  name: z.string(),
  state: z.enum(["visible", "hidden", "veryHidden"]),
  /** The sheet holds no text at all. */
  empty: z.boolean(),
  /** Indexes of the documents read from the sheet. */
  documents: z.array(z.number().int()),
});
export type SheetInfo = z.infer<typeof SheetInfoSchema>;

export const FileResultSchema = z.object({
  file: z.string(),
  format: z.string().nullable(),
  documents: z.array(PerfDocSchema),
  error: FileErrorSchema.nullable(),
  /** Workbooks only: every sheet in order. */
  sheets: z.array(SheetInfoSchema).optional(),
});
export type FileResult = z.infer<typeof FileResultSchema>;

export const ExtractOutputSchema = z.object({ files: z.array(FileResultSchema) });
export type ExtractOutput = z.infer<typeof ExtractOutputSchema>;

/** Every funds row of a funds block: the canonical four, then the further source rows. */
export function fundsRows(funds: Funds): FundsRow[] {
  return [funds.total, funds.fiscal, funds.carryover, funds.other, ...(funds.more ?? [])];
}

/** Source rows (everything but 年度资金总额) whose sum is the total. */
export function sourceRows(funds: Funds): FundsRow[] {
  return [funds.fiscal, funds.carryover, funds.other, ...(funds.more ?? [])];
}
