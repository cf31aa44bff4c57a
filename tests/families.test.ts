// Every form family of ../shared/docs/templates.md, built as units publish it (Word tables with real
// gridSpan / vMerge merges, or workbooks with merged cells), read through extractBuffer: each family must
// yield its kind, header fields, funds rows, goals, every indicator (levels, target and its split parts,
// actual, weight, score, deviation, description), totals and completeness.
import { beforeAll, describe, expect, it } from "vitest";
import type { DeptDoc, FileResult, Indicator, PerfDoc, SelfEvalDoc, Target, TargetFormDoc } from "../src/domain/document.ts";
import { checkExtracted } from "../src/check.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { LEFT, SECT_PR, UP, makeDocx, mergedTableXml, wordParagraphXml } from "./helpers/makeDocx.ts";
import { makeXlsx, type SheetSpec } from "./helpers/makeXlsx.ts";

// --- building blocks -----------------------------------------------------------------------------

/** A cell spanning n grid columns. */
const s = (text: string, n = 1): string[] => [text, ...Array<string>(n - 1).fill(LEFT)];
/** The continuation of a vertically merged cell n grid columns wide. */
const u = (n = 1): string[] => [UP, ...Array<string>(n - 1).fill(LEFT)];
const title = (t: string) => wordParagraphXml(t, { center: true, bold: true, size: 36 });
const para = (t: string) => wordParagraphXml(t, { center: /^[（(]/.test(t) });
const docx = (...parts: string[]) => makeDocx(parts.join("") + SECT_PR);

/** Level cells repeated on consecutive rows become one vertically merged cell (as forms print 一级/二级). */
function mergeLevels(rows: string[][], cols: number[]): string[][] {
  return rows.map((r, i) => {
    const prev = rows[i - 1];
    const out = [...r];
    for (let k = 0; k < cols.length; k++) {
      const same = prev !== undefined && cols.slice(0, k + 1).every((c) => prev[c] === r[c]);
      if (same) out[cols[k]!] = UP;
    }
    return out;
  });
}

/** A block label (绩效指标, 年度绩效指标完成情况 …) written down the left of its rows. */
const underLabel = (label: string, header: string[], rows: string[][]): string[][] => [[label, ...header], ...rows.map((r) => [UP, ...r])];

async function read(bytes: Uint8Array, file: string): Promise<FileResult> {
  // FAMILY_FILES_OUT=dir writes each built file there (tests/fixtures/families is made from them).
  if (process.env.FAMILY_FILES_OUT) (await import("node:fs")).writeFileSync(`${process.env.FAMILY_FILES_OUT}/${file}`, bytes);
  const r = await extractBuffer(bytes, file);
  expect(r.error).toBeNull();
  return r;
}

function one<K extends PerfDoc["kind"]>(r: FileResult, kind: K): Extract<PerfDoc, { kind: K }> {
  expect(r.documents.map((d) => d.kind)).toEqual([kind]);
  return r.documents[0] as Extract<PerfDoc, { kind: K }>;
}

const num = (t: string): number | null => (t === "" ? null : Number(t));
const txt = (t: string): string | null => (t === "" ? null : t);

/** A split-target indicator row (指标性质 | 指标值 | 度量单位) and what it must read as. */
interface SplitRow {
  l1: string;
  l2: string;
  l3: string;
  op: string;
  value: string;
  unit: string;
  /** The joined target, as the family requires it. */
  target: string;
}

// --- 1. 四川 部门预算项目支出绩效自评表 (2023) ----------------------------------------------------

describe("四川 部门预算项目支出绩效自评表 (2023, .docx)", () => {
  const GOAL = "按照《中华人民共和国法律援助法》和省、市工作要求，为经济困难群众和特殊案件当事人提供法律援助，全年受援不少于735人次，开展法治宣传活动不少于12场。";
  const ACTUAL = "全年受援812人次，开展法治宣传活动15场，法律援助案件结案率97%，受援人满意度88%。";
  const PROCESS = "2023年按季度审核法律援助案件，按每件不超过1500元的标准向承办律师发放办案补贴，于12月前完成全部资金支付。";
  const NOTE = "1.预算执行率=预算执行数/调整后预算数，预算执行率未达到90%的需说明原因（100字以内）；2.年中发生预算调整的（追加或调减），应单独说明理由；3.其他资金包括：社会投入资金、银行贷款。";
  const CONCL = "项目资金使用规范，年度目标基本完成，自评等级为优。";
  const PROBLEM = "受援人满意度略低于年度指标值，个别案件办理周期偏长。";
  const MEASURE = "建立案件办理进度跟踪和回访制度，缩短办案周期。";
  const IND: (SplitRow & { actual: string; weight: string; score: string; dev: string })[] = [
    { l1: "产出指标", l2: "数量指标", l3: "法律援助受援人次", op: "≥", value: "735", unit: "人次", target: "≥735人次", actual: "812人次", weight: "20", score: "20", dev: "" },
    { l1: "产出指标", l2: "数量指标", l3: "开展法治宣传活动", op: "≥", value: "12", unit: "场", target: "≥12场", actual: "15场", weight: "10", score: "10", dev: "" },
    { l1: "产出指标", l2: "质量指标", l3: "法律援助案件结案率", op: "≥", value: "95", unit: "%", target: "≥95%", actual: "97%", weight: "10", score: "10", dev: "" },
    { l1: "产出指标", l2: "时效指标", l3: "办案补贴发放及时率", op: "=", value: "100", unit: "%", target: "=100%", actual: "100%", weight: "10", score: "10", dev: "" },
    { l1: "成本指标", l2: "经济成本指标", l3: "案件办案补贴标准", op: "≤", value: "1500", unit: "元/件", target: "≤1500元/件", actual: "1500元/件", weight: "10", score: "10", dev: "" },
    { l1: "效益指标", l2: "社会效益指标", l3: "困难群众合法权益保障", op: "定性", value: "有效保障", unit: "", target: "有效保障", actual: "有效保障", weight: "15", score: "15", dev: "" },
    { l1: "满意度指标", l2: "服务对象满意度指标", l3: "受援人满意度", op: "≥", value: "90", unit: "%", target: "≥90%", actual: "88%", weight: "15", score: "14.5", dev: "个别受援人对办案进度不满意，将加强案件跟踪回访。" },
  ];
  const grid = [
    s("部门预算项目支出绩效自评表（2023年度）", 11),
    ["项目名称", ...s("2023年法律援助专项经费", 10)],
    ["主管部门", ...s("青神县司法局", 4), ...s("实施单位", 2), ...s("青神县法律援助中心", 4)],
    ["项目基本情况", ...s("1.项目年度目标完成情况", 2), ...s("项目年度目标", 4), ...s("年度目标完成情况", 4)],
    [UP, ...u(2), ...s(GOAL, 4), ...s(ACTUAL, 4)],
    [UP, ...s("2.项目实施内容及过程概述", 2), ...s(PROCESS, 8)],
    ["预算执行情况（10分）", ...s("年度预算数（万元）", 2), "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", ...s("原因", 2)],
    [UP, ...s("总额", 2), "48.00", "52.50", "51.80", "98.67%", "10", "9.87", ...s(NOTE, 2)],
    [UP, ...s("其中：财政资金", 2), "48.00", "50.00", "49.30", "98.60%", "/", "/", ...u(2)],
    [UP, ...s("财政专户管理资金", 2), "0.00", "0.00", "0.00", "0.00%", "/", "/", ...u(2)],
    [UP, ...s("单位资金", 2), "0.00", "2.50", "2.50", "100.00%", "/", "/", ...u(2)],
    [UP, ...s("其他资金", 2), "", "", "", "", "/", "/", ...u(2)],
    ...underLabel(
      "绩效指标（90分）",
      ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
      mergeLevels(IND.map((x) => [x.l1, x.l2, x.l3, x.op, x.value, x.unit, x.actual, x.weight, x.score, x.dev]), [0, 1]),
    ),
    [...s("合计", 8), "100", "99.37", ""],
    ["评价结论", ...s(CONCL, 10)],
    ["存在问题", ...s(PROBLEM, 10)],
    ["改进措施", ...s(MEASURE, 10)],
    [...s("项目负责人：王建华", 5), ...s("财务负责人：李秀英", 6)],
  ];
  let d: SelfEvalDoc;
  beforeAll(async () => {
    const r = await read(docx(mergedTableXml(grid)), "青神县司法局2023年法律援助专项经费自评表.docx");
    d = one(r, "自评表");
  });

  it("reads the header: project, 主管部门, 实施单位, the year from （2023年度）and 万元 from 年度预算数（万元）", () => {
    expect.soft({ name: d.name, department: d.department, implementer: d.implementer, year: d.year, unit: d.unit }).toEqual({
      name: "2023年法律援助专项经费",
      department: "青神县司法局",
      implementer: "青神县法律援助中心",
      year: 2023,
      unit: "万元",
    });
  });
  it("reads 项目年度目标 | 年度目标完成情况 over their texts as the goals", () => {
    expect.soft(d.goals).toEqual({ expected: GOAL, actual: ACTUAL });
  });
  it("reads 总额 as the total with 权重 as its weight, and 其中：财政资金 as the fiscal row", () => {
    expect.soft(d.funds.total).toEqual({ initial: 48, adjusted: 52.5, executed: 51.8, weight: 10, rate: "98.67%", score: 9.87 });
    expect.soft(d.funds.fiscal).toEqual({ initial: 48, adjusted: 50, executed: 49.3, weight: null, rate: "98.60%", score: null });
    expect.soft(d.funds.other).toEqual({ initial: null, adjusted: null, executed: null, weight: null, rate: null, score: null });
  });
  it("keeps 财政专户管理资金 and 单位资金 in funds.more, in form order", () => {
    expect.soft(d.funds.more).toEqual([
      { label: "财政专户管理资金", initial: 0, adjusted: 0, executed: 0, weight: null, rate: "0.00%", score: null },
      { label: "单位资金", initial: 0, adjusted: 2.5, executed: 2.5, weight: null, rate: "100.00%", score: null },
    ]);
  });
  it("reads one indicator per row, no more", () => {
    expect.soft(d.indicators.map((i) => i.level3)).toEqual(IND.map((x) => x.l3));
  });
  it.each(IND.map((x, i) => ({ ...x, i, no: i + 1 })))("indicator $no ($l3): split target joined to $target with its parts, 权重 as weight", (x) => {
    const want: Indicator = {
      level1: x.l1,
      level2: x.l2,
      level3: x.l3,
      target: x.target,
      parts: { operator: x.op, value: x.value, unit: txt(x.unit) },
      actual: x.actual,
      weight: num(x.weight),
      score: num(x.score),
      deviation: txt(x.dev),
    };
    expect.soft(d.indicators[x.i]).toEqual(want);
  });
  it("reads the 合计 row as the totals and the form as complete", () => {
    expect.soft(d.total).toEqual({ weight: 100, score: 99.37 });
    expect.soft(d.complete).toBe(true);
    expect.soft(d.unread).toEqual([]);
  });
  it("keeps 项目实施内容及过程概述, 评价结论, 存在问题, 改进措施 and the two signatures (label：name) as fields", () => {
    expect.soft(d.fields).toMatchObject({
      项目实施内容及过程概述: PROCESS,
      评价结论: CONCL,
      存在问题: PROBLEM,
      改进措施: MEASURE,
      项目负责人: "王建华",
      财务负责人: "李秀英",
    });
  });
});

// --- 2. 安徽 10-column 自评表 -------------------------------------------------------------------

describe("安徽 10-column 项目支出绩效自评表 (.docx)", () => {
  const GOAL = "完成全镇农村户用厕所改造300户以上，配齐村庄保洁员，建立农村人居环境长效管护机制，农村卫生厕所普及率达到85%以上。";
  const ACTUAL = "完成农村户用厕所改造326户，配备村庄保洁员45人，农村卫生厕所普及率达到88%，长效管护机制基本建立。";
  const DEV = "部分村管护制度执行不到位，下一步将加强督查考核。";
  // [一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施]
  const IND: string[][] = [
    ["产出指标\n（50分）", "数量指标", "农村户用厕所改造数", "≥300户", "326户", "15", "15", ""],
    ["产出指标\n（50分）", "数量指标", "村庄保洁员配备人数", "≥45人", "45人", "10", "10", ""],
    ["产出指标\n（50分）", "质量指标", "改厕验收合格率", "≥95%", "97.5%", "10", "10", ""],
    ["产出指标\n（50分）", "时效指标", "项目完工时间", "2021年11月底前", "2021年11月20日", "5", "5", ""],
    ["产出指标\n（50分）", "成本指标", "户厕改造补助标准", "≤1500元/户", "1500元/户", "10", "10", ""],
    ["效益指标\n（30分）", "社会效益指标", "农村卫生厕所普及率", "≥85%", "88%", "15", "15", ""],
    ["效益指标\n（30分）", "可持续影响指标", "长效管护机制建立", "建立", "基本建立", "15", "13", DEV],
    ["满意度指标\n（10分）", "服务对象满意度指标", "受益群众满意度", "≥90%", "93%", "10", "10", ""],
  ];
  const grid = [
    [...s("项目名称", 2), ...s("2021年农村人居环境整治提升专项资金", 8)],
    [...s("主管部门", 2), ...s("泾县农业农村局", 3), ...s("实施单位", 2), ...s("泾县榔桥镇人民政府", 3)],
    [...s("项目资金\n（万元）", 2), ...s("", 2), "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
    [...u(2), ...s("年度资金总额：", 2), "120", "135.6", "131.2", "10", "96.76%", "9.68"],
    [...u(2), ...s("其中：本年财政拨款", 2), "120", "125.6", "121.2", "—", "96.50%", "—"],
    [...u(2), ...s("上年结转资金", 2), "", "10", "10", "—", "100%", "—"],
    [...u(2), ...s("其他资金", 2), "", "", "", "—", "", "—"],
    [...s("年度总体目标完成情况", 2), ...s("预期目标", 4), ...s("实际完成情况", 4)],
    [...u(2), ...s(GOAL, 4), ...s(ACTUAL, 4)],
    ...underLabel(
      "年度绩效指标完成情况",
      ["一级\n指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", ...s("偏差原因分析及改进措施", 2)],
      mergeLevels(IND.map((r) => [...r, LEFT]), [0, 1]),
    ),
    [...s("总分", 6), "100", "97.68", ...s("", 2)],
  ];
  let d: SelfEvalDoc;
  beforeAll(async () => {
    const r = await read(docx(title("项目支出绩效自评表"), para("（2021年度）"), mergedTableXml(grid)), "榔桥镇2021年农村人居环境整治自评表.docx");
    d = one(r, "自评表");
  });

  it("reads the header, the year line under the title and 万元 from 项目资金（万元）", () => {
    expect.soft({ name: d.name, department: d.department, implementer: d.implementer, year: d.year, unit: d.unit }).toEqual({
      name: "2021年农村人居环境整治提升专项资金",
      department: "泾县农业农村局",
      implementer: "泾县榔桥镇人民政府",
      year: 2021,
      unit: "万元",
    });
  });
  it("reads 年度资金总额： / 其中：本年财政拨款 / 上年结转资金 / 其他资金 against 全年预算数（A）, 全年执行数（B）, 分值, 执行率（B/A）", () => {
    expect.soft(d.funds.total).toEqual({ initial: 120, adjusted: 135.6, executed: 131.2, weight: 10, rate: "96.76%", score: 9.68 });
    expect.soft(d.funds.fiscal).toEqual({ initial: 120, adjusted: 125.6, executed: 121.2, weight: null, rate: "96.50%", score: null });
    expect.soft(d.funds.carryover).toEqual({ initial: null, adjusted: 10, executed: 10, weight: null, rate: "100%", score: null });
    expect.soft(d.funds.other).toEqual({ initial: null, adjusted: null, executed: null, weight: null, rate: null, score: null });
    expect.soft(d.funds.more ?? []).toEqual([]);
  });
  it("reads 预期目标 | 实际完成情况 under 年度总体目标完成情况", () => {
    expect.soft(d.goals).toEqual({ expected: GOAL, actual: ACTUAL });
  });
  it("reads one indicator per row, no more", () => {
    expect.soft(d.indicators.map((i) => i.level3)).toEqual(IND.map((r) => r[2]));
  });
  it.each(IND.map((r, i) => ({ i, no: i + 1, l3: r[2]!, r })))("indicator $no ($l3): levels, 年度指标值, 实际完成值, 分值, 得分, 偏差原因", ({ i, r }) => {
    const [l1, l2, l3, target, actual, weight, score, dev] = r as [string, string, string, string, string, string, string, string];
    // The 一级 cell prints its group's points under the name: the name is what it must yield.
    const l1name = l1.split("\n")[0]!;
    expect.soft(d.indicators[i]).toEqual({
      level1: expect.stringMatching(new RegExp(`^${l1name}(（\\d+分）)?$`)),
      level2: l2,
      level3: l3,
      target,
      actual,
      weight: num(weight),
      score: num(score),
      deviation: txt(dev),
    });
  });
  it("reads the 总分 row and the form as complete", () => {
    expect.soft(d.total).toEqual({ weight: 100, score: 97.68 });
    expect.soft(d.complete).toBe(true);
  });
});

// --- 3. 湖北 自评表, execution scored 20 by the block label ------------------------------------------

describe("湖北 财政项目绩效自评表 with 预算执行情况（万元）（20分）(.docx)", () => {
  // [一级, 二级, 三级, 年初目标值（A）, 实际完成值（B）, 得分]
  const IND: string[][] = [
    ["产出指标", "数量指标", "新建院区开放床位数", "≥1000张", "1000张", "10"],
    ["产出指标", "质量指标", "建设补助资金专款专用", "专款专用", "专款专用", "10"],
    ["产出指标", "时效指标", "年度建设任务完成时间", "2021年12月底前", "2021年12月", "10"],
    ["产出指标", "成本指标", "年度财政建设补助", "≤1000万元", "1000万元", "10"],
    ["效益指标", "经济效益指标", "东津院区年医疗收入", "≥5亿元", "6.47亿元", "10"],
    ["效益指标", "社会效益指标", "东津新区群众就医便利度", "明显提升", "明显提升", "10"],
    ["效益指标", "可持续影响指标", "院区持续提供医疗服务年限", "≥20年", "长期", "9"],
    ["满意度指标", "服务对象满意度指标", "住院患者满意度", "≥90%", "95.2%", "10"],
  ];
  const grid = [
    ["项目名称", ...s("东津院区建设补助", 6)],
    ["主管部门", ...s("襄阳市卫生健康委员会", 2), "项目实施单位", ...s("襄阳市中心医院", 3)],
    ["项目类别", ...s("1、部门预算项目☑　2、财政专项□　3、市对下转移支付项目□", 6)],
    ["项目属性", ...s("1、持续性项目☑　2、新增性项目□", 6)],
    ["项目类型", ...s("1、常年性项目□　2、延续性项目☑　3、一次性项目□", 6)],
    ["预算执行情况（万元）（20分）", ...s("", 2), "预算数（A）", "执行数（B）", "执行率（B/A）", "得分（20分*执行率）"],
    [UP, ...s("年度财政资金总额", 2), "1000", "1000", "100%", "20"],
    ...underLabel("年度绩效目标（80分）", ["一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成值（B）", "得分"], mergeLevels(IND, [0, 1])),
    [...s("总分", 6), "99"],
  ];
  let d: SelfEvalDoc;
  beforeAll(async () => {
    const r = await read(
      docx(title("2021年度财政项目绩效自评表"), para("单位名称：襄阳市中心医院　　　　填报日期：2022年3月18日"), mergedTableXml(grid)),
      "襄阳市中心医院2021年度财政项目绩效自评表.docx",
    );
    d = one(r, "自评表");
  });

  it("reads the header: 项目名称, 主管部门, 项目实施单位, the year from the title, 万元 from the block label", () => {
    expect.soft({ name: d.name, department: d.department, implementer: d.implementer, year: d.year, unit: d.unit }).toEqual({
      name: "东津院区建设补助",
      department: "襄阳市卫生健康委员会",
      implementer: "襄阳市中心医院",
      year: 2021,
      unit: "万元",
    });
  });
  it("reads 年度财政资金总额 against 预算数（A）| 执行数（B）| 执行率（B/A）| 得分, the weight 20 from the block label", () => {
    expect.soft(d.funds.total).toEqual({ initial: 1000, adjusted: null, executed: 1000, weight: 20, rate: "100%", score: 20 });
  });
  it("reads one indicator per row, no more", () => {
    expect.soft(d.indicators.map((i) => i.level3)).toEqual(IND.map((r) => r[2]));
  });
  it.each(IND.map((r, i) => ({ i, no: i + 1, l3: r[2]!, r })))("indicator $no ($l3): 年初目标值（A）as target, 实际完成值（B）as actual, 得分 with no 分值 column", ({ i, r }) => {
    const [l1, l2, l3, target, actual, score] = r as [string, string, string, string, string, string];
    expect.soft(d.indicators[i]).toEqual({ level1: l1, level2: l2, level3: l3, target, actual, weight: null, score: num(score), deviation: null });
  });
  it("reads the 总分 row's score and the form as complete", () => {
    expect.soft(d.total.score).toBe(99);
    expect.soft(d.complete).toBe(true);
  });
});

// --- 4. 湖北 stage-scored 自评表 (项目决策 / 项目过程 / 项目产出 / 项目效益) ----------------------------------

describe("湖北 stage-scored 项目支出绩效自评表 (.docx)", () => {
  // [一级, 二级, 三级, 分值, 评分标准, 得分, 扣分原因]
  const IND: string[][] = [
    ["项目决策", "项目立项", "立项依据充分性", "4", "项目立项符合国家法律法规、国民经济发展规划和相关政策，得4分；否则酌情扣分。", "4", ""],
    ["项目决策", "项目立项", "立项程序规范性", "4", "按规定程序申请设立，审批文件、材料符合要求，得4分；否则酌情扣分。", "4", ""],
    ["项目决策", "绩效目标", "绩效目标合理性", "4", "绩效目标与实际工作内容相关，与预算资金量相匹配，得4分；否则酌情扣分。", "3", "绩效目标与预算资金量匹配度不高。"],
    ["项目决策", "绩效目标", "绩效指标明确性", "4", "绩效指标细化、量化，可衡量，得4分；否则酌情扣分。", "4", ""],
    ["项目决策", "资金投入", "预算编制科学性", "4", "预算编制经过科学论证，内容与项目内容匹配，得4分；否则酌情扣分。", "4", ""],
    ["项目过程", "资金管理", "资金到位率", "5", "实际到位资金/计划投入资金×100%，达到100%得5分，每低1个百分点扣0.5分。", "5", ""],
    ["项目过程", "资金管理", "预算执行率", "5", "实际支出资金/实际到位资金×100%，得分=执行率×5分。", "4.85", "部分维修工程尾款未到结算期。"],
    ["项目过程", "资金管理", "资金使用合规性", "5", "资金使用符合财经制度和资金管理办法，得5分；否则不得分。", "5", ""],
    ["项目过程", "组织实施", "管理制度健全性", "5", "已制定相应的项目管理制度且合法合规，得5分；否则酌情扣分。", "5", ""],
    ["项目产出", "产出数量", "校舍维修面积完成率", "10", "实际维修面积/计划维修面积×100%，得分=完成率×10分。", "10", ""],
    ["项目产出", "产出质量", "维修工程验收合格率", "10", "验收合格率达到100%得10分，每低1个百分点扣1分。", "10", ""],
    ["项目产出", "产出时效", "工程按期完工率", "5", "按期完工学校数/维修学校总数×100%，得分=完工率×5分。", "4", "1所学校因雨季延期完工。"],
    ["项目产出", "产出成本", "成本控制情况", "5", "实际成本控制在预算范围内得5分；超出预算不得分。", "5", ""],
    ["项目效益", "社会效益", "办学条件改善情况", "10", "校舍安全隐患全部消除、办学条件明显改善得10分；否则酌情扣分。", "10", ""],
    ["项目效益", "可持续影响", "校舍安全长效管理", "10", "建立校舍维修档案和日常巡查制度得10分；否则酌情扣分。", "9", "维修档案管理不够规范。"],
    ["项目效益", "满意度", "师生及家长满意度", "10", "满意度≥90%得10分，每低1个百分点扣1分。", "10", ""],
  ];
  const grid = [
    ["项目名称", ...s("义务教育学校校舍维修改造项目", 6)],
    ["主管部门", ...s("随州市曾都区教育局", 2), "实施单位", ...s("曾都区教育局基建办公室", 3)],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", ...s("执行率", 2)],
    [UP, "年度资金总额", "300", "320", "310.4", ...s("97.00%", 2)],
    ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分", "扣分原因"],
    ...mergeLevels(IND, [0, 1]),
    [...s("合计", 3), "100", "", "96.85", ""],
  ];
  let d: SelfEvalDoc;
  beforeAll(async () => {
    const r = await read(docx(title("2022年度项目支出绩效自评表"), para("填报单位：随州市曾都区教育局"), mergedTableXml(grid)), "曾都区校舍维修改造项目自评表.docx");
    d = one(r, "自评表");
  });

  it("reads the header and the year from the title", () => {
    expect.soft({ name: d.name, department: d.department, implementer: d.implementer, year: d.year, unit: d.unit }).toEqual({
      name: "义务教育学校校舍维修改造项目",
      department: "随州市曾都区教育局",
      implementer: "曾都区教育局基建办公室",
      year: 2022,
      unit: "万元",
    });
  });
  it("reads the funds row, which this frame does not score", () => {
    expect.soft(d.funds.total).toEqual({ initial: 300, adjusted: 320, executed: 310.4, weight: null, rate: "97.00%", score: null });
  });
  it("reads one indicator per row with 项目决策 / 项目过程 / 项目产出 / 项目效益 as 一级", () => {
    expect.soft(d.indicators.map((i) => [i.level1, i.level3])).toEqual(IND.map((r) => [r[0], r[2]]));
  });
  it.each(IND.map((r, i) => ({ i, no: i + 1, l3: r[2]!, r })))("indicator $no ($l3): 分值 as weight, 得分, 评分标准 as description, 扣分原因 as deviation", ({ i, r }) => {
    const [l1, l2, l3, weight, standard, score, reason] = r as [string, string, string, string, string, string, string];
    expect.soft(d.indicators[i]).toEqual({
      level1: l1,
      level2: l2,
      level3: l3,
      target: null,
      actual: null,
      weight: num(weight),
      score: num(score),
      deviation: txt(reason),
      description: standard,
    });
  });
  it("reads the 合计 row (100 / 96.85) and the form as complete", () => {
    expect.soft(d.total).toEqual({ weight: 100, score: 96.85 });
    expect.soft(d.complete).toBe(true);
  });
});

// --- 5. 中央 绩效目标申报表 (财预〔2015〕88号), mid-term and annual sets side by side -------------------

describe("中央 项目支出绩效目标申报表 (财预〔2015〕88号, .docx)", () => {
  const MID = "目标1：2024—2026年完成城市建成区12条黑臭水体治理，消除黑臭水体。\n目标2：建成水质自动监测站30个，实现重点水体水质实时监测。";
  const YEAR = "目标1：2024年完成4条黑臭水体治理。\n目标2：建成水质自动监测站10个，治理水体水质达标率不低于85%。";
  // [一级, 中期二级, 中期三级, 中期指标值, 年度二级, 年度三级, 年度指标值]
  const ROWS: string[][] = [
    ["产出指标", "数量指标", "治理黑臭水体数量", "≥12条", "数量指标", "治理黑臭水体数量", "≥4条"],
    ["产出指标", "数量指标", "水质自动监测站建设数", "≥30个", "数量指标", "水质自动监测站建设数", "≥10个"],
    ["产出指标", "质量指标", "治理水体水质达标率", "≥90%", "质量指标", "治理水体水质达标率", "≥85%"],
    ["产出指标", "时效指标", "治理工程完工时间", "2026年12月底前", "时效指标", "年度治理任务完成时间", "2024年11月底前"],
    ["产出指标", "成本指标", "单条水体治理成本", "≤150万元", "成本指标", "单条水体治理成本", "≤150万元"],
    ["效益指标", "经济效益指标", "不适用", "不适用", "经济效益指标", "不适用", "不适用"],
    ["效益指标", "社会效益指标", "沿岸居民居住环境", "明显改善", "社会效益指标", "沿岸居民居住环境", "有所改善"],
    ["效益指标", "生态效益指标", "城市水体水质优良比例", "≥70%", "生态效益指标", "城市水体水质优良比例", "≥60%"],
    ["效益指标", "可持续影响指标", "河长制长效管护机制", "健全", "可持续影响指标", "河长制长效管护机制", "建立"],
    ["满意度指标", "服务对象满意度指标", "沿岸居民满意度", "≥90%", "服务对象满意度指标", "沿岸居民满意度", "≥85%"],
  ];
  const grid = [
    [...s("项目名称", 2), ...s("城市黑臭水体治理及水环境监测", 6)],
    [...s("主管部门及代码", 2), ...s("某市生态环境局（312）", 2), ...s("实施单位", 2), ...s("某市生态环境监测中心", 2)],
    [...s("项目属性", 2), ...s("延续", 2), ...s("项目期", 2), ...s("3年", 2)],
    [...s("项目资金\n（万元）", 2), ...s("中期资金总额：", 2), "1,800.00", ...s("年度资金总额：", 2), "600.00"],
    [...u(2), ...s("其中：财政拨款", 2), "1,800.00", ...s("其中：财政拨款", 2), "600.00"],
    [...u(2), ...s("其他资金", 2), "0.00", ...s("其他资金", 2), "0.00"],
    ["总\n体\n目\n标", ...s("中期目标（2024年—2026年）", 4), ...s("年度目标", 3)],
    [UP, ...s(MID, 4), ...s(YEAR, 3)],
    ...underLabel("绩\n效\n指\n标", ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"], mergeLevels(ROWS, [0, 1]).map((r, i) => {
      // The annual 二级 column merges down like the mid-term one.
      const prev = ROWS[i - 1];
      return prev && prev[0] === ROWS[i]![0] && prev[4] === ROWS[i]![4] ? [...r.slice(0, 4), UP, ...r.slice(5)] : r;
    })),
  ];
  let d: TargetFormDoc;
  beforeAll(async () => {
    const r = await read(docx(title("项目支出绩效目标申报表"), para("（2024年度）"), mergedTableXml(grid)), "黑臭水体治理绩效目标申报表.docx");
    d = one(r, "目标申报表");
  });

  it("reads 项目名称, 主管部门及代码, 实施单位, the year and 万元", () => {
    expect.soft({ name: d.name, implementer: d.implementer, year: d.year, unit: d.unit }).toEqual({
      name: "城市黑臭水体治理及水环境监测",
      implementer: "某市生态环境监测中心",
      year: 2024,
      unit: "万元",
    });
    expect.soft(d.department).toMatch(/^某市生态环境局(（312）)?$/);
  });
  it("reads 项目属性 延续 and 项目期 3年", () => {
    expect.soft(d.new_or_continuing).toBe("延续");
    expect.soft(d.period).toBe("3年");
  });
  it("reads 中期资金总额 as funds_total and 年度资金总额 as funds_year", () => {
    expect.soft({ funds_total: d.funds_total, funds_year: d.funds_year }).toEqual({ funds_total: 1800, funds_year: 600 });
  });
  it("reads the 中期目标 text as the long-term goal and the 年度目标 text as the annual goal (labels above their texts)", () => {
    expect.soft({ long_term_goal: d.long_term_goal, annual_goal: d.annual_goal }).toEqual({ long_term_goal: MID, annual_goal: YEAR });
  });
  it("reads the ANNUAL targets (the right-hand set), one per row, the 不适用 row kept", () => {
    const want: Target[] = ROWS.map((r) => ({ level1: r[0]!, level2: r[4]!, level3: r[5]!, value: r[6]!, description: null }));
    expect.soft(d.targets).toEqual(want);
  });
  it("reads the form as complete", () => {
    expect.soft(d.complete).toBe(true);
  });
});

// --- 6. 重庆 项目绩效目标表 (published with the budget, .xlsx) -----------------------------------------

describe("重庆 项目绩效目标表 (.xlsx)", () => {
  const OVERVIEW = "在古昌镇大青冈村实施乡村公路沿线绿化；依据《重庆市乡村振兴绿化美化行动方案》（渝林发〔2021〕5号）向沿线村民发放李子苗。";
  const LONG = "对古昌镇大青冈村约3500米公路沿线进行绿化美化。";
  const YEAR = "在古昌镇大青冈村约3500米公路沿线，通过地面清表、苗木采购和栽植、区域造景、管护等措施进行绿化美化，同时向沿线村民发放李子苗15000株。";
  // 计量单位 | 指标性质 | 指标值, in that column order.
  const IND: SplitRow[] = [
    { l1: "产出指标", l2: "数量指标", l3: "公路沿线绿化美化长度", unit: "米", op: "=", value: "3500", target: "=3500米" },
    { l1: "产出指标", l2: "数量指标", l3: "发放李子苗数量", unit: "株", op: "=", value: "15000", target: "=15000株" },
    { l1: "产出指标", l2: "质量指标", l3: "苗木栽植成活率", unit: "%", op: "≥", value: "85", target: "≥85%" },
    { l1: "产出指标", l2: "时效指标", l3: "项目完成时限", unit: "月", op: "≤", value: "12", target: "≤12月" },
    { l1: "产出指标", l2: "成本指标", l3: "每米绿化美化成本", unit: "元/米", op: "≤", value: "440", target: "≤440元/米" },
    { l1: "效益指标", l2: "社会效益指标", l3: "沿线村容村貌", unit: "", op: "定性", value: "明显改善", target: "明显改善" },
    { l1: "效益指标", l2: "可持续影响指标", l3: "苗木管护期限", unit: "年", op: "≥", value: "3", target: "≥3年" },
    { l1: "满意度指标", l2: "服务对象满意度指标", l3: "沿线村民满意度", unit: "%", op: "≥", value: "90", target: "≥90%" },
  ];
  const grid = [
    ["申报单位", "重庆市荣昌区林业局", "项目(专项)名称", ...s("古昌镇大青冈村乡村振兴绿化美化项目", 4)],
    ["具体实施单位", "荣昌区古昌镇人民政府", "项目属性", ...s("延续", 4)],
    ["项目负责人", "胡正君", "联系电话", ...s("023-46731285", 4)],
    ["资金情况(万元)", "年度资金总额:", ...s("153.5184", 5)],
    [UP, "其中:1.中央资金", ...s("", 5)],
    [UP, "2.市级资金", ...s("153.5184", 5)],
    [UP, "3.区级资金", ...s("", 5)],
    [UP, "4.其他资金", ...s("", 5)],
    ["项目概况及立项依据", ...s(OVERVIEW, 6)],
    ["项目总体目标", ...s(LONG, 6)],
    ["项目年度目标", ...s(YEAR, 6)],
    ...underLabel("绩效指标", ["一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "指标值"], mergeLevels(IND.map((x) => [x.l1, x.l2, x.l3, x.unit, x.op, x.value]), [0, 1])),
  ];
  let d: TargetFormDoc;
  let r: FileResult;
  beforeAll(async () => {
    r = await read(await makeXlsx([{ name: "附件2-1", before: ["附件2-1", "项目绩效目标表", "（2022年度）"], grid }]), "荣昌区林业局2022年项目绩效目标表.xlsx");
    d = one(r, "目标申报表");
  });

  it("reads 项目(专项)名称, 具体实施单位 as implementer and 申报单位 as the department", () => {
    expect.soft({ name: d.name, implementer: d.implementer, department: d.department }).toEqual({
      name: "古昌镇大青冈村乡村振兴绿化美化项目",
      implementer: "荣昌区古昌镇人民政府",
      department: "重庆市荣昌区林业局",
    });
  });
  it("reads the year line, 万元 from 资金情况(万元), 项目属性 and the contacts", () => {
    expect.soft({ year: d.year, unit: d.unit, new_or_continuing: d.new_or_continuing }).toEqual({ year: 2022, unit: "万元", new_or_continuing: "延续" });
    expect.soft(d.fields).toMatchObject({ 项目负责人: "胡正君", 联系电话: "023-46731285" });
  });
  it("reads 年度资金总额: as funds_year", () => {
    expect.soft(d.funds_year).toBe(153.5184);
  });
  it("reads 项目概况及立项依据, 项目总体目标 and 项目年度目标", () => {
    expect.soft({ policy_basis: d.policy_basis, long_term_goal: d.long_term_goal, annual_goal: d.annual_goal }).toEqual({
      policy_basis: OVERVIEW,
      long_term_goal: LONG,
      annual_goal: YEAR,
    });
  });
  it("reads one target per row, no more", () => {
    expect.soft(d.targets.map((t) => t.level3)).toEqual(IND.map((x) => x.l3));
  });
  it.each(IND.map((x, i) => ({ ...x, i, no: i + 1 })))("target $no ($l3): 计量单位 | 指标性质 | 指标值 joined to $target with its parts", (x) => {
    expect.soft(d.targets[x.i]).toEqual({
      level1: x.l1,
      level2: x.l2,
      level3: x.l3,
      value: x.target,
      description: null,
      parts: { operator: x.op, value: x.value, unit: txt(x.unit) },
    });
  });
  it("reads the form as complete", () => {
    expect.soft(d.complete).toBe(true);
  });
});

// --- 7. 申报表 header values below their labels, or after a colon in the label's cell ---------------------

describe("申报表 whose header values sit in the row below their labels (.docx)", () => {
  const GOAL = "为辖区1200名经济困难高龄、失能老人提供每月不少于20小时的居家养老上门服务，服务对象满意度达到90%以上。";
  // [一级, 二级, 三级, 指标值, 指标解释]
  const ROWS: string[][] = [
    ["产出指标", "数量指标", "居家养老上门服务对象人数", "≥1200人", "享受政府购买居家养老服务的老人人数"],
    ["产出指标", "数量指标", "人均月服务时长", "≥20小时", "每名服务对象每月接受上门服务的时长"],
    ["产出指标", "质量指标", "服务质量抽查合格率", "≥95%", "民政部门季度抽查服务记录的合格比例"],
    ["产出指标", "时效指标", "补贴资金拨付时间", "每季度末前", "按季度据实结算拨付"],
    ["产出指标", "成本指标", "人均服务补贴标准", "≤720元/年", "按每小时3元、每月20小时测算"],
    ["效益指标", "经济效益指标", "不适用", "不适用", "不适用"],
    ["效益指标", "社会效益指标", "老年人居家生活质量", "明显提升", "通过电话回访了解老人生活照料改善情况"],
    ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "委托第三方开展问卷调查"],
  ];
  const grid = [
    [...s("项目名称", 2), ...s("主管部门", 2), ...s("实施单位", 2)],
    [...s("社区居家养老服务补贴", 2), ...s("某某区民政局", 2), ...s("某某区养老服务指导中心", 2)],
    [...s("项目属性", 2), ...s("实施期限", 2), ...s("项目总预算（万元）", 2)],
    [...s("新增", 2), ...s("2024年1月—2024年12月", 2), ...s("86.40", 2)],
    ["年度绩效目标", ...s(GOAL, 5)],
    ["一级指标", "二级指标", "三级指标", "指标值", ...s("指标解释", 2)],
    ...mergeLevels(ROWS, [0, 1]).map((r) => [...r, LEFT]),
  ];
  let d: TargetFormDoc;
  beforeAll(async () => {
    const r = await read(docx(title("项目支出绩效目标申报表"), para("（2024年度）"), mergedTableXml(grid)), "居家养老服务补贴申报表.docx");
    d = one(r, "目标申报表");
  });

  it("reads every label of a row of labels from the cell below it", () => {
    expect.soft({ name: d.name, department: d.department, implementer: d.implementer }).toEqual({
      name: "社区居家养老服务补贴",
      department: "某某区民政局",
      implementer: "某某区养老服务指导中心",
    });
    expect.soft({ new_or_continuing: d.new_or_continuing, period: d.period, funds_total: d.funds_total, unit: d.unit }).toEqual({
      new_or_continuing: "新增",
      period: "2024年1月—2024年12月",
      funds_total: 86.4,
      unit: "万元",
    });
  });
  it("reads the year line and the 年度绩效目标", () => {
    expect.soft(d.year).toBe(2024);
    expect.soft(d.annual_goal).toBe(GOAL);
  });
  it("reads every target with its 指标解释, the 不适用 row kept", () => {
    expect.soft(d.targets).toEqual(ROWS.map(([level1, level2, level3, value, description]) => ({ level1, level2, level3, value, description })));
    expect.soft(d.complete).toBe(true);
  });
});

describe("申报表 whose labels carry their value after a colon, full- and half-width (.docx)", () => {
  const YEAR = "完成城区主次干道路灯设施日常巡查维护，路灯亮灯率保持在98%以上，故障报修24小时内修复。";
  const LONG = "2023—2025年建成城区道路照明智慧管理平台，城区道路照明设施完好率稳定在98%以上。";
  const ROWS: string[][] = [
    ["产出指标", "数量指标", "维护路灯数量", "≥8600盏", "纳入日常维护范围的城区路灯数量"],
    ["产出指标", "质量指标", "路灯亮灯率", "≥98%", "夜间巡查抽检亮灯的比例"],
    ["产出指标", "时效指标", "故障修复时限", "≤24小时", "接报后至修复完成的时间"],
    ["产出指标", "成本指标", "单盏年均维护成本", "≤140元", "年度维护费用/维护路灯数量"],
    ["效益指标", "经济效益指标", "不适用", "不适用", "不适用"],
    ["效益指标", "社会效益指标", "夜间道路通行安全", "有效保障", "因照明原因引发的交通事故数为0"],
    ["满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "12345热线及问卷调查"],
  ];
  const grid = [
    [...s("项目名称：城区道路照明设施维护", 3), ...s("主管部门：某某区城市管理局", 3)],
    [...s("实施单位:某某区市政设施维护中心", 3), ...s("项目属性:延续", 3)],
    [...s("项目总金额（万元）：360.00", 3), ...s("本年度项目金额（万元）：120.00", 3)],
    [...s("实施期限：2023年1月至2025年12月", 3), ...s("项目负责人：赵立新", 3)],
    s(`年度目标：${YEAR}`, 6),
    s(`长期目标：${LONG}`, 6),
    ["一级指标", "二级指标", "三级指标", "指标值", ...s("指标解释", 2)],
    ...mergeLevels(ROWS, [0, 1]).map((r) => [...r, LEFT]),
  ];
  let d: TargetFormDoc;
  beforeAll(async () => {
    const r = await read(docx(title("2024年度项目支出绩效目标申报表"), mergedTableXml(grid)), "道路照明维护申报表.docx");
    d = one(r, "目标申报表");
  });

  it("reads 项目名称：/主管部门： (full-width) and 实施单位:/项目属性: (half-width) from their own cells", () => {
    expect.soft({ name: d.name, department: d.department, implementer: d.implementer, new_or_continuing: d.new_or_continuing }).toEqual({
      name: "城区道路照明设施维护",
      department: "某某区城市管理局",
      implementer: "某某区市政设施维护中心",
      new_or_continuing: "延续",
    });
  });
  it("reads the amounts after 项目总金额（万元）： and 本年度项目金额（万元）：, 万元 from their labels", () => {
    expect.soft({ funds_total: d.funds_total, funds_year: d.funds_year, unit: d.unit }).toEqual({ funds_total: 360, funds_year: 120, unit: "万元" });
  });
  it("reads 实施期限：, 项目负责人：, 年度目标： and 长期目标：", () => {
    expect.soft({ period: d.period, annual_goal: d.annual_goal, long_term_goal: d.long_term_goal }).toEqual({
      period: "2023年1月至2025年12月",
      annual_goal: YEAR,
      long_term_goal: LONG,
    });
    expect.soft(d.fields).toMatchObject({ 项目负责人: "赵立新" });
  });
  it("reads the year from the title and every target, the 不适用 row kept", () => {
    expect.soft(d.year).toBe(2024);
    expect.soft(d.targets).toEqual(ROWS.map(([level1, level2, level3, value, description]) => ({ level1, level2, level3, value, description })));
    expect.soft(d.complete).toBe(true);
  });
});

// --- 8. 江西 部门整体绩效目标表 ------------------------------------------------------------------------

describe("江西 部门整体绩效目标表 (.docx)", () => {
  const DUTIES = "负责全县林业生态建设、森林资源保护管理、森林防火和林业有害生物防治，保证林业局职能实现，保障人员经费。";
  const GOAL = "保障在职、退休职工工资及时足额发放，完成森林资源管护和湿地保护任务，森林火灾受害率控制在0.9‰以内。";
  const IND: (SplitRow & { note: string })[] = [
    { l1: "产出指标", l2: "数量指标", l3: "保障在职职工人数(人)", op: "=", value: "116", unit: "人", target: "=116人", note: "该指标值数据合理" },
    { l1: "产出指标", l2: "数量指标", l3: "保障退休职工人数(人)", op: "=", value: "81", unit: "人", target: "=81人", note: "该指标值数据合理" },
    { l1: "产出指标", l2: "数量指标", l3: "湿地保有量(公顷)", op: "=", value: "4900", unit: "公顷", target: "=4900公顷", note: "依据全县湿地资源调查成果" },
    { l1: "产出指标", l2: "质量指标", l3: "工资发放准确性(%)", op: "≥", value: "95", unit: "%", target: "≥95%", note: "该指标值数据合理" },
    { l1: "产出指标", l2: "时效指标", l3: "工资按时发放率(%)", op: "=", value: "100", unit: "%", target: "=100%", note: "每月15日前发放" },
    { l1: "效益指标", l2: "社会效益指标", l3: "森林火灾受害率(‰)", op: "≤", value: "0.9", unit: "‰", target: "≤0.9‰", note: "省定考核标准" },
    { l1: "效益指标", l2: "生态效益指标", l3: "森林覆盖率(%)", op: "≥", value: "81.5", unit: "%", target: "≥81.5%", note: "依据年度森林资源监测数据" },
    { l1: "满意度指标", l2: "服务对象满意度指标", l3: "林农群众满意度(%)", op: "≥", value: "90", unit: "%", target: "≥90%", note: "问卷调查" },
  ];
  const grid = [
    s("部门整体绩效目标", 7),
    s("基本信息", 7),
    ["部门编码：", "316", "部门名称：", ...s("浮梁县林业局", 2), "*联系人：", "王媛"],
    ["联系电话：", ...s("13879821572", 6)],
    ["*部门职能职责概述", ...s(DUTIES, 6)],
    s("年度绩效目标", 7),
    ["*年度绩效总目标", ...s(GOAL, 6)],
    ["一级指标", "二级指标", "三级指标", "计算符号", "目标值", "度量单位", "指标值说明"],
    ...mergeLevels(IND.map((x) => [x.l1, x.l2, x.l3, x.op, x.value, x.unit, x.note]), [0, 1]),
  ];
  let d: DeptDoc;
  beforeAll(async () => {
    const r = await read(docx(title("浮梁县林业局2024年部门整体绩效目标表"), mergedTableXml(grid)), "浮梁县林业局部门整体绩效目标.docx");
    d = one(r, "部门整体");
  });

  it("is a 部门整体 目标表 naming the department, its code, contacts and year", () => {
    expect.soft({ form: d.form, name: d.name, code: d.code, year: d.year }).toEqual({ form: "目标表", name: "浮梁县林业局", code: "316", year: 2024 });
    expect.soft(d.fields).toMatchObject({ 联系人: "王媛", 联系电话: "13879821572" });
  });
  it("reads *部门职能职责概述 as duties and *年度绩效总目标 as the expected goal", () => {
    expect.soft(d.duties).toBe(DUTIES);
    expect.soft(d.goals.expected).toBe(GOAL);
  });
  it("reads one indicator per row, no more", () => {
    expect.soft(d.indicators.map((i) => i.level3)).toEqual(IND.map((x) => x.l3));
  });
  it.each(IND.map((x, i) => ({ ...x, i, no: i + 1 })))("indicator $no ($l3): 计算符号 | 目标值 | 度量单位 joined to $target, 指标值说明 as description", (x) => {
    expect.soft(d.indicators[x.i]).toEqual({
      level1: x.l1,
      level2: x.l2,
      level3: x.l3,
      target: x.target,
      parts: { operator: x.op, value: x.value, unit: x.unit },
      actual: null,
      weight: null,
      score: null,
      deviation: null,
      description: x.note,
    });
  });
  it("reads the form as complete", () => {
    expect.soft(d.complete).toBe(true);
  });
});

// --- 9. 湖南 部门整体支出绩效自评表 ------------------------------------------------------------------

describe("湖南 部门整体支出绩效自评表 (.docx)", () => {
  const GOAL = "新建高标准农田1.2万亩，足额发放耕地地力保护补贴，重大动物疫病零发生，服务对象满意度90%以上。";
  const ACTUAL = "新建高标准农田1.23万亩，耕地地力保护补贴全部发放，全年未发生重大动物疫病，服务对象满意度93%。";
  const TASKS: [string, string, string][] = [
    ["高标准农田建设", "新建高标准农田1.2万亩，配套灌排、田间道路设施", "720.00"],
    ["耕地地力保护补贴发放", "按政策足额发放耕地地力保护补贴", "385.60"],
    ["动物疫病防控", "开展重大动物疫病强制免疫和监测", "96.40"],
  ];
  // [一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施]
  const IND: string[][] = [
    ["产出指标", "数量指标", "新建高标准农田面积", "≥1.2万亩", "1.23万亩", "20", "20", ""],
    ["产出指标", "质量指标", "高标准农田工程验收合格率", "100%", "100%", "15", "15", ""],
    ["产出指标", "时效指标", "耕地地力保护补贴发放及时率", "100%", "87%", "10", "8.7", "部分乡镇农户信息核对滞后，下一步提前开展信息比对。"],
    ["产出指标", "成本指标", "高标准农田亩均投入", "≤600元/亩", "585元/亩", "10", "10", ""],
    ["效益指标", "社会效益指标", "重大动物疫病发生数", "0起", "0起", "15", "15", ""],
    ["效益指标", "可持续影响指标", "高标准农田管护机制", "建立", "部分建立", "10", "7", "部分乡镇管护责任未落实到人，将签订管护协议。"],
    ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "93%", "10", "10", ""],
  ];
  const grid = [
    [...s("部门（单位）名称", 2), ...s("靖州苗族侗族自治县农业农村局", 5), ...s("自评总分", 2), "95.5"],
    [...s("预算执行情况\n（万元）", 2), ...s("", 2), "年初预算数", "全年预算数", "全年执行数", "执行率", "权重", "得分"],
    [...u(2), ...s("年度资金总额", 2), "1,256.80", "1,380.00", "1,352.40", "98.00%", "10", "9.80"],
    [...u(2), ...s("其中：财政拨款", 2), "1,156.80", "1,260.00", "1,232.40", "97.81%", "—", "—"],
    [...u(2), ...s("上年结转资金", 2), "", "20.00", "20.00", "100.00%", "—", "—"],
    [...u(2), ...s("其他资金", 2), "100.00", "100.00", "100.00", "100.00%", "—", "—"],
    [...s("年度主要任务", 2), ...s("任务名称", 2), ...s("主要内容", 4), ...s("预算金额（万元）", 2)],
    ...TASKS.map(([n, c, a]) => [...u(2), ...s(n, 2), ...s(c, 4), ...s(a, 2)]),
    [...s("年度总体目标", 2), ...s("预期目标", 4), ...s("实际完成情况", 4)],
    [...u(2), ...s(GOAL, 4), ...s(ACTUAL, 4)],
    ...underLabel(
      "年度绩效指标",
      ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", ...s("偏差原因分析及改进措施", 2)],
      mergeLevels(IND.map((r) => [...r, LEFT]), [0, 1]),
    ),
    [...s("总分", 6), "100", "95.5", ...s("", 2)],
  ];
  let d: DeptDoc;
  beforeAll(async () => {
    const r = await read(docx(title("部门整体支出绩效自评表"), para("（2023年度）"), mergedTableXml(grid)), "靖州县农业农村局2023年部门整体支出绩效自评表.docx");
    d = one(r, "部门整体");
  });

  it("is a 部门整体 自评表 naming the department, with the year and 万元", () => {
    expect.soft({ form: d.form, name: d.name, year: d.year, unit: d.unit }).toEqual({ form: "自评表", name: "靖州苗族侗族自治县农业农村局", year: 2023, unit: "万元" });
  });
  it("reads 自评总分 and the 总分 row as the totals", () => {
    expect.soft(d.total).toEqual({ weight: 100, score: 95.5 });
  });
  it("reads the funds rows against 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 权重 | 得分", () => {
    expect.soft(d.funds.total).toEqual({ initial: 1256.8, adjusted: 1380, executed: 1352.4, weight: 10, rate: "98.00%", score: 9.8 });
    expect.soft(d.funds.fiscal).toEqual({ initial: 1156.8, adjusted: 1260, executed: 1232.4, weight: null, rate: "97.81%", score: null });
    expect.soft(d.funds.carryover).toEqual({ initial: null, adjusted: 20, executed: 20, weight: null, rate: "100.00%", score: null });
    expect.soft(d.funds.other).toEqual({ initial: 100, adjusted: 100, executed: 100, weight: null, rate: "100.00%", score: null });
  });
  it("reads the 年度主要任务 rows, and only them, as tasks", () => {
    expect.soft(d.tasks).toEqual(TASKS.map(([name, description, amount]) => ({ name, description, amount: Number(amount) })));
  });
  it("reads 预期目标 | 实际完成情况 as the goals", () => {
    expect.soft(d.goals).toEqual({ expected: GOAL, adjusted: null, actual: ACTUAL });
  });
  it("reads one indicator per row, no more", () => {
    expect.soft(d.indicators.map((i) => i.level3)).toEqual(IND.map((r) => r[2]));
  });
  it.each(IND.map((r, i) => ({ i, no: i + 1, l3: r[2]!, r })))("indicator $no ($l3): 年度指标值, 实际完成值, 分值, 得分, 偏差原因", ({ i, r }) => {
    const [level1, level2, level3, target, actual, weight, score, dev] = r as [string, string, string, string, string, string, string, string];
    expect.soft(d.indicators[i]).toEqual({ level1, level2, level3, target, actual, weight: num(weight), score: num(score), deviation: txt(dev) });
  });
  it("reads the form as complete", () => {
    expect.soft(d.complete).toBe(true);
  });
});

// --- 10. Workbooks: one project per sheet, hidden / empty / unfilled sheets ------------------------------

/** A central 项目支出绩效自评表 as a county publishes it per school, one sheet each. */
function centralSheet(name: string, impl: string, f: { a0: string; a: string; b: string; rate: string; s: string }, students: [string, string, string], total: string): SheetSpec {
  return {
    name,
    before: ["项目支出绩效自评表", "（2023年度）"],
    grid: [
      [...s("项目名称", 2), ...s("家庭经济困难学生生活补助", 8)],
      [...s("主管部门", 2), ...s("宁都县教育科技体育局", 3), ...s("实施单位", 2), ...s(impl, 3)],
      [...s("项目资金（万元）", 2), ...s("", 2), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
      [...u(2), ...s("年度资金总额", 2), f.a0, f.a, f.b, "10", f.rate, f.s],
      [...u(2), ...s("其中：当年财政拨款", 2), f.a0, f.a, f.b, "—", f.rate, "—"],
      [...u(2), ...s("上年结转资金", 2), "", "", "", "—", "", "—"],
      [...u(2), ...s("其他资金", 2), "", "", "", "—", "", "—"],
      ["年度总体目标", ...s("预期目标", 4), ...s("实际完成情况", 5)],
      [UP, ...s(`按标准向${students[0]}名家庭经济困难学生足额发放生活补助。`, 4), ...s(`已向${students[1]}名学生发放生活补助。`, 5)],
      ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", ...s("偏差原因分析及改进措施", 2)],
      [UP, "产出指标", "数量指标", "资助学生人数", `${students[0]}人`, `${students[1]}人`, "30", students[2], ...s("", 2)],
      [UP, UP, "质量指标", "资助资金足额发放率", "100%", "100%", "20", "20", ...s("", 2)],
      [UP, "效益指标", "社会效益指标", "因贫辍学学生数", "0人", "0人", "30", "30", ...s("", 2)],
      [UP, "满意度指标", "服务对象满意度指标", "受助学生满意度", "≥90%", "95%", "10", "10", ...s("", 2)],
      [...s("总分", 6), "100", total, ...s("", 2)],
    ],
  };
}

/** A 宝安-style system-export 二级项目支出绩效目标申报表 sheet; `blank` leaves its goals and targets unfilled. */
function exportSheet(name: string, o: { code: string; title: string; unit: string; blank?: boolean; state?: SheetSpec["state"] }): SheetSpec {
  const rows: string[][] = [
    ["产出", "数量", "服务场次", "≥24场", "全年开展服务的场次"],
    ["产出", "质量", "服务验收合格率", "100%", "服务成果验收合格的比例"],
    ["产出", "时效", "服务完成时间", "2024年12月31日前", "全年服务完成的时间"],
    ["产出", "成本", "服务总成本", "不超过45万元", "政府购买服务合同金额"],
    ["效益", "经济效益", "不适用", "不适用", "不适用"],
    ["效益", "社会效益", "居民参与人次", "≥3000人次", "参加服务活动的居民人次"],
    ["效益", "生态效益", "不适用", "不适用", "不适用"],
    ["效益", "可持续影响", "不适用", "不适用", "不适用"],
    ["满意度", "服务对象满意度", "服务对象满意度", "≥90%", "问卷调查"],
    ["满意度", "其他满意度", "不适用", "不适用", "不适用"],
  ];
  const blank = o.blank ?? false;
  const body = rows.map((r) => (blank ? [r[0]!, r[1]!, "", "", ""] : r));
  return {
    name,
    state: o.state,
    grid: [
      s("二级项目支出绩效目标申报表", 5),
      ["项目编码：", ...s(o.code, 2), "项目名称：", o.title],
      ["申请单位：", ...s(o.unit, 2), "一级预算单位：", "深圳市宝安区松岗街道办事处（本级）"],
      ["实施期限：", ...s("1", 2), "项目类型：", "15 其他经费"],
      ["是否新增项目：", ...s("是", 2), "分配方式：", "项目法"],
      ["项目总金额（中期规划，万元）：", ...s("45.00", 2), "本年度项目金额（万元）：", "45.00"],
      ["政策依据：", ...s(blank ? "" : "《深圳市宝安区政府购买服务管理办法》（深宝府办〔2021〕12号）", 4)],
      ["测算依据：", ...s(blank ? "" : "每场服务1.875万元×24场=45万元", 4)],
      ["年度目标：", ...s(blank ? "" : "全年开展社区服务活动24场，服务居民3000人次以上。", 4)],
      ["长期目标（跨度多年的项目需填）：", ...s("", 4)],
      ["一级指标", "二级指标", "三级指标", "目标值", "指标解释"],
      ...mergeLevels(body, [0]),
      s("备注：作为导入模板，置灰信息无需录入，作为导出模板，置灰信息系统自动带出。", 5),
    ],
  };
}

describe("workbooks (.xlsx): one project per sheet", () => {
  describe("three sheets with the same title row and the same 项目名称", () => {
    const SHEETS = [
      centralSheet("宁都中学", "宁都中学", { a0: "48.60", a: "52.20", b: "52.20", rate: "100%", s: "10" }, ["486", "522", "30"], "100"),
      centralSheet("宁都二中", "宁都县第二中学", { a0: "36.00", a: "36.00", b: "34.20", rate: "95%", s: "9.5" }, ["360", "342", "28.5"], "98"),
      centralSheet("宁都职业中专", "宁都县职业中等专业学校", { a0: "31.50", a: "31.50", b: "31.50", rate: "100%", s: "10" }, ["315", "315", "30"], "100"),
    ];
    let r: FileResult;
    beforeAll(async () => {
      r = await read(await makeXlsx(SHEETS), "宁都县2023年学生资助项目自评表.xlsx");
    });

    it("gives three 自评表, one per sheet, in sheet order, never merged", () => {
      expect.soft(r.documents.map((d) => d.kind)).toEqual(["自评表", "自评表", "自评表"]);
      expect.soft(r.documents.map((d) => d.name)).toEqual(["家庭经济困难学生生活补助", "家庭经济困难学生生活补助", "家庭经济困难学生生活补助"]);
      expect.soft((r.documents as SelfEvalDoc[]).map((d) => d.implementer)).toEqual(["宁都中学", "宁都县第二中学", "宁都县职业中等专业学校"]);
      expect.soft(r.sheets?.map((x) => ({ name: x.name, documents: x.documents }))).toEqual(SHEETS.map((x, i) => ({ name: x.name, documents: [i] })));
    });
    it("reads each sheet's own funds, indicators and totals, with the sheet in its provenance", () => {
      const docs = r.documents as SelfEvalDoc[];
      expect.soft(docs.map((d) => d.provenance.table?.sheet)).toEqual(SHEETS.map((x) => x.name));
      expect.soft(docs.map((d) => [d.funds.total.initial, d.funds.total.adjusted, d.funds.total.executed, d.funds.total.rate, d.funds.total.score])).toEqual([
        [48.6, 52.2, 52.2, "100%", 10],
        [36, 36, 34.2, "95%", 9.5],
        [31.5, 31.5, 31.5, "100%", 10],
      ]);
      expect.soft(docs.map((d) => [d.indicators.length, d.indicators[0]?.target, d.indicators[0]?.actual, d.indicators[0]?.score])).toEqual([
        [4, "486人", "522人", 30],
        [4, "360人", "342人", 28.5],
        [4, "315人", "315人", 30],
      ]);
      expect.soft(docs.map((d) => [d.year, d.unit, d.total.weight, d.total.score, d.complete])).toEqual([
        [2023, "万元", 100, 100, true],
        [2023, "万元", 100, 98, true],
        [2023, "万元", 100, 100, true],
      ]);
    });
  });

  describe("a workbook with a hidden sheet, an empty sheet and a 申报表 published unfilled", () => {
    let r: FileResult;
    beforeAll(async () => {
      r = await read(
        await makeXlsx([
          exportSheet("1.社区文化服务", { code: "440306241391500800210", title: "社区文化服务", unit: "深圳市宝安区松岗街道文化中心" }),
          exportSheet("2.长者助餐服务", { code: "440306241391500800211", title: "长者助餐服务", unit: "深圳市宝安区松岗街道社会事务办", state: "hidden" }),
          { name: "Sheet3" },
          exportSheet("3.青少年托管服务", { code: "440306241391500800212", title: "青少年托管服务", unit: "深圳市宝安区松岗街道团工委", blank: true }),
        ]),
        "松岗街道2024年项目绩效目标申报表.xlsx",
      );
    });

    it("lists every sheet in order with its state, emptiness and documents", () => {
      expect.soft(r.sheets).toEqual([
        { name: "1.社区文化服务", state: "visible", empty: false, documents: [0] },
        { name: "2.长者助餐服务", state: "hidden", empty: false, documents: [1] },
        { name: "Sheet3", state: "visible", empty: true, documents: [] },
        { name: "3.青少年托管服务", state: "visible", empty: false, documents: [2] },
      ]);
    });
    it("reads the hidden sheet's 申报表 like any other", () => {
      const d = r.documents[1] as TargetFormDoc;
      expect.soft(d.kind).toBe("目标申报表");
      expect.soft({ name: d.name, code: d.code, implementer: d.implementer, funds_year: d.funds_year }).toEqual({
        name: "长者助餐服务",
        code: "440306241391500800211",
        implementer: "深圳市宝安区松岗街道社会事务办",
        funds_year: 45,
      });
      expect.soft(d.targets).toHaveLength(10);
      expect.soft(d.targets[0]).toEqual({ level1: "产出", level2: "数量", level3: "服务场次", value: "≥24场", description: "全年开展服务的场次" });
    });
    it("gives no document for the empty sheet", () => {
      expect.soft(r.documents).toHaveLength(3);
      expect.soft(r.documents.map((d) => d.name)).toEqual(["社区文化服务", "长者助餐服务", "青少年托管服务"]);
    });
    it("keeps the unfilled 申报表 as a whole document with its printed 一级/二级 rows and blank targets", () => {
      const d = r.documents[2] as TargetFormDoc;
      expect.soft(d.kind).toBe("目标申报表");
      expect.soft({ name: d.name, code: d.code, annual_goal: d.annual_goal, complete: d.complete }).toEqual({
        name: "青少年托管服务",
        code: "440306241391500800212",
        annual_goal: null,
        complete: true,
      });
      expect.soft(d.targets.map((t) => [t.level1, t.level2, t.level3, t.value, t.description])).toEqual([
        ["产出", "数量", null, null, null],
        ["产出", "质量", null, null, null],
        ["产出", "时效", null, null, null],
        ["产出", "成本", null, null, null],
        ["效益", "经济效益", null, null, null],
        ["效益", "社会效益", null, null, null],
        ["效益", "生态效益", null, null, null],
        ["效益", "可持续影响", null, null, null],
        ["满意度", "服务对象满意度", null, null, null],
        ["满意度", "其他满意度", null, null, null],
      ]);
    });
    it("gives the unfilled 申报表, and only it, a FORM_UNFILLED error", () => {
      const checked = checkExtracted(r, defaultProfile());
      const unfilled = checked.documents.map((d) => d.findings.filter((f) => f.code === "FORM_UNFILLED").map((f) => f.severity));
      expect.soft(unfilled).toEqual([[], [], ["error"]]);
    });
  });
});

// --- 11. Several projects in one .docx; a form cut before its end ------------------------------------------

/** A central 自评表 table; `cutAfter` keeps only that many indicator rows and drops the 总分 row. */
function centralTable(name: string, impl: string, amount: string, ind: string[][], total: string, cutAfter?: number): string {
  const rows = cutAfter === undefined ? ind : ind.slice(0, cutAfter);
  const grid = [
    [...s("项目名称", 2), ...s(name, 7)],
    [...s("主管部门", 2), ...s("靖州县禁毒委员会办公室", 2), ...s("实施单位", 2), ...s(impl, 3)],
    [...s("项目资金\n（万元）", 2), "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [...u(2), "年度资金总额", amount, amount, amount, "10", "100%", "10"],
    [...u(2), "其中：当年财政拨款", amount, amount, amount, "—", "100%", "—"],
    [...u(2), "上年结转资金", "", "", "", "—", "", "—"],
    [...u(2), "其他资金", "", "", "", "—", "", "—"],
    ["年度总体目标", ...s("预期目标", 4), ...s("实际完成情况", 4)],
    [UP, ...s(`${name}按计划实施。`, 4), ...s(`${name}已按计划完成。`, 4)],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ...mergeLevels(rows, [0, 1]).map((r) => [UP, ...r]),
    ...(cutAfter === undefined ? [[...s("总分", 6), "100", total, ""]] : []),
  ];
  return mergedTableXml(grid);
}

const DRUG_IND: string[][] = [
  ["产出指标", "数量指标", "禁毒宣传活动场次", "≥5场", "6场", "20", "20", "无"],
  ["产出指标", "质量指标", "宣传覆盖率", "≥95%", "98%", "15", "15", "无"],
  ["产出指标", "时效指标", "活动完成时间", "2023年12月31日前", "2023年11月30日", "15", "15", "无"],
  ["效益指标", "社会效益指标", "群众禁毒知识知晓率", "≥90%", "93%", "20", "20", "无"],
  ["效益指标", "可持续影响指标", "长效管理制度建立数", "≥1项", "1项", "10", "10", "无"],
  ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", "10", "10", "无"],
];
const REHAB_IND: string[][] = [
  ["产出指标", "数量指标", "社区戒毒康复工作站个数", "≥4个", "4个", "25", "25", "无"],
  ["产出指标", "质量指标", "社戒社康人员管控率", "100%", "100%", "25", "25", "无"],
  ["效益指标", "社会效益指标", "吸毒人员复吸率", "≤10%", "8%", "30", "30", "无"],
  ["满意度指标", "服务对象满意度指标", "帮扶对象满意度", "≥90%", "92%", "10", "9", "个别帮扶对象认为帮扶频次偏少，将增加走访次数。"],
];

describe("two projects in one .docx", () => {
  let r: FileResult;
  beforeAll(async () => {
    r = await read(
      docx(
        para("附件3-1"),
        title("项目支出绩效自评表"),
        para("（2023年度）"),
        centralTable("禁毒宣传专项经费", "靖州县禁毒委员会办公室", "6", DRUG_IND, "100"),
        para("附件3-2"),
        title("项目支出绩效自评表"),
        para("（2023年度）"),
        centralTable("村和社区戒毒康复工作站工作经费", "靖州县各乡镇禁毒办", "12", REHAB_IND, "99"),
      ),
      "靖州县禁毒办2023年项目支出绩效自评表.docx",
    );
  });

  it("gives two 自评表 in document order, each with its own header", () => {
    expect.soft((r.documents as SelfEvalDoc[]).map((d) => [d.kind, d.name, d.implementer, d.year])).toEqual([
      ["自评表", "禁毒宣传专项经费", "靖州县禁毒委员会办公室", 2023],
      ["自评表", "村和社区戒毒康复工作站工作经费", "靖州县各乡镇禁毒办", 2023],
    ]);
  });
  it("gives each its own funds, indicators and totals, both complete", () => {
    const docs = r.documents as SelfEvalDoc[];
    expect.soft(docs.map((d) => d.funds.total.adjusted)).toEqual([6, 12]);
    expect.soft(docs.map((d) => d.indicators.map((i) => i.level3))).toEqual([DRUG_IND.map((x) => x[2]), REHAB_IND.map((x) => x[2])]);
    expect.soft(docs[1]!.indicators[3]).toEqual({
      level1: "满意度指标",
      level2: "服务对象满意度指标",
      level3: "帮扶对象满意度",
      target: "≥90%",
      actual: "92%",
      weight: 10,
      score: 9,
      deviation: "个别帮扶对象认为帮扶频次偏少，将增加走访次数。",
    });
    expect.soft(docs.map((d) => [d.total.weight, d.total.score, d.complete])).toEqual([
      [100, 100, true],
      [100, 99, true],
    ]);
  });
});

describe("a 自评表 cut before its 总分 row (.docx)", () => {
  let d: SelfEvalDoc;
  beforeAll(async () => {
    const r = await read(docx(title("项目支出绩效自评表"), para("（2023年度）"), centralTable("禁毒宣传专项经费", "靖州县禁毒委员会办公室", "6", DRUG_IND, "100", 3)), "禁毒宣传摘录.docx");
    d = one(r, "自评表");
  });

  it("keeps what was read: header, funds and the indicator rows before the cut", () => {
    expect.soft(d.name).toBe("禁毒宣传专项经费");
    expect.soft(d.funds.total.executed).toBe(6);
    expect.soft(d.indicators.map((i) => [i.level3, i.target, i.actual, i.weight, i.score])).toEqual(DRUG_IND.slice(0, 3).map((x) => [x[2], x[3], x[4], Number(x[5]), Number(x[6])]));
  });
  it("says the form is not complete and has no totals", () => {
    expect.soft(d.complete).toBe(false);
    expect.soft(d.total).toEqual({ weight: null, score: null });
  });
});
