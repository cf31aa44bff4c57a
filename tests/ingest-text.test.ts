import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeText } from "../src/ingest/encoding.ts";
import { ingestText } from "../src/ingest/text/index.ts";
import { IngestError, type TableBlock } from "../src/ingest/blocks.ts";
import { htmlTables, rowTexts, ws } from "./helpers/seedHtml.ts";
import { BROWSER_ROWS, GOAL, NOTE, ONE_PER_LINE, TITLE, expandedRows } from "./helpers/pasted003.ts";

// The reader splits text into paragraphs and tables and knows no form: tables come out as rows in
// reading order (`layout: "rows"`, col = position, span 1); placing cells under the form's header
// columns is the rebuild stage's work (tests/rebuild.test.ts).

const SRC = "/work/shared/fixtures/seeds/src";
const SEEDS = [
  { txt: "001_fa7b0c701d8ca214.txt", html: "001-jingzhou-2023.html" },
  { txt: "002_b959abbf1feb8992.txt", html: "002-xinhong-2020-target.html" },
  { txt: "003_cc3005463d32a7a4.txt", html: "003-xiqu-2020.html" },
];
const haveSeeds = SEEDS.every((s) => existsSync(join(SRC, s.txt)) && existsSync(join(SRC, s.html)));

const tablesOf = (text: string) => ingestText(text, "x.txt").blocks.filter((b): b is TableBlock => b.kind === "table");
const texts = (t: TableBlock) => t.rows.map((r) => r.map((c) => c.text));

/** Rows layout: cells at col = position, span 1, nothing past nCols. */
function expectRows(t: TableBlock) {
  expect(t.layout).toBe("rows");
  for (const [ri, row] of t.rows.entries()) {
    row.forEach((c, k) => {
      expect(c.row).toBe(ri);
      expect(c.col).toBe(k);
      expect([c.rowSpan, c.colSpan]).toEqual([1, 1]);
    });
    expect(row.length).toBeLessThanOrEqual(t.nCols);
  }
}

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

describe.skipIf(!haveSeeds)("seed text extractions (Word's plain-text cell export)", () => {
  for (const seed of SEEDS) {
    it(`${seed.txt}: the HTML's tables, each row's cells in reading order`, () => {
      const text = readFileSync(join(SRC, seed.txt), "utf8");
      const html = htmlTables(readFileSync(join(SRC, seed.html), "utf8"));
      const ours = tablesOf(text);
      expect(ours.length).toBe(html.length);
      ours.forEach((t, i) => {
        expect(t.index).toBe(i);
        expectRows(t);
        expect(t.rows.length, `table ${i} rows`).toBe(html[i]!.length);
        expect(rowTexts(t.rows), `table ${i}`).toEqual(rowTexts(html[i]!));
      });
    });
  }

  it("003: every origin cell of a row is kept, empty ones too (rows line up with their header row)", () => {
    const [t] = tablesOf(readFileSync(join(SRC, SEEDS[2]!.txt), "utf8"));
    const len = (r: number) => t!.rows[r]!.length;
    // funds header and its rows; indicator header and its rows (vertically merged cells are empty cells)
    expect([len(2), len(3), len(4), len(5), len(6)]).toEqual([8, 8, 8, 8, 8]);
    expect(new Set([9, 10, 11, 12, 13].map(len))).toEqual(new Set([9]));
    expect(texts(t!)[5]!.map(ws)).toEqual(["", "上年结转资金", "0", "5", "5", "—", "", "—"]);
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
// The 003 seed's first table pasted in several shapes: the reader gives the same rows in reading order.

describe("pasted tables are read as rows in reading order", () => {
  const expected = rowTexts(BROWSER_ROWS.map((r) => r.map((text, col) => ({ text, col }))));

  const check = (text: string) => {
    const res = ingestText(text, "pasted.txt");
    const tables = res.blocks.filter((b): b is TableBlock => b.kind === "table");
    expect(tables.length).toBe(1);
    const t = tables[0]!;
    expectRows(t);
    expect(rowTexts(t.rows)).toEqual(expected);
    const paras = res.blocks.filter((b) => b.kind === "paragraph").map((b) => b.text);
    expect(paras[0]).toBe("项目（政策）支出绩效自评表");
    expect(paras[paras.length - 1]).toContain("注：1.");
    expect(res.blocks.map((b) => b.kind).indexOf("table")).toBe(2);
    return t;
  };

  it("TAB-separated, one row per line, merged slots absent (browser copy)", () => {
    const t = check(TITLE + BROWSER_ROWS.map((r) => r.join("\t")).join("\n") + "\n\n" + NOTE);
    expect(texts(t)[5]).toEqual(["      上年结转资金", "0", "5", "5", "—", "", "—"]);
    expect(t.rows[5]![3]!.line).toBe(2 + 6); // 2 title lines, then row 5 is the 6th table line
    expect(texts(t)[19]).toEqual(["总分", "100", "100"]); // the trailing empty cell is dropped
  });

  it("TAB-separated, padded to the full grid (spreadsheet copy): interior empty cells stay in place", () => {
    const t = check(TITLE + expandedRows().map((r) => r.join("\t")).join("\n") + "\n" + NOTE);
    expect(texts(t)[3]).toEqual(["", "年度资金总额", "", "5", "5", "5", "10", "100%", "", "10"]);
  });

  it("markdown pipe table with outer pipes and a --- separator row", () => {
    const [head, ...rest] = expandedRows();
    const md = (r: string[]) => "| " + r.join(" | ") + " |";
    check(TITLE + "\n" + [md(head!), "|" + " --- |".repeat(10), ...rest.map(md)].join("\n") + "\n\n" + NOTE);
  });

  it("pipe-separated without outer pipes, ragged rows (merged slots absent)", () => {
    const t = check(TITLE + BROWSER_ROWS.map((r) => r.map((c) => c.trim() || " ").join(" | ")).join("\n") + "\n" + NOTE);
    expect(texts(t)[0]).toEqual(["项目名称", "矛盾纠纷多元化解（大调解）专项"]);
  });

  it("one cell per line (PDF viewer copy) is paragraphs for the reader: the rebuild stage makes it a table", () => {
    const res = ingestText(ONE_PER_LINE, "pdfcopy.txt");
    expect(res.blocks.every((b) => b.kind === "paragraph")).toBe(true);
    expect(res.blocks.map((b) => (b.kind === "paragraph" ? b.text : ""))).toContain(GOAL);
  });
});

describe("ingestText: generic tables and paragraphs", () => {
  it("TAB rows: shifted rows stay in reading order, trailing empty cells dropped", () => {
    const text = [
      "预算明细",
      "类别\t\t项目\t金额\t单价\t数量",
      "\t\t辅警工资\t813.70\t4.99\t163",
      "综合窗口入驻经费\t17.50\t17.50\t1\t\t",
      "合计\t\t\t3855.94",
    ].join("\n");
    const [t] = tablesOf(text);
    expectRows(t!);
    expect(t!.nCols).toBe(6);
    expect(texts(t!)[2]).toEqual(["综合窗口入驻经费", "17.50", "17.50", "1"]);
    expect(texts(t!)[3]).toEqual(["合计", "", "", "3855.94"]);
  });

  it("pipe rows: empty cells padded at the row end are dropped, a row without text keeps its cells", () => {
    const text = ["绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |", "产出指标 | 数量指标 | 培训人次 | 100 | ||", "| | | | |", "合计 | 100 | |||"].join("\n");
    const [t] = tablesOf(text);
    expectRows(t!);
    expect(texts(t!)).toEqual([
      ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
      ["产出指标", "数量指标", "培训人次", "100"],
      ["", "", "", ""],
      ["合计", "100"],
    ]);
  });

  it("pipe cells one per line: a lone | starts a row, a run of pipes after a cell pads and ends it", () => {
    const text = [
      "页面标题",
      "|",
      "附件1 |",
      "|",
      "|",
      "项目绩效目标表 | |||",
      "|",
      "申报单位 |",
      "区林业局 |",
      "项目名称 |",
      "绿化项目 | ||",
      "|",
      "一级指标 |",
      "二级指标 |",
      "三级指标 |",
      "指标值 |",
      "|",
      "产出指标 |",
      "数量指标 |",
      "植树 |",
      "500 | |",
      "|",
      "|",
      "|",
      "| ||",
      "|",
      "时效指标 |",
      "|",
      "|",
    ].join("\n");
    const res = ingestText(text, "t.txt");
    expect(res.blocks[0]).toMatchObject({ kind: "paragraph", text: "页面标题" });
    const [t] = res.blocks.filter((b): b is TableBlock => b.kind === "table");
    expectRows(t!);
    expect(texts(t!)).toEqual([
      ["附件1"],
      ["项目绩效目标表"],
      ["申报单位", "区林业局", "项目名称", "绿化项目"],
      ["一级指标", "二级指标", "三级指标", "指标值"],
      ["产出指标", "数量指标", "植树", "500"],
      ["", "", ""], // a printed blank row: two lone pipes, then an empty cell and the row's padding
      ["时效指标"],
    ]);
    expect(t!.rows[4]![2]!.line).toBe(20);
  });

  it("TAB-indented prose is paragraphs, not a table", () => {
    const res = ingestText("\t一、项目基本情况\n\n\t项目总资金6万元。\n\n\t二、绩效评价工作情况\n", "a.txt");
    expect(res.blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph", "paragraph"]);
    expect(res.blocks[1]).toMatchObject({ text: "项目总资金6万元。", line: 3, index: 1 });
  });

  it("a paragraph containing a lone | is not a table", () => {
    const res = ingestText("A | B 说明\n下一段\n|\n下一段", "a.txt");
    expect(res.blocks.every((b) => b.kind === "paragraph")).toBe(true);
  });

  it("Word-style cells with a blank line inside a row", () => {
    const text = ["\t一级\n\t二级\n\t分值", "", "\t产出", "", "\t数量\n\t10", "", "\t效益\n\t社会\n\t20"].join("\n");
    const [t] = tablesOf(text);
    expect(texts(t!)).toEqual([
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
    " |", "| ||", "\n|\n",
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
