// Layouts found by exporting and reading back documents the seeds do not contain.
import { describe, expect, it } from "vitest";
import { exportDocx } from "../src/export/docx.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { compareDoc } from "../evals/compare.ts";
import type { PerfDoc } from "../src/domain/document.ts";
import { selfEval, targetForm } from "./helpers/docs.ts";
import { makeDocx, paragraphXml, tableXml } from "./helpers/makeDocx.ts";

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
});
