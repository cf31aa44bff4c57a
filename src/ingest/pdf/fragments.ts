// Table fragments (one table's part on one page): connected groups of ruling segments, with the
// column and row boundaries they draw, and whether a border between two grid lines is drawn.
import { clusterValues, COVER, type HSeg, type PageData, TOL, type VSeg } from "./geometry.ts";

export interface Fragment {
  page: PageData;
  hsegs: HSeg[];
  vsegs: VSeg[];
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Column boundaries seen on this page (x of vertical rulings and outer edges). */
  xs: number[];
  /** Row boundaries on this page. */
  ys: number[];
}

export function findFragments(page: PageData): Fragment[] {
  const H = page.hsegs;
  const V = page.vsegs;
  const n = H.length + V.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  };
  for (let i = 0; i < H.length; i++) {
    const h = H[i]!;
    for (let j = 0; j < V.length; j++) {
      const v = V[j]!;
      if (v.x >= h.x0 - TOL && v.x <= h.x1 + TOL && h.y >= v.y0 - TOL && h.y <= v.y1 + TOL) union(i, H.length + j);
    }
  }
  const groups = new Map<number, { h: HSeg[]; v: VSeg[] }>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { h: [], v: [] }));
    if (i < H.length) g.h.push(H[i]!);
    else g.v.push(V[i - H.length]!);
  }
  const frags: Fragment[] = [];
  for (const g of groups.values()) {
    if (g.h.length === 0 || g.v.length === 0) continue;
    const left = Math.min(...g.h.map((s) => s.x0), ...g.v.map((s) => s.x));
    const right = Math.max(...g.h.map((s) => s.x1), ...g.v.map((s) => s.x));
    const top = Math.min(...g.v.map((s) => s.y0), ...g.h.map((s) => s.y));
    const bottom = Math.max(...g.v.map((s) => s.y1), ...g.h.map((s) => s.y));
    const xs = clusterValues([left, right, ...g.v.map((s) => s.x)], TOL);
    const ys = clusterValues([top, bottom, ...g.h.map((s) => s.y)], TOL);
    if (xs.length < 2 || ys.length < 2) continue;
    if (right - left < 10 || bottom - top < 5) continue;
    frags.push({ page, hsegs: g.h, vsegs: g.v, left, right, top, bottom, xs, ys });
  }
  frags.sort((a, b) => a.top - b.top || a.left - b.left);
  return frags;
}

function coverage(intervals: [number, number][], a: number, b: number): number {
  if (b <= a) return 1;
  const clipped = intervals
    .map(([s, e]) => [Math.max(s, a), Math.min(e, b)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((p, q) => p[0] - q[0]);
  let total = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const [s, e] of clipped) {
    if (s > curE) {
      if (curE > curS) total += curE - curS;
      curS = s;
      curE = e;
    } else curE = Math.max(curE, e);
  }
  if (curE > curS) total += curE - curS;
  return total / (b - a);
}

export function vDrawn(f: Fragment, x: number, y0: number, y1: number): boolean {
  const iv = f.vsegs.filter((s) => Math.abs(s.x - x) <= TOL).map((s) => [s.y0, s.y1] as [number, number]);
  return coverage(iv, y0 + 0.5, y1 - 0.5) >= COVER;
}

export function hDrawn(f: Fragment, y: number, x0: number, x1: number): boolean {
  const iv = f.hsegs.filter((s) => Math.abs(s.y - y) <= TOL).map((s) => [s.x0, s.x1] as [number, number]);
  return coverage(iv, x0 + 0.5, x1 - 0.5) >= COVER;
}
