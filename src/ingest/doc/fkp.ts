// FKPs: the formatting runs (character or paragraph properties) of byte ranges of the text, read
// from the PlcBteChpx / PlcBtePapx index and its 512-byte pages.
import { Bytes } from "./bytes.ts";
import { corrupt, truncated } from "./errors.ts";

export interface Run {
  fcStart: number;
  fcEnd: number;
  /** grpprl location in the WordDocument stream ([start, end)); start === end means none. */
  start: number;
  end: number;
}

export function readFkpRuns(wd: Bytes, table: Bytes, fcPlc: number, lcbPlc: number, papx: boolean): Run[] {
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

export function findRun(runs: Run[], fc: number): Run | null {
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
