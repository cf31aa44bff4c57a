// One row per rule of domain.md §4: the input, the finding expected (or not), and why.
import { describe, expect, it } from "vitest";
import type { PerfDoc, SelfEvalDoc } from "../src/domain/document.ts";
import { validateDocuments } from "../src/validate/index.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { ind, report, selfEval, standardIndicators, targetForm } from "./helpers/docs.ts";

const codes = (docs: PerfDoc[], d = 0) => validateDocuments(docs, defaultProfile())[d]!.map((f) => f.code);
const findingsOf = (docs: PerfDoc[], d = 0) => validateDocuments(docs, defaultProfile())[d]!;

function withIndicator(i: number, patch: Partial<SelfEvalDoc["indicators"][number]>, doc = selfEval()): SelfEvalDoc {
  doc.indicators[i] = { ...doc.indicators[i]!, ...patch };
  return doc;
}

const FULL_REPORT = report([
  ["一、项目基本情况", "项目总资金6万元，全年执行6万元，执行率100%。"],
  ["二、绩效评价工作情况", "（一）评价目的\n（二）评价过程：采用问卷调查，样本120份。"],
  ["三、综合评价情况及评价结论", "自评得分100分，评价等级为优。"],
  ["四、项目主要绩效情况分析", "各项指标均完成。"],
  ["五、存在的问题", "宣传形式较单一。"],
  ["六、有关建议", "丰富宣传形式。"],
]).report;

describe("a consistent table has no error and no score warning", () => {
  it("standard document", () => {
    const f = findingsOf([selfEval({ report: FULL_REPORT })]);
    expect(f.filter((x) => x.severity === "error")).toEqual([]);
    expect(f.map((x) => x.code)).not.toContain("SCORE_SUM_MISMATCH");
    expect(f.map((x) => x.code)).not.toContain("ALL_FULL_MARKS".replace("ALL", "NONE"));
  });
});

describe("funds rules", () => {
  it.each([
    { why: "budget 0 with a printed 100%", total: { initial: 169.4, adjusted: 0, executed: null, weight: 10, rate: "100%", score: 10 }, code: "RATE_MISMATCH", present: true },
    { why: "wrong printed rate", total: { initial: 10, adjusted: 10, executed: 8, weight: 10, rate: "100%", score: 8 }, code: "RATE_MISMATCH", present: true },
    { why: "wrong execution points", total: { initial: 10, adjusted: 10, executed: 8, weight: 10, rate: "80.00%", score: 10 }, code: "RATE_MISMATCH", present: true },
    { why: "rate within 0.01 pp", total: { initial: 3, adjusted: 3, executed: 2, weight: 10, rate: "66.67%", score: 6.67 }, code: "RATE_MISMATCH", present: false },
    { why: "rate left blank", total: { initial: 6, adjusted: 6, executed: 6, weight: 10, rate: null, score: 10 }, code: "RATE_MISSING", present: true },
    { why: "B > A", total: { initial: 10, adjusted: 10, executed: 11, weight: 10, rate: "110.00%", score: 10 }, code: "EXEC_OVER_100", present: true },
    { why: "B > A is still capped: no RATE_MISMATCH for 10 points", total: { initial: 10, adjusted: 10, executed: 11, weight: 10, rate: "110.00%", score: 10 }, code: "RATE_MISMATCH", present: false },
    { why: "low execution without a reason", total: { initial: 10, adjusted: 10, executed: 5, weight: 10, rate: "50.00%", score: 5 }, code: "LOW_EXEC_NO_REASON", present: true },
    { why: "budget adjusted without explanation", total: { initial: 10, adjusted: 12, executed: 12, weight: 10, rate: "100.00%", score: 10 }, code: "BUDGET_ADJ_UNEXPLAINED", present: true },
  ])("$why → $code $present", ({ total, code, present }) => {
    const doc = selfEval({ funds: { total, fiscal: { initial: total.initial, adjusted: total.adjusted, executed: total.executed } } });
    expect(codes([doc]).includes(code)).toBe(present);
  });
  it("further source rows (四川 单位资金) count in the sum; a breakdown of 财政拨款 (市级资金) is not counted twice", () => {
    const row = (initial: number, adjusted: number, executed: number) => ({ initial, adjusted, executed, weight: null, rate: null, score: null });
    const sichuan = selfEval({ funds: { total: { initial: 48, adjusted: 52.5, executed: 51.8, weight: 10, rate: "98.67%", score: 9.87 }, fiscal: { initial: 48, adjusted: 50, executed: 49.3 } } });
    sichuan.funds.more = [{ label: "财政专户管理资金", ...row(0, 0, 0) }, { label: "单位资金", ...row(0, 2.5, 2.5) }];
    expect(codes([sichuan])).not.toContain("FUNDS_SUM_MISMATCH");
    const breakdown = selfEval({ funds: { total: { initial: 10, adjusted: 10, executed: 10, weight: 10, rate: "100%", score: 10 }, fiscal: { initial: 10, adjusted: 10, executed: 10 } } });
    breakdown.funds.more = [{ label: "中央资金", ...row(4, 4, 4) }, { label: "市级资金", ...row(6, 6, 6) }];
    expect(codes([breakdown])).not.toContain("FUNDS_SUM_MISMATCH");
    sichuan.funds.more[1] = { label: "单位资金", ...row(0, 3, 3) };
    const f = validateDocuments([sichuan], defaultProfile())[0]!.find((x) => x.code === "FUNDS_SUM_MISMATCH");
    expect(f?.message).toContain("单位资金 3");
  });

  it("source rows that do not add up, per column", () => {
    const doc = selfEval({
      funds: {
        total: { initial: 169.4, adjusted: 0, executed: null, weight: 10, rate: "100%", score: 10 },
        fiscal: { initial: 169.4, adjusted: 0, executed: null },
        carryover: { initial: 0, adjusted: 134.31, executed: 134.31 },
        other: { initial: 0, adjusted: 0, executed: 0 },
      },
    });
    const f = findingsOf([doc]).filter((x) => x.code === "FUNDS_SUM_MISMATCH");
    expect(f.map((x) => x.where.field)).toEqual(["funds.total.adjusted", "funds.total.executed"]);
    expect(f[0]!.message).toContain("134.31");
    expect(codes([doc])).toContain("FUND_ROW_RECLASS");
  });
});

describe("score rules", () => {
  it.each([
    { why: "score over weight", patch: { score: 25 }, i: 0, code: "SCORE_EXCEEDS_WEIGHT" },
    { why: "blank score with a weight", patch: { score: null }, i: 2, code: "SCORE_MISSING" },
    { why: "negative score", patch: { score: -1 }, i: 2, code: "SCORE_NEGATIVE" },
    { why: "shortfall with full marks", patch: { actual: "3场" }, i: 0, code: "SHORTFALL_FULL_SCORE" },
    { why: "deduction without reason", patch: { score: 18, actual: "4场" }, i: 0, code: "MISSING_DEVIATION" },
    { why: "score not by formula (4/5 × 20 = 16, printed 12)", patch: { score: 12, actual: "4场", deviation: "受疫情影响少开展1场" }, i: 0, code: "QUANT_SCORE_MISCALC" },
    { why: "large over-achievement without reason", patch: { actual: "9场" }, i: 0, code: "OVER_ACHIEVE_NO_REASON" },
  ])("$why → $code", ({ patch, i, code }) => {
    expect(codes([withIndicator(i, patch)])).toContain(code);
  });
  it("a non-numeric score is reported as not a number", () => {
    const doc = withIndicator(2, { score: null });
    doc.provenance.indicators[2]!.score = { file: "t.docx", table: 0, row: 12, col: 7, text: "满分" };
    const f = findingsOf([doc]).find((x) => x.code === "SCORE_MISSING")!;
    expect(f.message).toMatch(/得分写成“满分”，不是数字/);
  });
  it("deduction with a written reason is fine; 无 is not a reason", () => {
    expect(codes([withIndicator(0, { score: 16, actual: "4场", deviation: "受疫情影响少开展1场" })])).not.toContain("MISSING_DEVIATION");
    expect(codes([withIndicator(0, { score: 16, actual: "4场", deviation: "无" })])).toContain("MISSING_DEVIATION");
    expect(codes([withIndicator(0, { score: 16, actual: "4场", deviation: "暂无。" })])).toContain("MISSING_DEVIATION");
  });
  it("sum of scores differs from the printed total (blank score counted as 0)", () => {
    const doc = withIndicator(2, { score: null }, selfEval({ total: { weight: 100, score: 100 } }));
    const f = findingsOf([doc]).find((x) => x.code === "SCORE_SUM_MISMATCH")!;
    expect(f.severity).toBe("error");
    expect(f.message).toMatch(/= 90，表中总分为 100/);
  });
  it("weights not summing to 100, and non-standard first-level shares", () => {
    const doc = withIndicator(0, { weight: 30, score: 30 }, selfEval({ total: { weight: 110, score: 110 } }));
    expect(codes([doc])).toEqual(expect.arrayContaining(["WEIGHT_SUM_NOT_100", "WEIGHTS_NONSTANDARD"]));
    expect(codes([selfEval()])).not.toContain("WEIGHTS_NONSTANDARD");
  });
  it("all full marks with 100% execution", () => {
    expect(codes([selfEval()])).toContain("ALL_FULL_MARKS");
    expect(codes([withIndicator(0, { score: 19, actual: "4.75场", deviation: "少开展" }, selfEval({ total: { weight: 100, score: 99 } }))])).not.toContain("ALL_FULL_MARKS");
  });
  it("shared-score indicators count once", () => {
    const inds = standardIndicators();
    inds.splice(1, 1, ind("质量指标", "100%", "100%", 10, 10, { shared_score_with_next: true }), ind("质量指标", "≥95%", "100%", null, null));
    expect(codes([selfEval({ indicators: inds })])).not.toContain("SCORE_SUM_MISMATCH");
    expect(codes([selfEval({ indicators: inds })])).not.toContain("SCORE_MISSING");
  });
});

describe("target quality rules", () => {
  it.each([
    { why: "lexicon word", patch: { target: "明显提高", actual: "明显提高" }, code: "VAGUE_TARGET" },
    { why: "是/否", patch: { target: "是" }, code: "VAGUE_TARGET" },
    { why: "完成 for a numeric target", patch: { target: "80次", actual: "完成" }, code: "VAGUE_ACTUAL" },
    { why: "same non-numeric text", patch: { target: "持续影响", actual: "持续影响" }, code: "TARGET_EQUALS_ACTUAL_TEXT" },
    { why: "target repeats the name", patch: { level3: "全年化解矛盾纠纷2500件", target: "全年化解矛盾纠纷2500件" }, code: "TARGET_REPEATS_NAME" },
    { why: "name is a sentence", patch: { level3: "禁毒协会正常开展禁毒工作。" }, code: "NAME_IS_SENTENCE" },
    { why: "number without unit", patch: { target: "≥16" }, code: "MISSING_UNIT" },
    { why: "number without operator", patch: { target: "16个" }, code: "MISSING_OPERATOR" },
  ])("$why → $code", ({ patch, code }) => {
    expect(codes([withIndicator(0, patch)])).toContain(code);
  });
  it.each([
    ["≥5场", false],
    ["开展禁毒宣传活动≥5场", false],
    ["完成", true],
  ])("VAGUE_TARGET on %s: %s", (target, present) => {
    expect(codes([withIndicator(0, { target })]).includes("VAGUE_TARGET")).toBe(present);
  });
  it.each([
    ["2020年全年", true],
    ["及时", true],
    ["12月31日前完成", false],
    ["按期完成率=100%", false],
    ["30个工作日内", false],
  ])("TIMELINESS_NO_DATE on %s: %s", (target, present) => {
    expect(codes([withIndicator(2, { target })]).includes("TIMELINESS_NO_DATE")).toBe(present);
  });
  it("cost indicators must match the budget; parts are summed", () => {
    // A cap above the budget is wrong; a cap below it is a cost-control target, not a mismatch.
    expect(codes([withIndicator(3, { target: "≤8万元", actual: "6万元" })])).toContain("COST_BUDGET_MISMATCH");
    expect(codes([withIndicator(3, { target: "≤5万元", actual: "5万元" })])).not.toContain("COST_BUDGET_MISMATCH");
    // A plain amount is the project's cost and must be the budget.
    expect(codes([withIndicator(3, { target: "5万元", actual: "5万元" })])).toContain("COST_BUDGET_MISMATCH");
    expect(codes([withIndicator(3, { target: "60000元" })])).not.toContain("COST_BUDGET_MISMATCH");
    expect(codes([withIndicator(3, { target: "≤50元/人" })])).not.toContain("COST_BUDGET_MISMATCH");
    const inds = standardIndicators();
    inds.splice(3, 1, ind("成本指标", "4万元", null, 10, 10, { shared_score_with_next: true }), ind("成本指标", "1.5万元", null, null, null));
    const f = findingsOf([selfEval({ indicators: inds })]).find((x) => x.code === "COST_BUDGET_MISMATCH")!;
    expect(f.message).toContain("4 + 1.5 = 5.5");
  });
  it("money as output, satisfaction without survey, weights typed as targets", () => {
    expect(codes([withIndicator(0, { target: "财政拨款5万元" })])).toContain("INPUT_AS_OUTPUT");
    expect(codes([selfEval()])).toContain("SATISFACTION_NO_SURVEY");
    expect(codes([selfEval({ report: FULL_REPORT })])).not.toContain("SATISFACTION_NO_SURVEY");
    const doc = selfEval();
    doc.indicators[0]!.target = "20";
    doc.indicators[1]!.target = "10";
    expect(codes([doc])).toContain("WEIGHT_AS_TARGET");
  });
  it("missing core dimensions: 效益 missing is an error, a missing 二级 is info", () => {
    const noBenefit = selfEval({ indicators: standardIndicators().filter((i) => i.level1 !== "效益指标") });
    const f = findingsOf([noBenefit]).filter((x) => x.code === "MISSING_CORE_DIMENSION");
    expect(f.map((x) => x.severity)).toContain("error");
    const f2 = findingsOf([selfEval()]).filter((x) => x.code === "MISSING_CORE_DIMENSION");
    expect(f2.map((x) => x.severity)).toEqual(["info"]); // 经济效益/生态效益 not set: info only
  });
  it("a 不适用 row says the dimension does not apply: no wording finding on it (自评表 and 申报表)", () => {
    const inds = [...standardIndicators(), ind("生态效益指标", "不适用", "不适用", null, null, { level3: "不适用" })];
    const found = validateDocuments([selfEval({ indicators: inds })], defaultProfile())[0]!;
    expect(found.filter((f) => f.where.field?.startsWith(`indicators[${inds.length - 1}]`))).toEqual([]);
    const form = targetForm({ targets: [{ level1: "效益", level2: "生态效益", level3: "不适用", value: "不适用", description: "不适用" }, { level1: "产出", level2: "质量", level3: "验收合格", value: "合格", description: null }] });
    expect(validateDocuments([form], defaultProfile())[0]!.filter((f) => f.code === "VAGUE_TARGET").map((f) => f.where.field)).toEqual(["targets[1].value"]);
  });

  it("an indicator from another policy field", () => {
    expect(codes([withIndicator(4, { level3: "提升城市养护作业领域管理服务水平", target: "≥90%" })])).toContain("INDICATOR_IRRELEVANT");
    expect(codes([selfEval()])).not.toContain("INDICATOR_IRRELEVANT");
  });
});

describe("across the projects of one file", () => {
  it("a target copied from another project's own text", () => {
    const a = selfEval({ name: "矛盾纠纷多元化解专项", goals: { expected: "及时有效化解辖区矛盾纠纷", actual: null } });
    a.indicators[1] = { ...a.indicators[1]!, level3: "及时有效化解辖区矛盾纠纷", target: "及时有效化解辖区矛盾纠纷" };
    const b = selfEval({ name: "平安建设专项经费", goals: { expected: "推进网格化服务管理", actual: null } });
    b.indicators[1] = { ...b.indicators[1]!, level3: "专职网格员完成交办工作", target: "及时有效化解辖区矛盾纠纷" };
    expect(codes([a, b], 1)).toContain("TEXT_COPIED_ACROSS_PROJECTS");
    expect(codes([a, b], 0)).not.toContain("TEXT_COPIED_ACROSS_PROJECTS");
  });
  it("a truncated header field", () => {
    const a = selfEval({ department: "攀枝花市西区区委政法委" });
    const b = selfEval({ name: "维稳工作经费", department: "攀枝花市西" });
    const f = findingsOf([a, b], 1).find((x) => x.code === "FIELD_TRUNCATED")!;
    expect(f.suggestion?.text).toBe("攀枝花市西区区委政法委");
  });
});

describe("report rules", () => {
  it("empty section, 无 problems despite deductions, mixed numbering", () => {
    const rep = report([
      ["一、项目基本情况", "（一）项目概况\n项目总资金6万元。\n（2） 项目绩效目标\n开展5场活动。"],
      ["二、绩效评价工作情况", "略"],
      ["三、综合评价情况及评价结论", ""],
      ["四、项目主要绩效情况分析", "完成"],
      ["五、存在的问题", "无"],
      ["六、有关建议", "无"],
    ]).report;
    const doc = withIndicator(0, { score: 19, actual: "4.75场", deviation: "少开展" }, selfEval({ report: rep, total: { weight: 100, score: 99 } }));
    expect(codes([doc])).toEqual(expect.arrayContaining(["REPORT_SECTION_EMPTY", "NO_PROBLEMS_BUT_DEDUCTION", "HEADING_NUMBERING_INCONSISTENT"]));
    expect(codes([selfEval({ report: FULL_REPORT })])).not.toContain("HEADING_NUMBERING_INCONSISTENT");
  });
  it("a spending item, a source row, the scale and 结余 in the report are not table mismatches", () => {
    const doc = selfEval({
      funds: { total: { initial: 8, adjusted: 8, executed: 7.5, weight: 10, rate: "93.75%", score: 9.38 }, fiscal: { initial: 6, adjusted: 6, executed: 5.5 }, other: { initial: 2, adjusted: 2, executed: 2 } },
      total: { weight: 100, score: 99.38 },
    });
    doc.report = report([
      ["一、项目基本情况", "当年财政拨款预算数6万元，其中宣传品印制支出2万元，结余资金0.5万元。"],
      ["三、综合评价情况及评价结论", "评价指标体系总分100分，本项目自评总分99.38分。"],
    ]).report;
    const c = codes([doc]);
    expect(c).not.toContain("REPORT_TABLE_NUM_MISMATCH");
    expect(c).not.toContain("REPORT_SCORE_MISMATCH");
  });
  it("report numbers must be the table's", () => {
    const rep = report([
      ["一、项目基本情况", "项目总资金8万元，执行率95%。"],
      ["三、综合评价情况及评价结论", "自评得分95分，评价等级为良。"],
    ]).report;
    const f = findingsOf([selfEval({ report: rep })]);
    expect(f.filter((x) => x.code === "REPORT_TABLE_NUM_MISMATCH")).toHaveLength(2);
    expect(f.filter((x) => x.code === "REPORT_SCORE_MISMATCH")).toHaveLength(2);
    expect(codes([selfEval({ report: FULL_REPORT })])).not.toContain("REPORT_TABLE_NUM_MISMATCH");
  });
});

describe("申报表 rules", () => {
  it("rounding of printed items is not a mismatch (新虹 must_not_flag)", () => {
    const items = [
      { name: "辅警工资", amount: 813.7, unit_price: 4.99, quantity: 163 },
      { name: "辅警社保", amount: 500.0, unit_price: 3.13, quantity: 160 },
      { name: "特保服务", amount: 145.3, unit_price: 12.11, quantity: 12 },
    ];
    const doc = targetForm({ budget_items: items, amount_total: 1459.0 });
    expect(codes([doc])).not.toContain("ITEM_PRODUCT_MISMATCH");
    expect(codes([doc])).not.toContain("ITEM_SUM_MISMATCH");
  });
  it("real arithmetic errors are flagged", () => {
    const doc = targetForm({ budget_items: [{ name: "辅警工资", amount: 813.7, unit_price: 5.2, quantity: 163 }], amount_total: 900 });
    expect(codes([doc])).toEqual(expect.arrayContaining(["ITEM_PRODUCT_MISMATCH", "ITEM_SUM_MISMATCH"]));
  });
  it("vague targets, missing 成本, blank required fields", () => {
    const doc = targetForm({
      targets: [
        { level1: "产出目标", level2: "数量目标", level3: "项目完成率", value: "完成", description: null },
        { level1: "效果目标", level2: "社会效益", level3: "群众安全感", value: "≥95%", description: null },
      ],
      fields: { 项目负责人: null, 联系电话: "12345678" },
    });
    const f = findingsOf([doc]);
    expect(f.map((x) => x.code)).toEqual(expect.arrayContaining(["VAGUE_TARGET", "MISSING_CORE_DIMENSION", "MISSING_FIELD"]));
    expect(f.find((x) => x.code === "MISSING_FIELD")!.message).toContain("项目负责人");
    expect(f.find((x) => x.code === "MISSING_FIELD")!.message).not.toContain("联系电话");
  });
});

describe("TARGET_DRIFT: the 自评表 against its approved 申报表", () => {
  const form = () =>
    targetForm({
      name: "禁毒宣传专项经费",
      targets: [
        { level1: "产出目标", level2: "数量目标", level3: "禁毒宣传活动场次", value: "≥5场", description: null },
        { level1: "产出目标", level2: "质量目标", level3: "宣传覆盖率", value: "≥98%", description: null },
        { level1: "产出目标", level2: "数量目标", level3: "宣传资料发放数量", value: "≥1000份", description: null },
      ],
    });
  it("flags a changed value and a missing indicator, with the approved value as the fix", () => {
    const per = validateDocuments([selfEval()], defaultProfile(), [form()]);
    const drift = per[0]!.filter((f) => f.code === "TARGET_DRIFT");
    expect(drift.map((f) => f.message)).toEqual([
      expect.stringContaining("批复的申报表中为“≥98%”"),
      expect.stringContaining("宣传资料发放数量"),
    ]);
    expect(drift[0]!.suggestion).toMatchObject({ text: "≥98%", field: "indicators[1].target" });
    expect(drift[0]!.severity).toBe("error");
  });
  it("ignores the 申报表 of another project, and matching values", () => {
    const other = form();
    other.name = "平安建设";
    expect(validateDocuments([selfEval()], defaultProfile(), [other])[0]!.map((f) => f.code)).not.toContain("TARGET_DRIFT");
    const same = form();
    same.targets = same.targets.slice(0, 1);
    expect(validateDocuments([selfEval()], defaultProfile(), [same])[0]!.map((f) => f.code)).not.toContain("TARGET_DRIFT");
  });
  it("jixiao check compares across the files of one batch", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { exportDocx } = await import("../src/export/docx.ts");
    const { main } = await import("../src/cli.ts");
    const dir = mkdtempSync(join(tmpdir(), "jixiao-drift-"));
    writeFileSync(join(dir, "自评.docx"), await exportDocx([selfEval()]));
    writeFileSync(join(dir, "申报.docx"), await exportDocx([form()]));
    const out: string[] = [];
    const code = await main(["check", join(dir, "自评.docx"), join(dir, "申报.docx"), "--json"], { out: (s) => out.push(s), err: () => {} });
    expect(code).toBe(1);
    const doc = JSON.parse(out.join("\n")).files[0].documents[0];
    // Both drifted indicators, as one grouped finding with two places.
    const drift = doc.findings.filter((f: { code: string }) => f.code === "TARGET_DRIFT");
    expect(drift).toHaveLength(1);
    expect(drift[0].places).toHaveLength(2);
  });
});

describe("review fixes: no false errors on correct tables", () => {
  it("a rate printed to whole percent is not a mismatch", () => {
    const doc = selfEval({ funds: { total: { initial: 7, adjusted: 7, executed: 5.55, weight: 10, rate: "79%", score: 7.93 }, fiscal: { initial: 7, adjusted: 7, executed: 5.55 } } });
    expect(codes([doc])).not.toContain("RATE_MISMATCH");
    const wrong = selfEval({ funds: { total: { initial: 7, adjusted: 7, executed: 5.55, weight: 10, rate: "81%", score: 7.93 }, fiscal: { initial: 7, adjusted: 7, executed: 5.55 } } });
    expect(codes([wrong])).toContain("RATE_MISMATCH");
    // Full-width digits count their decimals too (found by the mutation corpus).
    const fw = selfEval({ funds: { total: { initial: 6, adjusted: 6, executed: 6, weight: 10, rate: "９９．９７％", score: 10 }, fiscal: { initial: 6, adjusted: 6, executed: 6 } } });
    expect(codes([fw])).toContain("RATE_MISMATCH");
  });
  it("a cost target without operator is a cap: spending less is no shortfall", () => {
    expect(codes([withIndicator(3, { target: "6万元", actual: "5.8万元" })])).not.toContain("SHORTFALL_FULL_SCORE");
  });
  it("weights of 10/60/30 without 满意度: info, not an error", () => {
    const inds = standardIndicators().filter((i) => i.level1 !== "满意度指标");
    inds[0] = { ...inds[0]!, weight: 30, score: 30 };
    const f = findingsOf([selfEval({ indicators: inds })]).filter((x) => x.code === "MISSING_CORE_DIMENSION");
    expect(f.map((x) => x.severity)).not.toContain("error");
  });
  it("a blank execution weight counts as the profile's 10 in the weight sum", () => {
    const doc = selfEval({ funds: { total: { initial: 6, adjusted: 6, executed: 6, weight: null, rate: "100.00%", score: 10 }, fiscal: { initial: 6, adjusted: 6, executed: 6 } } });
    expect(codes([doc])).not.toContain("WEIGHT_SUM_NOT_100");
  });
  it("a target that adds a value to the name is not a repetition; a name that holds the value is", () => {
    expect(codes([withIndicator(1, { level3: "宣传覆盖率", target: "宣传覆盖率≥95%" })])).not.toContain("TARGET_REPEATS_NAME");
    expect(codes([withIndicator(0, { level3: "开展禁毒宣传活动≥5场", target: "完成" })])).toContain("TARGET_REPEATS_NAME");
  });
  it("≤30天 is a time limit; 百分之百 is a number; a fraction compares with a percent", () => {
    expect(codes([withIndicator(2, { target: "≤30天" })])).not.toContain("TIMELINESS_NO_DATE");
    expect(codes([withIndicator(1, { target: "百分之百", actual: "百分之百" })])).not.toContain("VAGUE_TARGET");
    expect(codes([withIndicator(1, { target: "≥90%", actual: "0.93" })])).not.toContain("SHORTFALL_FULL_SCORE");
  });
  it("low execution with only an indicator's unrelated 原因 still needs a reason", () => {
    const doc = selfEval({ funds: { total: { initial: 10, adjusted: 10, executed: 6, weight: 10, rate: "60.00%", score: 6 }, fiscal: { initial: 10, adjusted: 10, executed: 6 } } });
    doc.indicators[0] = { ...doc.indicators[0]!, deviation: "因疫情原因少开展1场" };
    expect(codes([doc])).toContain("LOW_EXEC_NO_REASON");
    doc.indicators[3] = { ...doc.indicators[3]!, deviation: "部分资金因采购延期未支出" };
    expect(codes([doc])).not.toContain("LOW_EXEC_NO_REASON");
  });
});

describe("QUAL_TIER_MISMATCH", () => {
  it.each([
    ["部分达成年度指标并具有一定效果", 17, 20, true],
    ["部分达成年度指标并具有一定效果", 13, 20, false],
    ["达成年度指标", 15, 20, true],
    ["达成年度指标", 17, 20, false],
    ["未达成年度指标且效果较差", 12, 20, true],
    ["未达成年度指标且效果较差", 11, 20, false],
  ])("%s with %s/%s → flagged %s", (actual, score, weight, flagged) => {
    const doc = withIndicator(0, { target: "达成年度指标", actual, score, weight, deviation: "按定性档次评分" });
    expect(codes([doc]).includes("QUAL_TIER_MISMATCH")).toBe(flagged);
  });
});

describe("SECTION_MISSING", () => {
  it("a report without 存在的问题 and 有关建议 is reported; the full outline is not", () => {
    const rep = report([
      ["一、项目基本情况", "项目总资金6万元。"],
      ["二、绩效评价工作情况", "对照目标逐项核对。"],
      ["三、综合评价情况及评价结论", "自评得分100分。"],
      ["四、项目主要绩效情况分析", "各项指标均完成。"],
    ]).report;
    const f = findingsOf([selfEval({ report: rep })]).find((x) => x.code === "SECTION_MISSING")!;
    expect(f.message).toContain("存在的问题");
    expect(f.message).toContain("有关建议");
    expect(codes([selfEval({ report: FULL_REPORT })])).not.toContain("SECTION_MISSING");
  });
});
