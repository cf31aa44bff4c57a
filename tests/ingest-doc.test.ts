import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ingestErrorCode } from "./helpers/ingestErrors.ts";
import { canonicalGrid } from "./helpers/grid.ts";
import { describe, expect, it } from "vitest";
import { IngestError, gridOf, type Block, type TableBlock, type TableCell } from "../src/ingest/blocks.ts";
import { ingestDoc } from "../src/ingest/doc/index.ts";
import { ingestDocx } from "../src/ingest/docx.ts";

const SEEDS = "/work/shared/fixtures/seeds";
const FIXTURES = [
  { name: "001-jingzhou-2023", tables: 4 },
  { name: "002-xinhong-2020-target", tables: 3 },
  { name: "003-xiqu-2020", tables: 5 },
] as const;

const norm = (s: string): string => s.replace(/\s+/g, " ").trim();
const tablesOf = (blocks: Block[]): TableBlock[] => blocks.filter((b): b is TableBlock => b.kind === "table");

/** Cells as comparable strings, in the canonical grid of tests/helpers/grid.ts. */
function canonical(t: TableBlock): { nCols: number; cells: string[] } {
  const g = canonicalGrid(t, norm);
  return { nCols: g.nCols, cells: g.cells.map((c) => `${c.row},${c.col},${c.rowSpan},${c.colSpan}|${c.text}`) };
}

async function load(name: string): Promise<{ doc: Block[]; docx: Block[] }> {
  const doc = (await ingestDoc(readFileSync(join(SEEDS, `${name}.doc`)), `${name}.doc`)).blocks;
  const docx = (await ingestDocx(readFileSync(join(SEEDS, `${name}.docx`)), `${name}.docx`)).blocks;
  return { doc, docx };
}

describe("ingestDoc: seed fixtures against their .docx twins", () => {
  for (const fx of FIXTURES) {
    it(`${fx.name}: tables, rows and origin cells match the .docx grid`, async () => {
      const { doc, docx } = await load(fx.name);
      const dt = tablesOf(doc);
      const xt = tablesOf(docx);
      expect(dt.length).toBe(fx.tables);
      expect(xt.length).toBe(fx.tables);
      dt.forEach((t, i) => expect(t.index).toBe(i));
      for (let i = 0; i < fx.tables; i++) {
        const a = dt[i]!;
        const b = xt[i]!;
        expect(a.rows.length, `table ${i} rows`).toBe(b.rows.length);
        const ca = canonical(a);
        const cb = canonical(b);
        // The .doc grid is already canonical: every grid line is some cell's boundary.
        expect(ca.nCols, `table ${i} nCols`).toBe(a.nCols);
        expect(ca.nCols, `table ${i} canonical nCols`).toBe(cb.nCols);
        expect(ca.cells, `table ${i} origin cells`).toEqual(cb.cells);
        // Rows hold their own origin cells, ordered by col; the grid has no holes and no overlaps.
        a.rows.forEach((row, r) => {
          for (const c of row) expect(c.row).toBe(r);
          expect(row.map((c) => c.col)).toEqual([...row.map((c) => c.col)].sort((x, y) => x - y));
        });
        const slots = a.rows.flat().reduce((n, c) => n + c.rowSpan * c.colSpan, 0);
        expect(gridOf(a).flat().every((c) => c !== null)).toBe(true);
        expect(slots).toBe(a.rows.length * a.nCols);
        for (const c of a.rows.flat()) expect(c.text).toBe(c.paragraphs.join("\n"));
      }
    });

    it(`${fx.name}: paragraphs outside tables match the .docx in order`, async () => {
      const { doc, docx } = await load(fx.name);
      const pa = doc.filter((b) => b.kind === "paragraph");
      const pb = docx.filter((b) => b.kind === "paragraph");
      pa.forEach((p, i) => expect(p.kind === "paragraph" && p.index).toBe(i));
      expect(pa.map((p) => norm(p.kind === "paragraph" ? p.text : ""))).toEqual(
        pb.map((p) => norm(p.kind === "paragraph" ? p.text : "")),
      );
      expect(pa.every((p) => p.kind === "paragraph" && p.text.trim() !== "")).toBe(true);
    });
  }

  it("keeps table merges: rowspan 5 funds block, rowspan 18 绩效指标 label, colspan 9 project name (001)", async () => {
    const t = tablesOf((await load("001-jingzhou-2023")).doc)[0]!;
    const cells = t.rows.flat();
    const funds = cells.find((c) => norm(c.text) === "项目资金 （万元）" || norm(c.text) === "项目资金（万元）");
    expect(funds?.rowSpan).toBe(5);
    const label = cells.find((c) => c.paragraphs.join("") === "绩效指标");
    expect(label?.rowSpan).toBe(18);
    // One paragraph per character (the empty paragraphs around them are kept, as in the .docx).
    expect(label?.paragraphs.filter((p) => p !== "")).toEqual(["绩", "效", "指", "标"]);
    expect(t.rows[0]![1]!.colSpan).toBe(t.nCols - 1);
  });

  it("keeps dashes, curly quotes and no-break spaces verbatim", async () => {
    const { doc } = await load("002-xinhong-2020-target");
    const text = JSON.stringify(doc);
    expect(text).toContain("“治安巡逻防控网”");
    const t003 = tablesOf((await load("003-xiqu-2020")).doc)[0]!;
    const all = t003.rows.flat().map((c) => c.text);
    expect(all).toContain("—");
    expect(all.some((s) => /^\u00a0+上年结转资金$/.test(s) || /^ +上年结转资金$/.test(s))).toBe(true);
  });
});

/** Replaces (once, same length) UTF-16LE text in a copy of a .doc whose text is stored uncompressed. */
function patchText(file: Uint8Array, from: string, to: string): Uint8Array {
  expect(to.length).toBe(from.length);
  const enc = (s: string): Buffer => Buffer.from(s, "utf16le");
  const buf = Buffer.from(file);
  const at = buf.indexOf(enc(from));
  expect(at).toBeGreaterThan(0);
  enc(to).copy(buf, at);
  return new Uint8Array(buf);
}

describe("ingestDoc: special characters in the text stream", () => {
  it("keeps field results only, drops object anchors, maps line breaks and no-break hyphens", async () => {
    let data: Uint8Array = readFileSync(join(SEEDS, "002-xinhong-2020-target.doc"));
    data = patchText(data, "金额单位：万元", "\x13PG\x14万元\x15");
    data = patchText(data, "填报单位（盖章）：综治组", "填报\x01单位\x0b盖章：综\x1e组");
    const paras = (await ingestDoc(data, "x.doc")).blocks.flatMap((b) => (b.kind === "paragraph" ? [b.text] : []));
    expect(paras.slice(0, 4)).toEqual(["项目支出绩效目标申报表（项目总体情况）", "（2020年）", "填报单位\n盖章：综-组", "万元"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Damaged inputs

async function codeOf(data: Uint8Array): Promise<string> {
  return ingestErrorCode((f) => ingestDoc(data, f), "/some/dir/文件.doc");
}

/** Offset of the FIB in the file: the WordDocument stream starts on a sector boundary with wIdent 0xA5EC. */
function fibOffset(file: Uint8Array): number {
  for (let off = 512; off + 512 <= file.length; off += 512) {
    const nFib = file[off + 2]! | (file[off + 3]! << 8);
    if (file[off] === 0xec && file[off + 1] === 0xa5 && nFib >= 0xc1 && nFib < 0x200) return off;
  }
  throw new Error("FIB not found");
}

describe("ingestDoc: errors", () => {
  const seed = readFileSync(join(SEEDS, "002-xinhong-2020-target.doc"));

  it("reports a truncated copy (first 5000 bytes) as TRUNCATED", async () => {
    for (const fx of FIXTURES) {
      const data = readFileSync(join(SEEDS, `${fx.name}.doc`));
      expect(await codeOf(data.subarray(0, 5000))).toBe("TRUNCATED");
      expect(await codeOf(data.subarray(0, data.length - 1000))).toBe("TRUNCATED");
    }
  });

  it("reports a copy with the FIB fEncrypted bit set as ENCRYPTED", async () => {
    for (const fx of FIXTURES) {
      const data = new Uint8Array(readFileSync(join(SEEDS, `${fx.name}.doc`)));
      const fib = fibOffset(data);
      expect(await codeOf(data)).toBe("OK");
      data[fib + 0x0b] = data[fib + 0x0b]! | 0x01; // FibBase flags (0x0A), bit 8 = fEncrypted
      expect(await codeOf(data)).toBe("ENCRYPTED");
    }
  });

  it("reports garbage, empty and wrong-format input with stable codes", async () => {
    expect(await codeOf(new Uint8Array(0))).toBe("EMPTY_FILE");
    expect(await codeOf(new TextEncoder().encode("这不是 Word 文件".repeat(100)))).toBe("CORRUPT");
    expect(await codeOf(readFileSync(join(SEEDS, "002-xinhong-2020-target.docx")))).toBe("UNSUPPORTED_TYPE");
    expect(await codeOf(new TextEncoder().encode("{\\rtf1\\ansi 你好}"))).toBe("UNSUPPORTED_TYPE");
    // Compound file header intact, everything after it zeroed.
    const zeroed = new Uint8Array(seed);
    zeroed.fill(0, 512);
    expect(["CORRUPT", "TRUNCATED"]).toContain(await codeOf(zeroed));
    // WordDocument stream with a wrong magic number.
    const badFib = new Uint8Array(seed);
    badFib[fibOffset(badFib)] = 0x00;
    expect(await codeOf(badFib)).toBe("CORRUPT");
  });

  it("never lets a raw exception escape on randomly damaged files", async () => {
    let state = 0x9e3779b9;
    const rnd = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const seeds = FIXTURES.map((fx) => readFileSync(join(SEEDS, `${fx.name}.doc`)));
    for (let k = 0; k < 300; k++) {
      const data = new Uint8Array(seeds[k % seeds.length]!);
      const flips = 1 + Math.floor(rnd() * 16);
      for (let j = 0; j < flips; j++) {
        // Bias towards the CFB header, FIB and table-stream structures at the front.
        const pos = rnd() < 0.4 ? Math.floor(rnd() * 4096) : Math.floor(rnd() * data.length);
        data[pos] = Math.floor(rnd() * 256);
      }
      let result: string;
      try {
        await ingestDoc(data, "x.doc");
        result = "OK";
      } catch (e) {
        result = e instanceof IngestError ? e.code : `raw ${String(e)}`;
      }
      expect(["OK", "CORRUPT", "TRUNCATED", "ENCRYPTED", "UNSUPPORTED_TYPE"]).toContain(result);
    }
  });
});
