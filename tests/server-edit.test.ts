// applyEdit (src/domain/edit.ts): one cell edit by interchange path → a new, schema-valid document.
import { describe, expect, it } from "vitest";
import { applyEdit, EditError, readField } from "../src/domain/edit.ts";
import { PerfDocSchema, type PerfDoc, type SelfEvalDoc } from "../src/domain/document.ts";
import { report, selfEval, targetForm } from "./helpers/docs.ts";

const base = (): SelfEvalDoc => selfEval({ report: report([["一、项目基本情况", "概况"], ["五、存在的问题", ""]]).report });

describe("applyEdit: values land where the path says, typed as the schema wants", () => {
  const rows: { field: string; value: string | number | null; expected: unknown; why: string }[] = [
    { field: "indicators[3].actual", value: "5万元", expected: "5万元", why: "text cells keep the user's text verbatim" },
    { field: "indicators[0].target", value: " ≥ 6场 ", expected: " ≥ 6场 ", why: "no trimming of text: the validator reads what was typed" },
    { field: "indicators[0].weight", value: "２０", expected: 20, why: "full-width digits are numbers" },
    { field: "indicators[0].score", value: "１２.５", expected: 12.5, why: "full-width digits with a half-width point" },
    { field: "funds.total.executed", value: "12.5万元", expected: 12.5, why: "a unit after the number is accepted" },
    { field: "funds.total.adjusted", value: "1,234.5", expected: 1234.5, why: "thousands separators" },
    { field: "funds.fiscal.initial", value: 7, expected: 7, why: "a JSON number is taken as is" },
    { field: "funds.total.rate", value: "95.00%", expected: "95.00%", why: "执行率 is kept as printed text" },
    { field: "funds.carryover.executed", value: "", expected: null, why: "blank input clears a number cell" },
    { field: "indicators[2].deviation", value: "", expected: null, why: "blank input clears a text cell" },
    { field: "total.score", value: "98", expected: 98, why: "总分/得分" },
    { field: "total.weight", value: null, expected: null, why: "null clears" },
    { field: "goals.expected", value: "开展活动6场", expected: "开展活动6场", why: "年度总体目标" },
    { field: "goals.actual", value: "开展活动7场", expected: "开展活动7场", why: "实际完成情况" },
    { field: "name", value: "<img src=x onerror=alert(1)>", expected: "<img src=x onerror=alert(1)>", why: "text is data, not markup" },
    { field: "year", value: "2025", expected: 2025, why: "year is an integer" },
    { field: "indicators[1].actual", value: 98, expected: "98", why: "a number typed into a text cell becomes its text" },
    { field: "indicators[1].level3", value: "宣传覆盖人数", expected: "宣传覆盖人数", why: "field names with digits (level1/2/3) are paths too" },
    { field: "indicators[0].level2", value: "数量指标", expected: "数量指标", why: "二级指标" },
  ];
  for (const r of rows) {
    it(`${r.field} ← ${JSON.stringify(r.value)}: ${r.why}`, () => {
      const before = base();
      const after = applyEdit(before, r.field, r.value);
      expect(readField(after, r.field)).toEqual(r.expected);
      expect(PerfDocSchema.safeParse(after).success).toBe(true);
    });
  }

  it("returns a new document and leaves the input untouched", () => {
    const before = base();
    const snapshot = structuredClone(before);
    const after = applyEdit(before, "indicators[0].actual", "8场");
    expect(after).not.toBe(before);
    expect(before).toEqual(snapshot);
    expect(after.kind === "自评表" && after.indicators[0]!.actual).toBe("8场");
  });

  it("editing a report section keeps text_present in step", () => {
    const after = applyEdit(base(), "report.sections[1].text", "资金拨付滞后。") as SelfEvalDoc;
    expect(after.report!.sections[1]).toMatchObject({ text: "资金拨付滞后。", text_present: true });
    const cleared = applyEdit(after, "report.sections[1].text", "") as SelfEvalDoc;
    expect(cleared.report!.sections[1]).toMatchObject({ text: "", text_present: false });
  });

  it("edits a 申报表's targets and amounts", () => {
    const form: PerfDoc = targetForm({ targets: [{ level1: "产出指标", level2: "数量指标", level3: "宣传场次", value: "及时", description: null }] });
    const a = applyEdit(form, "targets[0].value", "≥5场");
    expect(readField(a, "targets[0].value")).toBe("≥5场");
    expect(readField(applyEdit(form, "funds_total", "１０万元"), "funds_total")).toBe(10);
    expect(readField(applyEdit(form, "targets[0].level3", "宣传活动场次"), "targets[0].level3")).toBe("宣传活动场次");
    expect(readField(applyEdit(form, "policy_basis", "《禁毒法》"), "policy_basis")).toBe("《禁毒法》");
    expect(readField(applyEdit(form, "funds_year", "8"), "funds_year")).toBe(8);
  });
});

describe("applyEdit: unknown paths and wrong types are typed errors with Chinese messages", () => {
  const bad: { field: string; value: string | number | null; code: string; message: RegExp; why: string }[] = [
    { field: "indicators[99].actual", value: "1", code: "UNKNOWN_FIELD", message: /只有 7 项指标/, why: "index past the end" },
    { field: "indicators[0].colour", value: "1", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "no such column" },
    { field: "funds.total.foo", value: "1", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "no such funds column" },
    { field: "funds.bonus.executed", value: "1", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "no such funds row" },
    { field: "provenance.name", value: "x", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "provenance is not user-editable" },
    { field: "kind", value: "目标申报表", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "the kind is not a cell" },
    { field: "indicators[0]", value: "x", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "a whole row is not a cell" },
    { field: "__proto__.polluted", value: "x", code: "UNKNOWN_FIELD", message: /写法无法识别|不是可编辑/, why: "no prototype pollution" },
    { field: "__proto__", value: "x", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "no prototype as a top-level key" },
    { field: "constructor", value: "x", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "inherited keys are not fields" },
    { field: "indicators[0].constructor", value: "x", code: "UNKNOWN_FIELD", message: /不是可编辑的字段/, why: "inherited keys are not columns" },
    { field: "report.sections[9].text", value: "x", code: "UNKNOWN_FIELD", message: /没有这一节/, why: "no such section" },
    { field: "indicators[0].weight", value: "十分", code: "WRONG_TYPE", message: /应为数字/, why: "not a number" },
    { field: "funds.total.executed", value: "约6万元", code: "WRONG_TYPE", message: /年度资金总额\/全年执行数.*应为数字/, why: "approximate text in a number cell" },
    { field: "year", value: "2023.5", code: "WRONG_TYPE", message: /应为整数/, why: "year must be an integer" },
    { field: "total.score", value: Number.NaN, code: "WRONG_TYPE", message: /应为数字/, why: "NaN is not a number" },
  ];
  for (const r of bad) {
    it(`${r.field} ← ${JSON.stringify(r.value)}: ${r.why}`, () => {
      let err: unknown;
      try {
        applyEdit(base(), r.field, r.value);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EditError);
      expect((err as EditError).code).toBe(r.code);
      expect((err as EditError).message).toMatch(r.message);
      expect((err as EditError).message).toMatch(/[\u4e00-\u9fff]/);
    });
  }

  it("a 申报表 has no indicators and a 自评表 has no targets", () => {
    expect(() => applyEdit(targetForm(), "indicators[0].actual", "1")).toThrow(EditError);
    expect(() => applyEdit(base(), "targets[0].value", "1")).toThrow(EditError);
  });
});
