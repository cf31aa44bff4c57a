// pdf.js loading: the worker code runs on the main thread (no worker thread, no worker file lookup),
// resources (CMaps, standard fonts, wasm) come from the local pdfjs-dist package, never the network.
import { createRequire } from "node:module";
import path from "node:path";

export type PdfLib = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

let libPromise: Promise<{ lib: PdfLib; resources: Resources }> | undefined;

export interface Resources {
  cMapUrl?: string;
  standardFontDataUrl?: string;
  wasmUrl?: string;
}

export function loadPdfjs(): Promise<{ lib: PdfLib; resources: Resources }> {
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
