// Layouts found by exporting and reading back documents the seeds do not contain.
import { describe, expect, it } from "vitest";
import { exportDocx } from "../src/export/docx.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { compareDoc } from "../evals/compare.ts";
import type { PerfDoc } from "../src/domain/document.ts";
import { selfEval, targetForm } from "./helpers/docs.ts";
import { makeDocx, paragraphXml, tableXml } from "./helpers/makeDocx.ts";
import { deptFromTitle } from "../src/extract/dept.ts";
import type { DeptDoc, TargetFormDoc } from "../src/domain/document.ts";

const strip = (docs: PerfDoc[]) => docs.map(({ provenance: _p, ...d }) => d);

async function roundTrip(docs: PerfDoc[]) {
  const back = await extractBuffer(await exportDocx(docs), "rt.docx");
  expect(back.error).toBeNull();
  return { back, cmp: compareDoc(strip(docs), back.documents, "documents") };
}

describe("recognizer regressions", () => {
  it("a goal text that mentions 财政拨款 stays a goal, and the funds rows are kept", async () => {
    const doc = selfEval({ goals: { expected: "使用当年财政拨款和上年结转资金开展禁毒宣传5场", actual: "其他资金未使用，开展宣传6场" } });
    const { cmp } = await roundTrip([doc]);
    expect(cmp.diffs).toEqual([]);
  });
  it("a report sentence mentioning 绩效目标申报表 does not turn the 自评表 into a 申报表", async () => {
    const doc = selfEval({
      report: {
        title: "禁毒宣传专项经费绩效自评报告",
        sections: [
          { heading: "一、项目基本情况", text: "本项目依据经批复的绩效目标申报表开展，年初预算6万元。", text_present: true },
          { heading: "二、绩效评价工作情况", text: "对照目标申报表逐项核对。", text_present: true },
        ],
      },
    });
    const { back } = await roundTrip([doc]);
    expect(back.documents.map((d) => d.kind)).toEqual(["自评表"]);
  });
  it("a budget item with a blank unit price keeps its quantity in the quantity column", async () => {
    const form = targetForm({
      targets: [{ level1: "产出目标", level2: "数量目标", level3: "宣传场次", value: "≥5场", description: "开展宣传" }],
      budget_items: [
        { name: "宣传费", amount: 10, unit_price: 2, quantity: 5 },
        { name: "印刷费", amount: 4, unit_price: null, quantity: 8 },
      ],
      amount_total: 14,
    });
    const { back } = await roundTrip([form]);
    const d = back.documents[0]!;
    expect(d.kind).toBe("目标申报表");
    if (d.kind === "目标申报表") expect(d.budget_items[1]).toEqual({ name: "印刷费", amount: 4, unit_price: null, quantity: 8 });
  });
  it("a plain generic table next to a 申报表 title line in a sentence is not a 申报表", async () => {
    const bytes = makeDocx(paragraphXml("会议讨论了绩效目标申报表的填报，要求各单位按时报送。") + tableXml([["姓名", "部门"], ["张三", "办公室"]]));
    const r = await extractBuffer(bytes, "minutes.docx");
    expect(r.error?.code).toBe("NOT_PERFORMANCE_DOC");
  });

  // A 申报表 printed in parts (总体情况, 绩效目标) under titles of their own: a part that names the
  // same project continues the form, one that names another project starts the next form.
  const part = (title: string, name: string) =>
    paragraphXml(title) +
    tableXml([["项目名称", name], ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "宣传场次", "≥5场"]]);
  it("a 申报表 part naming the same project continues the form", async () => {
    const r = await extractBuffer(makeDocx(part("项目支出绩效目标申报表（项目总体情况）", "禁毒宣传") + part("项目支出绩效目标申报表（绩效目标）", "禁毒宣传")), "parts.docx");
    expect(r.documents.map((d) => [d.kind, d.name])).toEqual([["目标申报表", "禁毒宣传"]]);
    expect((r.documents[0] as TargetFormDoc).targets).toHaveLength(2);
  });
  it("a 申报表 part naming another project starts a new form", async () => {
    const r = await extractBuffer(makeDocx(part("项目支出绩效目标申报表（项目总体情况）", "禁毒宣传") + part("项目支出绩效目标申报表（绩效目标）", "社区戒毒")), "parts.docx");
    expect(r.documents.map((d) => [d.kind, d.name])).toEqual([["目标申报表", "禁毒宣传"], ["目标申报表", "社区戒毒"]]);
  });

  it("申报表 field labels with a required-field mark (*其他资金, *联系电话：) keep their values", async () => {
    const bytes = makeDocx(
      paragraphXml("项目支出绩效目标申报表") +
        tableXml([["项目名称", "禁毒宣传", "*联系电话：", "0745-8221234"], ["*其他资金", "0.00", "", ""], ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "宣传场次", "≥5场"]]),
    );
    const r = await extractBuffer(bytes, "starred.docx");
    const d = r.documents[0] as TargetFormDoc;
    expect(d.fields).toMatchObject({ 其他资金: "0.00", 联系电话: "0745-8221234" });
  });

  it("a 部门整体 form whose 部门名称 was not read is named by its title", async () => {
    const bytes = makeDocx(
      paragraphXml("1、梁平区林业局2023年度部门整体绩效自评表") +
        tableXml([["部门联系人", "李薇"], ["年初预算数", "全年预算数", "全年执行数", "执行率"], ["年度总金额", "100", "100", "100"], ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"], ["产出指标", "数量指标", "造林面积", "≥1万亩", "1.2万亩", "20", "20"]]),
    );
    const r = await extractBuffer(bytes, "dept.docx");
    expect(r.documents.map((d) => [d.kind, d.name])).toEqual([["部门整体", "梁平区林业局"]]);
    expect((r.documents[0] as DeptDoc).provenance.name).toMatchObject({ paragraph: 0 });
  });
  it.each([
    ["1、重庆市梁平区林业局2023年度部门整体绩效自评表", "重庆市梁平区林业局"],
    ["附件2：某某县民政局（本级）2024年部门整体支出绩效目标表", "某某县民政局（本级）"],
    ["（三）县教育局部门整体支出绩效自评表", "县教育局"],
    ["部门整体支出绩效目标表", null],
    ["2023年度部门整体绩效自评表", null],
  ])("deptFromTitle(%s) = %s", (title, name) => {
    expect(deptFromTitle(title)).toBe(name);
  });
});
