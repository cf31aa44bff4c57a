// Ruling lines: the page's drawing operators (pdf.js operator list) → axis-aligned horizontal and
// vertical segments (stroked lines and thin filled rectangles), merged where they touch.
import { apply, type HSeg, type Matrix, mul, type VSeg } from "./geometry.ts";
import type { PdfLib } from "./pdfjs.ts";

function isWhite(color: unknown): boolean {
  return typeof color === "string" && /^#f[c-f]f[c-f]f[c-f]$/i.test(color);
}

/** Axis-aligned stroked lines and thin filled rectangles, in viewport coordinates. */
export function extractRulings(
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
