// src/review/overrides.ts: when a written reason may stand in for a fix — accepting a document or a draft
// with error findings left, and waiving a review opinion.
import { describe, expect, it } from "vitest";
import { isWrittenReason, MIN_REASON_CHARS, requireOverrides, resolveOverrides, UnresolvedErrors, writtenReason, type Overridable } from "../src/review/overrides.ts";

describe("a written reason", () => {
  it.each([
    ["四个汉字", "已经核实", true],
    ["letters and digits count alike", "ok12", true],
    ["three characters are not enough", "已核实", false],
    ["punctuation does not count", "。。。。", false],
    ["nor spaces", "已 核 实", false],
    ["zero-width characters do not count", "已\u200b核\u200b实\u200b", false],
    ["an empty reason", "", false],
  ])("%s: %j → %s", (_why, reason, written) => {
    expect(isWrittenReason(reason)).toBe(written);
  });

  it("is recorded trimmed; a reason that is not written is null", () => {
    expect(writtenReason("  资金已另行拨付 \n")).toBe("资金已另行拨付");
    expect(writtenReason("  。 ")).toBeNull();
    expect(writtenReason(undefined)).toBeNull();
    expect(MIN_REASON_CHARS).toBe(4);
  });
});

const f = (id: string, severity: string, field?: string): Overridable => ({ id, code: id.split("@")[0]!, severity, where: field === undefined ? {} : { field } });

describe("overrides at acceptance", () => {
  const findings = [f("FUNDS_SUM@funds.total.initial", "error", "funds.total.initial"), f("VAGUE_TARGET@indicators[0].target", "warning", "indicators[0].target"), f("TOTAL@合计", "error")];

  it.each([
    ["a reason for every error; warnings need none", [{ findingId: "FUNDS_SUM@funds.total.initial", reason: "上级文件另有规定" }, { findingId: "TOTAL@合计", reason: "按原表填报" }], ["FUNDS_SUM@funds.total.initial", "TOTAL@合计"], []],
    ["no reasons: every error is missing", [], [], ["FUNDS_SUM@funds.total.initial", "TOTAL@合计"]],
    ["a reason too short is missing", [{ findingId: "FUNDS_SUM@funds.total.initial", reason: "已核" }, { findingId: "TOTAL@合计", reason: "按原表填报" }], ["TOTAL@合计"], ["FUNDS_SUM@funds.total.initial"]],
    ["a reason for a warning is not recorded", [{ findingId: "VAGUE_TARGET@indicators[0].target", reason: "沿用上年口径" }], [], ["FUNDS_SUM@funds.total.initial", "TOTAL@合计"]],
    ["a reason for a finding that is gone is ignored", [{ findingId: "GONE@x", reason: "已经修改过了" }], [], ["FUNDS_SUM@funds.total.initial", "TOTAL@合计"]],
  ])("%s", (_why, given, recorded, missing) => {
    const r = resolveOverrides(findings, given);
    expect(r.overrides.map((o) => o.findingId)).toEqual(recorded);
    expect(r.missing.map((m) => m.id)).toEqual(missing);
  });

  it("records the finding's code, its field (null when it names none) and the trimmed reason", () => {
    const r = resolveOverrides(findings, [{ findingId: "FUNDS_SUM@funds.total.initial", reason: " 上级文件另有规定 " }, { findingId: "TOTAL@合计", reason: "按原表填报" }]);
    expect(r.overrides).toEqual([
      { findingId: "FUNDS_SUM@funds.total.initial", code: "FUNDS_SUM", field: "funds.total.initial", reason: "上级文件另有规定" },
      { findingId: "TOTAL@合计", code: "TOTAL", field: null, reason: "按原表填报" },
    ]);
  });

  it("requireOverrides refuses with the findings still lacking a reason, and says how many", () => {
    let thrown: unknown;
    try {
      requireOverrides(findings, [{ findingId: "TOTAL@合计", reason: "按原表填报" }]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UnresolvedErrors);
    const e = thrown as UnresolvedErrors;
    expect(e.code).toBe("UNRESOLVED_ERRORS");
    expect(e.findings.map((x) => x.id)).toEqual(["FUNDS_SUM@funds.total.initial"]);
    expect(e.message).toBe("还有 1 个错误级问题未处理：请先修改，或逐条写明不修改的理由（每条至少 4 个字）");
    expect(requireOverrides([f("W@x", "warning")], [])).toEqual([]);
  });
});
