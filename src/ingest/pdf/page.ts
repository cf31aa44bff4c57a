// Page reading: one pdf.js page → its positioned text runs and ruling lines (PageData).
import type { PDFDocumentProxy, PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import { clusterValues, mul, type PageData, type Run } from "./geometry.ts";
import type { PdfLib } from "./pdfjs.ts";
import { extractRulings } from "./rulings.ts";

export async function readPage(lib: PdfLib, doc: PDFDocumentProxy, num: number, stopAtErrors: boolean): Promise<PageData> {
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
