// The rebuild stage (src/extract/rebuild/): form pieces → grid tables whose cells lie under the form's
// own header columns. Checked on the seed texts against their HTML sources, on the six real pasted
// files of ../shared/fixtures/real/pasted (against what a reader of each file sees, as written in
// evals/data/real/t*.json), and on small texts written here for each shape.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ingestText } from "../src/ingest/text/index.ts";
import { ingest } from "../src/ingest/index.ts";
import type { Block, ParagraphBlock, TableBlock } from "../src/ingest/blocks.ts";
import { rebuildBlocks } from "../src/extract/rebuild/index.ts";
import { htmlTables, underHeaders, ws } from "./helpers/seedHtml.ts";
import { BROWSER_ROWS, NOTE, ONE_PER_LINE, TITLE, expandedRows } from "./helpers/pasted003.ts";
import { SHARED } from "./fixtures.ts";

const SRC = join(SHARED, "fixtures/seeds/src");
const PASTED = join(SHARED, "fixtures/real/pasted");
const SEEDS = [
  { txt: "001_fa7b0c701d8ca214.txt", html: "001-jingzhou-2023.html" },
  { txt: "002_b959abbf1feb8992.txt", html: "002-xinhong-2020-target.html" },
  { txt: "003_cc3005463d32a7a4.txt", html: "003-xiqu-2020.html" },
];
const haveSeeds = SEEDS.every((s) => existsSync(join(SRC, s.txt)) && existsSync(join(SRC, s.html)));

const rebuilt = (text: string) => rebuildBlocks(ingestText(text, "x.txt").blocks);
const tablesIn = (blocks: Block[]) => blocks.filter((b): b is TableBlock => b.kind === "table");
const parasIn = (blocks: Block[]) => blocks.filter((b): b is ParagraphBlock => b.kind === "paragraph").map((p) => p.text);

/** Spans tile the grid, cells are ordered by column. */
function expectWellFormed(t: TableBlock) {
  const seen = new Set<string>();
  for (const [ri, row] of t.rows.entries()) {
    for (const c of row) {
      expect(c.row).toBe(ri);
      expect(c.col + c.colSpan).toBeLessThanOrEqual(t.nCols);
      for (let k = c.col; k < c.col + c.colSpan; k++) {
        expect(seen.has(`${ri},${k}`), `slot ${ri},${k} covered twice`).toBe(false);
        seen.add(`${ri},${k}`);
      }
    }
    const cols = row.map((c) => c.col);
    expect([...cols].sort((x, y) => x - y)).toEqual(cols);
  }
}

interface Found {
  table: TableBlock;
  row: number;
  /** header text → cell text (whitespace removed) for the row's non-empty cells */
  under: Map<string, string>;
  /** "header=text" items of the row ("-" before any header row) */
  items: string[];
}

/** The first non-header row (in any table) holding a cell with this text, read under its headers. */
function findRow(blocks: Block[], anchor: string): Found {
  for (const t of tablesIn(blocks)) {
    const u = underHeaders(t.rows);
    for (let r = 0; r < t.rows.length; r++) {
      const items = u[r]!;
      if (!items.some((x) => x.includes("=") && x.slice(x.indexOf("=") + 1) === ws(anchor))) continue;
      const under = new Map<string, string>();
      for (const x of items) {
        const k = x.indexOf("=");
        under.set(x.slice(0, k), x.slice(k + 1));
      }
      return { table: t, row: r, under, items };
    }
  }
  throw new Error(`no row holds ${anchor}`);
}

/** Asserts the cells of the anchor's row: header → text, null for "no cell under this header"; "-" names
 * a cell of a row outside the form's blocks (a key-value row's label). */
function expectRow(blocks: Block[], anchor: string, cells: Record<string, string | null>) {
  const f = findRow(blocks, anchor);
  for (const [h, v] of Object.entries(cells)) {
    if (h === "-") expect(f.items, anchor).toContain(`-=${ws(v!)}`);
    else expect(f.under.get(ws(h)) ?? null, `${anchor}: under ${h}`).toBe(v === null ? null : ws(v));
  }
  return f;
}

const inferredOf = (f: Found) => f.table.rows[f.row]!.filter((c) => ws(c.text) !== "").map((c) => !!c.inferred);

// ---------------------------------------------------------------------------------------------------

describe.skipIf(!haveSeeds)("seed texts: every cell under the same header as in the HTML source", () => {
  for (const seed of SEEDS) {
    it(seed.txt, () => {
      const html = htmlTables(readFileSync(join(SRC, seed.html), "utf8"));
      const tables = tablesIn(rebuilt(readFileSync(join(SRC, seed.txt), "utf8")));
      expect(tables.length).toBe(html.length);
      tables.forEach((t, i) => {
        expectWellFormed(t);
        expect(underHeaders(t.rows), `table ${i}`).toEqual(underHeaders(html[i]!));
      });
    });
  }

  it("003: rows with as many cells as their header row are kept as read; a 总分 row is placed (inferred)", () => {
    const blocks = rebuilt(readFileSync(join(SRC, SEEDS[2]!.txt), "utf8"));
    const f = expectRow(blocks, "全年预计化解矛盾纠纷2500件", { 一级指标: "产出指标", 分值: "15", 得分: "15" });
    expect(inferredOf(f).every((x) => !x)).toBe(true);
    const tot = expectRow(blocks, "总分", { 分值: "100", 得分: "100", 实际完成值: null });
    expect(inferredOf(tot).every((x) => x)).toBe(true);
  });
});

describe.skipIf(!haveSeeds)("the 003 form pasted in other shapes is rebuilt under its headers", () => {
  const html003 = () => underHeaders(htmlTables(readFileSync(join(SRC, SEEDS[2]!.html), "utf8"))[0]!);

  const check = (text: string, sameRows = true) => {
    const blocks = rebuilt(text);
    const tables = tablesIn(blocks);
    expect(tables.length).toBe(1);
    const t = tables[0]!;
    expectWellFormed(t);
    if (sameRows) expect(underHeaders(t.rows)).toEqual(html003());
    else expect(underHeaders(t.rows).flat()).toEqual(html003().flat());
    const paras = parasIn(blocks);
    expect(paras[0]).toBe("项目（政策）支出绩效自评表");
    expect(paras[paras.length - 1]).toContain("注：1.");
    expect(blocks.map((b) => b.kind).indexOf("table")).toBe(2);
    return blocks;
  };

  it("TAB rows with merged slots absent (browser copy)", () => {
    const blocks = check(TITLE + BROWSER_ROWS.map((r) => r.join("\t")).join("\n") + "\n\n" + NOTE);
    // 上年结转资金: the empty 执行率 cell stays between the dashes
    expectRow(blocks, "上年结转资金", { 年初预算数: "0", 全年预算数: "5", 全年执行数: "5", 分值: "—", 执行率: null, 得分: "—" });
    const f = expectRow(blocks, "及时有效化解辖区矛盾纠纷", { 一级指标: null, 二级指标: "质量指标", 年度指标值: "及时有效化解辖区矛盾纠纷" });
    expect(inferredOf(f).every((x) => x)).toBe(true);
  });

  it("TAB rows padded to the full grid (spreadsheet copy)", () => {
    check(TITLE + expandedRows().map((r) => r.join("\t")).join("\n") + "\n" + NOTE);
  });

  it("markdown pipe table with a --- row", () => {
    const [head, ...rest] = expandedRows();
    const md = (r: string[]) => "| " + r.join(" | ") + " |";
    check(TITLE + "\n" + [md(head!), "|" + " --- |".repeat(10), ...rest.map(md)].join("\n") + "\n\n" + NOTE);
  });

  it("pipe rows without outer pipes, ragged", () => {
    check(TITLE + BROWSER_ROWS.map((r) => r.map((c) => c.trim() || " ").join(" | ")).join("\n") + "\n" + NOTE);
  });

  it("one cell per line (PDF viewer copy): wrapped header words joined, rows cut where cells fit no later column", () => {
    const blocks = check(ONE_PER_LINE, false);
    const t = tablesIn(blocks)[0]!;
    const heads = underHeaders(t.rows).filter((r) => r.length && !r[0]!.includes("="));
    expect(heads).toContainEqual(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]);
    expect(heads).toContainEqual(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]);
    // the 上年结转资金 dashes went to 分值 and 得分, its empty 执行率 vanished in the copy
    expectRow(blocks, "上年结转资金", { 分值: "—", 执行率: null, 得分: "—" });
    expectRow(blocks, "对生态效益是否有促进作用", { 二级指标: "生态效益指标", 年度指标值: "是", 实际完成值: "完成", 分值: "7", 得分: "7" });
    expect(underHeaders(t.rows).filter((r) => r.some((x) => x.startsWith("三级指标="))).length).toBe(9);
    const lines = ONE_PER_LINE.split("\n");
    for (const c of t.rows.flat()) if (c.text) expect(lines[c.line! - 1]).toBe(c.paragraphs[0]);
  });
});

// ---------------------------------------------------------------------------------------------------
// The six real pasted files: what a reader of each file sees under each header (evals/data/real).

interface RealCase {
  file: string;
  rows: [anchor: string, cells: Record<string, string | null>][];
  /** Anchors of rows whose cells were placed by inference, and of rows read as they are. */
  inferred?: string[];
  asRead?: string[];
  /** Texts (starts) that must be unplaced, and texts that must appear in no table cell. */
  unplaced?: string[];
  nowhere?: string[];
}

const REAL: RealCase[] = [
  {
    file: "t01-sc-daying-sifaju-anke-2023.txt",
    rows: [
      ["成本控制数", { 一级指标: "产出指标", 二级指标: "经济成本指标", 指标性质: "≤", 指标值: "30", 度量单位: "万元", 完成值: "完成", 权重: "90", 得分: "90", 未完成原因分析: null }],
      ["合计", { 权重: "100", 得分: null }],
      ["其中:财政资金", { 年初预算: "0.00", 调整后预算数: "3.36", 预算执行数: "3.36", 预算执行率: "100.00%", 权重: "/", 得分: "/", 原因: null }],
      ["单位资金", { 年初预算: "0.00", 预算执行率: "0.00%", 权重: "/" }],
      ["其他资金", { 年初预算: null, 权重: "/", 得分: "/" }],
      ["根据要求购买安可设备,并完成项目资金支付。", { 项目年度目标: "根据要求购买安可设备,并完成项目资金支付。", 年度目标完成情况: "完成" }],
      ["完成安可产品购买并按要求支付资金", { 一级指标: "产出指标", 二级指标: "质量指标", 指标性质: "=", 指标值: "100", 度量单位: null }],
    ],
    inferred: ["成本控制数", "总额", "完成安可产品购买并按要求支付资金"],
    asRead: ["大英县司法局部门", "项目负责人:查小兵"],
  },
  {
    file: "t03-cq-rongchang-lvhua-mubiao-2022.txt",
    rows: [
      ["绿化美化公路", { 一级指标: "产出指标", 二级指标: "数量指标", 计量单位: "米", 指标性质: "=", 指标值: "3500" }],
      ["购买发放李子苗", { 一级指标: null, 二级指标: null, 计量单位: "株", 指标性质: "=", 指标值: "15000" }],
      ["树木成活率", { 二级指标: "质量指标", 计量单位: "%", 指标性质: "≥", 指标值: "85" }],
      ["时效指标", { 二级指标: "时效指标", 三级指标: null }],
    ],
    inferred: ["购买发放李子苗"],
    asRead: ["区林业局", "153.5184"],
  },
  {
    file: "t07-jx-fuliang-linyeju-zhengti-mubiao.txt",
    rows: [
      ["保障在职职工人数(人)", { 一级指标: "产出指标", 二级指标: "数量指标", 计算符号: "=", 目标值: "116", 度量单位: "人" }],
      ["保障退休职工人数(人)", { 一级指标: null, 计算符号: "=", 目标值: "81", 度量单位: "人", 指标值说明: "该指标值数据合理" }],
      ["林业产业(万亩)", { 目标值: "0.5", 度量单位: "万亩" }],
      ["工资发放准确性(%)", { 二级指标: "质量指标", 计算符号: "≥", 目标值: "95", 度量单位: "%", 指标值说明: "该指标值数据合理" }],
    ],
    inferred: ["保障退休职工人数(人)", "工资发放准确性(%)"],
    asRead: ["保障在职职工人数(人)", "浮梁县林业局"],
  },
  {
    file: "t10-ah-xuancheng-gongan-jindu-ziping-2021.txt",
    rows: [
      ["禁毒经费", { "-": "项目名称" }],
      ["年度资金总额:", { "全年预算数(A)": "100", "全年执行数(B)": "100", 分值: "10", "执行率(B/A)": "100%", 得分: "10" }],
      ["其中:本年财政拨款", { 年初预算数: "100", "全年预算数(A)": "100", "全年执行数(B)": "100", 分值: "-", "执行率(B/A)": null, 得分: "-" }],
      ["上年结转资金", { 年初预算数: null, 分值: "-", 得分: "-" }],
      ["禁毒支队", { "-": "实施单位" }],
      ["(50分)", { 年度绩效指标完成情况: "(50分)" }],
      ["指标1:禁毒舞台剧宣传的场次", { 一级指标: null, 二级指标: "数量指标", 年度指标值: "≥1场", 实际完成值: "1场", 分值: "12", 得分: "12" }],
      ["指标2:毛发检查试剂数量", { 二级指标: null, 年度指标值: "≥2400份", 实际完成值: "3200份", 分值: "12", 得分: "12" }],
      ["……", { 年度绩效指标完成情况: "……" }],
      ["指标1:经费支出合规性", { 二级指标: "质量指标", 年度指标值: "严格执行相关财经法规制度" }],
    ],
    inferred: ["其中:本年财政拨款", "指标2:毛发检查试剂数量"],
    asRead: ["年度资金总额:"],
  },
  {
    file: "t05-hb-xiangyang-zhongxinyiyuan-ziping-2021.txt",
    rows: [
      ["东津院区建设补助", { "-": "项目名称" }],
      ["项目实施单位", {}],
      ["年度财政资金总额", { "预算数(A)": "1000", "执行数(B)": "1000", "执行率(B/A1": "100%", "得分(20分*执行率)": "20" }],
      ["成本控制", { 一级指标: "产出指标", 二级指标: "数量指标", "年初目标值(A)": "不超过预算", "实际完成值(B)": "不超过预算", 得分: "10" }],
      ["保证财政建设补助专款专用", { 二级指标: "质量指标", "年初目标值(A)": "专款专用", "实际完成值(B)": "专款专用", 得分: "10" }],
      ["每年财政补助1000万元", { 二级指标: "成本", "年初目标值(A)": "1000万元", "实际完成值(B)": "1000万元", 得分: "10" }],
      ["时效", { 三级指标: "1年", "年初目标值(A)": "1年", "实际完成值(B)": "1年", 得分: "10" }],
      ["完成东津院区建设,医院东津医疗收入达到5亿元", { 一级指标: "效益指标", 二级指标: "经济效益", "年初目标值(A)": "5亿元", "实际完成值(B)": "6.47亿元", 得分: "10" }],
      ["可持续性", { 三级指标: null, "年初目标值(A)": null }],
    ],
    inferred: ["东津院区建设补助", "年度财政资金总额", "成本控制", "可持续性"],
    unplaced: ["院区建成后"],
    nowhere: ["院区建成后,可持续为周边群众提供医疗服务服务范围扩大服务范"],
  },
  {
    file: "t13-cq-liangping-linyeju-zhengti-ziping-2023.txt",
    rows: [
      ["李薇", { "-": "部门联系人" }],
      ["年度总金额", { 年初预算数: null, 执行率: null }],
      ["其中财政拨款", { 年初预算数: null, "全年(调整)预算数": null, 全年执行数: null, 执行率: "79.27", 执行率权重: "10", 执行率得分: "7.93" }],
      ["天然林和公益林管护当期任务完成率", { 计量单位: "%", 指标性质: null, 指标值: "90", "指标权重(分)": "10", 全年完成值: "100", "指标得分(分)": "10" }],
      ["国家级公益林管护面积", { 计量单位: "万亩", 指标值: "28", "指标权重(分)": "10", "指标得分(分)": "10" }],
      ["森林火灾受害率", { 计量单位: "%", 指标值: "0.9", "指标权重(分)": "10", 全年完成值: "0", "指标得分(分)": "10" }],
      ["主要林业有害生物成灾率", { 指标值: "0.4", 全年完成值: "0.1", "指标得分(分)": "10" }],
    ],
    inferred: ["李薇", "其中财政拨款", "森林火灾受害率"],
    unplaced: [".32.06.5", ".32.06.5", "维护林业、林区安全稳定", "公益林提供管"],
    nowhere: ["公益林提供管"],
  },
];

describe("the six real pasted files", () => {
  for (const c of REAL) {
    it(c.file, async () => {
      const path = join(PASTED, c.file);
      if (!existsSync(path)) return;
      const blocks = rebuildBlocks((await ingest(new Uint8Array(readFileSync(path)), path)).blocks);
      for (const t of tablesIn(blocks)) expectWellFormed(t);
      for (const [anchor, cells] of c.rows) expectRow(blocks, anchor, cells);
      for (const a of c.inferred ?? []) expect(inferredOf(findRow(blocks, a)).every((x) => x), `${a} inferred`).toBe(true);
      for (const a of c.asRead ?? []) expect(inferredOf(findRow(blocks, a)).some((x) => x), `${a} as read`).toBe(false);
      const unplaced = tablesIn(blocks).flatMap((t) => t.unplaced ?? []);
      expect(unplaced.map((u) => c.unplaced?.find((x) => u.text.startsWith(x)) ?? u.text)).toEqual(c.unplaced ?? []);
      for (const u of unplaced) {
        expect(u.reason).toMatch(/[\u4e00-\u9fff]/);
        expect(u.part).toMatch(/^[\u4e00-\u9fff]+$/);
        expect(u.line).toBeGreaterThan(0);
      }
      const cells = tablesIn(blocks).flatMap((t) => t.rows.flat().map((x) => ws(x.text)));
      for (const n of c.nowhere ?? []) expect(cells.some((x) => x.includes(ws(n))), n).toBe(false);
    });
  }

  it("t03: the printed blank row under 质量指标 keeps its four empty cells, under 三级指标 … 指标值", async () => {
    const path = join(PASTED, "t03-cq-rongchang-lvhua-mubiao-2022.txt");
    if (!existsSync(path)) return;
    const blocks = rebuildBlocks((await ingest(new Uint8Array(readFileSync(path)), path)).blocks);
    const f = findRow(blocks, "树木成活率");
    const head = f.table.rows.find((r) => r.some((c) => c.text === "三级指标"))!;
    const blank = f.table.rows[f.row + 1]!;
    expect(blank.map((c) => c.text)).toEqual(["", "", "", ""]);
    expect(blank.map((c) => head.find((h) => h.col === c.col)?.text)).toEqual(["三级指标", "计量单位", "指标性质", "指标值"]);
  });

  it("page chrome is left as paragraphs: the lists of project names above t03's and t07's tables", async () => {
    for (const f of ["t03-cq-rongchang-lvhua-mubiao-2022.txt", "t07-jx-fuliang-linyeju-zhengti-mubiao.txt"]) {
      const path = join(PASTED, f);
      if (!existsSync(path)) continue;
      const blocks = rebuildBlocks((await ingest(new Uint8Array(readFileSync(path)), path)).blocks);
      expect(tablesIn(blocks).length).toBe(1);
      expect(parasIn(blocks).length).toBeGreaterThan(10);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Each shape on a text written here

describe("shapes", () => {
  it("cells separated by spaces: wrapped header words joined, a block-label line joins the header below it", () => {
    const text = [
      "项目支出绩效自评表",
      "(2022年度)",
      "项目名称 社区矫正经费",
      "主管部门 某县司法局 实施单位 某县社区矫正中心",
      "项目资金",
      "(万元)",
      "年初预算数 全年预算数 全年执行数 分值 执行率 得分",
      "年度资金总额 50 50 45 10 90% 9",
      "其中:财政拨款 50 50 45 - -",
      "其他资金 - -",
      "年度总体目标 预期目标 实际完成情况",
      "开展社区矫正教育10次 开展社区矫正教育12次",
      "绩效指标 一级",
      "指标",
      "二级指标 三级指标 年度",
      "指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
      "产出指标 数量指标 教育次数 ≥10次 12次 20 20",
      "时效指标 完成时间 12月底前 12月 10 10",
      "总分 100 95",
      "注:本表由实施单位填写。",
    ].join("\n");
    const blocks = rebuilt(text);
    const [t] = tablesIn(blocks);
    expect(tablesIn(blocks).length).toBe(1);
    expect(parasIn(blocks)).toEqual(["项目支出绩效自评表", "(2022年度)", "注:本表由实施单位填写。"]);
    const heads = underHeaders(t!.rows).filter((r) => r.length > 2 && !r[0]!.includes("="));
    expect(heads).toContainEqual(["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]);
    expect(heads).toContainEqual(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]);
    expectRow(blocks, "年度资金总额", { 年初预算数: "50", 全年执行数: "45", 执行率: "90%", 得分: "9" });
    expectRow(blocks, "其中:财政拨款", { 全年执行数: "45", 分值: "-", 执行率: null, 得分: "-" });
    expectRow(blocks, "开展社区矫正教育10次", { 预期目标: "开展社区矫正教育10次", 实际完成情况: "开展社区矫正教育12次" });
    const f = expectRow(blocks, "教育次数", { 一级指标: "产出指标", 二级指标: "数量指标", 年度指标值: "≥10次", 实际完成值: "12次", 分值: "20", 得分: "20" });
    expect(inferredOf(f).every((x) => x)).toBe(true);
    expectRow(blocks, "完成时间", { 一级指标: null, 二级指标: "时效指标", 年度指标值: "12月底前", 实际完成值: "12月" });
    expectRow(blocks, "总分", { 分值: "100", 得分: "95" });
  });

  it("| rows: merged cells dropped at the row start and empty cells moved to the row end", () => {
    const text = [
      "预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 |",
      "总额 | 20.00 | 20.00 | 18.00 | 90.00% | 10 | 9 | ||",
      "其中:财政资金 | 20.00 | 20.00 | 18.00 | 90.00% | / | / | |||",
      "其他资金 | / | / | ||||||",
      "绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析 |",
      "产出指标 | 数量指标 | 培训人次 | ≥ | 735 | 人次 | 800 | 30 | 30 | ||",
      "质量指标 | 培训合格率 | ≥ | 95 | % | 98% | 30 | 30 | |||",
      "效益指标 | 社会效益指标 | 群众知晓率 | ≥ | 90 | % | 85% | 30 | 25 | 宣传不足 |",
      "合计 | 100 | 94 | ||||||||",
    ].join("\n");
    const blocks = rebuilt(text);
    expectRow(blocks, "总额", { "年度预算数(万元)": "总额", 年初预算: "20.00", 预算执行数: "18.00", 预算执行率: "90.00%", 权重: "10", 得分: "9" });
    expectRow(blocks, "其中:财政资金", { 预算执行率: "90.00%", 权重: "/", 得分: "/" });
    expectRow(blocks, "其他资金", { 年初预算: null, 权重: "/", 得分: "/" });
    expectRow(blocks, "培训人次", { 一级指标: "产出指标", 指标性质: "≥", 指标值: "735", 度量单位: "人次", 完成值: "800", 权重: "30" });
    // the merged 产出指标 cell was dropped at the row start, not the 未完成原因分析 at its end
    expectRow(blocks, "培训合格率", { 一级指标: null, 二级指标: "质量指标", 指标值: "95", 度量单位: "%", 完成值: "98%", 得分: "30", 未完成原因分析: null });
    expectRow(blocks, "群众知晓率", { 得分: "25", 未完成原因分析: "宣传不足" });
    expectRow(blocks, "合计", { 权重: "100", 得分: "94" });
  });

  it("markdown table with merged cells dropped", () => {
    const text = [
      "| 一级指标 | 二级指标 | 三级指标 | 计算符号 | 目标值 | 度量单位 | 指标值说明 |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      "| 产出指标 | 数量指标 | 巡护里程 | ≥ | 1200 | 公里 | 按年度计划 |",
      "| 巡护天数 | = | 365 | 天 | 全年 | | |",
      "| 时效指标 | 完成时限 | ≤ | 12 | 月 | 年底前 | |",
      "| 效益指标 | 生态效益指标 | 森林覆盖率 | ≥ | 60 | % | | ",
    ].join("\n");
    const blocks = rebuilt(text);
    expectRow(blocks, "巡护天数", { 一级指标: null, 二级指标: null, 计算符号: "=", 目标值: "365", 度量单位: "天", 指标值说明: "全年" });
    expectRow(blocks, "完成时限", { 一级指标: null, 二级指标: "时效指标", 计算符号: "≤", 目标值: "12", 度量单位: "月" });
    expectRow(blocks, "森林覆盖率", { 一级指标: "效益指标", 二级指标: "生态效益指标", 目标值: "60", 度量单位: "%" });
    const f = expectRow(blocks, "巡护里程", { 一级指标: "产出指标", 指标值说明: "按年度计划" });
    expect(inferredOf(f).every((x) => !x)).toBe(true); // as many cells as the header: read as is
    expect(inferredOf(findRow(blocks, "巡护天数")).every((x) => x)).toBe(true);
  });

  it("one cell per line, split-target 申报表", () => {
    const text = ["项目绩效目标表", "一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "指标值", "产出指标", "数量指标", "新建步道", "公里", "≥", "12", "设置指示牌", "块", "=", "40", "质量指标", "验收合格率", "%", "=", "100"].join("\n");
    const blocks = rebuilt(text);
    expect(parasIn(blocks)).toEqual(["项目绩效目标表"]);
    expectRow(blocks, "新建步道", { 一级指标: "产出指标", 二级指标: "数量指标", 计量单位: "公里", 指标性质: "≥", 指标值: "12" });
    expectRow(blocks, "设置指示牌", { 一级指标: null, 计量单位: "块", 指标性质: "=", 指标值: "40" });
    expectRow(blocks, "验收合格率", { 二级指标: "质量指标", 计量单位: "%", 指标值: "100" });
  });

  it("run-together text: labels split longest first, digits split only where the numbers confirm it", () => {
    const text = [
      "2023年度项目支出绩效自评表项目名称乡村道路养护主管部门某县交通运输局项目实施单位某县公路中心预算执行情况(万元)(10分)预算数(A)执行数(B)执行率(B/A)得分(10分*执行率)年度资金总额50045090%9绩效指标一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标数量指标养护里程120公里120公里20质量指标路面完好率不低于90%不低于90%20效益指标社会效益群众出行满意度满意度提升9",
    ].join("\n");
    const blocks = rebuilt(text);
    expect(parasIn(blocks)).toEqual(["2023年度项目支出绩效自评表"]);
    const [t] = tablesIn(blocks);
    expect(t!.rows.flat().every((c) => c.inferred || ws(c.text) === "")).toBe(true);
    expectRow(blocks, "乡村道路养护", { "-": "项目名称" });
    expectRow(blocks, "某县公路中心", { "-": "项目实施单位" });
    // 450 / 500 = 90% and 10 × 90% = 9
    expectRow(blocks, "年度资金总额", { "预算数(A)": "500", "执行数(B)": "450", "执行率(B/A)": "90%", "得分(10分*执行率)": "9" });
    expectRow(blocks, "养护里程", { 一级指标: "产出指标", 二级指标: "数量指标", "年初目标值(A)": "120公里", "实际完成值(B)": "120公里", 得分: "20" });
    expectRow(blocks, "路面完好率", { 二级指标: "质量指标", "年初目标值(A)": "不低于90%", "实际完成值(B)": "不低于90%", 得分: "20" });
    // no repetition and no two amounts of one unit: not split, not guessed
    const f = expectRow(blocks, "社会效益", { 一级指标: "效益指标", 三级指标: null });
    expect(f.table.unplaced?.map((u) => u.text)).toEqual(["群众出行满意度满意度提升9"]);
  });

  it("run-together funds digits that no check confirms are not placed", () => {
    const text = "项目支出绩效自评表项目名称某项目预算执行情况(10分)年初预算数全年预算数全年执行数执行率(B/A)得分(10分*执行率)年度资金总额10010090100%10绩效指标指标名称计量单位指标性质指标值指标权重全年完成值指标得分说明办理案件数件≥4520509020";
    const blocks = rebuilt(text);
    // 90 / 100 = 90%, not the printed 100%: no reading of 10010090100%10 passes
    const f = expectRow(blocks, "年度资金总额", { 年初预算数: null, 全年执行数: null, 执行率: null, 得分: null });
    expect(f.table.unplaced?.map((u) => [u.part, u.text])).toEqual([
      ["资金情况", "10010090100%10"],
      ["绩效指标", "办理案件数件≥4520509020"],
    ]);
    // 4520509020 under 指标值 | 权重 | 完成值 | 得分 reads several ways (45|20|5090|20, 4520|50|90|20 …) and
    // the first row has no row above to agree with: nothing placed
    const cells = f.table.rows.flat().map((c) => ws(c.text));
    expect(cells).not.toContain("45");
  });
});

describe("other readers' tables pass unchanged", () => {
  it("grid tables and plain prose are returned as they are", () => {
    const grid: TableBlock = {
      kind: "table",
      index: 0,
      nCols: 2,
      rows: [[{ text: "项目名称", paragraphs: ["项目名称"], row: 0, col: 0, rowSpan: 1, colSpan: 1 }, { text: "X", paragraphs: ["X"], row: 0, col: 1, rowSpan: 1, colSpan: 1 }]],
    };
    const prose: ParagraphBlock = { kind: "paragraph", index: 0, text: "一、项目基本情况：本项目年初预算数100万元，全年执行数98万元，执行率98%。" };
    const blocks: Block[] = [prose, grid];
    expect(rebuildBlocks(blocks)).toEqual(blocks);
  });
});

describe("robustness", () => {
  const piece = fc.constantFrom(
    "\n", " ", "  ", "\t", " | ", "|\n", "| ||", "项目名称", "主管部门", "项目资金", "（万元）", "年初预算数", "全年预算数", "全年执行数", "预算数(A)",
    "执行数(B)", "执行率", "(B/A", "得分", "(20分*执行率)", "分值", "权重", "年度资金总额", "其中:财政拨款", "年度总体目标", "预期目标", "实际完成情况",
    "绩效指标", "一级", "指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "产出指标", "数量指标", "成本", "总分",
    "≥", "=", "万元", "%", "人次", "5", "10", "100", "1000", "100%", "90%", ".32", "0.5", "—", "/", "不适用", "完成", "不超过预算", "项目支出绩效自评表",
  );
  it("never throws and always yields well-formed tables with unplaced text in Chinese", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => {
        let blocks: Block[];
        try {
          blocks = ingestText(parts.join(""), "f.txt").blocks;
        } catch {
          return; // EMPTY_FILE
        }
        const out = rebuildBlocks(blocks);
        let p = 0;
        for (const b of out) {
          if (b.kind === "paragraph") expect(b.index).toBe(p++);
          else {
            expectWellFormed(b);
            for (const u of b.unplaced ?? []) expect(u.reason).toMatch(/[\u4e00-\u9fff]/);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
