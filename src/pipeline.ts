// bytes of one file → FileResult (documents or a typed error). Pure over its input; the CLI and the
// server do the file and HTTP I/O around it.
import type { FileResult, PerfDoc, SheetInfo } from "./domain/document.ts";
import { IngestError, type IngestResult, type TableBlock } from "./ingest/blocks.ts";
import type { Finding } from "./domain/finding.ts";
import type { Llm } from "./llm/client.ts";
import { fillWithLlm, unresolvedPaths } from "./extract/llmFallback.ts";
import { recognizeReport } from "./extract/report.ts";
import { recognizeSelfEval } from "./extract/selfEval.ts";
import type { ParagraphBlock } from "./ingest/blocks.ts";
import type { SelfEvalDoc } from "./domain/document.ts";
import { ingest, type IngestOptions } from "./ingest/index.ts";
import { recognize } from "./extract/index.ts";

export interface ExtractOptions extends IngestOptions {
  /** When given, tables the recognizer could not map completely are completed by the LLM (grounded). */
  llm?: Llm | null;
}

export interface LlmFallbackReport {
  filled: { document: number; path: string }[];
  findings: Finding[];
  promptVersion: string | null;
  /** Why the fallback could not run (endpoint down…); the deterministic result stands. */
  error: string | null;
}

export async function extractBuffer(data: Uint8Array, file: string, opts: ExtractOptions = {}): Promise<FileResult & { llm?: LlmFallbackReport }> {
  let ing: IngestResult;
  try {
    ing = await ingest(data, file, opts);
  } catch (e) {
    return { file, format: null, documents: [], error: toFileError(e, file) };
  }
  let documents: PerfDoc[];
  try {
    documents = recognize(ing.blocks, file);
  } catch (e) {
    return { file, format: ing.format, documents: [], error: toFileError(e, file) };
  }
  const sheets = ing.sheets ? sheetList(ing.sheets, documents) : undefined;
  if (documents.length === 0 && opts.llm) {
    // No table at all, but a free-text 自评报告: the model reads the project and funds from its prose,
    // and every value must be found in that text.
    const fromReport = await reportOnly(ing, file, opts.llm);
    if (fromReport) return { file, format: ing.format, documents: [fromReport.doc], error: null, llm: fromReport.report };
  }
  if (documents.length === 0) {
    return {
      file,
      format: ing.format,
      documents,
      error: {
        code: "NOT_PERFORMANCE_DOC",
        message: `${file}：未找到项目支出绩效自评表或绩效目标申报表（需要含“项目名称”“年初预算数”“三级指标”等表头的表格）`,
      },
    };
  }
  if (opts.llm) {
    const report: LlmFallbackReport = { filled: [], findings: [], promptVersion: null, error: null };
    for (const [i, d] of documents.entries()) {
      if (d.kind !== "自评表" || unresolvedPaths(d).length === 0) continue;
      const t = d.provenance.table?.table;
      const table = ing.blocks.find((b): b is TableBlock => b.kind === "table" && b.index === t);
      if (!table) continue;
      let r;
      try {
        r = await fillWithLlm(d, i, table, opts.llm);
      } catch (e) {
        // The model is optional: its failure leaves the deterministic extraction as it was.
        report.error = `大模型补提取未完成：${(e as Error).message}`;
        break;
      }
      documents[i] = r.doc;
      report.filled.push(...r.filled.map((path) => ({ document: i, path })));
      report.findings.push(...r.findings);
      report.promptVersion = r.promptVersion ?? report.promptVersion;
    }
    return { file, format: ing.format, documents, error: null, ...(sheets ? { sheets } : {}), llm: report };
  }
  return { file, format: ing.format, documents, error: null, ...(sheets ? { sheets } : {}) };
}

/** The sheet a document was read from (workbooks). */
export function sheetOfDocument(d: PerfDoc): string | undefined {
  if (d.kind === "自评表") return d.provenance.table?.sheet;
  return d.provenance.tables[0]?.sheet;
}

function sheetList(sheets: NonNullable<IngestResult["sheets"]>, documents: PerfDoc[]): SheetInfo[] {
  return sheets.map((s) => ({
    ...s,
    documents: documents.flatMap((d, i) => (sheetOfDocument(d) === s.name ? [i] : [])),
  }));
}

async function reportOnly(ing: IngestResult, file: string, llm: Llm): Promise<{ doc: SelfEvalDoc; report: LlmFallbackReport } | null> {
  const paras = ing.blocks.filter((b): b is ParagraphBlock => b.kind === "paragraph");
  const rep = recognizeReport(paras, file);
  if (!rep || rep.report.sections.length < 2) return null;
  const doc = recognizeSelfEval([], { file, year: null, unit: null });
  doc.report = rep.report;
  doc.provenance.report = rep.prov;
  // The project's name is the report's title without the document type.
  const name = rep.report.title.replace(/(专项资金|项目支出|项目)?(绩效)?(自评|评价)报告$/, "");
  if (name) {
    doc.name = name;
    doc.provenance.name = rep.prov.title;
  }
  const text = [rep.report.title, ...rep.report.sections.flatMap((s) => [s.heading, s.text])].join("\n");
  const report: LlmFallbackReport = { filled: [], findings: [], promptVersion: null, error: null };
  try {
    const r = await fillWithLlm(doc, 0, text, llm);
    report.filled = r.filled.map((path) => ({ document: 0, path }));
    report.findings = r.findings;
    report.promptVersion = r.promptVersion;
    return { doc: r.doc, report };
  } catch (e) {
    report.error = `大模型补提取未完成：${(e as Error).message}`;
    return { doc, report };
  }
}

export function toFileError(e: unknown, file: string): { code: string; message: string } {
  if (e instanceof IngestError) return { code: e.code, message: `${file}：${e.message}` };
  // An unexpected failure inside a reader is still the file's problem for the user: name it, no stack.
  const detail = e instanceof Error ? e.message : String(e);
  return { code: "READ_FAILED", message: `${file}：读取失败，文件可能已损坏或格式异常（${detail.slice(0, 200)}）` };
}
