// Geometry shared by the PDF stages: text runs, ruling segments, pages and lines (all in top-down
// page coordinates, points), the tolerances that say when positions are the same, and the small
// numeric helpers (affine transforms, clustering positions, line numbers).

export interface Run {
  str: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  size: number;
  page: number;
}

export interface HSeg {
  y: number;
  x0: number;
  x1: number;
}
export interface VSeg {
  x: number;
  y0: number;
  y1: number;
}

export interface PageData {
  num: number;
  width: number;
  height: number;
  runs: Run[];
  hsegs: HSeg[];
  vsegs: VSeg[];
  /** Sorted distinct baselines, for 1-based line numbers. */
  baselines: number[];
}

export interface Line {
  runs: Run[];
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  page: number;
}

export const TOL = 2; // points: positions closer than this are the same ruling line
export const COVER = 0.5; // a border counts as drawn when segments cover at least this fraction of it

export type Matrix = [number, number, number, number, number, number];

export function mul(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0]! * m2[0]! + m1[2]! * m2[1]!,
    m1[1]! * m2[0]! + m1[3]! * m2[1]!,
    m1[0]! * m2[2]! + m1[2]! * m2[3]!,
    m1[1]! * m2[2]! + m1[3]! * m2[3]!,
    m1[0]! * m2[4]! + m1[2]! * m2[5]! + m1[4]!,
    m1[1]! * m2[4]! + m1[3]! * m2[5]! + m1[5]!,
  ];
}

export function apply(m: readonly number[], x: number, y: number): [number, number] {
  return [m[0]! * x + m[2]! * y + m[4]!, m[1]! * x + m[3]! * y + m[5]!];
}

/** Sorted cluster centres of values; values within `tol` of a cluster's running mean join it. */
export function clusterValues(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  let sum = 0;
  let cnt = 0;
  for (const v of sorted) {
    if (cnt > 0 && v - sum / cnt > tol) {
      out.push(sum / cnt);
      sum = 0;
      cnt = 0;
    }
    sum += v;
    cnt++;
  }
  if (cnt > 0) out.push(sum / cnt);
  return out;
}

function nearestIndex(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sorted[lo - 1]! - v) <= Math.abs(sorted[lo]! - v)) return lo - 1;
  return lo;
}

export function lineNumber(page: PageData, y: number): number {
  if (page.baselines.length === 0) return 1;
  return nearestIndex(page.baselines, y) + 1;
}
