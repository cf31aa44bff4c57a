// .pdf → blocks. Uses pdf.js (pdfjs-dist, the copy pdf-parse depends on) directly:
//  - getTextContent() gives positioned text runs;
//  - getOperatorList() gives the drawn ruling lines of table borders.
// Tables are rebuilt from the ruling lines: distinct x positions of vertical borders are grid columns,
// distinct y positions of horizontal borders are grid rows, and a cell is the area enclosed by borders
// that are actually drawn (so merged cells get their rowSpan/colSpan). A table continued on the next
// page is joined (same outer edges and columns), including rows split by the page break. Text runs go
// into the cell that contains them; wrapped lines are joined without inserting spaces between CJK
// characters and digits. Text outside tables becomes paragraphs (wrapped lines joined, lone page
// numbers and repeated running headers/footers dropped).
import { createRequire } from "node:module";
import path from "node:path";
import type { PDFDocumentProxy, PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import {
  IngestError,
  type Block,
  type IngestResult,
  type ParagraphBlock,
  type TableBlock,
  type TableCell,
} from "./blocks.ts";

type PdfLib = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

// ---------------------------------------------------------------------------------------------
// pdf.js loading: the worker code runs on the main thread (no worker thread, no worker file lookup),
// resources (CMaps, standard fonts, wasm) come from the local pdfjs-dist package, never the network.

let libPromise: Promise<{ lib: PdfLib; resources: Resources }> | undefined;

interface Resources {
  cMapUrl?: string;
  standardFontDataUrl?: string;
  wasmUrl?: string;
}

function loadPdfjs(): Promise<{ lib: PdfLib; resources: Resources }> {
  libPromise ??= (async () => {
    const lib = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const g = globalThis as { pdfjsWorker?: unknown };
    if (!g.pdfjsWorker) {
      // A variable specifier keeps TypeScript from looking for declarations of the worker module.
      const workerSpec = "pdfjs-dist/legacy/build/pdf.worker.mjs";
      g.pdfjsWorker = (await import(workerSpec)) as unknown;
    }
    const resources: Resources = {};
    try {
      const require = createRequire(import.meta.url);
      const dir = path.dirname(require.resolve("pdfjs-dist/package.json"));
      resources.cMapUrl = path.join(dir, "cmaps") + path.sep;
      resources.standardFontDataUrl = path.join(dir, "standard_fonts") + path.sep;
      resources.wasmUrl = path.join(dir, "wasm") + path.sep;
    } catch {
      // Without local resources pdf.js still reads embedded fonts, which is what text PDFs use.
    }
    return { lib, resources };
  })();
  libPromise.catch(() => {
    libPromise = undefined;
  });
  return libPromise;
}

// ---------------------------------------------------------------------------------------------
// Geometry types (all in top-down page coordinates, points).

interface Run {
  str: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  size: number;
  page: number;
}

interface HSeg {
  y: number;
  x0: number;
  x1: number;
}
interface VSeg {
  x: number;
  y0: number;
  y1: number;
}

interface PageData {
  num: number;
  width: number;
  height: number;
  runs: Run[];
  hsegs: HSeg[];
  vsegs: VSeg[];
  /** Sorted distinct baselines, for 1-based line numbers. */
  baselines: number[];
}

interface Line {
  runs: Run[];
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  page: number;
}

const TOL = 2; // points: positions closer than this are the same ruling line
const COVER = 0.5; // a border counts as drawn when segments cover at least this fraction of it

// ---------------------------------------------------------------------------------------------
// Entry point

export async function ingestPdf(data: Uint8Array, file: string): Promise<IngestResult> {
  void file;
  if (data.length === 0) throw new IngestError("EMPTY_FILE", "文件为空");
  if (!hasPdfHeader(data)) throw new IngestError("CORRUPT", "不是有效的 PDF 文件：缺少 %PDF 文件头");
  // A file that has PDF objects but lost its end (%%EOF, xref, trailer) was cut short.
  const truncated = !hasEofMarker(data) && hasObjects(data);

  let lib: PdfLib;
  let resources: Resources;
  try {
    ({ lib, resources } = await loadPdfjs());
  } catch (e) {
    throw new IngestError("READ_FAILED", `无法加载 PDF 解析组件：${errorText(e)}`);
  }

  const task = lib.getDocument({
    // pdf.js may take ownership of the buffer; give it a copy.
    data: data.slice(),
    verbosity: lib.VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    stopAtErrors: truncated,
    ...resources,
  });
  let doc: PDFDocumentProxy | undefined;
  try {
    try {
      doc = await task.promise;
    } catch (e) {
      throw mapError(e, truncated);
    }
    const pages: PageData[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      try {
        pages.push(await readPage(lib, doc, n, truncated));
      } catch (e) {
        throw mapError(e, truncated);
      }
    }
    return { format: "pdf", blocks: buildBlocks(pages) };
  } finally {
    try {
      await task.destroy();
    } catch {
      // ignore
    }
  }
}

function hasPdfHeader(data: Uint8Array): boolean {
  // The header may be preceded by some junk (up to 1024 bytes, as readers allow).
  const head = latin1(data, 0, Math.min(data.length, 1024));
  return head.includes("%PDF-");
}

function hasEofMarker(data: Uint8Array): boolean {
  const start = Math.max(0, data.length - 2048);
  return latin1(data, start, data.length).includes("%%EOF");
}

function hasObjects(data: Uint8Array): boolean {
  return /\d+\s+\d+\s+obj\b/.test(latin1(data, 0, Math.min(data.length, 64 * 1024)));
}

function latin1(data: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(data[i]!);
  return s;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function mapError(e: unknown, truncated: boolean): IngestError {
  if (e instanceof IngestError) return e;
  const name = e instanceof Error ? e.name : "";
  const msg = errorText(e);
  if (name === "PasswordException" || /password/i.test(msg)) {
    return new IngestError("ENCRYPTED", "PDF 文件已加密（需要密码），无法读取");
  }
  if (truncated) return new IngestError("TRUNCATED", "PDF 文件不完整（可能下载或复制时被截断），无法读取");
  return new IngestError("CORRUPT", "PDF 文件已损坏或格式无效，无法读取");
}

// ---------------------------------------------------------------------------------------------
// Page reading

type Matrix = [number, number, number, number, number, number];

function mul(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0]! * m2[0]! + m1[2]! * m2[1]!,
    m1[1]! * m2[0]! + m1[3]! * m2[1]!,
    m1[0]! * m2[2]! + m1[2]! * m2[3]!,
    m1[1]! * m2[2]! + m1[3]! * m2[3]!,
    m1[0]! * m2[4]! + m1[2]! * m2[5]! + m1[4]!,
    m1[1]! * m2[4]! + m1[3]! * m2[5]! + m1[5]!,
  ];
}

function apply(m: readonly number[], x: number, y: number): [number, number] {
  return [m[0]! * x + m[2]! * y + m[4]!, m[1]! * x + m[3]! * y + m[5]!];
}

async function readPage(lib: PdfLib, doc: PDFDocumentProxy, num: number, stopAtErrors: boolean): Promise<PageData> {
  const page: PDFPageProxy = await doc.getPage(num);
  try {
    const vp = page.getViewport({ scale: 1 });
    const vt = vp.transform as number[];
    const [content, opList] = await Promise.all([
      page.getTextContent(),
      // Annotations (form widgets, links) are not part of the page's own drawing. A page whose
      // drawing cannot be read still gives its text (as paragraphs).
      page.getOperatorList({ annotationMode: lib.AnnotationMode.DISABLE }).then(
        (ops) => ({ ops, error: null as unknown }),
        (error: unknown) => ({ ops: { fnArray: [] as number[], argsArray: [] as unknown[] }, error }),
      ),
    ]);
    if (opList.error && stopAtErrors) throw opList.error;
    const ops = opList.ops;

    const runs: Run[] = [];
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const str = item.str;
      if (!str || str.trim() === "") continue; // pdf.js' inserted gap spaces: spacing is decided from geometry
      const m = mul(vt, item.transform as number[]);
      const size = Math.hypot(m[2], m[3]) || Math.abs(item.height) || 10;
      const dirX = Math.hypot(m[0], m[1]) || 1;
      const ux = m[0] / dirX;
      // Upright text: advance along +x. Other orientations are kept on their start point.
      const w = item.width * Math.abs(ux);
      runs.push({ str, x0: m[4], x1: m[4] + (ux >= 0 ? w : -w), y: m[5], size, page: num });
    }
    for (const r of runs) if (r.x1 < r.x0) [r.x0, r.x1] = [r.x1, r.x0];

    const { hsegs, vsegs } = extractRulings(lib, ops, vt);
    const baselines = clusterValues(
      runs.map((r) => r.y),
      1.5,
    );
    return { num, width: vp.width, height: vp.height, runs, hsegs, vsegs, baselines };
  } finally {
    page.cleanup();
  }
}

function isWhite(color: unknown): boolean {
  return typeof color === "string" && /^#f[c-f]f[c-f]f[c-f]$/i.test(color);
}

/** Axis-aligned stroked lines and thin filled rectangles, in viewport coordinates. */
function extractRulings(
  lib: PdfLib,
  ops: { fnArray: number[]; argsArray: unknown[] },
  vt: number[],
): { hsegs: HSeg[]; vsegs: VSeg[] } {
  const OPS = lib.OPS;
  const hsegs: HSeg[] = [];
  const vsegs: VSeg[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let stroke: unknown = "#000000";
  let fill: unknown = "#000000";
  const stack: { ctm: Matrix; stroke: unknown; fill: unknown }[] = [];
  const strokeOps = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const fillOps = new Set<number>([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);

  const addLine = (ax: number, ay: number, bx: number, by: number) => {
    const [x1, y1] = apply(vt, ...apply(ctm, ax, ay));
    const [x2, y2] = apply(vt, ...apply(ctm, bx, by));
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    if (dy <= 0.5 && dx >= 0.5) hsegs.push({ y: (y1 + y2) / 2, x0: Math.min(x1, x2), x1: Math.max(x1, x2) });
    else if (dx <= 0.5 && dy >= 0.5) vsegs.push({ x: (x1 + x2) / 2, y0: Math.min(y1, y2), y1: Math.max(y1, y2) });
  };

  const n = ops.fnArray.length;
  for (let i = 0; i < n; i++) {
    const fn = ops.fnArray[i]!;
    const args = ops.argsArray[i] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push({ ctm, stroke, fill });
        break;
      case OPS.restore: {
        const s = stack.pop();
        if (s) ({ ctm, stroke, fill } = s);
        break;
      }
      case OPS.transform:
        if (args && args.length >= 6) ctm = mul(ctm, args as number[]);
        break;
      case OPS.paintFormXObjectBegin: {
        stack.push({ ctm, stroke, fill });
        const m = args?.[0];
        if (Array.isArray(m) || ArrayBuffer.isView(m)) ctm = mul(ctm, Array.from(m as ArrayLike<number>));
        break;
      }
      case OPS.paintFormXObjectEnd: {
        const s = stack.pop();
        if (s) ({ ctm, stroke, fill } = s);
        break;
      }
      case OPS.setStrokeRGBColor:
        stroke = args?.[0];
        break;
      case OPS.setFillRGBColor:
        fill = args?.[0];
        break;
      case OPS.constructPath: {
        if (!args) break;
        const paint = args[0] as number;
        const isStroke = strokeOps.has(paint);
        const isFill = fillOps.has(paint);
        if (!isStroke && !isFill) break;
        const raw = args[1] as unknown;
        const buf = (Array.isArray(raw) ? raw[0] : raw) as ArrayLike<number> | null | undefined;
        if (!buf) break;
        const subpaths = pathPoints(buf);
        if (isStroke && !isWhite(stroke)) {
          for (const pts of subpaths) {
            for (let k = 1; k < pts.length; k++) addLine(pts[k - 1]![0], pts[k - 1]![1], pts[k]![0], pts[k]![1]);
          }
        }
        if (isFill && !isWhite(fill)) {
          for (const pts of subpaths) {
            // A thin filled rectangle is a ruling line (Word and WPS draw borders this way).
            if (pts.length < 4 || pts.length > 6) continue;
            const tp = pts.map(([x, y]) => apply(vt, ...apply(ctm, x, y)));
            const xs = tp.map((p) => p[0]);
            const ys = tp.map((p) => p[1]);
            const minX = Math.min(...xs);
            const maxX = Math.max(...xs);
            const minY = Math.min(...ys);
            const maxY = Math.max(...ys);
            const axisAligned = tp.every((p) => (Math.abs(p[0] - minX) < 0.5 || Math.abs(p[0] - maxX) < 0.5) && (Math.abs(p[1] - minY) < 0.5 || Math.abs(p[1] - maxY) < 0.5));
            if (!axisAligned) continue;
            const w = maxX - minX;
            const h = maxY - minY;
            if (h <= 3 && w > h && w >= 1) hsegs.push({ y: (minY + maxY) / 2, x0: minX, x1: maxX });
            else if (w <= 3 && h > w && h >= 1) vsegs.push({ x: (minX + maxX) / 2, y0: minY, y1: maxY });
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return { hsegs: mergeH(hsegs), vsegs: mergeV(vsegs) };
}

/** Splits a pdf.js path buffer (moveTo 0, lineTo 1, curveTo 2, closePath 3) into polylines. Curves break lines. */
function pathPoints(buf: ArrayLike<number>): [number, number][][] {
  const out: [number, number][][] = [];
  let cur: [number, number][] = [];
  let start: [number, number] | null = null;
  let i = 0;
  while (i < buf.length) {
    const op = buf[i]!;
    if (op === 0) {
      if (cur.length > 1) out.push(cur);
      start = [buf[i + 1]!, buf[i + 2]!];
      cur = [start];
      i += 3;
    } else if (op === 1) {
      cur.push([buf[i + 1]!, buf[i + 2]!]);
      i += 3;
    } else if (op === 2) {
      if (cur.length > 1) out.push(cur);
      const end: [number, number] = [buf[i + 5]!, buf[i + 6]!];
      cur = [end];
      i += 7;
    } else if (op === 3) {
      if (start && cur.length > 0) {
        const last = cur[cur.length - 1]!;
        if (last[0] !== start[0] || last[1] !== start[1]) cur.push(start);
      }
      if (cur.length > 1) out.push(cur);
      cur = start ? [start] : [];
      i += 1;
    } else {
      break; // unknown op: stop reading this path
    }
  }
  if (cur.length > 1) out.push(cur);
  return out;
}

function mergeH(segs: HSeg[]): HSeg[] {
  const sorted = [...segs].sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const out: HSeg[] = [];
  // group by y
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    const y0 = sorted[i]!.y;
    while (j < sorted.length && sorted[j]!.y - y0 <= 1) j++;
    const group = sorted.slice(i, j).sort((a, b) => a.x0 - b.x0);
    const y = group.reduce((s, g) => s + g.y, 0) / group.length;
    let cur: HSeg | null = null;
    for (const g of group) {
      if (cur && g.x0 <= cur.x1 + 1) cur.x1 = Math.max(cur.x1, g.x1);
      else {
        if (cur) out.push(cur);
        cur = { y, x0: g.x0, x1: g.x1 };
      }
    }
    if (cur) out.push(cur);
    i = j;
  }
  return out;
}

function mergeV(segs: VSeg[]): VSeg[] {
  const asH = mergeH(segs.map((s) => ({ y: s.x, x0: s.y0, x1: s.y1 })));
  return asH.map((s) => ({ x: s.y, y0: s.x0, y1: s.x1 }));
}

/** Sorted cluster centres of values; values within `tol` of a cluster's running mean join it. */
function clusterValues(values: number[], tol: number): number[] {
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

function lineNumber(page: PageData, y: number): number {
  if (page.baselines.length === 0) return 1;
  return nearestIndex(page.baselines, y) + 1;
}

// ---------------------------------------------------------------------------------------------
// Table fragments (one table's part on one page)

interface Fragment {
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

function findFragments(page: PageData): Fragment[] {
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

function vDrawn(f: Fragment, x: number, y0: number, y1: number): boolean {
  const iv = f.vsegs.filter((s) => Math.abs(s.x - x) <= TOL).map((s) => [s.y0, s.y1] as [number, number]);
  return coverage(iv, y0 + 0.5, y1 - 0.5) >= COVER;
}

function hDrawn(f: Fragment, y: number, x0: number, x1: number): boolean {
  const iv = f.hsegs.filter((s) => Math.abs(s.y - y) <= TOL).map((s) => [s.x0, s.x1] as [number, number]);
  return coverage(iv, x0 + 0.5, x1 - 0.5) >= COVER;
}

// ---------------------------------------------------------------------------------------------
// Cells

interface WorkCell {
  /** Global row (within the joined table) and column. */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  lines: Line[];
  page: number;
  /** Extent of the cell's part on its first page. */
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** Extent of the part on its last page (for joins with the next page). */
  lastTop: number;
  lastBottom: number;
  lastLines: Line[];
  firstLines: Line[];
  /** Rows on the first/last page part. */
  firstRows: number;
  lastRows: number;
  dead?: boolean;
}

interface FragGrid {
  frag: Fragment;
  rowOffset: number;
  nRows: number;
  cells: WorkCell[];
  /** Top border of each column drawn on this page? */
  topDrawn: boolean[];
  bottomDrawn: boolean[];
}

function buildFragGrid(frag: Fragment, xs: number[], rowOffset: number, runs: Run[]): FragGrid {
  const ys = frag.ys;
  const nRows = ys.length - 1;
  const nCols = xs.length - 1;
  const owner: (WorkCell | null)[][] = Array.from({ length: nRows }, () => new Array<WorkCell | null>(nCols).fill(null));
  const cells: WorkCell[] = [];
  // Columns outside this fragment's extent (other pages may be wider) are left void.
  const colInside = (c: number) => (xs[c]! + xs[c + 1]!) / 2 > frag.left - TOL && (xs[c]! + xs[c + 1]!) / 2 < frag.right + TOL;
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      if (owner[r]![c] || !colInside(c)) continue;
      let cs = 1;
      while (c + cs < nCols && !owner[r]![c + cs] && colInside(c + cs) && !vDrawn(frag, xs[c + cs]!, ys[r]!, ys[r + 1]!)) cs++;
      let rs = 1;
      for (;;) {
        const rr = r + rs;
        if (rr >= nRows) break;
        let ok = true;
        for (let k = c; k < c + cs; k++) {
          if (owner[rr]![k] || hDrawn(frag, ys[rr]!, xs[k]!, xs[k + 1]!)) {
            ok = false;
            break;
          }
        }
        // the span's side borders must stay open inside, and closed at the edges is not required
        if (ok) {
          for (let k = c + 1; k < c + cs; k++) {
            if (vDrawn(frag, xs[k]!, ys[rr]!, ys[rr + 1]!)) {
              ok = false;
              break;
            }
          }
        }
        if (!ok) break;
        rs++;
      }
      const cell: WorkCell = {
        row: rowOffset + r,
        col: c,
        rowSpan: rs,
        colSpan: cs,
        lines: [],
        page: frag.page.num,
        top: ys[r]!,
        bottom: ys[r + rs]!,
        left: xs[c]!,
        right: xs[c + cs]!,
        lastTop: ys[r]!,
        lastBottom: ys[r + rs]!,
        lastLines: [],
        firstLines: [],
        firstRows: rs,
        lastRows: rs,
      };
      cells.push(cell);
      for (let i = r; i < r + rs; i++) for (let k = c; k < c + cs; k++) owner[i]![k] = cell;
    }
  }
  // text
  const byCell = new Map<WorkCell, Run[]>();
  for (const run of runs) {
    const cx = (run.x0 + run.x1) / 2;
    const cy = run.y - run.size * 0.35;
    let r = upperIndex(ys, cy);
    let c = upperIndex(xs, cx);
    r = Math.min(Math.max(r, 0), nRows - 1);
    c = Math.min(Math.max(c, 0), nCols - 1);
    let cell = owner[r]![c];
    if (!cell) {
      // text in a void slot: nearest cell of the row
      cell = owner[r]!.find((x) => x) ?? null;
    }
    if (!cell) continue;
    let list = byCell.get(cell);
    if (!list) byCell.set(cell, (list = []));
    list.push(run);
  }
  for (const cell of cells) {
    const list = byCell.get(cell) ?? [];
    cell.lines = groupLines(list);
    cell.firstLines = cell.lines;
    cell.lastLines = cell.lines;
  }
  const topDrawn: boolean[] = [];
  const bottomDrawn: boolean[] = [];
  for (let c = 0; c < nCols; c++) {
    topDrawn.push(hDrawn(frag, ys[0]!, xs[c]!, xs[c + 1]!));
    bottomDrawn.push(hDrawn(frag, ys[nRows]!, xs[c]!, xs[c + 1]!));
  }
  return { frag, rowOffset, nRows, cells, topDrawn, bottomDrawn };
}

/** Index i such that sorted[i] <= v < sorted[i+1]. */
function upperIndex(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Lines and text joining

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d\u2014\u2026\u00b7\u25a0-\u25ff\u2610-\u2612]/;

function isCjk(ch: string | undefined): boolean {
  return !!ch && CJK.test(ch);
}

function groupLines(runs: Run[]): Line[] {
  if (runs.length === 0) return [];
  const sorted = [...runs].sort((a, b) => a.page - b.page || a.y - b.y || a.x0 - b.x0);
  const lines: Run[][] = [];
  for (const r of sorted) {
    const last = lines[lines.length - 1];
    const ref = last?.[0];
    if (last && ref && ref.page === r.page && Math.abs(r.y - ref.y) <= Math.max(1.5, 0.4 * Math.min(ref.size, r.size))) last.push(r);
    else lines.push([r]);
  }
  return lines.map(makeLine);
}

function makeLine(runs: Run[]): Line {
  const sorted = [...runs].sort((a, b) => a.x0 - b.x0);
  // Text drawn twice at (almost) the same place (simulated bold, shadow) is kept once.
  const rs = sorted.filter((r, i) => !sorted.slice(Math.max(0, i - 3), i).some((q) => q.str === r.str && Math.abs(q.x0 - r.x0) < 0.3 * r.size && Math.abs(q.y - r.y) < 0.3 * r.size));
  let text = "";
  let prev: Run | null = null;
  for (const r of rs) {
    if (prev) {
      const gap = r.x0 - prev.x1;
      const size = Math.max(prev.size, r.size);
      const a = text[text.length - 1];
      const b = r.str[0];
      const cjkSide = isCjk(a) || isCjk(b);
      // CJK text has no spaces between characters; a gap between two CJK characters is layout
      // (justification, letter spacing) unless it is wide. Between CJK and Latin/digits the
      // producer's automatic spacing is about 0.2 em; a real space is wider.
      const threshold = isCjk(a) && isCjk(b) ? 1.0 * size : cjkSide ? 0.35 * size : 0.15 * size;
      if (gap > threshold && a !== " " && b !== " ") text += " ";
    }
    text += r.str;
    prev = r;
  }
  const size = rs.reduce((m, r) => Math.max(m, r.size), 0);
  return {
    runs: rs,
    text,
    x0: rs[0]!.x0,
    x1: Math.max(...rs.map((r) => r.x1)),
    y: rs.reduce((s, r) => s + r.y, 0) / rs.length,
    size,
    page: rs[0]!.page,
  };
}

/** Joins a wrapped line onto the text before it. */
function joinWrapped(a: string, b: string): string {
  const ta = a.replace(/[ \t]+$/, "");
  const tb = b.replace(/^[ \t]+/, "");
  const x = ta[ta.length - 1];
  const y = tb[0];
  if (x && y && /[A-Za-z0-9,.;:!?)\]]/.test(x) && /[A-Za-z(\[]/.test(y) && !(/[0-9]/.test(x) && /[0-9]/.test(y))) {
    return `${ta} ${tb}`;
  }
  return ta + tb;
}

/**
 * How far short of the right margin a line may end and still be wrapped: the next line's first
 * word (Latin) would not have fitted; for CJK about one character plus line-breaking rules.
 */
function wrapSlack(next: Line, size: number): number {
  const t = next.text.trimStart();
  const word = /^[A-Za-z0-9\u00c0-\u024f'’.,;:!?%()\-]+/.exec(t);
  if (word && word[0].length > 1) {
    const charW = (next.x1 - next.x0) / Math.max(1, next.text.length);
    return Math.max(1.5 * size, (word[0].length + 1) * charW + 0.5 * size);
  }
  return 1.5 * size;
}

/** Splits a cell's lines into paragraphs. */
function cellParagraphs(lines: Line[], left: number, right: number): string[] {
  if (lines.length === 0) return [];
  const pad = Math.min(8, Math.max(1, Math.min(...lines.map((l) => l.x0 - left))));
  const inner = right - pad;
  const paras: string[] = [];
  let cur = "";
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (i === 0) {
      cur = l.text;
      continue;
    }
    const p = lines[i - 1]!;
    const size = Math.max(p.size, l.size);
    const samePage = p.page === l.page;
    const pitch = l.y - p.y;
    const prevFull = p.x1 >= inner - wrapSlack(l, size);
    const bigGap = samePage && pitch > 2.2 * size;
    if (prevFull && !bigGap) cur = joinWrapped(cur, l.text);
    else {
      paras.push(cur);
      cur = l.text;
    }
  }
  paras.push(cur);
  return paras;
}

// ---------------------------------------------------------------------------------------------
// Document assembly

interface TableWork {
  frags: Fragment[];
}

interface BodyLine extends Line {
  lineNo: number;
}

function buildBlocks(pages: PageData[]): Block[] {
  // 1. fragments per page, and the text runs outside them
  const fragsByPage = keepTableFragments(pages, pages.map(findFragments));
  const bodyLinesByPage: BodyLine[][] = [];
  const runsByFrag = new Map<Fragment, Run[]>();
  pages.forEach((page, pi) => {
    const frags = fragsByPage[pi]!;
    const outside: Run[] = [];
    for (const run of page.runs) {
      const cx = (run.x0 + run.x1) / 2;
      const cy = run.y - run.size * 0.35;
      const f = frags.find((fr) => cx >= fr.left - 1 && cx <= fr.right + 1 && cy >= fr.top - 1 && cy <= fr.bottom + 1);
      if (f) {
        let list = runsByFrag.get(f);
        if (!list) runsByFrag.set(f, (list = []));
        list.push(run);
      } else outside.push(run);
    }
    bodyLinesByPage.push(groupLines(outside).map((l) => ({ ...l, lineNo: lineNumber(page, l.y) })));
  });

  // 2. drop running headers/footers and lone page numbers
  removeHeadersFooters(pages, bodyLinesByPage);

  // 3. page items in reading order, joining tables across pages
  type Item = { kind: "line"; line: BodyLine } | { kind: "frag"; frag: Fragment };
  const items: Item[] = [];
  pages.forEach((_, pi) => {
    const list: (Item & { y: number })[] = [];
    for (const l of bodyLinesByPage[pi]!) list.push({ kind: "line", line: l, y: l.y - l.size * 0.35 });
    for (const f of fragsByPage[pi]!) list.push({ kind: "frag", frag: f, y: f.top });
    list.sort((a, b) => a.y - b.y);
    items.push(...list);
  });

  const seq: ({ kind: "table"; t: TableWork } | { kind: "line"; line: BodyLine })[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === "line") {
      seq.push({ kind: "line", line: it.line });
      continue;
    }
    const last = seq[seq.length - 1];
    if (last?.kind === "table" && continues(last.t, it.frag)) {
      last.t.frags.push(it.frag);
      continue;
    }
    seq.push({ kind: "table", t: { frags: [it.frag] } });
  }

  // 4. emit blocks
  const blocks: Block[] = [];
  let tableIndex = 0;
  let paraIndex = 0;
  const rightMargins = computeRightMargins(pages, bodyLinesByPage);
  const contentBottom = computeContentBottom(pages, fragsByPage, bodyLinesByPage);
  let pending: { text: string; last: BodyLine; first: BodyLine } | null = null;
  const flush = () => {
    if (!pending) return;
    const p: ParagraphBlock = { kind: "paragraph", index: paraIndex++, text: pending.text, page: pending.first.page, line: pending.first.lineNo };
    blocks.push(p);
    pending = null;
  };
  for (const s of seq) {
    if (s.kind === "table") {
      flush();
      const tb = buildTable(s.t, runsByFrag, tableIndex, contentBottom);
      if (tb) {
        tableIndex++;
        blocks.push(tb);
      }
      continue;
    }
    const l = s.line;
    if (pending && continuesParagraph(pending.last, l, rightMargins)) {
      pending.text = joinWrapped(pending.text, l.text);
      pending.last = l;
    } else {
      flush();
      pending = { text: l.text, first: l, last: l };
    }
  }
  flush();
  return blocks;
}

/**
 * A lone box (one cell: a page border, a framed note or text box) is not a table, unless it is
 * the top of a page and continues a table that ends at the bottom of the previous page.
 */
function keepTableFragments(pages: PageData[], fragsByPage: Fragment[][]): Fragment[][] {
  const inside = (r: Run, f: Fragment) => {
    const cx = (r.x0 + r.x1) / 2;
    const cy = r.y - r.size * 0.35;
    return cx >= f.left - 1 && cx <= f.right + 1 && cy >= f.top - 1 && cy <= f.bottom + 1;
  };
  const kept: Fragment[][] = [];
  pages.forEach((page, pi) => {
    const out: Fragment[] = [];
    for (const f of fragsByPage[pi]!) {
      if (f.xs.length > 2 || f.ys.length > 2) {
        out.push(f);
        continue;
      }
      const prev = kept[pi - 1];
      const prevLast = prev?.[prev.length - 1];
      const prevPage = pages[pi - 1];
      if (!prevLast || !prevPage) continue;
      // (text in the top and bottom tenth of the page may be a running header or footer)
      const body = (r: Run, pg: PageData) => r.y > pg.height * 0.1 && r.y < pg.height * 0.9;
      const firstHere = page.runs.every((r) => inside(r, f) || r.y - r.size > f.top || !body(r, page));
      const lastThere = prevPage.runs.every((r) => inside(r, prevLast) || r.y < prevLast.bottom || !body(r, prevPage));
      const sameEdges = Math.abs(prevLast.left - f.left) <= 3 && Math.abs(prevLast.right - f.right) <= 3;
      if (firstHere && lastThere && sameEdges && out.length === 0) out.push(f);
    }
    kept.push(out);
  });
  return kept;
}

/** Per page: the lowest content (table border or text line) on any page of the same size. */
function computeContentBottom(pages: PageData[], fragsByPage: Fragment[][], linesByPage: BodyLine[][]): Map<number, number> {
  const bySize = new Map<string, number>();
  const key = (p: PageData) => `${Math.round(p.width)}x${Math.round(p.height)}`;
  pages.forEach((p, i) => {
    let b = -Infinity;
    for (const f of fragsByPage[i]!) b = Math.max(b, f.bottom);
    for (const l of linesByPage[i]!) b = Math.max(b, l.y + 0.25 * l.size);
    bySize.set(key(p), Math.max(bySize.get(key(p)) ?? -Infinity, b));
  });
  return new Map(pages.map((p) => [p.num, bySize.get(key(p)) ?? p.height]));
}

function computeRightMargins(pages: PageData[], linesByPage: BodyLine[][]): Map<number, number> {
  // Per page width: the largest right edge that at least two lines reach, among edges in the right
  // part of the page; without such lines, the left margin mirrored.
  const byWidth = new Map<number, { x1: number[]; minX0: number }>();
  pages.forEach((p, i) => {
    const key = Math.round(p.width);
    let g = byWidth.get(key);
    if (!g) byWidth.set(key, (g = { x1: [], minX0: Infinity }));
    for (const l of linesByPage[i]!) {
      g.x1.push(l.x1);
      g.minX0 = Math.min(g.minX0, l.x0);
    }
  });
  const out = new Map<number, number>();
  for (const [w, g] of byWidth) {
    const sorted = g.x1.filter((x) => x >= 0.6 * w).sort((a, b) => b - a);
    let margin = Number.isFinite(g.minX0) && g.minX0 < 0.4 * w ? w - g.minX0 : 0.9 * w;
    // sorted descending: the first value with another line ending within 3 pt of it
    for (let i = 0; i + 1 < sorted.length; i++) {
      if (sorted[i]! - sorted[i + 1]! <= 3) {
        margin = sorted[i]!;
        break;
      }
    }
    out.set(w, margin);
  }
  return new Map(pages.map((p) => [p.num, out.get(Math.round(p.width)) ?? p.width]));
}

const LIST_START = /^\s*(第[一二三四五六七八九十百零〇\d]+[章节条部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、．]|\d+\.(?!\d)|附件\s*\d*\s*$|注[:：])/;

function continuesParagraph(prev: BodyLine, next: BodyLine, margins: Map<number, number>): boolean {
  const size = prev.size;
  if (Math.abs(next.size - size) > 0.6) return false;
  const margin = margins.get(prev.page) ?? Infinity;
  if (prev.x1 < margin - wrapSlack(next, size)) return false;
  if (next.x0 > prev.x0 + 0.5 * size && next.page === prev.page) return false;
  if (LIST_START.test(next.text)) return false;
  if (next.page === prev.page) {
    const pitch = next.y - prev.y;
    if (pitch <= 0 || pitch > 2.6 * size) return false;
  } else if (next.page !== prev.page + 1) return false;
  return true;
}

function removeHeadersFooters(pages: PageData[], linesByPage: BodyLine[][]): void {
  const PAGE_NO = /^\s*([-–—－]\s*)?(第\s*)?[0-9０-９]+\s*(页)?\s*([/／]\s*(共\s*)?[0-9０-９]+\s*页?|共\s*[0-9０-９]+\s*页)?\s*([-–—－])?\s*$|^\s*(page\s*)?\d+\s*(of\s*\d+)?\s*$/i;
  const marginZone = (page: PageData, y: number) => y < page.height * 0.1 || y > page.height * 0.9;
  // repeated lines at the same position on many pages
  const counts = new Map<string, number>();
  const keyOf = (l: BodyLine) => `${l.text.replace(/\s+/g, "").replace(/[0-9０-９]+/g, "#")}@${Math.round(l.y / 4)}`;
  pages.forEach((page, i) => {
    const seen = new Set<string>();
    for (const l of linesByPage[i]!) {
      if (!marginZone(page, l.y)) continue;
      const k = keyOf(l);
      if (seen.has(k)) continue;
      seen.add(k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  });
  const minRepeat = Math.max(3, Math.ceil(pages.length * 0.5));
  pages.forEach((page, i) => {
    const lines = linesByPage[i]!;
    linesByPage[i] = lines.filter((l, idx) => {
      const inZone = marginZone(page, l.y);
      if (inZone && (PAGE_NO.test(l.text) || /^\s*[ivxlcdm]{1,6}\s*$/i.test(l.text))) return false;
      // a lone number as the very last or first line of a page, below/above everything else
      if (PAGE_NO.test(l.text) && (idx === lines.length - 1 || idx === 0) && (l.y > page.height * 0.8 || l.y < page.height * 0.15)) return false;
      if (inZone && pages.length >= 3 && (counts.get(keyOf(l)) ?? 0) >= minRepeat) return false;
      return true;
    });
  });
}

/** Is `next` (first table fragment on its page) the continuation of table `t`? */
function continues(t: TableWork, next: Fragment): boolean {
  const last = t.frags[t.frags.length - 1]!;
  if (next.page.num !== last.page.num + 1) return false;
  if (Math.abs(next.left - last.left) > 3 || Math.abs(next.right - last.right) > 3) return false;
  // columns: most inner boundaries of the new part exist in the table already
  const known = clusterValues(
    t.frags.flatMap((f) => f.xs.slice(1, -1)),
    TOL,
  );
  const inner = next.xs.slice(1, -1);
  if (inner.length > 0 && known.length > 0) {
    const matched = inner.filter((x) => known.some((k) => Math.abs(k - x) <= TOL)).length;
    if (matched < Math.min(inner.length, known.length) * 0.5) return false;
  }
  return true;
}

function buildTable(t: TableWork, runsByFrag: Map<Fragment, Run[]>, index: number, contentBottom: Map<number, number>): TableBlock | null {
  const xs = clusterValues(
    t.frags.flatMap((f) => f.xs),
    TOL,
  );
  const nCols = xs.length - 1;
  if (nCols < 1) return null;
  let rowOffset = 0;
  const all = new Set<WorkCell>();
  let prevGrid: FragGrid | null = null;
  let headerRows: string[][] | null = null;
  for (const frag of t.frags) {
    let grid = buildFragGrid(frag, xs, rowOffset, runsByFrag.get(frag) ?? []);
    if (prevGrid && headerRows) {
      // Header rows repeated on the continuation page (Word's "repeat as header row") are dropped.
      for (const header of headerRows) {
        const first = rowTexts(grid, grid.rowOffset);
        if (grid.nRows <= 1 || header.every((t) => t.endsWith(":")) || first.join("|") !== header.join("|")) break;
        grid = dropFirstRow(grid, xs);
      }
    }
    if (prevGrid) {
      const { split, mergedInto } = joinGrids(prevGrid, grid, contentBottom.get(prevGrid.frag.page.num) ?? Infinity);
      if (split) {
        // the first row of the new page is the last row of the previous one
        for (const c of grid.cells) if (!c.dead) c.row -= 1;
        grid.rowOffset -= 1;
      }
      grid.cells = grid.cells.map((c) => mergedInto.get(c) ?? c);
    } else {
      headerRows = [0, 1, 2].filter((r) => r < grid.nRows).map((r) => rowTexts(grid, r));
    }
    for (const c of grid.cells) if (!c.dead) all.add(c);
    rowOffset = grid.rowOffset + grid.nRows;
    prevGrid = grid;
  }
  const cells = [...all].filter((c) => !c.dead);
  // Drop rows that no cell starts in (all slots covered from above).
  const used = new Set(cells.map((c) => c.row));
  const maxRow = Math.max(...cells.map((c) => c.row + c.rowSpan));
  const remap: number[] = [];
  let k = 0;
  for (let r = 0; r <= maxRow; r++) {
    remap.push(k);
    if (used.has(r)) k++;
  }
  const nRows = k;
  const rows: TableCell[][] = Array.from({ length: nRows }, () => []);
  for (const c of cells) {
    const r0 = remap[c.row]!;
    const r1 = remap[c.row + c.rowSpan]!;
    const paragraphs = cellParagraphs(c.lines, c.left, c.right);
    const first = c.lines[0];
    const cell: TableCell = {
      text: paragraphs.join("\n"),
      paragraphs,
      row: r0,
      col: c.col,
      rowSpan: Math.max(1, r1 - r0),
      colSpan: c.colSpan,
      page: first ? first.page : c.page,
    };
    if (first) {
      const page = t.frags.find((f) => f.page.num === first.page)?.page;
      if (page) cell.line = lineNumber(page, first.y);
    }
    rows[r0]!.push(cell);
  }
  for (const r of rows) r.sort((a, b) => a.col - b.col);
  // Drop columns that no cell starts in (never separated anywhere in the table).
  const colUsed = new Set(cells.map((c) => c.col));
  const colMap: number[] = [];
  let kc = 0;
  for (let c = 0; c <= nCols; c++) {
    colMap.push(kc);
    if (colUsed.has(c)) kc++;
  }
  for (const r of rows) {
    for (const cell of r) {
      const c0 = colMap[cell.col]!;
      const c1 = colMap[cell.col + cell.colSpan]!;
      cell.col = c0;
      cell.colSpan = Math.max(1, c1 - c0);
    }
  }
  return { kind: "table", index, nCols: kc, rows, page: t.frags[0]!.page.num };
}

function rowTexts(grid: FragGrid, row: number): string[] {
  return grid.cells
    .filter((c) => c.row === row)
    .sort((a, b) => a.col - b.col)
    .map((c) => `${c.col}:${c.colSpan}:${c.lines.map((l) => l.text).join("").replace(/\s+/g, "")}`);
}

function dropFirstRow(grid: FragGrid, xs: number[]): FragGrid {
  const r0 = grid.rowOffset;
  const cells: WorkCell[] = [];
  for (const c of grid.cells) {
    if (c.row === r0 && c.rowSpan === 1) continue;
    if (c.row === r0) {
      // a cell spanning down from the dropped row now starts one row lower
      c.rowSpan -= 1;
      c.firstRows -= 1;
      c.lastRows -= 1;
    } else c.row -= 1;
    cells.push(c);
  }
  const ys = grid.frag.ys.slice(1);
  const frag: Fragment = { ...grid.frag, ys, top: ys[0]! };
  for (const c of cells) {
    if (c.top < frag.top) c.top = c.lastTop = frag.top;
    c.firstLines = c.firstLines.filter((l) => l.y > frag.top);
    c.lines = c.lines.filter((l) => l.page !== frag.page.num || l.y > frag.top);
    c.lastLines = c.firstLines;
  }
  const topDrawn: boolean[] = [];
  for (let c = 0; c < xs.length - 1; c++) topDrawn.push(hDrawn(frag, ys[0]!, xs[c]!, xs[c + 1]!));
  return { ...grid, frag, nRows: grid.nRows - 1, cells, topDrawn };
}

function hasText(lines: Line[]): boolean {
  return lines.some((l) => l.text.trim() !== "");
}

/** Text block placement in a cell part: top-aligned, centred or bottom-aligned = looks complete. */
function looksStandalone(lines: Line[], top: number, bottom: number): boolean {
  if (lines.length === 0) return true;
  const size = Math.max(...lines.map((l) => l.size));
  const textTop = Math.min(...lines.map((l) => l.y - l.size * 0.9));
  const textBottom = Math.max(...lines.map((l) => l.y + l.size * 0.25));
  const gapTop = textTop - top;
  const gapBottom = bottom - textBottom;
  const slack = Math.max(4, 0.8 * size);
  if (gapTop <= 6 + 0.6 * size) return true;
  if (Math.abs(gapTop - gapBottom) <= slack) return true;
  if (gapBottom <= 6 + 0.6 * size) return true;
  // e.g. a vertical label whose characters are spread over a tall merged cell
  return false;
}

/**
 * Joins the cells across a page boundary: cells of `b`'s first row that continue a cell of `a`'s
 * last row (same columns) are merged into it. `split` is true when the two rows are one row split
 * by the page break (then every pair is merged and `b`'s rows move up by one).
 */
function joinGrids(a: FragGrid, b: FragGrid, contentBottom: number): { split: boolean; mergedInto: Map<WorkCell, WorkCell> } {
  const mergedInto = new Map<WorkCell, WorkCell>();
  const aLast = a.rowOffset + a.nRows - 1;
  const bottoms = a.cells.filter((c) => !c.dead && c.row + c.rowSpan - 1 === aLast);
  const tops = b.cells.filter((c) => !c.dead && c.row === b.rowOffset);
  const pairs: { up: WorkCell; down: WorkCell }[] = [];
  for (const down of tops) {
    const up = bottoms.find((u) => u.col === down.col && u.colSpan === down.colSpan);
    if (up) pairs.push({ up, down });
  }
  // Split row: some cell's text runs to the bottom of page A with a full (wrapped) last line and
  // continues at the very top of page B; or the borders between the parts are not drawn.
  let split = false;
  const allPaired = pairs.length > 0 && pairs.length === tops.length && pairs.length === bottoms.length;
  if (allPaired) {
    const openBorders = pairs.every((p) => !b.topDrawn[p.down.col] || !a.bottomDrawn[p.up.col]);
    const textFlows = pairs.some((p) => textContinues(p.up, p.down));
    // In a split row only the longest cells overflow onto the next page: the lower part has text in
    // some, not all, of the columns that have text above (a new row usually fills its own columns).
    // (Merged cells reaching over the boundary place their text independently of the split.)
    const rowPairs = pairs.filter((p) => p.up.lastRows === 1 && p.down.firstRows === 1);
    const upCols = rowPairs.filter((p) => hasText(p.up.lastLines)).map((p) => p.up.col);
    const downCols = rowPairs.filter((p) => hasText(p.down.firstLines)).map((p) => p.down.col);
    const overflowShape = downCols.length > 0 && downCols.length < upCols.length && downCols.every((c) => upCols.includes(c));
    // Without a wrapped line to show it (the break fell between two paragraphs of a cell), the
    // overflow shape is trusted when page A's part ends at the bottom of the text area and every
    // continuing text sits at the top of page B's part.
    const atPageEnd = a.frag.bottom >= contentBottom - 6;
    const downAtTop = rowPairs.every((p) => !hasText(p.down.firstLines) || p.down.firstLines[0]!.y - p.down.top <= 1.5 * p.down.firstLines[0]!.size + 6);
    split = openBorders || (overflowShape && (textFlows || (atPageEnd && downAtTop)));
  }
  for (const { up, down } of pairs) {
    let merge: boolean;
    if (split) merge = true;
    else if (!b.topDrawn[down.col] || !a.bottomDrawn[up.col]) merge = true;
    else {
      const upText = hasText(up.lastLines);
      const downText = hasText(down.firstLines);
      const multi = up.lastRows > 1 || down.firstRows > 1;
      // A merged cell continuing over the break has its text on one side (vertically centred
      // labels) or is spread over both parts (vertical labels, one character per line).
      if (!downText || !upText) merge = multi;
      else
        merge =
          up.lastRows > 1 &&
          down.firstRows > 1 &&
          (!looksStandalone(up.lastLines, up.lastTop, up.lastBottom) || !looksStandalone(down.firstLines, down.top, down.bottom));
    }
    if (!merge) continue;
    down.dead = true;
    const extra = split ? down.rowSpan - 1 : down.rowSpan;
    up.rowSpan += extra;
    up.lines = [...up.lines, ...down.lines];
    up.lastLines = down.lines;
    up.lastTop = down.top;
    up.lastBottom = down.bottom;
    up.lastRows = down.rowSpan;
    mergedInto.set(down, up);
  }
  return { split, mergedInto };
}

function textContinues(up: WorkCell, down: WorkCell): boolean {
  const ul = up.lastLines;
  const dl = down.firstLines;
  if (ul.length === 0 || dl.length === 0) return false;
  const last = ul[ul.length - 1]!;
  const first = dl[0]!;
  const size = last.size;
  // last line of the upper part reaches the cell's right side (a wrapped line) ...
  const pad = Math.min(8, Math.max(1, Math.min(...ul.map((l) => l.x0 - up.left))));
  // (wide cells: line-breaking rules can leave a line a character or two short)
  const widthChars = (up.right - up.left - 2 * pad) / size;
  const full = last.x1 >= up.right - pad - (widthChars >= 15 ? 2.5 : 1.5) * size;
  // ... and sits at the bottom of the part (no room for one more line), and the lower part
  // starts at its top
  const prev = ul[ul.length - 2];
  const pitch = prev && prev.page === last.page ? last.y - prev.y : 1.5 * size;
  const nearBottom = up.lastBottom - last.y <= Math.max(pitch, 1.2 * size) + 0.6 * size + 6;
  const nearTop = first.y - down.top <= first.size + 6 + 0.5 * first.size;
  return full && nearBottom && nearTop;
}
