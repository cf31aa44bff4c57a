// `review`: the bureau's checklist applied to 申报表 — rules on forms built for each case, the checklist
// file laid over the default, the CLI's text, JSON and 审核意见表 outputs, and its exit codes.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { Target, TargetFormDoc } from "../src/domain/document.ts";
import { reviewDocument } from "../src/review/index.ts";
import { ChecklistError, DEFAULT_CHECKLIST, mergeChecklist } from "../src/review/checklist.ts";
import { main } from "../src/cli.ts";
import { targetForm } from "./helpers/docs.ts";
import { REAL_DIR } from "../evals/real.ts";

const t = (level1: string, level2: string, level3: string | null, value: string | null, description: string | null = null): Target => ({ level1, level2, level3, value, description });

/** A well-made 申报表 (no item applies), to be spoiled by each case. */
function good(o: Partial<TargetFormDoc> = {}): TargetFormDoc {
  return targetForm({
    name: "社区禁毒宣传",
    code: "440306000000001",
    implementer: "某街道办事处",
    unit: "万元",
    funds_total: 30,
    funds_year: 10,
    policy_basis: "《中华人民共和国禁毒法》；《某市禁毒工作实施办法》（某府〔2021〕12号）",
    calc_basis: "宣传活动 10场 × 0.6万元/场 = 6万元；宣传品 4000份 × 0.001万元/份 = 4万元；合计10万元",
    annual_goal: "开展禁毒宣传活动10场，覆盖居民不少于5000人次，群众禁毒知识知晓率达到90%",
    targets: [
      t("产出", "数量", "宣传活动场次", "≥10场", "全年在各社区开展的集中宣传活动场次，以活动签到表为准"),
      t("产出", "质量", "宣传品发放覆盖率", "≥95%", "已发放宣传品户数 ÷ 辖区户数，抽查核实"),
      t("产出", "时效", "活动完成时间", "2024年11月30日前", "按季度计划推进，以活动记录日期计"),
      t("产出", "成本", "项目总成本", "≤10万元", "按财务决算统计的全部支出"),
      t("效益", "社会效益", "群众禁毒知识知晓率", "≥90%", "问卷调查，样本不少于200份"),
      t("效益", "经济效益", "不适用", "不适用", "不适用"),
      t("满意度", "服务对象满意度", "居民满意度", "≥90%", "问卷调查，样本不少于200份"),
    ],
    ...o,
  });
}

const items = (d: TargetFormDoc) => reviewDocument(d, "x.docx", 0)!.items;
const opinion = (d: TargetFormDoc, item: string) => reviewDocument(d, "x.docx", 0)!.opinions.find((o) => o.item === item);

describe("review rules: each item on a form that has exactly that fault", () => {
  it("a well-made 申报表 passes; its 不适用 row raises nothing", () => {
    expect(items(good())).toEqual([]);
  });

  const cases: { why: string; form: () => TargetFormDoc; expect: string[] }[] = [
    { why: "政策依据 that restates the project cites no document", form: () => good({ policy_basis: "开展社区禁毒宣传，提高群众禁毒意识。" }), expect: ["政策依据不规范"] },
    { why: "a 文号 alone is a citation", form: () => good({ policy_basis: "依据某府〔2021〕12号文件执行" }), expect: [] },
    { why: "测算依据 as one lump sum", form: () => good({ calc_basis: "按合同价测算，共10万元。" }), expect: ["测算依据不规范"] },
    { why: "items that add up to the amount are a computation", form: () => good({ calc_basis: "场地租赁6万元；宣传品4万元。" }), expect: [] },
    { why: "a monthly fee times twelve is a computation", form: () => good({ funds_year: 12, calc_basis: "服务费按月支付，每月服务费1万元。", targets: good().targets.map((x) => (x.level2 === "成本" ? { ...x, value: "≤12万元" } : x)) }), expect: [] },
    { why: "年度目标 left blank", form: () => good({ annual_goal: null }), expect: ["年度绩效目标未填写"] },
    { why: "年度目标 with a 文号 and money but no output in numbers", form: () => good({ annual_goal: "根据某府〔2021〕12号文件精神，全年预算10万元，进一步提高群众禁毒意识。" }), expect: ["年度绩效目标不规范"] },
    { why: "a required dimension with only 不适用 is one finding for the form", form: () => good({ targets: good().targets.map((x) => (x.level2 === "社会效益" ? { ...x, level3: "不适用", value: "不适用", description: "不适用" } : x)) }), expect: ["社会效益指标未填写"] },
    { why: "a row left blank instead of 不适用", form: () => good({ targets: [...good().targets, t("效益", "生态效益", null, null, null)] }), expect: ["绩效指标不能留空"] },
    { why: "a name without a value", form: () => good({ targets: [...good().targets, t("效益", "可持续影响", "长效机制建立", null, "以街道印发的制度文件为准")] }), expect: ["指标值未填写"] },
    { why: "an explanation that repeats the name and value", form: () => good({ targets: good().targets.map((x) => (x.level2 === "数量" ? { ...x, description: "宣传活动场次≥10场" } : x)) }), expect: ["指标解释未填写"] },
    { why: "a 三级指标 that is a sentence", form: () => good({ targets: good().targets.map((x) => (x.level2 === "数量" ? { ...x, level3: "完成全年各社区禁毒宣传活动并做好活动记录" } : x)) }), expect: ["绩效指标表述过于冗长"] },
    { why: "a long metric name is still a name", form: () => good({ targets: good().targets.map((x) => (x.level2 === "社会效益" ? { ...x, level3: "辖区居民对禁毒法律法规的知晓程度" } : x)) }), expect: [] },
    { why: "a bare number without unit", form: () => good({ targets: good().targets.map((x) => (x.level2 === "数量" ? { ...x, value: "10" } : x)) }), expect: ["指标值数量单位未填写单位"] },
    { why: "a value that cannot be assessed", form: () => good({ targets: good().targets.map((x) => (x.level2 === "质量" ? { ...x, value: "良好" } : x)) }), expect: ["指标值不具量化易评性"] },
    { why: "及时 as a time limit", form: () => good({ targets: good().targets.map((x) => (x.level2 === "时效" ? { ...x, value: "及时" } : x)) }), expect: ["时间限制不合理可行"] },
    { why: "a duration in Chinese numerals is a time limit", form: () => good({ targets: good().targets.map((x) => (x.level2 === "时效" ? { ...x, value: "两小时之内" } : x)) }), expect: [] },
    { why: "a coverage rate under 成本", form: () => good({ targets: [...good().targets, t("产出", "成本", "宣传覆盖率", "≥95%", "覆盖户数 ÷ 总户数，抽查核实")] }), expect: ["绩效指标归类不正确"] },
    { why: "a satisfaction rate under 社会效益", form: () => good({ targets: good().targets.map((x) => (x.level2 === "社会效益" ? { ...x, level3: "群众满意度" } : x)) }), expect: ["绩效指标归类不正确"] },
    { why: "a cost cap above the amount", form: () => good({ targets: good().targets.map((x) => (x.level2 === "成本" ? { ...x, value: "≤30万元" } : x)) }), expect: ["绩效目标与项目资金量不匹配"] },
    { why: "amount 0 while 测算依据 names a sum", form: () => good({ funds_year: 0, funds_total: 0 }), expect: ["项目金额未填写"] },
    { why: "元 written under a 万元 label", form: () => good({ funds_year: 100000, funds_total: 300000 }), expect: ["金额单位填写错误"] },
    { why: "项目总金额 below 本年度金额", form: () => good({ funds_total: 8 }), expect: ["项目总金额小于本年度金额"] },
    { why: "a cut excerpt: dimensions it does not reach are not judged", form: () => good({ complete: false, targets: good().targets.slice(0, 2) }), expect: [] },
    { why: "the same form whole: the dimensions it lacks are items", form: () => good({ targets: good().targets.slice(0, 2) }), expect: ["时效指标未填写", "成本指标未填写", "社会效益指标未填写"] },
    { why: "a form published unfilled", form: () => good({ targets: good().targets.map((x) => ({ ...x, level3: null, value: null, description: null })) }), expect: ["绩效目标表未填写", "数量指标未填写", "质量指标未填写", "时效指标未填写", "成本指标未填写", "社会效益指标未填写", "绩效指标不能留空"] },
  ];
  it.each(cases)("$why → $expect", ({ form, expect: want }) => {
    expect(items(form()).sort()).toEqual([...want].sort());
  });

  it("every opinion names its evidence and place; a money error has a concrete fix", () => {
    const o = opinion(good({ funds_year: 100000, funds_total: 300000 }), "金额单位填写错误")!;
    expect(o.severity).toBe("error");
    expect(o.dimension).toBe("适当性");
    expect(o.text).toContain("100000");
    expect(o.text).toContain("≤10万元");
    expect(o.suggestion).toBe("本年度项目金额改为 10（万元），项目总金额改为 30（万元）");
    expect(o.evidence[0]).toMatchObject({ field: "funds_year", text: "100000" });
    // The amount is 元: the cost cap of 10万元 is not "above the amount" (one fault, one opinion).
    expect(items(good({ funds_year: 100000, funds_total: 300000 }))).toEqual(["金额单位填写错误"]);
  });

  it("several places of one item are one opinion listing them all", () => {
    const d = good({ targets: good().targets.map((x) => (x.level1 === "产出" && x.level2 !== "时效" ? { ...x, value: "良好" } : x)) });
    const o = opinion(d, "指标值不具量化易评性")!;
    expect(o.evidence.map((e) => e.where)).toEqual(["产出/数量/宣传活动场次/目标值", "产出/质量/宣传品发放覆盖率/目标值", "产出/成本/项目总成本/目标值"]);
    expect(o.text).toContain("“良好”“良好”“良好”");
  });
});

describe("checklist as data", () => {
  it("a bureau's file renames an item, rewrites its opinion, disables another and adds a dimension", () => {
    const c = mergeChecklist({
      items: [
        { code: "POLICY_BASIS", name: "立项依据不充分", dimension: "可测性", opinion: "立项依据不充分：{证据}" },
        { code: "CALC_BASIS", enabled: false },
      ],
    });
    expect(c.items).toHaveLength(DEFAULT_CHECKLIST.items.length);
    expect(c.dimensions).toContain("可测性");
    const d = good({ policy_basis: "开展宣传", calc_basis: "共10万元" });
    const r = reviewDocument(d, "x.docx", 0, c)!;
    expect(r.items).toEqual(["立项依据不充分"]);
    expect(r.opinions[0]!.text).toBe("立项依据不充分：“开展宣传”");
  });
  it("a new item must be complete; a wrong rule name is refused in Chinese", () => {
    expect(() => mergeChecklist({ items: [{ code: "NEW_ITEM", name: "新审核项" }] })).toThrow(ChecklistError);
    expect(() => mergeChecklist({ items: [{ code: "X", name: "x", dimension: "完整性", severity: "warning", rule: "noSuchRule", opinion: "x" }] })).toThrow(/审核清单/);
    expect(() => mergeChecklist({ replace: true, items: [{ code: "ONLY", name: "只审政策依据", dimension: "相关性", severity: "error", rule: "policyBasis", opinion: "{证据}" }] }).items.map((i) => i.code)).not.toThrow();
  });
});

describe("jixiao review (CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "jixiao-review-"));
  const sg = join(REAL_DIR, "songgang/songgang-2.xlsx");
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("--json: one entry per project in the documented shape; exit 1 when an item is error-level", async () => {
    const r = await run(["review", sg, "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { projects: Record<string, unknown>[] };
    expect(j.projects).toHaveLength(20);
    const p = j.projects[0]!;
    expect(Object.keys(p)).toEqual(["file", "sheet", "code", "name", "unit", "amount", "items", "opinions"]);
    expect(p.code).toBe("440306231391567300153");
    expect(p.unit).toBe("深圳市宝安区松岗街道行政事务服务中心");
    expect(p.items).toContain("项目金额未填写");
    expect(Object.keys((p.opinions as object[])[0]!)).toEqual(["dimension", "item", "code", "where", "text", "suggestion"]);
  });

  it("text: one block per project, items first, evidence indented", async () => {
    const r = await run(["review", sg]);
    const block = r.out.split("\n  【")[1]!;
    const lines = block.split("\n");
    expect(lines[0]).toContain("440306231391567300153");
    expect(lines[1]).toMatch(/^ {6}审核项：/);
    expect(lines.some((l) => /^ {8}· /.test(l))).toBe(true);
  });

  it("--xlsx writes the 审核意见表: a row per project with 项目编码, 名称, 申请单位, 金额, a column per dimension, 小结", async () => {
    const out = join(dir, "意见表.xlsx");
    const r = await run(["review", sg, "--xlsx", out]);
    expect(r.code).toBe(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const head = (ws.getRow(2).values as unknown[]).slice(1);
    expect(head).toEqual(["序号", "项目编码", "项目名称", "申请单位", "本年度金额（万元）", "完整性审核意见", "相关性审核意见", "适当性审核意见", "可行性审核意见", "小结"]);
    expect(ws.rowCount).toBe(22);
    const first = ws.getRow(3).values as unknown[];
    expect(first[2]).toBe("440306231391567300153");
    expect(String(first[8])).toMatch(/^1\. 本年度项目金额为0/);
    expect(String(first[10])).toContain("项目金额未填写");
  });

  it("an unreadable file exits 2 and names the file; the others are still reviewed", async () => {
    const bad = join(dir, "坏文件.xlsx");
    writeFileSync(bad, "PK\u0003\u0004 not a zip");
    const r = await run(["review", bad, sg, "--json"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("坏文件.xlsx");
    expect((JSON.parse(r.out) as { projects: unknown[] }).projects).toHaveLength(20);
  });

  it("a broken checklist file exits 2 with the reason", async () => {
    const c = join(dir, "清单.json");
    writeFileSync(c, JSON.stringify({ items: [{ code: "bad code" }] }));
    const r = await run(["review", sg, "--checklist", c]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/审核清单 .*清单\.json：审核清单格式不正确/);
  });
});
