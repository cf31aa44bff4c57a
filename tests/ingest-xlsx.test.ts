import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { zipSync, strToU8 } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { IngestError, gridOf, type Block, type ParagraphBlock, type TableBlock, type TableCell } from "../src/ingest/blocks.ts";
import { formatNumber, ingestXlsx } from "../src/ingest/xlsx/index.ts";

const SEEDS = join(resolve(dirname(fileURLToPath(import.meta.url)), "../../shared"), "fixtures/seeds");
const XLSX = join(SEEDS, "002-xinhong-2020-target.xlsx");
const DOCX = join(SEEDS, "002-xinhong-2020-target.docx");

const squash = (s: string): string => s.replace(/\s+/g, "");
const tables = (bs: Block[]): TableBlock[] => bs.filter((b): b is TableBlock => b.kind === "table");
const paragraphs = (bs: Block[]): ParagraphBlock[] => bs.filter((b): b is ParagraphBlock => b.kind === "paragraph");
const cellsOf = (t: TableBlock): TableCell[] => t.rows.flat();

/** Same text, or the same number printed differently (Calc stored 5.00 as 5, 813.70 as 813.7). */
function sameText(a: string, b: string): boolean {
  const x = squash(a);
  const y = squash(b);
  if (x === y) return true;
  return /^-?\d+(\.\d+)?$/.test(x) && /^-?\d+(\.\d+)?$/.test(y) && Number(x) === Number(y);
}

// --- the .docx twin, read with mammoth (keeps rowspan/colspan) --------------------------------

interface DocxCell {
  text: string;
  rowSpan: number;
  colSpan: number;
}
type DocxBlock = { kind: "paragraph"; text: string } | { kind: "table"; rows: DocxCell[][] };

function decodeHtml(s: string): string {
  return s
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

async function readDocx(): Promise<DocxBlock[]> {
  const { value: html } = await mammoth.convertToHtml({ path: DOCX });
  const out: DocxBlock[] = [];
  const re = /<table>|<\/table>|<tr>|<td([^>]*)>([\s\S]*?)<\/td>|<p>([\s\S]*?)<\/p>/g;
  let table: DocxCell[][] | null = null;
  for (const m of html.matchAll(re)) {
    if (m[0] === "<table>") out.push({ kind: "table", rows: (table = []) });
    else if (m[0] === "</table>") table = null;
    else if (m[0] === "<tr>") table?.push([]);
    else if (m[0].startsWith("<td")) {
      const attrs = m[1] ?? "";
      const paras = [...(m[2] ?? "").matchAll(/<p>([\s\S]*?)<\/p>/g)].map((p) => decodeHtml(p[1]!));
      table![table!.length - 1]!.push({
        text: paras.join("\n"),
        rowSpan: Number(/rowspan="(\d+)"/.exec(attrs)?.[1] ?? 1),
        colSpan: Number(/colspan="(\d+)"/.exec(attrs)?.[1] ?? 1),
      });
    } else if (!table) out.push({ kind: "paragraph", text: decodeHtml(m[3] ?? "") });
  }
  return out;
}

/** Non-empty texts in reading order: paragraphs, and table cells row by row. */
function sequenceOf(blocks: ({ kind: "paragraph"; text: string } | { kind: "table"; rows: { text: string }[][] })[]): string[] {
  const seq: string[] = [];
  for (const b of blocks) {
    if (b.kind === "paragraph") seq.push(b.text);
    else for (const row of b.rows) for (const c of row) seq.push(c.text);
  }
  return seq.map(squash).filter((s) => s !== "");
}

// ------------------------------------------------------------------------------------------------

describe("ingestXlsx on 002-xinhong-2020-target.xlsx", () => {
  let blocks: Block[];
  let docx: DocxBlock[];
  let ws: ExcelJS.Worksheet;

  beforeAll(async () => {
    const data = new Uint8Array(readFileSync(XLSX));
    const r = await ingestXlsx(data, "002.xlsx");
    expect(r.format).toBe("xlsx");
    blocks = r.blocks;
    docx = await readDocx();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(XLSX) as unknown as ExcelJS.Buffer);
    ws = wb.worksheets[0]!;
  });

  it("splits the sheet into the docx's paragraphs and 3 tables, in the same order", () => {
    expect(blocks.map((b) => b.kind)).toEqual(docx.map((b) => b.kind));
    const ts = tables(blocks);
    expect(ts.map((t) => t.index)).toEqual([0, 1, 2]);
    expect(ts.map((t) => t.rows.length)).toEqual([13, 32, 9]);
    expect(ts.every((t) => t.sheet === "Sheet1")).toBe(true);
    expect(paragraphs(blocks).map((p) => p.index)).toEqual([...Array(13).keys()]);
    expect(paragraphs(blocks).map((p) => squash(p.text))).toEqual(
      docx.filter((b) => b.kind === "paragraph").map((p) => squash((p as { text: string }).text)),
    );
    expect(paragraphs(blocks)[0]!.text).toBe("项目支出绩效目标申报表（项目总体情况）");
    expect(paragraphs(blocks)[1]!.text).toBe("（2020年）");
  });

  it("reads the same non-empty texts in the same order as the docx", () => {
    const xs = sequenceOf(blocks);
    const ds = sequenceOf(docx);
    expect(xs.length).toBe(ds.length);
    const diffs = xs.map((x, i) => [x, ds[i]!] as const).filter(([x, d]) => !sameText(x, d));
    expect(diffs).toEqual([]);
    // The only differences at all are numbers Calc stored without trailing zeros (5.00 → 5).
    const nonNumeric = xs.map((x, i) => [x, ds[i]!] as const).filter(([x, d]) => x !== d && !/^[\d.]+$/.test(x));
    expect(nonNumeric).toEqual([]);
  });

  it("has the docx's cells row by row: same texts (blank cells included) and rowspans", () => {
    const xt = tables(blocks);
    const dt = docx.filter((b): b is Extract<DocxBlock, { kind: "table" }> => b.kind === "table");
    expect(xt.length).toBe(dt.length);
    for (let t = 0; t < xt.length; t++) {
      const xr = xt[t]!.rows;
      const dr = dt[t]!.rows;
      expect(xr.length).toBe(dr.length);
      for (let r = 0; r < xr.length; r++) {
        const x = xr[r]!.map((c) => [squash(c.text), c.rowSpan]);
        const d = dr[r]!.map((c) => [squash(c.text), c.rowSpan]);
        expect(x.length, `table ${t} row ${r}`).toBe(d.length);
        x.forEach(([text, span], i) => {
          expect(sameText(String(text), String(d[i]![0])), `table ${t} row ${r} cell ${i}: ${text} vs ${d[i]![0]}`).toBe(true);
          expect(span, `rowSpan of ${text}`).toBe(d[i]![1]);
        });
      }
    }
  });

  it("emits each merged range once, at its top-left cell, with its spans", () => {
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(merges.length).toBe(243);
    const byAddress = new Map<string, TableCell>();
    for (const t of tables(blocks)) for (const c of cellsOf(t)) {
      expect(byAddress.has(c.address!), `duplicate ${c.address}`).toBe(false);
      byAddress.set(c.address!, c);
    }
    const paraAddr = new Set(paragraphs(blocks).map((p) => (p as ParagraphBlock & { address: string }).address));
    for (const m of merges) {
      const [a, b] = m.split(":") as [string, string];
      const tl = ws.getCell(a);
      const br = ws.getCell(b);
      const rows = Number(br.row) - Number(tl.row) + 1;
      const cols = Number(br.col) - Number(tl.col) + 1;
      // No cell emitted inside the range except at its origin.
      for (let r = Number(tl.row); r < Number(tl.row) + rows; r++) {
        for (let c = Number(tl.col); c < Number(tl.col) + cols; c++) {
          const addr = ws.getCell(r, c).address;
          if (addr !== a) expect(byAddress.has(addr), `${addr} inside ${m}`).toBe(false);
        }
      }
      const cell = byAddress.get(a);
      if (cell) {
        expect([cell.rowSpan, cell.colSpan], m).toEqual([rows, cols]);
      } else {
        expect(paraAddr.has(a), `${m} is neither a cell nor a paragraph`).toBe(true);
      }
    }
    // Repeated master values are not repeated in the output: 平安建设 appears as in the docx.
    const all = tables(blocks).flatMap(cellsOf).map((c) => c.text);
    expect(all.filter((t) => t === "平安建设").length).toBe(2); // E5 (项目名称) and D33 (项目预算分解 level 3)
    expect(all.filter((t) => t === "项目预算分解").length).toBe(1);
    expect(all.filter((t) => t === "维护社会治安").length).toBe(1);
  });

  it("keeps labels and values in place: 项目名称 → 平安建设, vertical labels, spans", () => {
    const [t0, t1, t2] = tables(blocks) as [TableBlock, TableBlock, TableBlock];
    const row0 = t0.rows[0]!;
    expect(row0.map((c) => c.text)).toEqual(["项目名称", "平安建设"]);
    expect(row0[1]!.col).toBe(row0[0]!.col + row0[0]!.colSpan);
    expect(row0[0]!.address).toBe("A5");
    expect(row0[1]!.address).toBe("E5");
    expect(t0.nCols).toBe(21);

    const find = (t: TableBlock, text: string): TableCell => {
      const c = cellsOf(t).find((x) => x.text === text);
      expect(c, text).toBeDefined();
      return c!;
    };
    expect(find(t0, "项目资金").rowSpan).toBe(2);
    expect(find(t0, "采购方式").address).toBe("K7");
    // The blank 采购方式 value is an explicit empty cell right after the label.
    const r2 = t0.rows[2]!;
    expect(r2.map((c) => c.text)).toEqual(["政府采购", "否", "采购方式", ""]);
    // 项目资金 lines are paragraphs of one cell.
    const funds = t0.rows[7]![1]!;
    expect(funds.paragraphs[0]).toBe("一、项目总预算：3855.9424");
    expect(funds.paragraphs.length).toBe(6);
    expect(funds.text).toBe(funds.paragraphs.join("\n"));
    expect(t0.rows[12]!.map((c) => c.text)).toEqual(["需要说明的其他问题"]);

    expect(find(t1, "项目构成").rowSpan).toBe(2);
    expect(find(t1, "绩效目标").rowSpan).toBe(6);
    expect(find(t1, "产出目标").rowSpan).toBe(3);
    expect(find(t1, "项目预算分解").rowSpan).toBe(23);
    expect(find(t1, "构成明细").rowSpan).toBe(23);
    expect(find(t1, "维护社会治安").rowSpan).toBe(19);
    // Header labels sit above their values.
    const g = gridOf(t1);
    const head = find(t1, "目标值");
    expect(g[head.row + 1]![head.col]!.text).toBe("完成");
    expect(t1.rows[31]!.map((c) => c.text)).toEqual(["金额合计", "3855.9424", "", "----", "", "----", "----"]);

    expect(t2.rows[0]!.map((c) => c.text)).toEqual(["项目名称: 平安建设"]);
    expect(t2.rows[1]!.map((c) => c.text)).toEqual(["制度保障", "文件名称", "具体措施", "保障阶段"]);
    expect(find(t2, "项目管理制度").rowSpan).toBe(5);
    expect(t2.rows[2]!.slice(-3).map((c) => c.text)).toEqual(["立项和计划阶段 □", "实施阶段 ☑", "收尾和完成阶段 □"]);
  });

  it("puts each of the 23 项目预算分解 items on one row with amount / unit price / quantity", () => {
    const items: [string, string, string, string][] = [
      ["戒毒康复指导室等质保金", "5", "5", "1"],
      ["辅警工资、奖金等", "813.7", "4.99", "163"],
      ["辅警社保", "500", "3.13", "160"],
      ["辅助人员值班误餐费", "81.12", "6.76", "12"],
      ["技防物防、宣传等", "25", "25", "1"],
      ["交警办公用房租金", "127", "127", "1"],
      ["交通特保服务费", "388.63", "388.63", "1"],
      ["禁毒宣传", "10", "2", "5"],
      ["联防队、保安等进博会、烟花爆竹管控", "70", "35", "2"],
      ["区特保服务费", "145.3", "12.11", "12"],
      ["社工工作经费", "16", "16", "1"],
      ["枢纽派出所绿化养护", "17", "17", "1"],
      ["物业管理", "44", "44", "1"],
      ["新虹派出所过渡办公用房建设", "200", "200", "1"],
      ["新虹特保服务费", "568", "568", "1"],
      ["综治、铁路、反恐宣传、演练等", "50", "5", "10"],
      ["新虹派出所过渡办公用房弱电建设", "100", "100", "1"],
      ["综合窗口入驻经费", "17.5", "17.5", "1"],
      ["外口工作经费", "50", "50", "1"],
      ["610宣传", "5", "1.25", "4"],
      ["春节走访对象", "2", "0.02", "100"],
      ["反恐特保服务费", "591.5", "591.5", "1"],
      ["武警巡逻伙食补贴", "29.2", "1.46", "20"],
    ];
    const t1 = tables(blocks)[1]!;
    const all = tables(blocks).flatMap(cellsOf);
    const g = gridOf(t1);
    const itemCol = cellsOf(t1).find((c) => c.text === items[0]![0])!.col;
    const label = cellsOf(t1).find((c) => c.text === "项目预算分解")!;
    let prevRow = -1;
    for (const [name, amount, price, qty] of items) {
      expect(all.filter((c) => c.text === name).length, name).toBe(1);
      const row = t1.rows.find((r) => r.some((c) => c.text === name))!;
      const i = row.findIndex((c) => c.text === name);
      const cell = row[i]!;
      expect(cell.col, name).toBe(itemCol); // all items aligned in one column
      expect(cell.row).toBe(prevRow < 0 ? cell.row : prevRow + 1); // consecutive rows
      prevRow = cell.row;
      expect(row.slice(i + 1).map((c) => c.text), name).toEqual([amount, price, "", qty, "", ""]);
      expect(row[i + 1]!.col).toBe(cell.col + cell.colSpan);
      expect(g[cell.row]![label.col]).toBe(label); // under the rowspan-23 label
    }
    // 维护社会治安 covers the first 19 items; the last 4 have their own blank 4th-level cell.
    const keep = cellsOf(t1).find((c) => c.text === "维护社会治安")!;
    const rowOf = (name: string): TableCell[] => t1.rows.find((r) => r.some((c) => c.text === name))!;
    expect(g[rowOf("外口工作经费")[0]!.row]![keep.col]).toBe(keep);
    const r610 = rowOf("610宣传");
    expect(r610[0]!.text).toBe("");
    expect(r610[0]!.col).toBe(keep.col);
  });

  it("agrees with exceljs on every master cell's text", () => {
    const ours = new Map<string, string>();
    for (const t of tables(blocks)) for (const c of cellsOf(t)) ours.set(c.address!, c.text);
    for (const p of paragraphs(blocks)) {
      const a = (p as ParagraphBlock & { address: string }).address;
      ours.set(a, ours.has(a) ? `${ours.get(a)}\n${p.text}` : p.text);
    }
    let checked = 0;
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.isMerged && cell.master !== cell) return;
        const v = cell.value as unknown;
        let text: string;
        if (v && typeof v === "object" && "richText" in v) text = (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
        else if (v === null || v === undefined) return;
        else text = String(v);
        if (text.trim() === "") return;
        expect(ours.get(cell.address), cell.address).toBe(text.replace(/\r\n|\r/g, "\n"));
        checked++;
      }),
    );
    expect(checked).toBe(tables(blocks).flatMap(cellsOf).filter((c) => c.text.trim() !== "").length + 13);
  });
});

// ------------------------------------------------------------------------------------------------

async function toBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const thin = { style: "thin" } as const;
const box = { top: thin, left: thin, bottom: thin, right: thin } as const;

describe("ingestXlsx on generated workbooks", () => {
  it("reads merges, rich text, formulas, numbers, dates and links; splits at titles and empty rows", async () => {
    const wb = new ExcelJS.Workbook();
    const s1 = wb.addWorksheet("预算");
    s1.mergeCells("A1:D1");
    s1.getCell("A1").value = "测试申报表";
    s1.getCell("A2").value = "（2021年度）";
    const body: [string, ExcelJS.CellValue][] = [
      ["A3", "项目名称"], ["B3", "测试项目"],
      ["A4", "资金"], ["B4", 3.5], ["C4", { formula: "B4*2", result: 7 } as ExcelJS.CellFormulaValue], ["D4", 0.256],
      ["B5", { richText: [{ text: "第一行" }, { font: { bold: true }, text: "\n第二" }, { text: "行" }] }],
      ["C5", new Date(Date.UTC(2020, 0, 1))], ["D5", new Date(Date.UTC(2020, 11, 31))],
      ["A6", "说明"], ["B6", { text: "链接文字", hyperlink: "https://example.org" }],
    ];
    for (const [a, v] of body) s1.getCell(a).value = v;
    s1.mergeCells("A4:A5"); // vertical label
    s1.mergeCells("B3:D3"); // value spanning 3 columns
    s1.getCell("B4").numFmt = "0.00";
    s1.getCell("D4").numFmt = "0.0%";
    s1.getCell("C5").numFmt = 'yyyy"年"m"月"d"日"';
    s1.getCell("D5").numFmt = "yyyy-mm-dd";
    for (let r = 3; r <= 7; r++) for (let c = 1; c <= 4; c++) s1.getCell(r, c).border = box;
    s1.mergeCells("A7:D7"); // a full-width bordered row inside the table: stays in the table
    s1.getCell("A7").value = "需要说明的其他问题";
    // Row 8 empty; a second table starts at row 9.
    s1.getCell("A9").value = "指标";
    s1.getCell("B9").value = "分值";
    s1.getCell("A10").value = "数量指标";
    s1.getCell("B10").value = 10;
    for (let r = 9; r <= 10; r++) for (let c = 1; c <= 2; c++) s1.getCell(r, c).border = box;
    s1.getCell("A12").value = "填表人：张三"; // note after the tables

    const s2 = wb.addWorksheet("第二页");
    s2.getCell("B2").value = "甲";
    s2.getCell("C2").value = "乙";
    s2.getCell("B3").value = 1;
    s2.getCell("C3").value = 2;

    const r = await ingestXlsx(await toBytes(wb), "gen.xlsx");
    const ps = paragraphs(r.blocks).map((p) => [p.index, p.text]);
    expect(r.blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph", "table", "table", "paragraph", "table"]);
    expect(ps).toEqual([[0, "测试申报表"], [1, "（2021年度）"], [2, "填表人：张三"]]);
    const [t0, t1, t2] = tables(r.blocks) as [TableBlock, TableBlock, TableBlock];
    expect(t0.index).toBe(0);
    expect(t0.sheet).toBe("预算");
    expect(t0.nCols).toBe(4);
    const flat = (t: TableBlock): unknown[] => t.rows.map((row) => row.map((c) => [c.address, c.text, c.row, c.col, c.rowSpan, c.colSpan]));
    expect(flat(t0)).toEqual([
      [["A3", "项目名称", 0, 0, 1, 1], ["B3", "测试项目", 0, 1, 1, 3]],
      [["A4", "资金", 1, 0, 2, 1], ["B4", "3.50", 1, 1, 1, 1], ["C4", "7", 1, 2, 1, 1], ["D4", "25.6%", 1, 3, 1, 1]],
      [["B5", "第一行\n第二行", 2, 1, 1, 1], ["C5", "2020年1月1日", 2, 2, 1, 1], ["D5", "2020-12-31", 2, 3, 1, 1]],
      [["A6", "说明", 3, 0, 1, 1], ["B6", "链接文字", 3, 1, 1, 1]],
      [["A7", "需要说明的其他问题", 4, 0, 1, 4]],
    ]);
    expect(t0.rows[2]![0]!.paragraphs).toEqual(["第一行", "第二行"]);
    expect(flat(t1)).toEqual([
      [["A9", "指标", 0, 0, 1, 1], ["B9", "分值", 0, 1, 1, 1]],
      [["A10", "数量指标", 1, 0, 1, 1], ["B10", "10", 1, 1, 1, 1]],
    ]);
    expect(t2.index).toBe(2);
    expect(t2.sheet).toBe("第二页");
    // Grid positions are 0-based from the used range's top-left (B2).
    expect(flat(t2)).toEqual([
      [["B2", "甲", 0, 0, 1, 1], ["C2", "乙", 0, 1, 1, 1]],
      [["B3", "1", 1, 0, 1, 1], ["C3", "2", 1, 1, 1, 1]],
    ]);
  });

  it("does not repeat a value stored in every cell of a merged range", async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("S");
    s.getCell("A1").value = "标签";
    s.mergeCells("B1:C2");
    s.getCell("B1").value = "合并值";
    s.getCell("A2").value = "下一行";
    const r = await ingestXlsx(await toBytes(wb), "m.xlsx");
    const t = tables(r.blocks)[0]!;
    expect(cellsOf(t).map((c) => [c.text, c.rowSpan, c.colSpan])).toEqual([["标签", 1, 1], ["合并值", 2, 2], ["下一行", 1, 1]]);
  });

  it("throws EMPTY_FILE for a workbook without text and for 0 bytes", async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("空");
    s.getCell("A1").value = "   ";
    s.getCell("B2").border = box;
    await expect(ingestXlsx(await toBytes(wb), "e.xlsx")).rejects.toMatchObject({ code: "EMPTY_FILE" });
    await expect(ingestXlsx(new Uint8Array(0), "e.xlsx")).rejects.toMatchObject({ code: "EMPTY_FILE" });
  });
});

describe("ingestXlsx on hand-written SpreadsheetML", () => {
  const NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  function book(parts: Record<string, string>): Uint8Array {
    const files: Record<string, Uint8Array> = {
      "_rels/.rels": strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    };
    for (const [k, v] of Object.entries(parts)) files[k] = strToU8(v);
    return zipSync(files);
  }

  it("reads prefixed XML, inline strings, phonetic runs, escapes, booleans, errors and 1904 dates", async () => {
    const data = book({
      "xl/workbook.xml": `<x:workbook ${NS}><x:workbookPr date1904="1"/><x:sheets><x:sheet name="数据" sheetId="1" r:id="rId1"/><x:sheet name="图" sheetId="2" r:id="rId2"/></x:sheets></x:workbook>`,
      "xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="/xl/worksheets/s1.xml"/><Relationship Id="rId2" Type="${REL}/chartsheet" Target="chartsheets/c1.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="strs.xml"/><Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
      "xl/strs.xml": `<x:sst ${NS}><x:si><x:r><x:t>漢字</x:t></x:r><x:rPh sb="0" eb="2"><x:t>かんじ</x:t></x:rPh></x:si><x:si><x:t xml:space="preserve">a_x000D_\nb _x005F_x0041_</x:t></x:si><x:si><x:t>&lt;x&gt; &amp; y</x:t></x:si></x:sst>`,
      "xl/styles.xml": `<x:styleSheet ${NS}><x:numFmts count="1"><x:numFmt numFmtId="170" formatCode="0.0&quot;万元&quot;"/></x:numFmts><x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="14"/><x:xf numFmtId="170"/></x:cellXfs></x:styleSheet>`,
      "xl/worksheets/s1.xml": `<x:worksheet ${NS}><x:sheetData>
        <x:row r="1"><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>
        <x:row><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" t="b"><x:v>1</x:v></x:c><x:c r="C2" t="e"><x:v>#DIV/0!</x:v></x:c></x:row>
        <x:row r="3"><x:c r="A3" s="1"><x:v>0</x:v></x:c><x:c r="B3" t="str"><x:f>A1&amp;"!"</x:f><x:v>漢字!</x:v></x:c><x:c r="C3" s="2"><x:f>1/3</x:f><x:v>0.33333333333333331</x:v></x:c><x:c r="D3"><x:f>NOW()</x:f></x:c></x:row>
      </x:sheetData></x:worksheet>`,
    });
    const r = await ingestXlsx(data, "h.xlsx");
    expect(r.blocks.length).toBe(1);
    const t = tables(r.blocks)[0]!;
    expect(t.sheet).toBe("数据");
    expect(t.rows.map((row) => row.map((c) => [c.address, c.text]))).toEqual([
      [["A1", "漢字"], ["B1", "内联"], ["C1", "<x> & y"]],
      [["A2", "a\nb _x0041_"], ["B2", "TRUE"], ["C2", "#DIV/0!"]],
      [["A3", "1904-01-01"], ["B3", "漢字!"], ["C3", "0.3万元"]],
    ]);
    expect(t.rows[1]![0]!.paragraphs).toEqual(["a", "b _x0041_"]);
  });

  it("throws CORRUPT for a workbook without sheets and EMPTY_FILE when only a chartsheet exists", async () => {
    const rels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="${REL}/chartsheet" Target="chartsheets/c1.xml"/></Relationships>`;
    await expect(ingestXlsx(book({ "xl/workbook.xml": `<x:workbook ${NS}><x:sheets/></x:workbook>` }), "n.xlsx")).rejects.toMatchObject({ code: "CORRUPT" });
    await expect(
      ingestXlsx(book({
        "xl/workbook.xml": `<x:workbook ${NS}><x:sheets><x:sheet name="图" sheetId="2" r:id="rId2"/></x:sheets></x:workbook>`,
        "xl/_rels/workbook.xml.rels": rels,
      }), "c.xlsx"),
    ).rejects.toMatchObject({ code: "EMPTY_FILE" });
    // A sheet the workbook names but the package lacks.
    await expect(
      ingestXlsx(book({ "xl/workbook.xml": `<x:workbook ${NS}><x:sheets><x:sheet name="S" sheetId="1" r:id="rId9"/></x:sheets></x:workbook>` }), "m.xlsx"),
    ).rejects.toMatchObject({ code: "CORRUPT" });
  });
});

describe("ingestXlsx splitting without borders", () => {
  it("keeps a title above an unstyled table as a paragraph, and splits multi-line title cells", async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("S");
    s.mergeCells("A1:C1");
    s.getCell("A1").value = "项目支出绩效自评表\n（2020年度）";
    s.getCell("A2").value = "项目名称";
    s.mergeCells("B2:C2");
    s.getCell("B2").value = "平安建设";
    s.getCell("A3").value = "年初预算数";
    s.getCell("B3").value = "全年预算数";
    s.getCell("C3").value = "全年执行数";
    s.getCell("A4").value = 5;
    s.getCell("B4").value = 5;
    s.getCell("C4").value = 5;
    s.getCell("A5").value = "注：本表金额单位为万元";
    const r = await ingestXlsx(await toBytes(wb), "s.xlsx");
    expect(r.blocks.map((b) => (b.kind === "paragraph" ? b.text : `table:${b.rows.length}`))).toEqual([
      "项目支出绩效自评表",
      "（2020年度）",
      "table:3",
      "注：本表金额单位为万元",
    ]);
    expect(paragraphs(r.blocks).map((p) => p.index)).toEqual([0, 1, 2]);
    const t = tables(r.blocks)[0]!;
    expect(t.rows[0]!.map((c) => [c.text, c.col, c.colSpan])).toEqual([["项目名称", 0, 1], ["平安建设", 1, 2]]);
  });
});

describe("number formats", () => {
  it("shows numbers as Excel displays them, without inventing digits", () => {
    expect(formatNumber(813.7, "General")).toBe("813.7");
    expect(formatNumber(0.1 + 0.2, "General")).toBe("0.3");
    expect(formatNumber(813.7, "0.00")).toBe("813.70");
    expect(formatNumber(3855.9424, "#,##0.00")).toBe("3,855.94");
    expect(formatNumber(-5, "#,##0.00;(#,##0.00)")).toBe("(5.00)");
    expect(formatNumber(-5, "0.0")).toBe("-5.0");
    expect(formatNumber(0.95, "0%")).toBe("95%");
    expect(formatNumber(1.005, "0.00")).toBe("1.01");
    expect(formatNumber(5, '0.00"万元"')).toBe("5.00万元");
    expect(formatNumber(12345, "0.00E+00")).toBe("1.23E+04");
    expect(formatNumber(0, '_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-')).toBe("-");
    expect(formatNumber(43831, 'yyyy"年"m"月"d"日"')).toBe("2020年1月1日");
    expect(formatNumber(43831, "[$-804]yyyy年m月d日;@")).toBe("2020年1月1日");
    expect(formatNumber(43831, "m/d/yyyy")).toBe("2020-01-01");
    expect(formatNumber(43831.5, "yyyy/m/d h:mm")).toBe("2020-01-01 12:00");
    expect(formatNumber(0.5, "h:mm:ss")).toBe("12:00:00");
    expect(formatNumber(43831, "yyyy-mm")).toBe("2020-01");
    expect(formatNumber(43831, "yyyy-mm-dd", true)).toBe("2024-01-02"); // 1904 date system
  });
});

describe("bad input", () => {
  const fixture = new Uint8Array(readFileSync(XLSX));

  async function code(data: Uint8Array): Promise<string> {
    try {
      await ingestXlsx(data, "bad.xlsx");
      return "OK";
    } catch (e) {
      expect(e).toBeInstanceOf(IngestError);
      expect((e as Error).message).toMatch(/[\u4e00-\u9fff]/);
      expect((e as Error).message).not.toContain("bad.xlsx");
      return (e as IngestError).code;
    }
  }

  it("random bytes with a PK header → CORRUPT", async () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const data = new Uint8Array(4096).map(rnd);
    data.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await code(data)).toBe("CORRUPT");
    expect(await code(strToU8("not a spreadsheet at all"))).toBe("CORRUPT");
  });

  it("a truncated copy of the fixture → TRUNCATED", async () => {
    for (const n of [30, 100, 1000, fixture.length >> 1, fixture.length - 30]) {
      expect(await code(fixture.slice(0, n)), `first ${n} bytes`).toBe("TRUNCATED");
    }
  });

  it("a ZIP that is not a workbook → CORRUPT", async () => {
    expect(await code(zipSync({ "hello.txt": strToU8("hi") }))).toBe("CORRUPT");
    expect(await code(zipSync({ "word/document.xml": strToU8("<w:document/>") }))).toBe("CORRUPT");
  });

  it("an encrypted (OLE) workbook → ENCRYPTED; other OLE files → UNSUPPORTED_TYPE", async () => {
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const name = "EncryptionInfo";
    for (let i = 0; i < name.length; i++) ole[1024 + 2 * i] = name.charCodeAt(i);
    expect(await code(ole)).toBe("ENCRYPTED");
    ole.fill(0, 1024);
    expect(await code(ole)).toBe("UNSUPPORTED_TYPE");
  });

  it("damaged bytes never escape as raw exceptions", async () => {
    let seed = 42;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let k = 0; k < 60; k++) {
      const d = fixture.slice();
      for (let j = 0; j < 8; j++) d[rnd(d.length)] = rnd(256);
      const c = await code(d);
      expect(["OK", "CORRUPT", "TRUNCATED", "EMPTY_FILE"]).toContain(c);
    }
  });
});
