// bytes of one file → FileResult (documents or a typed error). Pure over its input; the CLI and the
// server do the file and HTTP I/O around it.
import type { FileResult, PerfDoc, SheetInfo } from "./domain/document.ts";
import { IngestError, type IngestResult, type TableBlock } from "./ingest/blocks.ts";
import type { Finding } from "./domain/finding.ts";
import type { Llm } from "./llm/index.ts";
import { fillWithLlm, unresolvedPaths } from "./llmFallback.ts";
import { recognizeReport } from "./extract/report.ts";
import { recognizeSelfEval } from "./extract/selfEval.ts";
import type { ParagraphBlock } from "./ingest/blocks.ts";
import { ingest, type IngestOptions } from "./ingest/index.ts";
import { recognizeRebuilt } from "./extract/index.ts";
import { rebuildBlocks } from "./extract/rebuild/index.ts";
import { emptyTargetForm } from "./extract/targetForm.ts";
import { emptyDept } from "./extract/dept.ts";
import { paraProvOf } from "./extract/rows.ts";
import { formWordsIn, titleKindOf } from "./domain/vocabulary.ts";

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
  // The rebuilt blocks (pasted rows under their headers, text runs turned into tables) are what the
  // documents' provenance points at, so the LLM fallback is given those tables.
  let blocks = ing.blocks;
  try {
    blocks = rebuildBlocks(ing.blocks);
    documents = recognizeRebuilt(blocks, file);
  } catch (e) {
    return { file, format: ing.format, documents: [], error: toFileError(e, file) };
  }
  const sheets = ing.sheets ? sheetList(ing.sheets, documents) : undefined;
  if (documents.length === 0 && opts.llm) {
    // No table at all, but a free-text 自评报告, or text that names a form the rules could not rebuild:
    // the model reads the project, funds and indicators from it, and every value must be found there.
    const fromText = (await reportOnly(ing, file, opts.llm)) ?? (await formText(ing, file, opts.llm));
    if (fromText) return { file, format: ing.format, documents: [fromText.doc], error: null, llm: fromText.report };
  }
  if (documents.length === 0 && ing.format === "text") {
    // Pasted text that names a form but could not be rebuilt: never refused as "not a 绩效 document" —
    // a document that says it could not be read, so the user knows what to fix (or to give a model).
    const unreadForm = formTextShell(ing, file);
    if (unreadForm) return { file, format: ing.format, documents: [unreadForm], error: null };
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
      // What the rules left unread (pieces of a pasted form) goes first, with new rows allowed; then the
      // table itself for the fields still empty.
      const sources: { source: TableBlock | string; newRows: boolean }[] = [];
      if (d.unread.length) sources.push({ source: d.unread.map((u) => u.text ?? "").join("\n"), newRows: true });
      const t = d.kind === "自评表" ? d.provenance.table?.table : d.provenance.tables[0]?.table;
      const table = blocks.find((b): b is TableBlock => b.kind === "table" && b.index === t);
      if (table) sources.push({ source: table, newRows: false });
      try {
        for (const s of sources) {
          if (!s.newRows && unresolvedPaths(documents[i]!).length === 0) continue;
          const r = await fillWithLlm(documents[i]!, i, s.source, opts.llm, { newRows: s.newRows });
          documents[i] = r.doc;
          report.filled.push(...r.filled.map((path) => ({ document: i, path })));
          report.findings.push(...r.findings);
          report.promptVersion = r.promptVersion ?? report.promptVersion;
        }
      } catch (e) {
        // The model is optional: its failure leaves the deterministic extraction as it was.
        report.error = `大模型补提取未完成：${(e as Error).message}`;
        break;
      }
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

async function reportOnly(ing: IngestResult, file: string, llm: Llm): Promise<{ doc: PerfDoc; report: LlmFallbackReport } | null> {
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
  return fillFromText(doc, text, llm);
}

/**
 * Text that holds a form's header words (a title, 项目名称, 年初预算数, 三级指标 …) but that the rules could
 * not rebuild into a table: with a model, a document of the titled kind read from the text.
 */
async function formText(ing: IngestResult, file: string, llm: Llm): Promise<{ doc: PerfDoc; report: LlmFallbackReport } | null> {
  const doc = formTextShell(ing, file, "文本中没有可辨认的表格结构，由大模型从原文中读取");
  if (!doc) return null;
  const text = ing.blocks.filter((b): b is ParagraphBlock => b.kind === "paragraph").map((p) => p.text).join("\n");
  return fillFromText(doc, text, llm);
}

/**
 * An empty document of the kind a text's title names (自评表 when it names none), for text that holds a
 * form's header words the rules could not rebuild into a table; null when the text names no form.
 */
function formTextShell(ing: IngestResult, file: string, reason = "文本中没有可辨认的表格结构（未配置大模型，无法从原文中读取）"): PerfDoc | null {
  const paras = ing.blocks.filter((b): b is ParagraphBlock => b.kind === "paragraph");
  const text = paras.map((p) => p.text).join("\n");
  const words = formWordsIn(text);
  if (words.count < 3 && words.title === null) return null;
  const titlePara = paras.find((p) => titleKindOf(p.text) !== null && p.text.length <= 60);
  const kind = words.title ?? "自评表";
  const doc: PerfDoc = kind === "目标申报表" ? emptyTargetForm(file) : kind === "自评表" ? recognizeSelfEval([], { file, year: null, unit: null }) : emptyDept({ file, form: kind === "部门整体自评表" ? "自评表" : "目标表", year: null, unit: null });
  doc.complete = false;
  const excerpt = text.replace(/\s+/g, " ").trim();
  doc.unread.push({ part: "整份文件", reason, text: excerpt.length > 300 ? `${excerpt.slice(0, 300)}…` : excerpt, provenance: titlePara ? paraProvOf(file, titlePara) : null });
  return doc;
}

async function fillFromText<D extends PerfDoc>(doc: D, text: string, llm: Llm): Promise<{ doc: D; report: LlmFallbackReport }> {
  const report: LlmFallbackReport = { filled: [], findings: [], promptVersion: null, error: null };
  try {
    const r = await fillWithLlm(doc, 0, text, llm, { newRows: true });
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
