import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeText, ingestText } from "../src/ingest/text.ts";
import { IngestError, gridOf, type TableBlock } from "../src/ingest/blocks.ts";

const SRC = "/work/shared/fixtures/seeds/src";
const SEEDS = [
  { txt: "001_fa7b0c701d8ca214.txt", html: "001-jingzhou-2023.html" },
  { txt: "002_b959abbf1feb8992.txt", html: "002-xinhong-2020-target.html" },
  { txt: "003_cc3005463d32a7a4.txt", html: "003-xiqu-2020.html" },
];
const haveSeeds = SEEDS.every((s) => existsSync(join(SRC, s.txt)) && existsSync(join(SRC, s.html)));

// ---------------------------------------------------------------------------------------------------
// A small regex HTML table reader: origin cells with spans → grid of origin keys.

interface HCell {
  text: string; // whitespace removed
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

const ws = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, "");

function htmlText(inner: string): string {
  const s = inner
    .replace(/<input\b[^>]*>/gi, (m) => (/\bchecked\b/i.test(m) ? "☑" : "□"))
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
  return ws(s);
}

function htmlTables(html: string): HCell[][][] {
  const tables: HCell[][][] = [];
  for (const tm of html.matchAll(/<table\b[\s\S]*?<\/table>/gi)) {
    const rows: HCell[][] = [];
    const taken: boolean[][] = [];
    const take = (r: number, c: number) => ((taken[r] ??= [])[c] = true);
    const isTaken = (r: number, c: number) => !!taken[r]?.[c];
    let r = 0;
    for (const trm of tm[0].matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)) {
      const row: HCell[] = [];
      let c = 0;
      for (const tdm of trm[1]!.matchAll(/<t[dh]\b([^>]*)>([\s\S]*?)<\/t[dh]>/gi)) {
        const attrs = tdm[1]!;
        const rowSpan = Number(/rowspan\s*=\s*"?(\d+)/i.exec(attrs)?.[1] ?? 1);
        const colSpan = Number(/colspan\s*=\s*"?(\d+)/i.exec(attrs)?.[1] ?? 1);
        while (isTaken(r, c)) c++;
        row.push({ text: htmlText(tdm[2]!), row: r, col: c, rowSpan, colSpan });
        for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) take(r + dr, c + dc);
        c += colSpan;
      }
      rows.push(row);
      r++;
    }
    tables.push(rows);
  }
  return tables;
}

/** Non-empty origin cells as "row,col" → text. */
function htmlKeys(t: HCell[][]): Map<string, string> {
  const m = new Map<string, string>();
  for (const row of t) for (const c of row) if (c.text) m.set(`${c.row},${c.col}`, c.text);
  return m;
}
function blockKeys(t: TableBlock): Map<string, string> {
  const m = new Map<string, string>();
  for (const row of t.rows) for (const c of row) if (ws(c.text)) m.set(`${c.row},${c.col}`, ws(c.text));
  return m;
}

/** Cells placed differently: every non-empty cell of either side must be at the same (row, col)
 * with the same whitespace-free text on the other side. */
function diffTable(ours: TableBlock, html: HCell[][]): string[] {
  const a = blockKeys(ours);
  const b = htmlKeys(html);
  const out: string[] = [];
  for (const [k, v] of b) if (a.get(k) !== v) out.push(`html ${k} ${v.slice(0, 20)} → ours ${a.get(k)?.slice(0, 20) ?? "∅"}`);
  for (const [k, v] of a) if (!b.has(k)) out.push(`ours ${k} ${v.slice(0, 20)} not in html`);
  return out;
}

const tablesOf = (text: string) => ingestText(text, "x.txt").blocks.filter((b): b is TableBlock => b.kind === "table");

/** Spans must tile the grid: no slot covered twice. */
function expectWellFormed(t: TableBlock) {
  const seen = new Set<string>();
  for (const [ri, row] of t.rows.entries()) {
    for (const c of row) {
      expect(c.row).toBe(ri);
      expect(c.col + c.colSpan).toBeLessThanOrEqual(t.nCols);
      for (let r = c.row; r < c.row + c.rowSpan; r++)
        for (let k = c.col; k < c.col + c.colSpan; k++) {
          const key = `${r},${k}`;
          expect(seen.has(key), `slot ${key} covered twice`).toBe(false);
          seen.add(key);
        }
    }
    const cols = row.map((c) => c.col);
    expect([...cols].sort((x, y) => x - y)).toEqual(cols);
  }
}

// ---------------------------------------------------------------------------------------------------

describe.skipIf(!haveSeeds)("seed text extractions vs the rebuilt HTML", () => {
  for (const seed of SEEDS) {
    it(`${seed.txt}: same tables, every non-empty cell in the same row and grid column`, () => {
      const text = readFileSync(join(SRC, seed.txt), "utf8");
      const html = htmlTables(readFileSync(join(SRC, seed.html), "utf8"));
      const ours = tablesOf(text);
      expect(ours.length).toBe(html.length);
      ours.forEach((t, i) => {
        expect(t.index).toBe(i);
        expectWellFormed(t);
        expect(t.rows.length, `table ${i} rows`).toBe(html[i]!.length);
        expect(diffTable(t, html[i]!), `table ${i}`).toEqual([]);
        expect(blockKeys(t).size).toBe(htmlKeys(html[i]!).size);
      });
    });
  }

  for (const k of [0, 2]) {
    it(`${SEEDS[k]!.txt}: cells and spans of the self-evaluation form are exactly the HTML's`, () => {
      const ours = tablesOf(readFileSync(join(SRC, SEEDS[k]!.txt), "utf8"));
      const html = htmlTables(readFileSync(join(SRC, SEEDS[k]!.html), "utf8"));
      ours.forEach((t, i) => {
        expect(t.nCols).toBe(10);
        const spans = t.rows.flat().map((c) => `${c.row},${c.col}:${c.rowSpan}x${c.colSpan}`);
        const hspans = html[i]!.flat().map((c) => `${c.row},${c.col}:${c.rowSpan}x${c.colSpan}`);
        expect(spans, `table ${i}`).toEqual(hspans);
      });
    });
  }

  it("001: vertical labels are merged as in the HTML", () => {
    const t = tablesOf(readFileSync(join(SRC, SEEDS[0]!.txt), "utf8"))[0]!;
    const g = gridOf(t);
    const at = (r: number, c: number) => g[r]![c]!;
    expect(ws(at(2, 0).text)).toBe("项目资金（万元）");
    expect(at(2, 0).rowSpan).toBe(5);
    expect(ws(at(9, 0).text)).toBe("绩效指标");
    expect(at(9, 0).rowSpan).toBe(18);
    expect(ws(at(10, 1).text)).toBe("产出指标");
    expect(at(10, 1).rowSpan).toBe(12);
    expect(ws(at(10, 2).text)).toBe("数量指标");
    expect(at(10, 2).rowSpan).toBe(3);
    expect(at(27, 0).colSpan).toBe(6);
  });

  it("provenance: cells and paragraphs carry the 1-based line of their first line", () => {
    const text = readFileSync(join(SRC, SEEDS[2]!.txt), "utf8");
    const lines = text.split("\n");
    const res = ingestText(text, "003.txt");
    for (const b of res.blocks) {
      if (b.kind === "paragraph") {
        expect(lines[b.line! - 1]).toContain(b.text.trim());
      } else {
        for (const c of b.rows.flat()) {
          const first = c.paragraphs.find((p) => p.trim() !== "");
          if (first) expect(lines.slice(c.line! - 1, c.line! + c.paragraphs.length).join("\n")).toContain(first);
        }
      }
    }
    const t0 = res.blocks.find((b): b is TableBlock => b.kind === "table")!;
    expect(t0.rows[0]![0]!.line).toBe(5); // "\t项目名称"
    const paras = res.blocks.filter((b) => b.kind === "paragraph");
    expect(paras.map((p) => p.index)).toEqual(paras.map((_, k) => k));
    expect(paras[0]).toMatchObject({ text: "项目（政策）支出绩效自评表", line: 1 });
  });

  it("002: markdown headings and <p>/<input> markup are cleaned", () => {
    const res = ingestText(readFileSync(join(SRC, SEEDS[1]!.txt), "utf8"), "002.txt");
    const paras = res.blocks.filter((b) => b.kind === "paragraph").map((b) => b.text);
    expect(paras[0]).toBe("项目支出绩效目标申报表（项目总体情况）");
    const t0 = res.blocks.find((b): b is TableBlock => b.kind === "table")!;
    expect(t0.rows[1]![1]!.text).toBe("一次性项目 □");
    expect(t0.rows[1]![2]!.text).toBe("经常性项目 ☑");
    const funds = t0.rows[7]![1]!;
    expect(funds.paragraphs[0]).toBe("一、项目总预算：3855.9424");
    expect(funds.paragraphs.length).toBe(6);
  });
});

// ---------------------------------------------------------------------------------------------------
// Pasted variants of the 003 seed's first table (same values).

const TITLE = "项目（政策）支出绩效自评表\n（2020年度）                     单位：万元\n";
const NOTE = "注：1.单位自评指标是指预算批复时确定的绩效指标。\n";
const GOAL =
  "完善多元化解工作体系，形成了区、镇（街道）、社区上下一致、协调联动的实战化，实体化工作体系；着力排查化解纠纷矛盾，推进“大排查，防范“民转刑”命案，调解跟着项目走三大行动；推动矛盾纠纷多元化解调研工作，依法及时就地化解矛盾纠纷。";

/** Table 0 of 003 as browsers copy it: one line per row, merged-away slots absent. */
const BROWSER_ROWS: string[][] = [
  ["项目名称", "矛盾纠纷多元化解（大调解）专项"],
  ["主管部门", "攀枝花市西区区委政法委", "实施单位", "攀枝花市西区区委政法委"],
  ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
  ["年度资金总额", "5", "5", "5", "10", "100%", "10"],
  ["其中：当年财政拨款", "5", "0", "0", "—", "100%", "—"],
  ["      上年结转资金", "0", "5", "5", "—", "", "—"],
  ["  其他资金", "0", "0", "0", "—", "", "—"],
  ["年度总体目标", "预期目标", "实际完成情况"],
  [GOAL, "完成"],
  ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
  ["产出指标", "数量指标", "全年预计化解矛盾纠纷2500件", "全年预计化解矛盾纠纷2500件", "完成", "15", "15", "无"],
  ["质量指标", "及时有效化解辖区矛盾纠纷", "及时有效化解辖区矛盾纠纷", "完成", "15", "15", "无"],
  ["时效指标", "2020年全年", "2020年全年", "完成", "10", "10", "无"],
  ["成本指标", "财政拨款5万元", "财政拨款5万元", "完成", "10", "10", "无"],
  ["效益指标", "经济效益指标", "对经济效益是否有保障促进作用", "是", "完成", "8", "8", "无"],
  ["社会效益指标", "矛盾纠纷化解率98%以上", "完成", "完成", "8", "8", "无"],
  ["生态效益指标", "对生态效益是否有促进作用", "是", "完成", "7", "7", "无"],
  ["可持续影响指标", "对可持续发展是否有促进作用", "是", "完成", "7", "7", "无"],
  ["满意度指标", "服务对象满意度指标", "持续提高辖区内群众满意度", "是", "完成", "10", "10", "无"],
  ["总分", "100", "100", ""],
];

/** The same table as a markdown converter writes it: every row padded to the 10 grid columns. */
function expandedRows(): string[][] {
  const G = (cells: [number, string][]) => {
    const r = new Array<string>(10).fill("");
    for (const [c, t] of cells) r[c] = t;
    return r;
  };
  const b = BROWSER_ROWS;
  const funds = (row: string[]) => G([[1, row[0]!], [3, row[1]!], [4, row[2]!], [5, row[3]!], [6, row[4]!], [7, row[5]!], [9, row[6]!]]);
  const ind = (row: string[]) => {
    const off = 9 - row.length; // label columns the row leaves to the merged cells above
    return G(row.map((t, k): [number, string] => [off + k + (off + k >= 8 ? 1 : 0), t]));
  };
  return [
    G([[0, "项目名称"], [1, b[0]![1]!]]),
    G([[0, "主管部门"], [1, b[1]![1]!], [5, "实施单位"], [6, b[1]![3]!]]),
    G([[0, "项目资金（万元）"], [3, "年初预算数"], [4, "全年预算数"], [5, "全年执行数"], [6, "分值"], [7, "执行率"], [9, "得分"]]),
    ...b.slice(3, 7).map(funds),
    G([[0, "年度总体目标"], [1, "预期目标"], [6, "实际完成情况"]]),
    G([[1, GOAL], [6, "完成"]]),
    G([[0, "绩效指标"], [1, "一级指标"], [2, "二级指标"], [3, "三级指标"], [4, "年度指标值"], [5, "实际完成值"], [6, "分值"], [7, "得分"], [9, "偏差原因分析及改进措施"]]),
    ...b.slice(10, 19).map(ind),
    G([[0, "总分"], [6, "100"], [7, "100"]]),
  ];
}

/** As a PDF viewer copies it: one cell per line, empty cells gone, wrapped labels split over lines. */
const ONE_PER_LINE = `项目（政策）支出绩效自评表
（2020年度） 单位：万元
项目名称
矛盾纠纷多元化解（大调解）专项
主管部门
攀枝花市西区区委政法委
实施单位
攀枝花市西区区委政法委
项目资金
（万元）
年初预算数
全年预算数
全年执行数
分值
执行率
得分
年度资金总额
5
5
5
10
100%
10
其中：当年财政拨款
5
0
0
—
100%
—
上年结转资金
0
5
5
—
—
其他资金
0
0
0
—
—
年度总体目标
预期目标
实际完成情况
${GOAL}
完成
绩
效
指
标
一级指标
二级指标
三级指标
年度
指标值
实际
完成值
分值
得分
偏差原因分析及改进措施
产出指标
数量指标
全年预计化解矛盾纠纷2500件
全年预计化解矛盾纠纷2500件
完成
15
15
无
质量指标
及时有效化解辖区矛盾纠纷
及时有效化解辖区矛盾纠纷
完成
15
15
无
时效指标
2020年全年
2020年全年
完成
10
10
无
成本指标
财政拨款5万元
财政拨款5万元
完成
10
10
无
效益指标
经济效益
指标
对经济效益是否有保障促进作用
是
完成
8
8
无
社会效益
指标
矛盾纠纷化解率98%以上
完成
完成
8
8
无
生态效益
指标
对生态效益是否有促进作用
是
完成
7
7
无
可持续影响指标
对可持续发展是否有促进作用
是
完成
7
7
无
满意度
指标
服务对象满意度指标
持续提高辖区内群众满意度
是
完成
10
10
无
总分
100
100
${NOTE}`;

describe.skipIf(!haveSeeds)("pasted variants of the 003 first table", () => {
  const html003 = () => htmlTables(readFileSync(join(SRC, SEEDS[2]!.html), "utf8"))[0]!;

  const check = (text: string) => {
    const res = ingestText(text, "pasted.txt");
    const tables = res.blocks.filter((b): b is TableBlock => b.kind === "table");
    expect(tables.length).toBe(1);
    const t = tables[0]!;
    expectWellFormed(t);
    expect(t.nCols).toBe(10);
    expect(t.rows.length).toBe(20);
    expect(diffTable(t, html003())).toEqual([]);
    const paras = res.blocks.filter((b) => b.kind === "paragraph").map((b) => b.text);
    expect(paras[0]).toBe("项目（政策）支出绩效自评表");
    expect(paras[paras.length - 1]).toContain("注：1.");
    // the table sits between the title lines and the note
    const kinds = res.blocks.map((b) => b.kind);
    expect(kinds.indexOf("table")).toBe(2);
    return t;
  };

  it("TAB-separated, one row per line, merged slots absent (browser copy)", () => {
    const t = check(TITLE + BROWSER_ROWS.map((r) => r.join("\t")).join("\n") + "\n\n" + NOTE);
    const g = gridOf(t);
    expect(g[2]![0]!.rowSpan).toBe(5); // 项目资金 over the four funds rows
    expect(g[9]![0]!.rowSpan).toBe(10); // 绩效指标 over the indicator rows
    expect(g[10]![1]!.rowSpan).toBe(4); // 产出指标
    expect(g[1]![1]!.colSpan).toBe(4);
    expect(g[1]![5]!.text).toBe("实施单位");
    expect(g[5]![1]!.text).toBe("      上年结转资金");
    expect(g[5]![3]!.line).toBe(2 + 6); // 2 title lines, then row 5 is the 6th table line
  });

  it("TAB-separated, padded to the full grid (spreadsheet copy)", () => {
    check(TITLE + expandedRows().map((r) => r.join("\t")).join("\n") + "\n" + NOTE);
  });

  it("markdown pipe table with outer pipes and a --- separator row", () => {
    const [head, ...rest] = expandedRows();
    const md = (r: string[]) => "| " + r.join(" | ") + " |";
    const text = TITLE + "\n" + [md(head!), "|" + " --- |".repeat(10), ...rest.map(md)].join("\n") + "\n\n" + NOTE;
    check(text);
  });

  it("pipe-separated without outer pipes, ragged rows (merged slots absent)", () => {
    const text = TITLE + BROWSER_ROWS.map((r) => r.map((c) => c.trim() || " ").join(" | ")).join("\n") + "\n" + NOTE;
    const t = check(text);
    expect(gridOf(t)[0]![1]!.colSpan).toBe(9);
  });

  it("one cell per line (PDF viewer copy): rows rebuilt from the header words and value shapes", () => {
    const t = check(ONE_PER_LINE);
    const g = gridOf(t);
    expect(g[2]![0]!.paragraphs).toEqual(["项目资金", "（万元）"]);
    expect(ws(g[9]![0]!.text)).toBe("绩效指标");
    expect(g[9]![0]!.rowSpan).toBe(10);
    expect(ws(g[9]![4]!.text)).toBe("年度指标值");
    expect(ws(g[14]![2]!.text)).toBe("经济效益指标");
    // 上年结转资金: 执行率 was empty and vanished; the dash went to 得分, not to 执行率
    expect(g[5]![6]!.text).toBe("—");
    expect(g[5]![7]!.text).toBe("");
    expect(g[5]![9]!.text).toBe("—");
    expect(t.rows[19]!.map((c) => c.text)).toEqual(["总分", "100", "100", ""]);
    const lines = ONE_PER_LINE.split("\n");
    for (const c of t.rows.flat()) if (c.text) expect(lines[c.line! - 1]).toBe(c.paragraphs[0]);
  });
});

describe("ingestText: generic tables and paragraphs", () => {
  it("TAB rows: shifted rows are realigned on the numeric columns", () => {
    const text = [
      "预算明细",
      "类别\t\t项目\t金额\t单价\t数量",
      "\t\t辅警工资\t813.70\t4.99\t163",
      "\t\t辅警社保\t500.00\t3.13\t160",
      "综合窗口入驻经费\t17.50\t17.50\t1\t\t",
      "\t610宣传\t5.00\t1.25\t4",
      "合计\t\t\t3855.94",
    ].join("\n");
    const [t] = tablesOf(text);
    expect(t!.nCols).toBe(6);
    const at = (r: number, c: number) => gridOf(t!)[r]![c]!.text;
    expect([at(3, 2), at(3, 3), at(3, 4), at(3, 5)]).toEqual(["综合窗口入驻经费", "17.50", "17.50", "1"]);
    expect([at(4, 2), at(4, 3), at(4, 5)]).toEqual(["610宣传", "5.00", "4"]);
    expect([at(5, 0), at(5, 3)]).toEqual(["合计", "3855.94"]);
  });

  it("TAB-indented prose is paragraphs, not a table", () => {
    const res = ingestText("\t一、项目基本情况\n\n\t项目总资金6万元。\n\n\t二、绩效评价工作情况\n", "a.txt");
    expect(res.blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph", "paragraph"]);
    expect(res.blocks[1]).toMatchObject({ text: "项目总资金6万元。", line: 3, index: 1 });
  });

  it("a paragraph containing a lone | is not a table", () => {
    const res = ingestText("A | B 说明\n下一段", "a.txt");
    expect(res.blocks.every((b) => b.kind === "paragraph")).toBe(true);
  });

  it("Word-style cells with a blank line inside a row", () => {
    const text = ["\t一级\n\t二级\n\t分值", "", "\t产出", "", "\t数量\n\t10", "", "\t效益\n\t社会\n\t20"].join("\n");
    const [t] = tablesOf(text);
    expect(t!.rows.map((r) => r.map((c) => c.text))).toEqual([
      ["一级", "二级", "分值"],
      ["产出", "数量", "10"],
      ["效益", "社会", "20"],
    ]);
    expect(t!.rows[1]![1]!.line).toBe(7);
  });

  it("empty input or text without letters → EMPTY_FILE with a Chinese message", () => {
    for (const s of ["", "   \n\t\n", "123 456\n—— 7.5%", "\uFEFF"]) {
      let err: unknown;
      try {
        ingestText(s, "/some/path/empty.txt");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IngestError);
      expect((err as IngestError).code).toBe("EMPTY_FILE");
      expect((err as IngestError).message).toMatch(/[\u4e00-\u9fff]/);
      expect((err as IngestError).message).not.toContain("empty.txt");
    }
  });

  it("CRLF input gives the same blocks as LF", () => {
    const lf = "标题\n\t项目名称\n\t平安建设\n\n\t主管部门\n\t某单位\n\n正文";
    expect(ingestText(lf.replace(/\n/g, "\r\n"), "a")).toEqual(ingestText(lf, "a"));
  });
});

describe("ingestText: robustness", () => {
  const piece = fc.constantFrom(
    "\t", "\n", "\n\n", "|", " | ", "---", "项目名称", "主管部门", "实施单位", "项目资金", "（万元）", "年初预算数", "全年预算数",
    "分值", "执行率", "得分", "年度资金总额", "年度总体目标", "绩", "一级指标", "二级指标", "产出指标", "数量指标", "总分",
    "5", "100%", "—", "完成", "注：说明文字很长很长很长很长很长", "附件3", "<p>", "</p>", "<input type=\"checkbox\"/>", "\r\n",
  );
  it("never throws anything but EMPTY_FILE and always yields well-formed tables", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), (parts) => {
        const text = parts.join("");
        let res;
        try {
          res = ingestText(text, "f.txt");
        } catch (e) {
          expect(e).toBeInstanceOf(IngestError);
          expect((e as IngestError).code).toBe("EMPTY_FILE");
          return;
        }
        let p = 0;
        let t = 0;
        for (const b of res.blocks) {
          if (b.kind === "paragraph") {
            expect(b.index).toBe(p++);
            expect(b.text.trim()).not.toBe("");
          } else {
            expect(b.index).toBe(t++);
            expectWellFormed(b);
            for (const c of b.rows.flat()) expect(c.line).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a large file (40,000 lines) is read into one table and paragraphs", () => {
    const row = "\t\t\t辅警工资\t813.70\t4.99\t\t163";
    const text = ["标题", ...Array.from({ length: 20000 }, () => row), "", ...Array.from({ length: 20000 }, (_, k) => `|第${k}段|`)].join("\n");
    const res = ingestText(text, "big.txt");
    expect(res.blocks.filter((b) => b.kind === "table").length).toBe(1);
  });
});

describe("decodeText", () => {
  const sample = "绩效自评\r\n项目名称\t平安建设\r\n";
  const expected = "绩效自评\n项目名称\t平安建设\n";

  it("UTF-8 with and without BOM", () => {
    const utf8 = new TextEncoder().encode(sample);
    expect(decodeText(utf8)).toBe(expected);
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe(expected);
  });

  it("UTF-16LE and UTF-16BE with BOM", () => {
    const le = new Uint8Array(2 + sample.length * 2);
    const be = new Uint8Array(2 + sample.length * 2);
    le.set([0xff, 0xfe]);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < sample.length; i++) {
      const u = sample.charCodeAt(i);
      le[2 + 2 * i] = u & 0xff;
      le[3 + 2 * i] = u >> 8;
      be[2 + 2 * i] = u >> 8;
      be[3 + 2 * i] = u & 0xff;
    }
    expect(decodeText(le)).toBe(expected);
    expect(decodeText(be)).toBe(expected);
  });

  it("GB18030 / GBK bytes (not valid UTF-8)", () => {
    // 绩 BC A8, 效 D0 A7, 自 D7 D4, 评 C6 C0, 表 B1 ED
    const gbk = new Uint8Array([0xbc, 0xa8, 0xd0, 0xa7, 0xd7, 0xd4, 0xc6, 0xc0, 0xb1, 0xed, 0x0d, 0x0a, 0x41, 0x09, 0x31, 0x30, 0x25, 0x0d]);
    expect(decodeText(gbk)).toBe("绩效自评表\nA\t10%\n");
    // a four-byte GB18030 sequence: U+20000 𠀀 = 95 32 82 36
    expect(decodeText(new Uint8Array([0xbc, 0xa8, 0x95, 0x32, 0x82, 0x36]))).toBe("绩𠀀");
  });

  it("CR-only line ends", () => {
    expect(decodeText(new TextEncoder().encode("a\rb\r\nc"))).toBe("a\nb\nc");
  });
});
