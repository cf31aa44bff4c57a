// Whether a value the model proposed may be written into a document. The client sends the proposal back
// (from /llm-suggestions), so it is checked again as when it was proposed (src/suggest/llm.ts): the cell is
// an indicator's 指标值 that is vague now, and the value is measurable. Pure: data in, data out.
import type { PerfDoc } from "../domain/document.ts";
import { readField } from "../domain/edit.ts";
import { vagueTarget } from "../validate/vague.ts";
import { isMeasurable } from "./index.ts";

/** The cells a proposal may replace: a 自评表/部门整体 indicator's target, a 申报表 target's value. */
const TARGET_CELL = /^(indicators\[\d+\]\.target|targets\[\d+\]\.value)$/;

/** `field`, when the value may be written there. */
export type ProposalVerdict = { ok: true; field: string } | { ok: false; code: "NO_SUGGESTION" | "NOT_MEASURABLE"; message: string };

export function checkProposal(doc: PerfDoc, field: string | undefined, value: string): ProposalVerdict {
  const target = field ? readField(doc, field) : undefined;
  if (!field || !TARGET_CELL.test(field) || typeof target !== "string" || !vagueTarget(target).vague) {
    return { ok: false, code: "NO_SUGGESTION", message: "只能用建议值替换不可衡量的指标值" };
  }
  if (!isMeasurable(value)) return { ok: false, code: "NOT_MEASURABLE", message: `建议值“${value}”仍不可衡量（缺少数值或单位），未写入` };
  return { ok: true, field };
}
