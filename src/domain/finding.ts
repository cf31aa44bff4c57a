// Findings of the validator (and of the draft checker): stable code, severity, location, Chinese
// message with the numbers involved, a concrete fix, and the provenance of the cells concerned.
import { z } from "zod";
import { ProvenanceSchema } from "./document.ts";

export const SeveritySchema = z.enum(["error", "warning", "info"]);
export type Severity = z.infer<typeof SeveritySchema>;

export const WhereSchema = z.object({
  /** Index of the document in its file. */
  document: z.number().int(),
  /** 项目名称 of the document. */
  project: z.string().nullable(),
  /** Index into the document's indicators (自评表) or targets (申报表), when the finding concerns one. */
  indicator: z.number().int().optional(),
  /** Human-readable place, e.g. "产出指标/数量指标/社区戒毒康复工作站个数" or "年度资金总额/执行率". */
  label: z.string(),
  /** Field concerned, in interchange-format terms, e.g. "funds.total.rate", "indicators[3].target". */
  field: z.string().optional(),
  /** Character offsets [start, end) in the text of `field` (draft findings). */
  span: z.tuple([z.number().int(), z.number().int()]).optional(),
});
export type Where = z.infer<typeof WhereSchema>;

export const SuggestionSchema = z.object({
  /** The proposed text (e.g. a measurable 指标值) or action. */
  text: z.string(),
  /** Where the proposal comes from, in Chinese (e.g. "取自年度总体目标：开展5场活动"). */
  basis: z.string(),
  /** Field the proposal would replace, when it can be applied with one click. */
  field: z.string().optional(),
  /** The value to write into `field` when applied. */
  value: z.union([z.string(), z.number(), z.null()]).optional(),
  source: z.enum(["document", "library", "rule", "llm"]),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

/** One place of a grouped finding: the cell, what is wrong there, and its own fix. */
export const PlaceSchema = z.object({
  where: WhereSchema,
  message: z.string(),
  suggestion: SuggestionSchema.nullable(),
  /** Other codes raised on the same cell and merged into this place (one fault, one finding). */
  also: z.array(z.string()).optional(),
  provenance: z.array(ProvenanceSchema),
});
export type Place = z.infer<typeof PlaceSchema>;

export const FindingSchema = z.object({
  code: z.string(),
  severity: SeveritySchema,
  /** The first place (the only one when `places` is absent). */
  where: WhereSchema,
  message: z.string(),
  /** How to fix it, in Chinese. */
  fix: z.string(),
  suggestion: SuggestionSchema.nullable(),
  provenance: z.array(ProvenanceSchema),
  /** Other codes merged in: raised on the same cell for the same fault (all reasons are in the message). */
  also: z.array(z.string()).optional(),
  /** Every place of this code in the document, when there are several (the finding is then one group). */
  places: z.array(PlaceSchema).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
