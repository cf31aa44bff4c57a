// The form vocabulary's lookups (src/domain/vocabulary.ts over data/forms.json): label normal form,
// units (rate units made of two units included), placeholders and level names.
import { describe, expect, it } from "vitest";
import { isPlaceholderText, isUnitWord, labelKey, level1Of, level2Of, unitSuffix } from "../src/domain/vocabulary.ts";

describe("form vocabulary", () => {
  it("compares labels in one normal form: no *, colon, notes in brackets, 其中 or numbering, half-width", () => {
    for (const l of ["*其他资金：", "＊其他资金:", "其他资金（万元）", "其中：其他资金", "3.其他资金"]) expect(labelKey(l)).toBe("其他资金");
  });

  it("knows rate units made of two units, and only those", () => {
    for (const u of ["元/米", "万元/公里", "次/年", "人次/月", "元每人", "万元"]) expect(isUnitWord(u)).toBe(true);
    for (const u of ["元/米/年/x", "/米", "每米绿化美化成本", "米/"]) expect(isUnitWord(u)).toBe(false);
    expect(unitSuffix("≤440元/米")).toBe("元/米");
    expect(unitSuffix("6.47亿元")).toBe("亿元");
    expect(unitSuffix("≥735人次")).toBe("人次");
    expect(unitSuffix("良好")).toBeNull();
  });

  it("reads placeholders and level names", () => {
    for (const p of ["不适用", "无", "/", "——", "不适用。"]) expect(isPlaceholderText(p)).toBe(true);
    for (const p of ["", "无障碍设施", "0"]) expect(isPlaceholderText(p)).toBe(false);
    expect(level1Of("产出")).toBe("产出指标");
    expect(level2Of("生态效益")).toEqual({ canonical: "生态效益指标", level1: "效益指标" });
    expect(level2Of("每米绿化美化成本")).toBeNull();
  });
});
