// The output schemas of the prompt files in prompts/, next to each other so a prompt and the shape it asks for
// change together. Strict-structured-output friendly: every field required, absence written as null.
import { z } from "zod";

/** prompts/draft-section: one section of the 自评报告. */
export const DraftSectionOutputSchema = z.object({
  heading: z.string(),
  text: z.string(),
});
export type DraftSectionOutput = z.infer<typeof DraftSectionOutputSchema>;

/** prompts/draft-report: all six sections (domain.md §5 B), in order. */
export const DraftReportOutputSchema = z.object({
  sections: z.array(DraftSectionOutputSchema),
});
export type DraftReportOutput = z.infer<typeof DraftReportOutputSchema>;

/**
 * prompts/extract-fallback: one value per requested interchange path (e.g. "funds.total.initial",
 * "indicators.2.target"). `text` must occur verbatim in the fragment; the caller checks it before use.
 */
export const ExtractFallbackOutputSchema = z.object({
  fields: z.array(
    z.object({
      path: z.string(),
      value: z.union([z.number(), z.string()]).nullable(),
      text: z.string().nullable(),
    }),
  ),
});
export type ExtractFallbackOutput = z.infer<typeof ExtractFallbackOutputSchema>;

/** prompts/suggest-targets: a measurable 指标值 and its 取值依据 for each vague target, by the caller's index. */
export const SuggestTargetsOutputSchema = z.object({
  suggestions: z.array(
    z.object({
      index: z.number().int(),
      target: z.string(),
      basis: z.string(),
    }),
  ),
});
export type SuggestTargetsOutput = z.infer<typeof SuggestTargetsOutputSchema>;
