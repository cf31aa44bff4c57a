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
//
// This file is the entry point: it checks the bytes, loads pdf.js (pdfjs.ts), reads every page
// (page.ts, with rulings.ts for the drawn lines) and hands the pages to assemble.ts, which finds
// table fragments (fragments.ts), their cells (cells.ts), joins tables across pages (tables.ts,
// pageBreaks.ts) and joins text lines into paragraphs (lines.ts, body.ts). Shared geometry types
// and helpers are in geometry.ts.
import type { PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import { IngestError, type IngestResult } from "../blocks.ts";
import { buildBlocks } from "./assemble.ts";
import type { PageData } from "./geometry.ts";
import { readPage } from "./page.ts";
import { loadPdfjs, type PdfLib, type Resources } from "./pdfjs.ts";

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
