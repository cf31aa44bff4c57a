// Blocks of one file → every form in it, in order: 自评表 (with its 自评报告 when the report's paragraphs
// precede the table), 申报表, 部门整体 forms. A workbook sheet is always its own form, whatever its title;
// inside a sheet or a document a form starts at a title line (paragraph or table row) or at a new
// 项目名称 row. The form's kind comes from its title, else from what its tables hold.
import type { PerfDoc, Provenance, SelfEvalDoc } from "../domain/document.ts";
import type { Block, ParagraphBlock, TableBlock } from "../ingest/blocks.ts";
import { squash, toHalfWidth } from "../domain/text.ts";
import { recognizeReport } from "./report.ts";
import { paraProvOf, provOf, rowsOf, type RRow } from "./rows.ts";
import { recognizeSelfEval, type SelfEvalContext } from "./selfEval.ts";
import { recognizeTargetForm } from "./targetForm.ts";
import { recognizeDept } from "./dept.ts";
import { readFormBody, type FormBody } from "./formBody.ts";
import { matchIndicatorHeader } from "./indicatorTable.ts";
import { headerFieldOf, inlineField, titleKindOf, type FormKind } from "../domain/vocabulary.ts";
import { rebuildBlocks } from "./rebuild/index.ts";

interface Title {
  kind: FormKind;
  text: string;
  prov: Provenance;
}

interface Segment {
  title: Title | null;
  rows: RRow[];
  /** Paragraphs before the segment's first table row (report, captions, year and unit lines). */
  before: ParagraphBlock[];
  /** Paragraphs between the segment's tables (申报表 header lines). */
  paragraphs: ParagraphBlock[];
  sheet: string | undefined;
  /** A row of the segment starts with the 项目名称 label. */
  named: boolean;
  /** The 项目名称 that row gives (squashed), when it gives one. */
  name: string | null;
  /** The titles the segment's parts carry (squashed): a part is never repeated within one form. */
  titles: Set<string>;
  /** Text pieces the rebuilder could not place. */
  unplaced: NonNullable<TableBlock["unplaced"]>;
}

const sheetOf = (b: Block): string | undefined => (b as { sheet?: string }).sheet;

/** A short caption line naming a form (not a sentence that mentions one). */
function titleOf(text: string): FormKind | null {
  const t = squash(text);
  if (t.length > 60 || /[，。；]/.test(text)) return null;
  return titleKindOf(t);
}

/** A row that is only a title (one filled cell naming a form). */
function titleRow(r: RRow): string | null {
  const filled = r.cells.filter((c) => c.key !== "");
  if (filled.length !== 1) return null;
  return titleOf(filled[0]!.text) ? filled[0]!.text : null;
}

/** A row that starts a form: its first filled cell is the 项目名称 label (or "项目名称：X"). */
function startsWithName(r: RRow): boolean {
  const first = r.cells.find((c) => c.key !== "");
  if (!first) return false;
  return headerFieldOf(first.text) === "name" || inlineField(first.text)?.field === "name";
}

/** The 项目名称 a name row gives: after the colon in its cell, else the next filled cell (squashed). */
function nameOfRow(r: RRow): string | null {
  const filled = r.cells.filter((c) => c.key !== "");
  const inline = inlineField(filled[0]?.text ?? "");
  const v = inline?.field === "name" ? inline.value : filled[1]?.text;
  const k = v ? squash(toHalfWidth(v)) : "";
  return k === "" ? null : k;
}

/**
 * A later part of the open 申报表 (总体情况 → 绩效目标 → …) rather than the next project's form: the
 * same kind of title, a title the form has not had yet, and no other 项目名称 on the part's first row.
 */
function continuesForm(current: Segment, title: Title | null, first: RRow): boolean {
  if (!sameTargetForm(current, title)) return false;
  if (current.titles.has(squash(title!.text))) return false;
  if (current.named && startsWithName(first)) {
    const name = nameOfRow(first);
    if (name !== null && current.name !== null && name !== current.name) return false;
  }
  return true;
}

export function recognize(input: Block[], file: string): PerfDoc[] {
  return recognizeRebuilt(rebuildBlocks(input), file);
}

/** `recognize` on blocks the rebuild stage has already run over (the pipeline keeps them for the LLM fallback). */
export function recognizeRebuilt(blocks: Block[], file: string): PerfDoc[] {
  const segments: Segment[] = [];
  let paras: ParagraphBlock[] = [];
  let current: Segment | null = null;
  let pendingTitle: Title | null = null;
  let sheet: string | undefined;
  let first = true;

  const open = (title: Title | null, before: ParagraphBlock[]): Segment => {
    // The paragraphs since the last table belong to the new form, not to the one before it.
    const prev = segments[segments.length - 1];
    if (prev) prev.paragraphs = prev.paragraphs.filter((p) => !before.includes(p));
    const s: Segment = { title, rows: [], before, paragraphs: [], sheet, named: false, name: null, titles: new Set(title ? [squash(title.text)] : []), unplaced: [] };
    segments.push(s);
    return s;
  };

  for (const b of blocks) {
    const bs = sheetOf(b);
    if (first || bs !== sheet) {
      // Every sheet of a workbook is its own form: two sheets are never merged, whatever their titles.
      sheet = bs;
      if (!first && bs !== undefined) {
        current = null;
        paras = [];
        pendingTitle = null;
      }
      first = false;
    }
    if (b.kind === "paragraph") {
      const kind = titleOf(b.text);
      if (kind) pendingTitle = { kind, text: b.text, prov: paraProvOf(file, b) };
      paras.push(b);
      if (current) current.paragraphs.push(b);
      continue;
    }
    const rows = rowsOf(b);
    let before = paras;
    for (const r of rows) {
      const t = titleRow(r);
      if (t) {
        pendingTitle = { kind: titleOf(t)!, text: t, prov: provOf(file, r.cells.find((c) => c.key !== "")!)! };
        continue;
      }
      const named = startsWithName(r);
      const startNamed = named && current !== null && current.named && !sameTargetForm(current, pendingTitle);
      if (pendingTitle || current === null || startNamed) {
        // A 申报表 in several parts (总体情况 / 绩效目标 / 制度保障) continues under its later titles.
        if (pendingTitle && current && !startNamed && continuesForm(current, pendingTitle, r)) {
          current.titles.add(squash(pendingTitle.text));
          pendingTitle = null;
        } else {
          current = open(pendingTitle, before);
          before = [];
          pendingTitle = null;
        }
      }
      current.rows.push(r);
      if (named && !current.named) {
        current.named = true;
        current.name = nameOfRow(r);
      }
    }
    if (b.unplaced?.length && current) current.unplaced.push(...b.unplaced);
    paras = [];
  }

  const docs: PerfDoc[] = [];
  for (const s of segments) {
    const d = build(s, file);
    if (d) docs.push(d);
  }
  return docs;
}

/** A later part of the same 申报表: a 申报表 title while a 申报表 without another name is open. */
function sameTargetForm(current: Segment, title: Title | null): boolean {
  if (!title || (title.kind !== "目标申报表" && title.kind !== "部门整体目标表")) return false;
  // (Sheets never reach here as one segment: a sheet boundary closes the form.)
  return current.title !== null && current.title.kind === title.kind;
}

function kindOf(s: Segment, body: FormBody): FormKind | null {
  if (s.title) return refineKind(s.title.kind, s, body);
  const heads = s.rows.map(matchIndicatorHeader).filter((h) => h !== null);
  const reports = heads.some((h) => h.has("actual") || h.has("score")) || body.funds.some((l) => l.cells.has("executed"));
  if (reports) return refineKind("自评表", s, body);
  if (heads.length || s.rows.some((r) => r.cells.some((c) => /^(三级目标|目标值)$/.test(c.key)))) return refineKind("目标申报表", s, body);
  if (body.funds.length || body.hits.some((h) => h.field === "name")) return "自评表";
  return null;
}

/** A form without a 项目名称 that names a department and its duties is a 部门整体 form. */
function refineKind(kind: FormKind, s: Segment, body: FormBody): FormKind {
  if (kind === "部门整体自评表" || kind === "部门整体目标表") return kind;
  const project = body.hits.some((h) => h.field === "name");
  const dept = body.hits.some((h) => h.field === "duties" || h.field === "unit_name" || (h.field === "code" && /部门|单位/.test(h.label)));
  if (!project && dept) return kind === "自评表" ? "部门整体自评表" : "部门整体目标表";
  return kind;
}

function build(s: Segment, file: string): PerfDoc | null {
  if (s.rows.length === 0) return null;
  const body = readFormBody(s.rows);
  const kind = kindOf(s, body);
  if (!kind) return null;
  const year = yearFrom(s, file);
  const unit = unitFrom(s, file);
  let doc: PerfDoc;
  if (kind === "目标申报表") {
    const d = recognizeTargetForm(s.rows, { file, paragraphs: [...s.before, ...s.paragraphs] });
    if (!d.targets.length && !d.budget_items.length && !d.name && !s.title) return null;
    if (d.year === null && year) [d.year, d.provenance.year] = [year.value, year.prov];
    if (d.unit === null && unit) [d.unit, d.provenance.unit] = [unit.value, unit.prov];
    doc = d;
  } else if (kind === "部门整体自评表" || kind === "部门整体目标表") {
    doc = recognizeDept(s.rows, { file, form: kind === "部门整体自评表" ? "自评表" : "目标表", year, unit, title: s.title }, body);
  } else {
    const ctx: SelfEvalContext = { file, year, unit };
    const d: SelfEvalDoc = recognizeSelfEval(s.rows, ctx, body);
    if (!d.indicators.length && d.funds.total.initial === null && d.funds.total.adjusted === null && !s.title && !d.name) return null;
    const rep = recognizeReport(s.before, file);
    if (rep) {
      d.report = rep.report;
      d.provenance.report = rep.prov;
      if (d.year === null) {
        const y = /(\d{4})年/.exec(rep.report.title);
        if (y) d.year = Number(y[1]);
      }
    }
    doc = d;
  }
  for (const u of s.unplaced) {
    const p: Provenance = { file, text: u.text, inferred: true };
    if (u.line !== undefined) p.line = u.line;
    if (u.page !== undefined) p.page = u.page;
    doc.unread.push({ part: u.part, reason: u.reason, text: u.text, provenance: p });
  }
  if (s.unplaced.length) doc.complete = false;
  return doc;
}

const YEAR_IN_PARENS = /[(（]\s*(\d{4})\s*年度?\s*[)）]/;
const YEAR_IN_TITLE = /(\d{4})\s*年度?[^\d]{0,30}(自评表|申报表|目标表|绩效目标)/;

function yearFrom(s: Segment, file: string): SelfEvalContext["year"] {
  if (s.title) {
    const t = toHalfWidth(s.title.text).replace(/[\s\u00A0]+/g, "");
    const m = YEAR_IN_PARENS.exec(t) ?? YEAR_IN_TITLE.exec(t);
    if (m) return { value: Number(m[1]), prov: s.title.prov };
  }
  for (let i = s.before.length - 1; i >= 0; i--) {
    const p = s.before[i]!;
    const t = toHalfWidth(p.text).replace(/[\s\u00A0]+/g, "");
    const m = YEAR_IN_PARENS.exec(t) ?? (t.length <= 60 ? YEAR_IN_TITLE.exec(t) : null);
    if (m) return { value: Number(m[1]), prov: paraProvOf(file, p) };
  }
  for (const r of s.rows.slice(0, 3)) {
    for (const c of r.cells) {
      const m = YEAR_IN_PARENS.exec(toHalfWidth(c.key));
      if (m && c.key.length <= 16) return { value: Number(m[1]), prov: provOf(file, c)! };
    }
  }
  return null;
}

function unitFrom(s: Segment, file: string): SelfEvalContext["unit"] {
  for (let i = s.before.length - 1; i >= 0; i--) {
    const p = s.before[i]!;
    const m = /单位[:：]\s*(万元|元|千元|亿元)/.exec(squash(toHalfWidth(p.text)).replace(/:/g, "："));
    if (m) return { value: m[1]!, prov: paraProvOf(file, p) };
  }
  for (const r of s.rows) {
    for (const c of r.cells) {
      const t = toHalfWidth(c.key);
      const m = /(?:资金|预算数|预算执行情况|资金情况|金额)[(（](万元|元|千元|亿元)[)）]/.exec(t) ?? (/^单位[:：](万元|元|千元|亿元)$/.exec(t) as RegExpExecArray | null);
      if (m) return { value: m[1]!, prov: provOf(file, c)! };
    }
  }
  return null;
}
