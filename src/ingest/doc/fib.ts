// The document model: checks the container and the FIB (Word 97 or later, not encrypted), reads the
// piece table (CLX) and the main-document text, and the character and paragraph property runs.
import { IngestError } from "../blocks.ts";
import { Bytes } from "./bytes.ts";
import { Cfb, CFB_SIG } from "./cfb.ts";
import { corrupt, MSG, truncated } from "./errors.ts";
import { readFkpRuns, type Run } from "./fkp.ts";

export interface Piece {
  cpStart: number;
  cpEnd: number;
  /** Byte offset in the WordDocument stream. */
  fc: number;
  compressed: boolean;
  prm: number;
}

// Windows-1252 for the 0x80–0x9F range of compressed (8-bit) pieces.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d,
  0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,
  0x017e, 0x0178,
];

export interface DocModel {
  /** Main document text, CP 0..ccpText. */
  text: string;
  pieces: Piece[];
  wd: Bytes;
  table: Bytes;
  data: Bytes | null;
  papRuns: Run[];
  chpRuns: Run[];
  clxPrcs: { start: number; end: number }[];
}

export function readDoc(data: Uint8Array): DocModel {
  if (data.length === 0) throw new IngestError("EMPTY_FILE", MSG.empty);
  const isCfb = data.length >= 8 && CFB_SIG.every((v, i) => data[i] === v);
  if (!isCfb) {
    const head = new TextDecoder("latin1").decode(data.subarray(0, 512)).trimStart().toLowerCase();
    if (data[0] === 0x50 && data[1] === 0x4b) throw new IngestError("UNSUPPORTED_TYPE", MSG.isZip);
    if (head.startsWith("{\\rtf")) throw new IngestError("UNSUPPORTED_TYPE", MSG.isRtf);
    if (head.startsWith("<") || head.startsWith("mime-version") || head.includes("<html"))
      throw new IngestError("UNSUPPORTED_TYPE", MSG.isHtml);
    if (data.length < 8 && CFB_SIG.slice(0, data.length).every((v, i) => data[i] === v)) throw truncated();
    throw new IngestError("CORRUPT", MSG.notDoc);
  }
  if (data.length < 512) throw truncated();
  const cfb = new Cfb(data);
  const wdRaw = cfb.stream("WordDocument");
  if (!wdRaw) {
    // An encrypted .docx/.xlsx is also a compound file (EncryptionInfo + EncryptedPackage).
    if (cfb.has("EncryptedPackage") || cfb.has("EncryptionInfo")) throw new IngestError("ENCRYPTED", MSG.encrypted);
    if (cfb.has("Workbook") || cfb.has("Book")) throw new IngestError("UNSUPPORTED_TYPE", MSG.isXls);
    throw corrupt("缺少 WordDocument 数据流");
  }
  const wd = new Bytes(wdRaw);
  if (wd.length < 0x22) throw truncated();
  const wIdent = wd.u16(0);
  if (wIdent !== 0xa5ec) {
    if (wIdent === 0xa5dc) throw new IngestError("UNSUPPORTED_TYPE", MSG.word95);
    throw corrupt("文件信息块标识无效");
  }
  // Word 97 and later write nFib >= 0xC1 (0xC0 for some betas); Word 6.0 wrote 101, Word 95 104.
  const nFib = wd.u16(2);
  if (nFib < 0xc0) throw new IngestError("UNSUPPORTED_TYPE", MSG.word95);
  const flags = wd.u16(0x0a);
  if (flags & 0x0100) throw new IngestError("ENCRYPTED", MSG.encrypted);
  const tableName = flags & 0x0200 ? "1Table" : "0Table";

  // FibRgW97 / FibRgLw97 / FibRgFcLcb97.
  const csw = wd.u16(0x20);
  let p = 0x22 + csw * 2;
  if (p + 2 > wd.length) throw truncated();
  const cslw = wd.u16(p);
  const lw = p + 2;
  if (cslw < 4) throw corrupt("文件信息块长度无效");
  p = lw + cslw * 4;
  if (p + 2 > wd.length) throw truncated();
  const cbMac = wd.u32(lw);
  const ccpText = wd.i32(lw + 3 * 4);
  const cbRgFcLcb = wd.u16(p);
  const fcl = p + 2;
  if (cbRgFcLcb < 34) throw corrupt("文件信息块长度无效");
  if (fcl + cbRgFcLcb * 8 > wd.length) throw truncated();
  const fcLcb = (i: number): [number, number] => [wd.u32(fcl + i * 8), wd.u32(fcl + i * 8 + 4)];
  const [fcChpx, lcbChpx] = fcLcb(12);
  const [fcPapx, lcbPapx] = fcLcb(13);
  const [fcClx, lcbClx] = fcLcb(33);
  if (ccpText < 0) throw corrupt("正文长度无效");
  if (cbMac > wd.length) throw truncated();

  const tableRaw = cfb.stream(tableName);
  if (!tableRaw) throw corrupt(`缺少 ${tableName} 数据流`);
  const table = new Bytes(tableRaw);
  const dataRaw = cfb.stream("Data");
  const dataStream = dataRaw ? new Bytes(dataRaw) : null;
  if (lcbClx === 0) throw corrupt("缺少文本片段表");
  if (fcClx + lcbClx > table.length) throw truncated();

  // CLX: Prc* then Pcdt.
  const clxPrcs: { start: number; end: number }[] = [];
  let q = fcClx;
  const clxEnd = fcClx + lcbClx;
  let pieces: Piece[] | null = null;
  while (q < clxEnd) {
    const clxt = table.u8(q);
    if (clxt === 1) {
      if (q + 3 > clxEnd) throw corrupt("文本片段表无效");
      const cb = table.i16(q + 1);
      if (cb < 0 || q + 3 + cb > clxEnd) throw corrupt("文本片段表无效");
      clxPrcs.push({ start: q + 3, end: q + 3 + cb });
      q += 3 + cb;
    } else if (clxt === 2) {
      if (q + 5 > clxEnd) throw corrupt("文本片段表无效");
      const lcb = table.u32(q + 1);
      const start = q + 5;
      if (start + lcb > clxEnd) throw truncated();
      const n = (lcb - 4) / 12;
      if (!Number.isInteger(n) || n < 1) throw corrupt("文本片段表无效");
      pieces = [];
      for (let i = 0; i < n; i++) {
        const cpStart = table.u32(start + i * 4);
        const cpEnd = table.u32(start + (i + 1) * 4);
        const pcd = start + (n + 1) * 4 + i * 8;
        const fcRaw = table.u32(pcd + 2);
        const compressed = (fcRaw & 0x40000000) !== 0;
        const fcVal = fcRaw & 0x3fffffff;
        const fc = compressed ? fcVal / 2 : fcVal;
        if (cpEnd < cpStart) throw corrupt("文本片段表无效");
        const byteLen = (cpEnd - cpStart) * (compressed ? 1 : 2);
        if (fc + byteLen > wd.length) throw truncated();
        pieces.push({ cpStart, cpEnd, fc, compressed, prm: table.u16(pcd + 6) });
      }
      break;
    } else throw corrupt("文本片段表无效");
  }
  if (!pieces) throw corrupt("缺少文本片段表");

  // Main-document text.
  const parts: string[] = [];
  let have = 0;
  const u16 = new TextDecoder("utf-16le");
  for (const pc of pieces) {
    if (have >= ccpText) break;
    if (pc.cpStart >= ccpText) continue;
    const end = Math.min(pc.cpEnd, ccpText);
    const from = Math.max(pc.cpStart, have);
    if (from >= end) continue;
    const k0 = from - pc.cpStart;
    const k1 = end - pc.cpStart;
    if (pc.compressed) {
      const bytes = wd.b.subarray(pc.fc + k0, pc.fc + k1);
      let s = "";
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        s += String.fromCharCode(c >= 0x80 && c <= 0x9f ? CP1252_HIGH[c - 0x80]! : c);
      }
      parts.push(s);
    } else {
      parts.push(u16.decode(wd.b.subarray(pc.fc + k0 * 2, pc.fc + k1 * 2)));
    }
    have = end;
  }
  if (have < ccpText) throw corrupt("正文长度超出文本片段表");
  const text = parts.join("");

  const papRuns = readFkpRuns(wd, table, fcPapx, lcbPapx, true);
  const chpRuns = readFkpRuns(wd, table, fcChpx, lcbChpx, false);
  return { text, pieces, wd, table, data: dataStream, papRuns, chpRuns, clxPrcs };
}
