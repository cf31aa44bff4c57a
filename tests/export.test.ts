// Exports (.docx, .xlsx, JSON) read back to the same documents, keep the official layout's merges,
// print numbers as the source did, and survive awkward text.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { compareDoc, type FieldDiff } from "../evals/compare.ts";
import { PerfDocSchema, type PerfDoc, type SelfEvalDoc, type TargetFormDoc } from "../src/domain/document.ts";
import { squash } from "../src/domain/text.ts";
import { exportDocx } from "../src/export/docx.ts";
import { exportJson } from "../src/export/json.ts";
import { exportXlsx, sheetName } from "../src/export/xlsx.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { SEEDS, SEEDS_DIR, SHARED } from "./fixtures.ts";
import { selfEval, standardIndicators, targetForm } from "./helpers/docs.ts";

const seedDocs = new Map<string, PerfDoc[]>();
async function seed(id: string): Promise<PerfDoc[]> {
  const s = SEEDS.find((x) => x.id === id)!;
  let docs = seedDocs.get(id);
  if (!docs) {
    const path = join(SEEDS_DIR, `${s.base}.docx`);
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    expect(r.error).toBeNull();
    docs = r.documents;
    seedDocs.set(id, docs);
  }
  return docs;
}

function withoutProvenance(docs: PerfDoc[]): unknown[] {
  return docs.map((d) => {
    const { provenance: _p, ...rest } = d;
    return rest;
  });
}

type Exporter = (docs: PerfDoc[], opts?: { sharedScoreLayout?: "rows" | "packed" }) => Promise<Uint8Array>;
const FORMATS: { format: string; file: string; exporter: Exporter }[] = [
  { format: "docx", file: "export.docx", exporter: (d, o) => exportDocx(d, o) },
  { format: "xlsx", file: "export.xlsx", exporter: (d, o) => exportXlsx(d, o) },
];

async function roundTrip(docs: PerfDoc[], f: (typeof FORMATS)[number], opts: { sharedScoreLayout?: "rows" | "packed" } = {}) {
  const bytes = await f.exporter(docs, opts);
  const back = await extractBuffer(bytes, f.file);
  expect(back.error).toBeNull();
  expect(back.format).toBe(f.format);
  return { back: back.documents, cmp: compareDoc(withoutProvenance(docs), back.documents, "documents") };
}

/** The diffs the recognizer leaves for the one-row-per-indicator layout: only the shared-score flags. */
function sharedFlagDiffs(docs: PerfDoc[]): FieldDiff[] {
  const out: FieldDiff[] = [];
  docs.forEach((d, i) => {
    if (d.kind !== "自评表") return;
    d.indicators.forEach((ind, k) => {
      if (ind.shared_score_with_next) out.push({ path: `documents[${i}].indicators[${k}].shared_score_with_next`, expected: true, actual: undefined });
    });
  });
  return out;
}

describe.each(FORMATS)("$format export reads back (extractBuffer) to the same documents", (f) => {
  it.each(SEEDS)("seed $id, packed shared-score layout: every field, flags included", async ({ id }) => {
    const docs = await seed(id);
    const { back, cmp } = await roundTrip(docs, f, { sharedScoreLayout: "packed" });
    expect(back.map((d) => d.kind)).toEqual(docs.map((d) => d.kind));
    expect(cmp.diffs).toEqual([]);
    expect(cmp.fields).toBeGreaterThan(100);
  });

  // The default layout puts each indicator of a shared-score group on its own row with the group's
  // 分值/得分 merged down; the recognizer reads the merge as the group.
  it.each(SEEDS)("seed $id, default layout: every field, flags included", async ({ id }) => {
    const docs = await seed(id);
    const { cmp } = await roundTrip(docs, f);
    expect(cmp.diffs).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The .docx really merges cells (w:gridSpan, w:vMerge restart/continue).

interface XCell {
  text: string;
  gridSpan: number;
  vMerge: "restart" | "continue" | null;
}

function docxTables(bytes: Uint8Array): XCell[][][] {
  const xml = strFromU8(unzipSync(bytes)["word/document.xml"]!);
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...t[1]!.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) =>
      [...r[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => {
        const body = c[1]!;
        const vm = /<w:vMerge(?: w:val="(\w+)")?\/>/.exec(body);
        return {
          text: [...body.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""),
          gridSpan: Number(/<w:gridSpan w:val="(\d+)"\/>/.exec(body)?.[1] ?? 1),
          vMerge: vm ? (vm[1] === "restart" ? "restart" : "continue") : null,
        };
      }),
    ),
  );
}

describe("the .docx 自评表 has the official layout's merges", () => {
  it("003: 项目名称 spans 9 columns, 项目资金 and 绩效指标 are merged down, 总分 spans 6", async () => {
    const docs = (await seed("003")) as SelfEvalDoc[];
    const tables = docxTables(await exportDocx(docs));
    expect(tables).toHaveLength(docs.length);
    tables.forEach((rows, i) => {
      const doc = docs[i]!;
      expect(rows[0]![0]!.text).toBe("项目名称");
      expect(rows[0]![1]).toMatchObject({ text: doc.name, gridSpan: 9 });
      expect(rows[1]!.map((c) => c.gridSpan)).toEqual([1, 4, 1, 4]);
      // 项目资金（万元）: restart on the funds header, continued over the four funds rows.
      expect(rows[2]![0]).toMatchObject({ text: "项目资金（万元）", vMerge: "restart" });
      for (let r = 3; r <= 6; r++) expect(rows[r]![0]!.vMerge).toBe("continue");
      // 绩效指标: restart on the indicator header, continued over every indicator row, not over 总分.
      const h = rows.findIndex((r) => r[0]!.text === "绩效指标");
      expect(rows[h]![0]!.vMerge).toBe("restart");
      const n = doc.indicators.length;
      for (let r = h + 1; r <= h + n; r++) expect(rows[r]![0]!.vMerge, `row ${r}`).toBe("continue");
      expect(rows[h + n + 1]![0]).toMatchObject({ text: "总分", gridSpan: 6, vMerge: null });
      expect(rows).toHaveLength(h + n + 2);
      // 一级指标 merged down over its rows: 产出指标 has the four 二级 of 003.
      expect(rows[h + 1]![1]).toMatchObject({ text: "产出指标", vMerge: "restart" });
      for (let r = h + 2; r <= h + 4; r++) expect(rows[r]![1]!.vMerge).toBe("continue");
      expect(rows[h + 5]![1]).toMatchObject({ text: "效益指标", vMerge: "restart" });
    });
  });

  it("001 table 2: a shared-score group is one row per indicator with 分值/得分 merged down", async () => {
    const doc = (await seed("001"))[1] as SelfEvalDoc;
    expect(doc.indicators[1]!.shared_score_with_next).toBe(true);
    const rows = docxTables(await exportDocx([doc]))[0]!;
    const h = rows.findIndex((r) => r[0]!.text === "绩效指标");
    const first = rows[h + 2]!; // 质量指标: 风险评估评估率 (shares its score with 管控率)
    const second = rows[h + 3]!;
    // Columns: 绩效指标 | 一级 | 二级 | 三级 | 指标值 | 完成值 | 分值 | 得分 (2) | 偏差原因
    expect(first.map((c) => c.text)).toEqual(["", "", "质量指标", "对社会面吸毒人员风险评估评估率", "100%", "100%", "10", "10", "无"]);
    expect(first.slice(6, 9).map((c) => c.vMerge)).toEqual(["restart", "restart", "restart"]);
    expect(second.map((c) => c.text)).toEqual(["", "", "", "社区戒毒康复人员管控率", "≥95%", "100%", "", "", ""]);
    expect(second.slice(6, 9).map((c) => c.vMerge)).toEqual(["continue", "continue", "continue"]);
  });
});

describe("the .xlsx has merged ranges and real numbers", () => {
  it("003 table 1: merges as in the .docx, numbers as numbers", async () => {
    const docs = (await seed("003")) as SelfEvalDoc[];
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(docs)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(docs.map((d) => d.name!.slice(0, 31)));
    const ws = wb.worksheets[0]!;
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    let nameRow = 0;
    let indRow = 0;
    // Covered cells of a merge report the master's value: take the first row of each.
    ws.eachRow((row, r) => {
      if (row.getCell(1).value === "项目名称" && !nameRow) nameRow = r;
      if (row.getCell(1).value === "绩效指标" && !indRow) indRow = r;
    });
    expect(merges).toContain(`B${nameRow}:J${nameRow}`);
    expect(merges).toContain(`A${nameRow + 2}:A${nameRow + 6}`); // 项目资金（万元）
    expect(merges).toContain(`A${indRow}:A${indRow + docs[0]!.indicators.length}`); // 绩效指标
    expect(merges).toContain(`A${indRow + docs[0]!.indicators.length + 1}:F${indRow + docs[0]!.indicators.length + 1}`); // 总分
    const total = ws.getRow(nameRow + 3);
    expect(total.getCell(2).value).toBe("年度资金总额");
    // D..G 年初/全年预算/全年执行/分值, H:I 执行率 (100% = 1), J 得分.
    expect([4, 5, 6, 7, 8, 10].map((c) => total.getCell(c).value)).toEqual([5, 5, 5, 10, 1, 10]);
    expect(total.getCell(8).numFmt).toBe("0%");
  });

  it("002: 813.70 is the number 813.7 shown with two decimals", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(await seed("002"))) as unknown as ArrayBuffer);
    let found: ExcelJS.Cell | null = null;
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => {
      if (c.value === 813.7) found = c;
    }));
    expect(found).not.toBeNull();
    expect(found!.numFmt).toBe("0.00");
  });
});

describe("numbers are printed as the source printed them", () => {
  it("uses the verbatim text when it is the same number (813.70, 5.00, —)", async () => {
    const xml = strFromU8(unzipSync(await exportDocx(await seed("002")))["word/document.xml"]!);
    expect(xml).toContain(">813.70<");
    expect(xml).toContain(">5.00<");
    expect(xml).toContain(">项目总预算：3855.9424<");
    const xml3 = strFromU8(unzipSync(await exportDocx(await seed("003")))["word/document.xml"]!);
    expect(xml3).toContain(">—<"); // the dashed 分值/得分 of the funds sub-rows
  });

  it("prints the number itself when the value was edited after reading", async () => {
    const doc = selfEval();
    doc.funds.total.initial = 7.5;
    doc.provenance.funds.total.initial = { file: "x.docx", text: "6.00" };
    const tables = docxTables(await exportDocx([doc]));
    // Row 3 is 年度资金总额: the covered 项目资金 slot, the label, then 年初预算数.
    expect(tables[0]![3]!.map((c) => c.text).slice(1, 3)).toEqual(["年度资金总额", "7.5"]);
  });
});

// ---------------------------------------------------------------------------------------------

const NASTY = `<b>&amp; "双引号" 'single' “弯引号” 😀🎉 a/b\\c [x]:*? ＜全角＞ & <`;
const LONG = "很长的预期目标文字，".repeat(1500);

function nastyDoc(): SelfEvalDoc {
  const indicators = standardIndicators().map((ind, i) => ({
    ...ind,
    level3: `${ind.level3}${i === 0 ? NASTY : ""}`,
    target: i === 1 ? `≥95% ${NASTY}` : ind.target,
    deviation: i === 2 ? `${NASTY}\n第二行` : ind.deviation,
  }));
  return selfEval({
    name: `项目${NASTY}`,
    department: `部门 & <单位>`,
    goals: { expected: LONG, actual: `完成 ${NASTY}` },
    indicators,
    report: {
      title: `项目“${NASTY.slice(0, 20)}”绩效自评报告`,
      sections: [
        { heading: "一、项目基本情况", text_present: true, text: `第一段 ${NASTY}\n${LONG.slice(0, 3000)}` },
        { heading: "二、绩效评价工作情况", text_present: false, text: "" },
        { heading: "三、综合评价情况及评价结论", text_present: true, text: "😀" },
      ],
    },
  });
}

describe("awkward text (<, &, quotes, emoji, very long text) exports and reads back", () => {
  it.each(FORMATS)("$format", async (f) => {
    const doc = nastyDoc();
    const { back, cmp } = await roundTrip([doc], f);
    expect(cmp.diffs).toEqual([]);
    expect((back[0] as SelfEvalDoc).goals.expected).toHaveLength(LONG.length);
  });

  it.each(FORMATS)("$format drops control characters XML cannot carry", async (f) => {
    const doc = selfEval({ name: "禁毒\u0007宣传\u0000经费" });
    const { back } = await roundTrip([doc], f);
    expect(back[0]!.name).toBe("禁毒宣传经费");
  });
});

describe("the 自评报告", () => {
  it("comes from opts.drafts when given (title: <项目名称>绩效自评报告)", async () => {
    const doc = selfEval({ name: "禁毒宣传专项经费" });
    const sections = [
      { heading: "一、项目基本情况", text: "项目总资金6万元。\n用于禁毒宣传。" },
      { heading: "二、绩效评价工作情况", text: "" },
      { heading: "三、综合评价情况及评价结论", text: "总分100分，评价等级为优。" },
    ];
    const bytes = await exportDocx([selfEval({ name: "另一个项目" }), doc], { drafts: new Map([[1, { sections }]]) });
    const back = (await extractBuffer(bytes, "draft.docx")).documents as SelfEvalDoc[];
    expect(back).toHaveLength(2);
    expect(back[0]!.report).toBeNull();
    expect(back[1]!.report).toEqual({
      title: "禁毒宣传专项经费绩效自评报告",
      sections: sections.map((s) => ({ heading: s.heading, text: s.text, text_present: s.text !== "" })),
    });
  });

  it("is omitted when there is neither a draft nor a report", async () => {
    const xml = strFromU8(unzipSync(await exportDocx([selfEval()]))["word/document.xml"]!);
    expect(xml).not.toContain("自评报告");
    expect(xml).toContain("项目支出绩效自评表");
    expect(xml).toContain("（2024年度）");
  });

  it("opts.title is printed at the top and stored as the document title", async () => {
    const files = unzipSync(await exportDocx([selfEval()], { title: "2024年度项目支出绩效自评材料" }));
    expect(strFromU8(files["word/document.xml"]!)).toContain("2024年度项目支出绩效自评材料");
    expect(strFromU8(files["docProps/core.xml"]!)).toContain("<dc:title>2024年度项目支出绩效自评材料</dc:title>");
  });
});

describe("the 申报表", () => {
  it.each(FORMATS)("$format: a hand-made form (no provenance) reads back", async (f) => {
    const doc = targetForm({
      name: "平安建设",
      category: "经常性项目",
      start: "2020年1月1日",
      end: "2020年12月31日",
      funds_total: 30,
      targets: [
        { level1: "产出目标", level2: "数量目标", level3: "巡逻次数", value: "≥300次", description: "全年巡逻" },
        { level1: "产出目标", level2: "数量目标", level3: "宣传场次", value: "≥12场", description: null },
        { level1: "效果目标", level2: "社会效益", level3: "发案率", value: "下降5%", description: "同比" },
      ],
      budget_items: [
        { name: "巡逻补贴", amount: 20, unit_price: 0.5, quantity: 40 },
        { name: "宣传品", amount: 10, unit_price: 2, quantity: 5 },
      ],
      amount_total: 30,
      fields: { 项目负责人: "张三", 联系电话: "021-12345678", 填表人: "李四", 政府采购: null },
    });
    const { cmp } = await roundTrip([doc], f);
    expect(cmp.diffs).toEqual([]);
  });
});

describe("many 申报表 in one export", () => {
  // A 申报表 is printed in two parts (总体情况, 绩效目标), each under its own title: reading back, the
  // next project's 总体情况 starts a new form instead of continuing the one before as a third part.
  it.each(FORMATS)("$format: a workbook's 20 system-export forms read back as 20, each with its own code, name and targets", async (f) => {
    const path = join(SHARED, "fixtures/real/songgang/songgang-3.xlsx");
    const src = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    const docs = src.documents as TargetFormDoc[];
    expect(docs).toHaveLength(20);
    const { back } = await roundTrip(docs, f);
    const key = (d: PerfDoc) => {
      const t = d as TargetFormDoc;
      return [t.code, squash(t.name ?? ""), t.targets.length];
    };
    expect(back.map(key)).toEqual(docs.map(key));
  });
});

describe("exportJson", () => {
  it("is the interchange format, pretty-printed, and parses back to the same documents", async () => {
    const docs = [...(await seed("001")), ...(await seed("002"))];
    const json = exportJson(docs);
    expect(json.startsWith('{\n  "documents": [')).toBe(true);
    const parsed = JSON.parse(json) as { documents: unknown[] };
    expect(Object.keys(parsed)).toEqual(["documents"]);
    expect(parsed.documents.map((d) => PerfDocSchema.parse(d))).toEqual(docs);
  });
});

describe("sheetName", () => {
  const cases: { name: string | null; taken: string[]; want: string; why: string }[] = [
    { name: "平安建设专项经费", taken: [], want: "平安建设专项经费", why: "a short name is kept" },
    { name: "a/b\\c[d]:e*f?g", taken: [], want: "a_b_c_d__e_f_g", why: "characters Excel refuses are replaced" },
    { name: "x".repeat(40), taken: [], want: "x".repeat(31), why: "cut to 31 characters" },
    { name: "平安建设", taken: ["平安建设"], want: "平安建设(2)", why: "a repeated name gets a number" },
    { name: "x".repeat(40), taken: ["x".repeat(31)], want: `${"x".repeat(28)}(2)`, why: "the number fits in 31 characters" },
    { name: "ABC", taken: ["abc"], want: "ABC(2)", why: "names are unique regardless of case" },
    { name: null, taken: [], want: "文档1", why: "a document without a name" },
    { name: "'引号'", taken: [], want: "引号", why: "no leading or trailing apostrophe" },
    { name: "History", taken: [], want: "History1", why: "History is reserved" },
    { name: `${"项".repeat(30)}😀`, taken: [], want: "项".repeat(30), why: "an emoji is not split in half" },
  ];
  it.each(cases)("$why", ({ name, taken, want }) => {
    const used = new Set(taken.map((t) => t.toLowerCase()));
    const got = sheetName(name, 0, used);
    expect(got).toBe(want);
    expect(got.length).toBeLessThanOrEqual(31);
    expect(got).not.toMatch(/[[\]:*?/\\]/);
  });
});
