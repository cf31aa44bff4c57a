// src/suggest/apply.ts: a value the model proposed is written only into a vague 指标值, and only when it is
// measurable itself (the same checks as when it was proposed).
import { describe, expect, it } from "vitest";
import { checkProposal } from "../src/suggest/apply.ts";
import { ind, selfEval, standardIndicators, targetForm } from "./helpers/docs.ts";

const vague = selfEval({ indicators: [ind("数量指标", "有所提高", "提高", 20, 20), ...standardIndicators().slice(1)] });
const form = targetForm({ targets: [{ level1: "产出指标", level2: "数量指标", level3: "培训人次", value: "显著提升", description: null }] });

describe("may a proposed value be applied", () => {
  it.each([
    ["a measurable value for a vague 自评表 target", vague, "indicators[0].target", "≥5场", { ok: true, field: "indicators[0].target" }],
    ["a measurable value for a vague 申报表 target", form, "targets[0].value", "≥200人次", { ok: true, field: "targets[0].value" }],
    ["a value that is still vague", vague, "indicators[0].target", "进一步提高", { ok: false, code: "NOT_MEASURABLE" }],
    ["a number without a unit", vague, "indicators[0].target", "5", { ok: false, code: "NOT_MEASURABLE" }],
    ["a target that is already measurable", vague, "indicators[1].target", "≥96%", { ok: false, code: "NO_SUGGESTION" }],
    ["a cell that is not a target", vague, "indicators[0].actual", "6场", { ok: false, code: "NO_SUGGESTION" }],
    ["a row that does not exist", vague, "indicators[40].target", "≥5场", { ok: false, code: "NO_SUGGESTION" }],
    ["no field", vague, undefined, "≥5场", { ok: false, code: "NO_SUGGESTION" }],
  ])("%s → %j", (_why, doc, field, value, expected) => {
    expect(checkProposal(doc, field, value)).toMatchObject(expected);
  });

  it("says why in Chinese", () => {
    expect(checkProposal(vague, "indicators[1].target", "≥96%")).toEqual({ ok: false, code: "NO_SUGGESTION", message: "只能用建议值替换不可衡量的指标值" });
    expect(checkProposal(vague, "indicators[0].target", "进一步提高")).toEqual({ ok: false, code: "NOT_MEASURABLE", message: "建议值“进一步提高”仍不可衡量（缺少数值或单位），未写入" });
  });
});
