// Builds small .docx files for tests: a real OOXML package (content types, rels, document.xml)
// zipped with fflate, so tests need no binary fixtures.
import { strToU8, zipSync } from "fflate";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function paragraphXml(text: string): string {
  return `<w:p><w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r></w:p>`;
}

export function tableXml(rows: string[][]): string {
  const n = Math.max(...rows.map((r) => r.length));
  const grid = `<w:tblGrid>${'<w:gridCol w:w="1000"/>'.repeat(n)}</w:tblGrid>`;
  const body = rows.map((r) => `<w:tr>${r.map((c) => `<w:tc>${paragraphXml(c)}</w:tc>`).join("")}</w:tr>`).join("");
  return `<w:tbl>${grid}${body}</w:tbl>`;
}

export function documentXml(bodyXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${bodyXml}</w:body></w:document>`;
}

export function makeDocx(bodyXml: string): Uint8Array {
  return zipSync({
    "[Content_Types].xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    ),
    "_rels/.rels": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    ),
    "word/document.xml": strToU8(documentXml(bodyXml)),
  });
}

/**
 * A valid OLE compound file (CFB v3, 512-byte sectors) holding the given streams, each stored in
 * regular sectors (padded to ≥ 4096 bytes so no mini stream is needed).
 */
export function makeCfb(streamNames: string[], fill = 0x20): Uint8Array {
  const SEC = 512;
  const END = 0xfffffffe, FREE = 0xffffffff, FATSECT = 0xfffffffd, NOSTREAM = 0xffffffff;
  const streamSectors = 8; // 4096 bytes each
  const nSectors = 2 + streamNames.length * streamSectors; // FAT, directory, streams
  if (nSectors > 128) throw new Error("too many streams for one FAT sector");
  const buf = new Uint8Array(SEC * (1 + nSectors));
  const dv = new DataView(buf.buffer);
  buf.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  dv.setUint16(0x18, 0x3e, true);
  dv.setUint16(0x1a, 3, true);
  dv.setUint16(0x1c, 0xfffe, true);
  dv.setUint16(0x1e, 9, true);
  dv.setUint16(0x20, 6, true);
  dv.setUint32(0x2c, 1, true); // FAT sectors
  dv.setUint32(0x30, 1, true); // first directory sector
  dv.setUint32(0x38, 4096, true);
  dv.setUint32(0x3c, END, true);
  dv.setUint32(0x40, 0, true);
  dv.setUint32(0x44, END, true);
  dv.setUint32(0x48, 0, true);
  dv.setUint32(0x4c, 0, true); // DIFAT[0] = sector 0
  for (let k = 1; k < 109; k++) dv.setUint32(0x4c + k * 4, FREE, true);
  const sectorOff = (sid: number) => SEC * (1 + sid);
  // FAT
  const fat = (sid: number, v: number) => dv.setUint32(sectorOff(0) + sid * 4, v, true);
  for (let k = 0; k < 128; k++) fat(k, FREE);
  fat(0, FATSECT);
  fat(1, END);
  streamNames.forEach((_, si) => {
    const first = 2 + si * streamSectors;
    for (let k = 0; k < streamSectors; k++) fat(first + k, k === streamSectors - 1 ? END : first + k + 1);
    buf.fill(fill, sectorOff(first), sectorOff(first) + streamSectors * SEC);
  });
  // Directory: root, then the streams chained as right siblings.
  const entry = (i: number, name: string, type: number, right: number, child: number, start: number, size: number) => {
    const off = sectorOff(1) + i * 128;
    for (let k = 0; k < name.length; k++) dv.setUint16(off + k * 2, name.charCodeAt(k), true);
    dv.setUint16(off + 64, (name.length + 1) * 2, true);
    buf[off + 66] = type;
    buf[off + 67] = 1; // black
    dv.setUint32(off + 68, NOSTREAM, true);
    dv.setUint32(off + 72, right, true);
    dv.setUint32(off + 76, child, true);
    dv.setUint32(off + 116, start, true);
    dv.setUint32(off + 120, size, true);
  };
  for (let i = 0; i < 4; i++) {
    const off = sectorOff(1) + i * 128;
    dv.setUint32(off + 68, NOSTREAM, true);
    dv.setUint32(off + 72, NOSTREAM, true);
    dv.setUint32(off + 76, NOSTREAM, true);
  }
  entry(0, "Root Entry", 5, NOSTREAM, streamNames.length ? 1 : NOSTREAM, END, 0);
  streamNames.forEach((name, si) => {
    entry(1 + si, name, 2, si + 1 < streamNames.length ? 2 + si : NOSTREAM, NOSTREAM, 2 + si * streamSectors, streamSectors * SEC);
  });
  return buf;
}

// --- Word tables with real merges --------------------------------------------------------------
//
// A table is written as a grid of its columns, one string per grid cell, with two markers:
//   "<"  this grid cell belongs to the cell on its left (w:gridSpan),
//   "^"  this grid cell continues the cell above (w:vMerge): a "^" followed by "<" markers continues a
//        cell spanning as many columns as the one above it.
// Any other string is a new cell's text ("" a blank cell, "\n" separating paragraphs). The cell above a
// "^" is written as w:vMerge w:val="restart", so the XML is what Word saves for merged cells.

export const LEFT = "<";
export const UP = "^";

/** Text split into runs where the script changes (Word writes CJK and Latin/digits in separate runs). */
function runsXml(text: string, rPr: string): string {
  const pieces = text.match(/[\u3000-\u9fff\uff00-\uffef]+|[^\u3000-\u9fff\uff00-\uffef]+/g) ?? [""];
  return pieces
    .map((p) => {
      const cjk = /[\u3000-\u9fff\uff00-\uffef]/.test(p);
      const fonts = cjk ? '<w:rFonts w:hint="eastAsia" w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/>' : '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>';
      return `<w:r><w:rPr>${fonts}${rPr}</w:rPr><w:t xml:space="preserve">${esc(p)}</w:t></w:r>`;
    })
    .join("");
}

/** A paragraph as Word writes it (paragraph properties, runs split by script); optionally centred and bold. */
export function wordParagraphXml(text: string, o: { center?: boolean; bold?: boolean; size?: number } = {}): string {
  const pPr = `<w:pPr>${o.center ? '<w:jc w:val="center"/>' : ""}<w:spacing w:line="360" w:lineRule="auto"/></w:pPr>`;
  const rPr = `${o.bold ? "<w:b/><w:bCs/>" : ""}<w:sz w:val="${o.size ?? 21}"/><w:szCs w:val="${o.size ?? 21}"/>`;
  return `<w:p>${pPr}${runsXml(text, rPr)}</w:p>`;
}

interface GridCell {
  text: string;
  col: number;
  span: number;
  vMerge: "restart" | "continue" | null;
}

/** The cells of each row of a marker grid, with their spans and vertical merges resolved. */
export function gridCells(grid: string[][]): GridCell[][] {
  const n = grid[0]?.length ?? 0;
  const rows: GridCell[][] = [];
  grid.forEach((row, ri) => {
    if (row.length !== n) throw new Error(`grid row ${ri} has ${row.length} cells, expected ${n}`);
    const cells: GridCell[] = [];
    for (let c = 0; c < n; ) {
      const t = row[c]!;
      if (t === LEFT) throw new Error(`grid row ${ri} col ${c}: "<" with no cell on its left`);
      let span = 1;
      while (c + span < n && row[c + span] === LEFT) span++;
      if (t === UP) {
        const above = rows[ri - 1]?.find((x) => x.col === c);
        if (!above || above.span !== span) throw new Error(`grid row ${ri} col ${c}: "^" under no cell of the same span`);
        if (above.vMerge === null) above.vMerge = "restart";
        cells.push({ text: "", col: c, span, vMerge: "continue" });
      } else {
        cells.push({ text: t, col: c, span, vMerge: null });
      }
      c += span;
    }
    rows.push(cells);
  });
  return rows;
}

/**
 * A Word table (w:tbl) from a marker grid: borders, a grid of column widths, w:gridSpan on spanning
 * cells and w:vMerge restart/continue on vertically merged ones.
 */
export function mergedTableXml(grid: string[][], widths?: number[]): string {
  const cells = gridCells(grid);
  const n = grid[0]?.length ?? 0;
  const w = widths ?? Array.from({ length: n }, () => Math.floor(9000 / Math.max(n, 1)));
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  const tblPr = `<w:tblPr><w:tblW w:w="${w.reduce((a, b) => a + b, 0)}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>${["top", "left", "bottom", "right", "insideH", "insideV"].map(border).join("")}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>`;
  const tblGrid = `<w:tblGrid>${w.map((x) => `<w:gridCol w:w="${x}"/>`).join("")}</w:tblGrid>`;
  const body = cells
    .map((row) => {
      const tcs = row
        .map((c) => {
          const width = w.slice(c.col, c.col + c.span).reduce((a, b) => a + b, 0);
          const tcPr = `<w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${c.span > 1 ? `<w:gridSpan w:val="${c.span}"/>` : ""}${c.vMerge === "restart" ? '<w:vMerge w:val="restart"/>' : c.vMerge === "continue" ? "<w:vMerge/>" : ""}<w:vAlign w:val="center"/></w:tcPr>`;
          const paras = c.text.split("\n").map((p) => wordParagraphXml(p, { center: p.length <= 12 })).join("");
          return `<w:tc>${tcPr}${paras}</w:tc>`;
        })
        .join("");
      return `<w:tr><w:trPr><w:jc w:val="center"/></w:trPr>${tcs}</w:tr>`;
    })
    .join("");
  return `<w:tbl>${tblPr}${tblGrid}${body}</w:tbl>`;
}

/** The section properties Word ends a body with (A4, portrait). */
export const SECT_PR = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>';
