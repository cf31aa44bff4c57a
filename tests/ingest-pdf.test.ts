import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ingestErrorCode } from "./helpers/ingestErrors.ts";
import { canonicalGrid, type CanonCell } from "./helpers/grid.ts";
import { type Block, type ParagraphBlock, type TableBlock, type TableCell } from "../src/ingest/blocks.ts";
import { ingestDocx } from "../src/ingest/docx.ts";
import { ingestPdf } from "../src/ingest/pdf/index.ts";
import { SEEDS_DIR } from "./fixtures.ts";

const FIXTURES = [
  { name: "001-jingzhou-2023", tables: 4, pages: 19 },
  { name: "002-xinhong-2020-target", tables: 3, pages: 8 },
  { name: "003-xiqu-2020", tables: 5, pages: 16 },
] as const;

const squash = (s: string): string => s.replace(/\s+/g, "");
const tablesOf = (blocks: Block[]): TableBlock[] => blocks.filter((b): b is TableBlock => b.kind === "table");
const parasOf = (blocks: Block[]): ParagraphBlock[] => blocks.filter((b): b is ParagraphBlock => b.kind === "paragraph");

/** The canonical grid of tests/helpers/grid.ts with whitespace removed from texts. */
const canonical = (t: TableBlock) => canonicalGrid(t, squash);

const cellKey = (c: CanonCell): string => `${c.row},${c.col},${c.rowSpan},${c.colSpan}|${c.text}`;

/** Per canonical column: the texts of the cells starting there, in row order, concatenated. */
function columnTexts(t: { nCols: number; cells: CanonCell[] }): string[] {
  const cols: string[] = new Array<string>(t.nCols).fill("");
  for (const c of [...t.cells].sort((a, b) => a.row - b.row || a.col - b.col)) cols[c.col] += c.text;
  return cols;
}

const cache = new Map<string, Promise<{ pdf: Block[]; docx: Block[] }>>();
function load(name: string): Promise<{ pdf: Block[]; docx: Block[] }> {
  let p = cache.get(name);
  if (!p) {
    p = (async () => ({
      pdf: (await ingestPdf(new Uint8Array(readFileSync(join(SEEDS_DIR, `${name}.pdf`))), `${name}.pdf`)).blocks,
      docx: (await ingestDocx(new Uint8Array(readFileSync(join(SEEDS_DIR, `${name}.docx`))), `${name}.docx`)).blocks,
    }))();
    cache.set(name, p);
  }
  return p;
}

describe("ingestPdf: seed fixtures against their .docx twins", () => {
  for (const fx of FIXTURES) {
    it(`${fx.name}: same tables, origin cells match the .docx grid`, async () => {
      const { pdf, docx } = await load(fx.name);
      const pt = tablesOf(pdf);
      const xt = tablesOf(docx);
      expect(xt.length).toBe(fx.tables);
      expect(pt.length).toBe(fx.tables);
      pt.forEach((t, i) => expect(t.index).toBe(i));
      for (let i = 0; i < fx.tables; i++) {
        const a = canonical(pt[i]!);
        const b = canonical(xt[i]!);
        expect(a.nCols, `table ${i} columns`).toBe(b.nCols);
        // every text lands in the right column, in order
        expect(columnTexts(a), `table ${i} column texts`).toEqual(columnTexts(b));
        expect(pt[i]!.rows.length, `table ${i} rows`).toBe(xt[i]!.rows.length);
        expect(a.cells.map(cellKey), `table ${i} cells`).toEqual(b.cells.map(cellKey));
      }
    });

    it(`${fx.name}: paragraphs outside tables match the .docx paragraphs`, async () => {
      const { pdf, docx } = await load(fx.name);
      const pp = parasOf(pdf).map((p) => squash(p.text));
      const xp = parasOf(docx).map((p) => squash(p.text));
      expect(pp).toEqual(xp);
    });

    it(`${fx.name}: provenance (page, line) on paragraphs and cells`, async () => {
      const { pdf } = await load(fx.name);
      parasOf(pdf).forEach((p, i) => {
        expect(p.index).toBe(i);
        expect(p.page).toBeGreaterThanOrEqual(1);
        expect(p.page).toBeLessThanOrEqual(fx.pages);
        expect(p.line).toBeGreaterThanOrEqual(1);
      });
      let lastPage = 0;
      for (const b of pdf) {
        const page = b.page!;
        expect(page).toBeGreaterThanOrEqual(lastPage); // blocks in page order
        lastPage = page;
        if (b.kind !== "table") continue;
        for (const c of b.rows.flat()) {
          expect(c.page).toBeGreaterThanOrEqual(page);
          if (c.text.trim() !== "") expect(c.line).toBeGreaterThanOrEqual(1);
        }
      }
    });
  }

  it("001: report titles and section headings are separate paragraphs", async () => {
    const { pdf } = await load("001-jingzhou-2023");
    const texts = parasOf(pdf).map((p) => squash(p.text));
    for (const t of [
      "村和社区戒毒康复工作站、禁毒协会工作经费专项资金绩效自评报告",
      "禁毒办专项及社区戒毒康复工作经费专项资金绩效自评报告",
      "购买禁毒社工服务专项资金绩效自评报告",
      "毛发检测和城市污水溯源监测经费专项资金绩效自评报告",
      "一、项目基本情况",
      "二、绩效评价工作情况",
      "四、项目主要绩效情况分析",
      "五、存在的问题",
      "六、有关建议",
      "项目支出绩效自评表",
      "（2023年度）",
    ]) {
      expect(texts, t).toContain(t);
    }
    // a wrapped body paragraph is one paragraph, digits without inserted spaces
    expect(texts).toContain(
      "项目总资金6万元，毒品问题严重的四个村安排社区戒毒康复工作经费4万元，县禁毒协会安排经费2万元。用于组织社会力量开展禁毒相关活动，发动社会力量开展禁毒工作。救助涉毒困难家庭，帮助吸毒人员回归家庭和社会。",
    );
    const first = parasOf(pdf)[1]!;
    expect(first.page).toBe(1);
    expect(first.line).toBe(2);
  });

  it("001: a table continued over three pages is one table; the vertical label is one cell", async () => {
    const { pdf } = await load("001-jingzhou-2023");
    const t = tablesOf(pdf)[0]!;
    expect(t.page).toBe(2);
    const label = t.rows.flat().find((c) => squash(c.text) === "绩效指标")!;
    expect(label).toBeDefined();
    expect(label.col).toBe(0);
    expect(label.rowSpan).toBe(18);
    expect(label.paragraphs.length).toBeGreaterThanOrEqual(1);
    // wrapped cell text joined without spaces: “开展活动5场。”
    expect(t.rows.flat().some((c) => c.text === "开展活动5场。")).toBe(true);
  });

  it("001: rows split by a page break are one row (wrapped line, and a break between two paragraphs)", async () => {
    const { pdf } = await load("001-jingzhou-2023");
    const t = tablesOf(pdf)[3]!; // 毛发检测和城市污水溯源监测经费, pages 17-19
    const cells = t.rows.flat();
    const social = cells.find((c) => squash(c.text).startsWith("对各辖区吸毒人员和公职人员进"))!;
    expect(squash(social.text)).toBe("对各辖区吸毒人员和公职人员进行毛发检测；开展城市污水监测。");
    expect(social.page).toBe(18);
    const target = cells.find((c) => squash(c.text).startsWith("在册吸毒人员全员"))!;
    expect(squash(target.text)).toBe("在册吸毒人员全员80次");
    expect(target.paragraphs.map(squash)).toEqual(["在册吸毒人员全员", "80次"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Synthetic PDFs, generated here (no binaries in the repository).

function buildPdf(pages: string[], opts: { encrypt?: boolean } = {}): Uint8Array {
  const objs: string[] = [];
  objs.push("<< /Type /Catalog /Pages 2 0 R >>");
  objs.push(`<< /Type /Pages /Kids [${pages.map((_, i) => `${4 + i * 2} 0 R`).join(" ")}] /Count ${pages.length} >>`);
  objs.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  pages.forEach((c, i) => {
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`);
    objs.push(`<< /Length ${c.length} >>\nstream\n${c}\nendstream`);
  });
  let encrypt = "";
  if (opts.encrypt) {
    const hex = (k: number) => Array.from({ length: 32 }, (_, i) => ((i * 37 + k) & 255).toString(16).padStart(2, "0")).join("");
    objs.push(`<< /Filter /Standard /V 1 /R 2 /O <${hex(1)}> /U <${hex(2)}> /P -44 >>`);
    encrypt = ` /Encrypt ${objs.length} 0 R /ID [<${hex(3).slice(0, 32)}> <${hex(3).slice(0, 32)}>]`;
  }
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

const text = (x: number, y: number, s: string, size = 10) => `BT /F1 ${size} Tf ${x} ${y} Td (${s}) Tj ET`;
const line = (x0: number, y0: number, x1: number, y1: number) => `${x0} ${y0} m ${x1} ${y1} l S`;

describe("ingestPdf: synthetic PDFs", () => {
  it("builds cells from drawn borders (merged cell, filled-rectangle borders) and drops page numbers", async () => {
    const page1 = [
      "0.5 w 0 0 0 RG",
      line(100, 700, 400, 700),
      line(100, 650, 400, 650),
      line(100, 600, 400, 600),
      line(100, 600, 100, 700),
      line(400, 600, 400, 700),
      line(200, 600, 200, 700),
      // the border between the two right columns, bottom row only, drawn as a thin filled rectangle
      "0 0 0 rg 299.75 600 0.5 50 re f",
      text(100, 760, "Title line", 12),
      text(110, 680, "Name"),
      text(210, 680, "Merged value"),
      text(110, 630, "Score"),
      text(210, 630, "10"),
      text(310, 630, "9"),
      text(290, 40, "- 1 -"),
    ].join("\n");
    const page2 = [text(100, 760, "Second page"), text(290, 40, "2")].join("\n");
    const r = await ingestPdf(buildPdf([page1, page2]), "synthetic.pdf");
    expect(r.format).toBe("pdf");
    const paras = parasOf(r.blocks);
    expect(paras.map((p) => p.text)).toEqual(["Title line", "Second page"]);
    expect(paras[1]!.page).toBe(2);
    const [t] = tablesOf(r.blocks);
    expect(t).toBeDefined();
    expect(t!.nCols).toBe(3);
    const cells = t!.rows.map((row) => row.map((c) => [c.row, c.col, c.rowSpan, c.colSpan, c.text]));
    expect(cells).toEqual([
      [
        [0, 0, 1, 1, "Name"],
        [0, 1, 1, 2, "Merged value"],
      ],
      [
        [1, 0, 1, 1, "Score"],
        [1, 1, 1, 1, "10"],
        [1, 2, 1, 1, "9"],
      ],
    ]);
    expect(r.blocks.map((b) => b.kind)).toEqual(["paragraph", "table", "paragraph"]);
  });

  it("joins a table continued on the next page, merging a row split by the page break", async () => {
    const box = (top: number, bottom: number, rows: number[]) =>
      [
        "0.5 w",
        ...[top, ...rows, bottom].map((y) => line(100, y, 400, y)),
        line(100, bottom, 100, top),
        line(200, bottom, 200, top),
        line(400, bottom, 400, top),
      ].join("\n");
    // page 1: header row, then a row whose long text runs to the bottom of the page
    const long1 = "Lorem ipsum dolor sit amet consectetur";
    const page1 = [
      box(200, 60, [180]),
      text(105, 186, "Key"),
      text(205, 186, "Value"),
      text(105, 166, "Notes"),
      ...Array.from({ length: 9 }, (_, i) => text(205, 166 - i * 12, long1)),
    ].join("\n");
    // page 2: the rest of that row's text at the very top, then one more row
    const page2 = [box(800, 740, [780]), text(205, 788, "end of notes"), text(105, 766, "Total"), text(205, 766, "42")].join("\n");
    const r = await ingestPdf(buildPdf([page1, page2]), "split.pdf");
    const tables = tablesOf(r.blocks);
    expect(tables.length).toBe(1);
    const t = tables[0]!;
    expect(t.rows.map((row) => row.map((c) => c.text.split(/\s+/)[0]))).toEqual([
      ["Key", "Value"],
      ["Notes", "Lorem"],
      ["Total", "42"],
    ]);
    expect(t.rows[1]![1]!.text.endsWith("end of notes")).toBe(true);
  });
});

describe("ingestPdf: synthetic layouts", () => {
  const grid = (top: number, rowsY: number[], bottom: number) =>
    ["0.5 w", ...[top, ...rowsY, bottom].map((y) => line(100, y, 400, y)), ...[100, 250, 400].map((x) => line(x, bottom, x, top))].join("\n");

  it("drops a header row repeated on the continuation page", async () => {
    const page1 = [grid(200, [180], 60), text(105, 186, "Item"), text(255, 186, "Amount"), text(105, 166, "Rent"), text(255, 166, "127.00")].join("\n");
    const page2 = [grid(800, [780], 740), text(105, 786, "Item"), text(255, 786, "Amount"), text(105, 766, "Fees"), text(255, 766, "5.00")].join("\n");
    const r = await ingestPdf(buildPdf([page1, page2]), "header.pdf");
    const tables = tablesOf(r.blocks);
    expect(tables.length).toBe(1);
    expect(tables[0]!.rows.map((row) => row.map((c) => c.text))).toEqual([
      ["Item", "Amount"],
      ["Rent", "127.00"],
      ["Fees", "5.00"],
    ]);
  });

  it("a box around the page (one cell, no rulings inside) is not a table", async () => {
    const page = ["0.5 w", "30 30 535 782 re S", text(100, 760, "Framed body text"), text(100, 740, "Second paragraph")].join("\n");
    const r = await ingestPdf(buildPdf([page, page]), "framed.pdf");
    expect(tablesOf(r.blocks)).toEqual([]);
    expect(parasOf(r.blocks).map((p) => p.text)).toEqual(["Framed body text", "Second paragraph", "Framed body text", "Second paragraph"]);
  });
});

describe("ingestPdf: bad input gives IngestError, never a raw exception or console output", () => {
  const spies: ReturnType<typeof vi.spyOn>[] = [];
  beforeEach(() => {
    spies.push(vi.spyOn(console, "log"), vi.spyOn(console, "warn"), vi.spyOn(console, "info"));
  });
  afterEach(() => {
    for (const s of spies) {
      expect(s).not.toHaveBeenCalled();
      s.mockRestore();
    }
    spies.length = 0;
  });

  const codeOf = (data: Uint8Array) => ingestErrorCode((f) => ingestPdf(data, f), "bad.pdf");

  const seed = () => new Uint8Array(readFileSync(join(SEEDS_DIR, "001-jingzhou-2023.pdf")));

  it("truncated copies", async () => {
    const full = seed();
    expect(await codeOf(full.slice(0, full.length >> 1))).toBe("TRUNCATED");
    expect(await codeOf(full.slice(0, full.length - 300))).toBe("TRUNCATED");
    expect(await codeOf(full.slice(0, 2000))).toBe("TRUNCATED");
  });

  it("garbage behind a %PDF header, no header, empty", async () => {
    const enc = new TextEncoder();
    expect(await codeOf(enc.encode(`%PDF-1.7\n${"garbage ".repeat(300)}`))).toBe("CORRUPT");
    expect(await codeOf(enc.encode(`%PDF-1.7\n${"x".repeat(500)}\n%%EOF\n`))).toBe("CORRUPT");
    const noise = new Uint8Array(4096).map((_, i) => (i * 7919) & 255);
    noise.set(enc.encode("%PDF-1.4\n"), 0);
    expect(await codeOf(noise)).toMatch(/^(CORRUPT|TRUNCATED)$/);
    expect(await codeOf(enc.encode("not a pdf at all"))).toBe("CORRUPT");
    expect(await codeOf(new Uint8Array(0))).toBe("EMPTY_FILE");
  });

  it("password-protected PDF", async () => {
    expect(await codeOf(buildPdf([text(100, 700, "secret")], { encrypt: true }))).toBe("ENCRYPTED");
  });
});
