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
