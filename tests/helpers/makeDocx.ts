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

/** A minimal OLE compound file whose directory names the given streams (enough for format sniffing). */
export function makeCfb(streamNames: string[]): Uint8Array {
  const buf = new Uint8Array(512 + 512 * 2);
  buf.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  const names = ["Root Entry", ...streamNames];
  names.forEach((name, i) => {
    const off = 1024 + i * 128;
    if (off + 128 > buf.length) return;
    for (let k = 0; k < name.length && k < 31; k++) buf[off + k * 2] = name.charCodeAt(k);
    buf[off + 64] = (name.length + 1) * 2;
    buf[off + 66] = i === 0 ? 5 : 2;
  });
  return buf;
}
