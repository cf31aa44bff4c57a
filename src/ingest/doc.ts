// Word 97-2003 binary (.doc) reader.
//
// Reads the compound file (CFB) itself, then the FIB, the piece table (CLX) and the paragraph
// property FKPs (PlcBtePapx), so that table structure survives: every cell ends with \x07, every
// row ends with an extra \x07 paragraph carrying sprmPFTtp, and that row-end paragraph's PAPX holds
// the row's table properties (sprmTDefTable: cell boundaries in twips + TC80 merge flags;
// sprmTVertMerge, sprmTMerge/Split, sprmTInsert/Delete/DxaCol). Cell boundaries of all rows are
// unioned into the table's grid columns (like Word's tblGrid); vertically merged cells collapse
// into their restart cell's rowSpan.
//
// References: [MS-CFB] and [MS-DOC] (FibBase, FibRgLw97, FibRgFcLcb97, Clx/Pcdt/PlcPcd, PlcBtePapx,
// PapxFkp, ChpxFkp, Sprm, TDefTableOperand, TC80, VertMergeOperand).

import {
  IngestError,
  type Block,
  type IngestResult,
  type ParagraphBlock,
  type TableBlock,
  type TableCell,
} from "./blocks.ts";
import { symbolChar } from "./symbolFont.ts";

// ---------------------------------------------------------------------------------------------
// Errors

const MSG = {
  empty: "文件为空（0 字节）。",
  notDoc: "不是有效的 Word 97-2003（.doc）文件：缺少复合文档文件头。",
  isZip: "文件内容是 ZIP/.docx 格式而非 Word 97-2003（.doc）格式，请按 .docx 读取或更正扩展名。",
  isRtf: "文件内容是 RTF 格式而非 Word 97-2003（.doc）格式，请在 Word 中另存为 .docx 后重试。",
  isHtml: "文件内容是网页（HTML/MHT）格式而非 Word 97-2003（.doc）格式，请在 Word 中另存为 .docx 后重试。",
  isXls: "文件内容是 Excel 97-2003（.xls）工作簿而非 Word 文档。",
  word95: "不支持 Word 6.0/95 格式的 .doc 文件，请在 Word 中另存为 .docx 后重试。",
  encrypted: "文件已设置打开密码（已加密），无法读取。请在 Word 中取消密码后重试。",
  truncated: "文件不完整（已被截断），内容比文件头声明的短，可能下载或复制未完成。",
  corrupt: "文件已损坏，无法解析 Word 97-2003（.doc）结构。",
} as const;

function corrupt(detail?: string): IngestError {
  return new IngestError("CORRUPT", detail ? `${MSG.corrupt}（${detail}）` : MSG.corrupt);
}
function truncated(): IngestError {
  return new IngestError("TRUNCATED", MSG.truncated);
}

// ---------------------------------------------------------------------------------------------
// Compound File Binary reader (just enough to get root-level streams)

const CFB_SIG = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const MAXREGSECT = 0xfffffffa;

class Cfb {
  private readonly dv: DataView;
  private readonly secShift: number;
  private readonly secSize: number;
  private readonly miniSecSize: number;
  private readonly miniCutoff: number;
  private readonly fat: Uint32Array;
  private miniFat: Uint32Array | null = null;
  private miniStream: Uint8Array | null = null;
  private readonly entries: DirEntry[];
  private readonly rootChildren = new Map<string, DirEntry>();

  constructor(private readonly data: Uint8Array) {
    this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const dv = this.dv;
    this.secShift = dv.getUint16(0x1e, true);
    if (this.secShift !== 9 && this.secShift !== 12) throw corrupt("扇区大小无效");
    this.secSize = 1 << this.secShift;
    const miniShift = dv.getUint16(0x20, true);
    if (miniShift !== 6) throw corrupt("短扇区大小无效");
    this.miniSecSize = 1 << miniShift;
    // [MS-CFB] fixes the mini-stream cutoff at 4096; ignore anything else rather than trust it.
    this.miniCutoff = 4096;
    const nFat = dv.getUint32(0x2c, true);
    const firstDir = dv.getUint32(0x30, true);
    const firstDifat = dv.getUint32(0x44, true);
    const nDifat = dv.getUint32(0x48, true);
    const perSec = this.secSize / 4;
    if (nFat === 0 || nFat > ((data.length >>> this.secShift) + 2) * 2 + 16) {
      // A FAT larger than the file could ever need: either garbage or a truncated file.
      if (nFat === 0) throw corrupt("FAT 为空");
      throw truncated();
    }

    // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    const fatSecs: number[] = [];
    for (let i = 0; i < 109 && fatSecs.length < nFat; i++) fatSecs.push(dv.getUint32(0x4c + i * 4, true));
    let difat = firstDifat;
    let guard = 0;
    while (fatSecs.length < nFat) {
      if (difat >= MAXREGSECT || guard++ > nDifat + 1) throw corrupt("DIFAT 链无效");
      const off = this.sectorOffset(difat);
      for (let i = 0; i < perSec - 1 && fatSecs.length < nFat; i++) fatSecs.push(this.u32At(off + i * 4));
      difat = this.u32At(off + (perSec - 1) * 4);
    }
    this.fat = new Uint32Array(nFat * perSec);
    for (let i = 0; i < nFat; i++) {
      const s = fatSecs[i]!;
      if (s >= MAXREGSECT) throw corrupt("FAT 扇区编号无效");
      const off = this.sectorOffset(s);
      for (let j = 0; j < perSec; j++) this.fat[i * perSec + j] = this.u32At(off + j * 4);
    }

    // Directory.
    const dirBytes = this.readChain(firstDir, -1);
    this.entries = [];
    for (let off = 0; off + 128 <= dirBytes.length; off += 128) this.entries.push(parseDirEntry(dirBytes, off));
    const root = this.entries[0];
    if (!root || root.type !== 5) throw corrupt("缺少根目录项");
    // Root-level children: walk the red-black tree of the root's child.
    const stack: number[] = [root.child];
    const seen = new Set<number>();
    while (stack.length) {
      const id = stack.pop()!;
      if (id === FREESECT || id >= this.entries.length || seen.has(id)) continue;
      seen.add(id);
      const e = this.entries[id]!;
      // Compound-file names compare case-insensitively.
      const key = e.name.toLowerCase();
      if (!this.rootChildren.has(key)) this.rootChildren.set(key, e);
      stack.push(e.left, e.right);
    }
  }

  private u32At(off: number): number {
    if (off + 4 > this.data.length) return FREESECT;
    return this.dv.getUint32(off, true);
  }

  private sectorOffset(sec: number): number {
    const off = (sec + 1) * this.secSize;
    if (off >= this.data.length) throw truncated();
    return off;
  }

  /** Reads a regular-sector chain; `size` < 0 means the whole chain. */
  private readChain(start: number, size: number): Uint8Array {
    const maxSecs = this.fat.length;
    const want = size < 0 ? -1 : Math.ceil(size / this.secSize);
    const secs: number[] = [];
    let s = start;
    while (s !== ENDOFCHAIN && (want < 0 || secs.length < want)) {
      if (s >= MAXREGSECT || s >= maxSecs) {
        if (s === FREESECT && want < 0) break;
        throw corrupt("扇区链无效");
      }
      if (secs.length > maxSecs) throw corrupt("扇区链成环");
      secs.push(s);
      s = this.fat[s]!;
    }
    const total = size < 0 ? secs.length * this.secSize : size;
    if (secs.length * this.secSize < total) throw corrupt("数据流比目录声明的短");
    const out = new Uint8Array(total);
    for (let i = 0; i < secs.length; i++) {
      const off = this.sectorOffset(secs[i]!);
      const n = Math.min(this.secSize, total - i * this.secSize);
      if (n <= 0) break;
      // The file may end inside its last sector (unpadded), but not before the bytes we need.
      if (off + n > this.data.length) throw truncated();
      out.set(this.data.subarray(off, off + n), i * this.secSize);
    }
    return out;
  }

  private readMini(start: number, size: number): Uint8Array {
    if (!this.miniFat) {
      const dv = this.dv;
      const firstMiniFat = dv.getUint32(0x3c, true);
      const nMiniFat = dv.getUint32(0x40, true);
      const bytes = firstMiniFat >= MAXREGSECT ? new Uint8Array(0) : this.readChain(firstMiniFat, nMiniFat * this.secSize);
      this.miniFat = new Uint32Array(bytes.length >>> 2);
      const bdv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < this.miniFat.length; i++) this.miniFat[i] = bdv.getUint32(i * 4, true);
      const root = this.entries[0]!;
      this.miniStream = root.start >= MAXREGSECT ? new Uint8Array(0) : this.readChain(root.start, root.size);
    }
    const fat = this.miniFat;
    const ms = this.miniStream!;
    const out = new Uint8Array(size);
    let s = start;
    let pos = 0;
    let guard = 0;
    while (pos < size) {
      if (s >= MAXREGSECT || s >= fat.length || guard++ > fat.length) throw corrupt("短扇区链无效");
      const off = s * this.miniSecSize;
      const n = Math.min(this.miniSecSize, size - pos);
      if (off + n > ms.length) throw truncated();
      out.set(ms.subarray(off, off + n), pos);
      pos += n;
      s = fat[s]!;
    }
    return out;
  }

  has(name: string): boolean {
    return this.rootChildren.has(name.toLowerCase());
  }

  stream(name: string): Uint8Array | null {
    const e = this.rootChildren.get(name.toLowerCase());
    if (!e || e.type !== 2) return null;
    if (e.size === 0) return new Uint8Array(0);
    if (e.size < this.miniCutoff) return this.readMini(e.start, e.size);
    return this.readChain(e.start, e.size);
  }
}

interface DirEntry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

function parseDirEntry(b: Uint8Array, off: number): DirEntry {
  const dv = new DataView(b.buffer, b.byteOffset + off, 128);
  const nameLen = Math.min(64, dv.getUint16(64, true));
  let name = "";
  for (let i = 0; i + 2 <= nameLen; i += 2) {
    const c = dv.getUint16(i, true);
    if (c === 0) break;
    name += String.fromCharCode(c);
  }
  return {
    name,
    type: dv.getUint8(66),
    left: dv.getUint32(68, true),
    right: dv.getUint32(72, true),
    child: dv.getUint32(76, true),
    start: dv.getUint32(116, true),
    // Version 3 files: only the low 32 bits are meaningful.
    size: dv.getUint32(120, true),
  };
}

// ---------------------------------------------------------------------------------------------
// Little-endian helpers over a stream

class Bytes {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  get length(): number {
    return this.b.length;
  }
  u8(o: number): number {
    return this.b[o]!;
  }
  u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  i16(o: number): number {
    return this.dv.getInt16(o, true);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  i32(o: number): number {
    return this.dv.getInt32(o, true);
  }
}

// ---------------------------------------------------------------------------------------------
// Sprms

/** Calls `fn(sprm, operandStart, operandLength)` for each sprm of grpprl `b[start, end)`. */
function eachSprm(b: Bytes, start: number, end: number, fn: (sprm: number, op: number, len: number) => void): void {
  let p = start;
  end = Math.min(end, b.length);
  while (p + 2 <= end) {
    const sprm = b.u16(p);
    p += 2;
    let op = p;
    let len: number;
    switch (sprm >>> 13) {
      case 0:
      case 1:
        len = 1;
        break;
      case 2:
      case 4:
      case 5:
        len = 2;
        break;
      case 3:
        len = 4;
        break;
      case 7:
        len = 3;
        break;
      default: {
        // Variable length.
        if (p >= end) return;
        if (sprm === 0xd608 || sprm === 0xd606) {
          if (p + 2 > end) return;
          len = b.u16(p) + 1; // cb counts the rest plus one; the 2-byte cb itself is in the operand
        } else if (sprm === 0xc615) {
          const cb = b.u8(p);
          if (cb === 255) {
            // PChgTabsOperand with cb = 255: compute from the deletions/additions.
            let q = p + 1;
            const nDel = q < end ? b.u8(q) : 0;
            q += 1 + nDel * 4;
            const nAdd = q < end ? b.u8(q) : 0;
            q += 1 + nAdd * 3;
            len = q - p;
          } else len = cb + 1;
        } else len = b.u8(p) + 1;
      }
    }
    if (op + len > end) return;
    fn(sprm, op, len);
    p = op + len;
  }
}

// ---------------------------------------------------------------------------------------------
// Table properties

interface TapCell {
  firstMerged: boolean;
  merged: boolean;
  vertMerge: boolean;
  vertRestart: boolean;
}

interface Tap {
  /** rgdxaCenter: itcMac + 1 boundaries in twips. */
  centers: number[];
  cells: TapCell[];
}

function newTapCell(): TapCell {
  return { firstMerged: false, merged: false, vertMerge: false, vertRestart: false };
}

interface ParaProps {
  inTable: boolean;
  ttp: boolean;
  itap: number | null;
  innerCell: boolean;
  innerTtp: boolean;
  tap: Tap | null;
}

function applyPapSprms(b: Bytes, start: number, end: number, pp: ParaProps, data: Bytes | null): void {
  eachSprm(b, start, end, (sprm, op, len) => {
    switch (sprm) {
      case 0x2416: // sprmPFInTable
        pp.inTable = b.u8(op) !== 0;
        break;
      case 0x2417: // sprmPFTtp
        pp.ttp = b.u8(op) !== 0;
        break;
      case 0x6649: // sprmPItap
        pp.itap = b.i32(op);
        break;
      case 0x664a: // sprmPDtap
        pp.itap = (pp.itap ?? (pp.inTable ? 1 : 0)) + b.i32(op);
        break;
      case 0x244b: // sprmPFInnerTableCell
        pp.innerCell = b.u8(op) !== 0;
        break;
      case 0x244c: // sprmPFInnerTtp
        pp.innerTtp = b.u8(op) !== 0;
        break;
      case 0x6646: {
        // sprmPHugePapx: the real grpprl lives in the Data stream.
        if (!data) break;
        const fc = b.u32(op);
        if (fc + 2 > data.length) break;
        const cb = data.u16(fc);
        applyPapSprms(data, fc + 2, fc + 2 + cb, pp, null);
        break;
      }
      case 0xd608: {
        // sprmTDefTable
        const q = op + 2;
        const itcMac = b.u8(q);
        const lim = op + len;
        const centers: number[] = [];
        for (let i = 0; i <= itcMac && q + 1 + i * 2 + 2 <= lim; i++) centers.push(b.i16(q + 1 + i * 2));
        if (centers.length !== itcMac + 1) break;
        const cells: TapCell[] = [];
        let tp = q + 1 + (itcMac + 1) * 2;
        for (let i = 0; i < itcMac; i++, tp += 20) {
          const c = newTapCell();
          if (tp + 20 <= lim) {
            const grf = b.u16(tp);
            c.firstMerged = (grf & 0x01) !== 0;
            c.merged = (grf & 0x02) !== 0;
            c.vertMerge = (grf & 0x20) !== 0;
            c.vertRestart = (grf & 0x40) !== 0;
          }
          cells.push(c);
        }
        pp.tap = { centers, cells };
        break;
      }
      case 0xd62b: {
        // sprmTVertMerge: cb, itc, flags (0 none, 1 continue, 3 restart)
        const tap = pp.tap;
        if (!tap || len < 3) break;
        const c = tap.cells[b.u8(op + 1)];
        if (!c) break;
        const f = b.u8(op + 2);
        c.vertMerge = f === 1 || f === 3;
        c.vertRestart = f === 3;
        break;
      }
      case 0x5624: {
        // sprmTMerge: itcFirst, itcLim
        const tap = pp.tap;
        if (!tap) break;
        const first = b.u8(op);
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        for (let i = first; i < lim; i++) {
          const c = tap.cells[i]!;
          c.firstMerged = i === first;
          c.merged = i !== first;
        }
        break;
      }
      case 0x5625: {
        // sprmTSplit
        const tap = pp.tap;
        if (!tap) break;
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        for (let i = b.u8(op); i < lim; i++) {
          const c = tap.cells[i]!;
          c.firstMerged = false;
          c.merged = false;
        }
        break;
      }
      case 0x7621: {
        // sprmTInsert: itcInsert, ctc, dxaCol
        const tap = pp.tap;
        if (!tap) break;
        const at = b.u8(op);
        const ctc = b.u8(op + 1);
        const dxa = b.i16(op + 2);
        const n = tap.cells.length;
        if (at > n) {
          // Pad with zero-width cells up to `at`, then insert.
          const last = tap.centers[n]!;
          for (let i = n; i < at; i++) {
            tap.cells.push(newTapCell());
            tap.centers.push(last);
          }
        }
        const base = tap.centers[at] ?? 0;
        const newCenters: number[] = [];
        for (let i = 1; i <= ctc; i++) newCenters.push(base + i * dxa);
        for (let i = at + 1; i < tap.centers.length; i++) tap.centers[i] = tap.centers[i]! + ctc * dxa;
        tap.centers.splice(at + 1, 0, ...newCenters);
        tap.cells.splice(at, 0, ...Array.from({ length: ctc }, newTapCell));
        break;
      }
      case 0x5622: {
        // sprmTDelete: itcFirst, itcLim
        const tap = pp.tap;
        if (!tap) break;
        const first = b.u8(op);
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        if (first >= lim) break;
        tap.cells.splice(first, lim - first);
        tap.centers.splice(first + 1, lim - first);
        break;
      }
      case 0x7623: {
        // sprmTDxaCol: itcFirst, itcLim, dxaCol
        const tap = pp.tap;
        if (!tap) break;
        const first = b.u8(op);
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        const dxa = b.i16(op + 2);
        for (let i = first; i < lim; i++) {
          const shift = tap.centers[i]! + dxa - tap.centers[i + 1]!;
          for (let j = i + 1; j < tap.centers.length; j++) tap.centers[j] = tap.centers[j]! + shift;
        }
        break;
      }
      default:
        break;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// FIB, piece table, FKPs

interface Piece {
  cpStart: number;
  cpEnd: number;
  /** Byte offset in the WordDocument stream. */
  fc: number;
  compressed: boolean;
  prm: number;
}

interface Run {
  fcStart: number;
  fcEnd: number;
  /** grpprl location in the WordDocument stream ([start, end)); start === end means none. */
  start: number;
  end: number;
}

// Windows-1252 for the 0x80–0x9F range of compressed (8-bit) pieces.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d,
  0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,
  0x017e, 0x0178,
];

interface DocModel {
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

function readFkpRuns(wd: Bytes, table: Bytes, fcPlc: number, lcbPlc: number, papx: boolean): Run[] {
  const runs: Run[] = [];
  if (lcbPlc < 8) return runs;
  if (fcPlc + lcbPlc > table.length) throw truncated();
  const n = (lcbPlc - 4) / 8;
  if (!Number.isInteger(n)) throw corrupt("格式属性索引长度无效");
  const seenPages = new Set<number>();
  for (let i = 0; i < n; i++) {
    const pn = table.u32(fcPlc + (n + 1) * 4 + i * 4) & 0x3fffff;
    if (seenPages.has(pn)) continue;
    seenPages.add(pn);
    const page = pn * 512;
    if (page + 512 > wd.length) throw truncated();
    const crun = wd.u8(page + 511);
    if ((crun + 1) * 4 > 511) throw corrupt("格式属性页无效");
    for (let k = 0; k < crun; k++) {
      const fcStart = wd.u32(page + k * 4);
      const fcEnd = wd.u32(page + (k + 1) * 4);
      let start = 0;
      let end = 0;
      if (papx) {
        const bOff = wd.u8(page + (crun + 1) * 4 + k * 13) * 2;
        if (bOff !== 0 && bOff < 511) {
          let p = page + bOff;
          let cb = wd.u8(p++);
          let size: number;
          if (cb === 0) {
            cb = wd.u8(p++);
            size = 2 * cb;
          } else size = 2 * cb - 1;
          // GrpPrlAndIstd: skip the 2-byte istd.
          start = p + 2;
          end = Math.min(p + size, page + 511);
          if (end < start) end = start;
        }
      } else {
        const bOff = wd.u8(page + (crun + 1) * 4 + k) * 2;
        if (bOff !== 0 && bOff < 511) {
          const cb = wd.u8(page + bOff);
          start = page + bOff + 1;
          end = Math.min(start + cb, page + 511);
        }
      }
      runs.push({ fcStart, fcEnd, start, end });
    }
  }
  runs.sort((a, b) => a.fcStart - b.fcStart);
  return runs;
}

function findRun(runs: Run[], fc: number): Run | null {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = runs[mid]!;
    if (fc < r.fcStart) hi = mid - 1;
    else if (fc >= r.fcEnd) lo = mid + 1;
    else return r;
  }
  return null;
}

function readDoc(data: Uint8Array): DocModel {
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

// ---------------------------------------------------------------------------------------------
// Paragraph segmentation

interface RawPara {
  text: string;
  /** The terminating character: "\r", "\x07" or "\x0c" (or "" at end of text). */
  mark: string;
  props: ParaProps;
}

function pieceIndexAt(pieces: Piece[], cp: number, hint: number): number {
  if (hint < pieces.length) {
    const h = pieces[hint]!;
    if (cp >= h.cpStart && cp < h.cpEnd) return hint;
    const n = pieces[hint + 1];
    if (n && cp >= n.cpStart && cp < n.cpEnd) return hint + 1;
  }
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const pc = pieces[mid]!;
    if (cp < pc.cpStart) hi = mid - 1;
    else if (cp >= pc.cpEnd) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function fcOf(pc: Piece, cp: number): number {
  return pc.fc + (cp - pc.cpStart) * (pc.compressed ? 1 : 2);
}

/** Character-level overrides from the CHPX: deleted tracked changes (sprmCFRMarkDel) and
 * symbol characters (sprmCSymbol, e.g. Wingdings ticks and boxes). */
interface CharOverrides {
  deleted: Uint8Array | null;
  symbols: Map<number, string> | null;
}

function charOverrides(doc: DocModel): CharOverrides {
  const wd = doc.wd;
  const runs: { run: Run; del: boolean; sym: number }[] = [];
  for (const r of doc.chpRuns) {
    if (r.start === r.end) continue;
    let del = false;
    let sym = -1;
    eachSprm(wd, r.start, r.end, (sprm, op) => {
      if (sprm === 0x0800) del = wd.u8(op) === 1;
      else if (sprm === 0x6a09) sym = wd.u16(op + 2);
    });
    if (del || sym >= 0) runs.push({ run: r, del, sym });
  }
  const res: CharOverrides = { deleted: null, symbols: null };
  if (runs.length === 0) return res;
  const plain = runs.map((x) => x.run);
  const byRun = new Map(runs.map((x) => [x.run, x]));
  const n = doc.text.length;
  let hint = 0;
  for (let cp = 0; cp < n; cp++) {
    const pi = pieceIndexAt(doc.pieces, cp, hint);
    if (pi < 0) continue;
    hint = pi;
    const r = findRun(plain, fcOf(doc.pieces[pi]!, cp));
    if (!r) continue;
    const o = byRun.get(r)!;
    if (o.del) (res.deleted ??= new Uint8Array(n))[cp] = 1;
    // The symbol replaces the placeholder character (0x28 with fSpec) of its run.
    if (o.sym >= 0 && doc.text.charCodeAt(cp) === 0x28) (res.symbols ??= new Map()).set(cp, symbolChar(o.sym));
  }
  return res;
}

/** True when the paragraph-property run containing `cp` ends right after it (a real paragraph end). */
function endsPapRun(doc: DocModel, cp: number, hint: number): boolean {
  const pi = pieceIndexAt(doc.pieces, cp, hint);
  if (pi < 0) return true;
  const pc = doc.pieces[pi]!;
  const fc = fcOf(pc, cp);
  const run = findRun(doc.papRuns, fc);
  return !run || run.fcEnd === fc + (pc.compressed ? 1 : 2);
}

function paraPropsAt(doc: DocModel, markCp: number, hint: number, cache: Map<number, ParaProps>): ParaProps {
  const pi = pieceIndexAt(doc.pieces, markCp, hint);
  if (pi < 0) return emptyProps();
  const pc = doc.pieces[pi]!;
  const run = findRun(doc.papRuns, fcOf(pc, markCp));
  let pp: ParaProps;
  if (run && run.end > run.start) {
    // FKPs share one PAPX among runs with identical properties: parse each PAPX once.
    const cached = cache.get(run.start);
    if (cached) pp = cached;
    else {
      pp = emptyProps();
      applyPapSprms(doc.wd, run.start, run.end, pp, doc.data);
      cache.set(run.start, pp);
    }
  } else pp = emptyProps();
  // Piece-level property modifier (only the complex form can carry paragraph/table sprms).
  if (pc.prm & 1) {
    const prc = doc.clxPrcs[pc.prm >>> 1];
    if (prc) {
      pp = { ...pp, tap: pp.tap && { centers: pp.tap.centers.slice(), cells: pp.tap.cells.map((c) => ({ ...c })) } };
      applyPapSprms(doc.table, prc.start, prc.end, pp, doc.data);
    }
  }
  return pp;
}

function splitParagraphs(doc: DocModel): RawPara[] {
  const t = doc.text;
  const { deleted: del, symbols } = charOverrides(doc);
  const out: RawPara[] = [];
  let buf: string[] = [];
  let runStart = -1; // start of a pending run of plain characters
  // Field stack: true = in the field result (visible), false = in the field code (hidden).
  const fields: boolean[] = [];
  let hidden = 0; // number of stack entries that are in the code part
  let hint = 0;
  const propCache = new Map<number, ParaProps>();
  const flush = (i: number): void => {
    if (runStart >= 0) {
      if (hidden === 0) buf.push(t.slice(runStart, i));
      runStart = -1;
    }
  };
  const endPara = (i: number, c: number): void => {
    const pi = pieceIndexAt(doc.pieces, i, hint);
    if (pi >= 0) hint = pi;
    out.push({ text: buf.join(""), mark: String.fromCharCode(c), props: paraPropsAt(doc, i, hint, propCache) });
    buf = [];
  };
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (del && del[i] && c !== 0x0d && c !== 0x07) {
      flush(i);
      continue;
    }
    if (c >= 0x20 && c !== 0x7f) {
      const sym = symbols?.get(i);
      if (sym !== undefined) {
        flush(i);
        if (hidden === 0) buf.push(sym);
        continue;
      }
      if (runStart < 0) runStart = i;
      continue;
    }
    flush(i);
    switch (c) {
      case 0x0d:
        endPara(i, c);
        break;
      case 0x07:
        endPara(i, c);
        fields.length = 0;
        hidden = 0;
        break;
      case 0x0c:
        // Section break (ends its paragraph) or page break inside a paragraph.
        if (endsPapRun(doc, i, hint)) endPara(i, c);
        else if (hidden === 0) buf.push("\n");
        break;
      case 0x09:
        if (hidden === 0) buf.push("\t");
        break;
      case 0x0b:
      case 0x0e:
        if (hidden === 0) buf.push("\n");
        break;
      case 0x13:
        fields.push(false);
        hidden++;
        break;
      case 0x14:
        if (fields.length && fields[fields.length - 1] === false) {
          fields[fields.length - 1] = true;
          hidden--;
        }
        break;
      case 0x15:
        if (fields.length) {
          if (fields.pop() === false) hidden--;
        }
        break;
      case 0x1e:
        // Non-breaking hyphen.
        if (hidden === 0) buf.push("-");
        break;
      default:
        // 0x01 picture, 0x08 drawn object, 0x02 footnote ref, 0x05 annotation ref, 0x1f soft hyphen…
        break;
    }
  }
  flush(t.length);
  if (buf.length) {
    const last = buf.join("");
    if (last) out.push({ text: last, mark: "", props: emptyProps() });
  }
  return out;
}

function emptyProps(): ParaProps {
  return { inTable: false, ttp: false, itap: null, innerCell: false, innerTtp: false, tap: null };
}

// ---------------------------------------------------------------------------------------------
// Table assembly

interface RawRow {
  cells: string[][];
  tap: Tap | null;
}

interface Slot {
  cell: TableCell;
  left: number;
  right: number;
}

function buildTable(rows: RawRow[], index: number): TableBlock {
  // Per row: boundaries (n+1) for its n text cells.
  const rowBounds: number[][] = [];
  const rowFlags: TapCell[][] = [];
  let lastTap: Tap | null = null;
  for (const r of rows) {
    const n = r.cells.length;
    // A row without its own table properties reuses the previous row's.
    const tap = r.tap ?? lastTap;
    if (r.tap) lastTap = r.tap;
    const b: number[] = [];
    const f: TapCell[] = [];
    if (tap && tap.centers.length >= 2) {
      for (let i = 0; i <= n; i++) {
        let v = tap.centers[i];
        if (v === undefined) v = b[i - 1]! + 1;
        if (i > 0 && v <= b[i - 1]!) v = b[i - 1]! + 1; // keep boundaries increasing
        b.push(v);
      }
      for (let i = 0; i < n; i++) f.push(tap.cells[i] ?? newTapCell());
    } else {
      for (let i = 0; i <= n; i++) b.push(i);
      for (let i = 0; i < n; i++) f.push(newTapCell());
    }
    rowBounds.push(b);
    rowFlags.push(f);
  }
  const grid = [...new Set(rowBounds.flat())].sort((a, b) => a - b);
  const colOf = new Map<number, number>();
  grid.forEach((v, i) => colOf.set(v, i));
  const nCols = Math.max(1, grid.length - 1);

  const out: TableCell[][] = [];
  // Cells whose vertical merge is still open, by left boundary column.
  let prevSlots: Slot[] = [];
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r]!.cells;
    const b = rowBounds[r]!;
    const f = rowFlags[r]!;
    const rowOut: TableCell[] = [];
    const slots: Slot[] = [];
    for (let i = 0; i < cells.length; i++) {
      let paragraphs = cells[i]!;
      const left = colOf.get(b[i]!)!;
      let right = colOf.get(b[i + 1]!)!;
      const flag = f[i]!;
      // Legacy horizontal merge: fFirstMerged followed by fMerged cells form one cell.
      if (flag.firstMerged) {
        while (i + 1 < cells.length && f[i + 1]!.merged && !f[i + 1]!.firstMerged) {
          i++;
          if (cells[i]!.some((p) => p.trim() !== "")) paragraphs = [...paragraphs, ...cells[i]!];
          right = colOf.get(b[i + 1]!)!;
        }
      }
      if (flag.vertMerge && !flag.vertRestart) {
        const above = prevSlots.find((s) => s.left === left);
        if (above) {
          above.cell.rowSpan++;
          if (paragraphs.some((p) => p.trim() !== "")) {
            above.cell.paragraphs.push(...paragraphs);
            above.cell.text = above.cell.paragraphs.join("\n");
          }
          slots.push(above);
          continue;
        }
      }
      const cell: TableCell = {
        text: paragraphs.join("\n"),
        paragraphs: [...paragraphs],
        row: r,
        col: left,
        rowSpan: 1,
        colSpan: Math.max(1, right - left),
      };
      rowOut.push(cell);
      slots.push({ cell, left, right });
    }
    out.push(rowOut);
    prevSlots = slots;
  }
  return { kind: "table", index, nCols, rows: out };
}

function assemble(paras: RawPara[]): Block[] {
  const blocks: Block[] = [];
  let nTables = 0;
  let nParas = 0;
  let rows: RawRow[] | null = null;
  let rowCells: string[][] = [];
  let cellParas: string[] = [];
  // Nested table (depth >= 2) inside the current cell: folded into the cell's paragraphs,
  // one paragraph per inner row with its origin cells' texts joined by tabs.
  let innerRows: RawRow[] = [];
  let innerCells: string[][] = [];
  let innerParas: string[] = [];

  const flushInner = (): void => {
    if (innerParas.length) {
      innerCells.push(innerParas);
      innerParas = [];
    }
    if (innerCells.length) {
      innerRows.push({ cells: innerCells, tap: null });
      innerCells = [];
    }
    if (innerRows.length) {
      const t = buildTable(innerRows, -1);
      for (const r of t.rows) cellParas.push(r.map((c) => c.text).join("\t"));
      innerRows = [];
    }
  };

  const closeTable = (): void => {
    flushInner();
    if (rowCells.length || cellParas.length) {
      // Dangling cells without a row-end mark: keep them as a row.
      if (cellParas.length) rowCells.push(cellParas);
      (rows ??= []).push({ cells: rowCells, tap: null });
      rowCells = [];
      cellParas = [];
    }
    if (rows && rows.length) blocks.push(buildTable(rows, nTables++));
    rows = null;
  };

  for (const p of paras) {
    const pp = p.props;
    const depth = pp.itap ?? (pp.inTable ? 1 : 0);
    if (depth <= 0 && !(p.mark === "\x07")) {
      closeTable();
      if (p.text.trim() !== "") {
        const block: ParagraphBlock = { kind: "paragraph", index: nParas++, text: p.text };
        blocks.push(block);
      }
      continue;
    }
    rows ??= [];
    if (depth >= 2) {
      if (pp.innerTtp) {
        if (innerParas.length) {
          innerCells.push(innerParas);
          innerParas = [];
        }
        innerRows.push({ cells: innerCells, tap: pp.tap });
        innerCells = [];
      } else {
        innerParas.push(p.text);
        if (pp.innerCell || p.mark === "\x07") {
          innerCells.push(innerParas);
          innerParas = [];
        }
      }
      continue;
    }
    flushInner();
    if (pp.ttp) {
      if (cellParas.length) {
        rowCells.push(cellParas);
        cellParas = [];
      }
      rows.push({ cells: rowCells, tap: pp.tap });
      rowCells = [];
      continue;
    }
    cellParas.push(p.text);
    if (p.mark === "\x07") {
      rowCells.push(cellParas);
      cellParas = [];
    }
  }
  closeTable();
  return blocks;
}

// ---------------------------------------------------------------------------------------------

/** Reads a Word 97-2003 binary document into paragraphs and tables (with grid spans). */
export async function ingestDoc(data: Uint8Array, _file: string): Promise<IngestResult> {
  try {
    const doc = readDoc(data);
    return { format: "doc", blocks: assemble(splitParagraphs(doc)) };
  } catch (e) {
    if (e instanceof IngestError) throw e;
    // Any other failure (out-of-range read on a malformed structure, etc.) is a broken file.
    throw corrupt();
  }
}
