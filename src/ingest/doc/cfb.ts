// Compound File Binary reader (just enough to get root-level streams): header, FAT and DIFAT,
// mini stream, and the root directory's children.
import { corrupt, truncated } from "./errors.ts";

export const CFB_SIG = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const MAXREGSECT = 0xfffffffa;

export class Cfb {
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
