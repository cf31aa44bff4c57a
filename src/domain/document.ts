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

export const FundsSchema = z.object({
  total: FundsRowSchema,
  fiscal: FundsRowSchema,
  carryover: FundsRowSchema,
  other: FundsRowSchema,
});
export type Funds = z.infer<typeof FundsSchema>;

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
const IndicatorProvSchema = z.object({
  level1: prov, level2: prov, level3: prov, target: prov, actual: prov, weight: prov, score: prov, deviation: prov,
});

export const SelfEvalProvenanceSchema = z.object({
  table: prov,
  name: prov,
  department: prov,
  implementer: prov,
  year: prov,
  unit: prov,
  funds: z.object({ total: FundsRowProvSchema, fiscal: FundsRowProvSchema, carryover: FundsRowProvSchema, other: FundsRowProvSchema }),
  goals: z.object({ expected: prov, actual: prov }),
  indicators: z.array(IndicatorProvSchema),
  total: z.object({ weight: prov, score: prov }),
  report: z.object({ title: prov, sections: z.array(prov) }).nullable(),
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
  provenance: SelfEvalProvenanceSchema,
});
export type SelfEvalDoc = z.infer<typeof SelfEvalDocSchema>;

export const TargetSchema = z.object({
  level1: str,
  level2: str,
  level3: str,
  value: str,
  description: str,
});
export type Target = z.infer<typeof TargetSchema>;

export const BudgetItemSchema = z.object({
  name: str,
  amount: num,
  unit_price: num,
  quantity: num,
});
export type BudgetItem = z.infer<typeof BudgetItemSchema>;

const TargetProvSchema = z.object({ level1: prov, level2: prov, level3: prov, value: prov, description: prov });
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
  funds_total: num,
  targets: z.array(TargetSchema),
  budget_items: z.array(BudgetItemSchema),
  amount_total: num,
  /** Every labelled header field of the form, verbatim (null when blank), e.g. {"项目负责人": null}. */
  fields: z.record(z.string(), str),
  provenance: TargetFormProvenanceSchema,
});
export type TargetFormDoc = z.infer<typeof TargetFormDocSchema>;

export const PerfDocSchema = z.discriminatedUnion("kind", [SelfEvalDocSchema, TargetFormDocSchema]);
export type PerfDoc = z.infer<typeof PerfDocSchema>;

export const FileErrorSchema = z.object({ code: z.string(), message: z.string() });
export type FileError = z.infer<typeof FileErrorSchema>;

export const FileResultSchema = z.object({
  file: z.string(),
  format: z.string().nullable(),
  documents: z.array(PerfDocSchema),
  error: FileErrorSchema.nullable(),
});
export type FileResult = z.infer<typeof FileResultSchema>;

export const ExtractOutputSchema = z.object({ files: z.array(FileResultSchema) });
export type ExtractOutput = z.infer<typeof ExtractOutputSchema>;
