// LLM fallback for what the deterministic recognizer could not map: only the unresolved table is sent
// (as text), the model returns values for named interchange paths, and every value must be found in
// that table after normalisation (grounding). Ungrounded values are dropped and reported.
import type { Indicator, PerfDoc } from "./domain/document.ts";
import type { Finding } from "./domain/finding.ts";
import type { TableBlock } from "./ingest/blocks.ts";
import type { Llm } from "./llm/index.ts";
import { applyEdit, readField } from "./domain/edit.ts";
import { finding } from "./validate/catalogue.ts";
import { parseNumber, squash, toHalfWidth } from "./domain/text.ts";

/** The part of a free-text report sent to the model (its opening sections carry the project and funds). */
export const REPORT_TEXT_LIMIT = 4000;

/** Paths the recognizer left empty although a complete form would fill them. */
export function unresolvedPaths(doc: PerfDoc): string[] {
  const out: string[] = [];
  if (doc.name === null) out.push("name");
  if (doc.kind === "目标申报表") {
    if (doc.implementer === null) out.push("implementer");
    if (doc.funds_total === null && doc.funds_year === null) out.push("funds_total", "funds_year");
    doc.targets.forEach((t, i) => {
      if (t.level3 && t.value === null) out.push(`targets[${i}].value`);
    });
    return out;
  }
  if (doc.department === null) out.push("department");
  if (doc.year === null) out.push("year");
  const t = doc.funds.total;
  if (t.initial === null && t.adjusted === null && t.executed === null) out.push("funds.total.initial", "funds.total.adjusted", "funds.total.executed");
  if (doc.total.score === null) out.push("total.score");
  if (doc.kind === "自评表" && doc.total.weight === null) out.push("total.weight");
  doc.indicators.forEach((ind, i) => {
    const shared = i > 0 && doc.indicators[i - 1]!.shared_score_with_next;
    if (ind.level3 && ind.target === null && ind.actual === null && ind.weight === null && ind.score === null && !shared) {
      out.push(`indicators[${i}].target`, `indicators[${i}].actual`, `indicators[${i}].weight`, `indicators[${i}].score`);
    }
  });
  return out;
}

const isNumeric = (path: string) => /^(year|funds\.|funds_total|funds_year|total\.)|\.(weight|score)$/.test(path);

/** The list a document's rows live in, and an empty row of it (for rows the model adds). */
function listOf(doc: PerfDoc): { key: "indicators" | "targets"; fields: string[] } {
  return doc.kind === "目标申报表"
    ? { key: "targets", fields: ["level1", "level2", "level3", "value", "description"] }
    : { key: "indicators", fields: ["level1", "level2", "level3", "target", "actual", "weight", "score"] };
}

function appendEmptyRow(doc: PerfDoc): void {
  if (doc.kind === "目标申报表") {
    doc.targets.push({ level1: null, level2: null, level3: null, value: null, description: null });
    doc.provenance.targets.push({ level1: null, level2: null, level3: null, value: null, description: null });
  } else {
    (doc.indicators as Indicator[]).push({ level1: null, level2: null, level3: null, target: null, actual: null, weight: null, score: null, deviation: null });
    doc.provenance.indicators.push({ level1: null, level2: null, level3: null, target: null, actual: null, weight: null, score: null, deviation: null });
  }
}

const KIND_NAMES: Record<PerfDoc["kind"], string> = { 自评表: "项目支出绩效自评表", 目标申报表: "绩效目标申报表", 部门整体: "部门整体绩效表" };

const norm = (s: string) => squash(toHalfWidth(s)).replace(/(\d),(?=\d{3})/g, "$1");

/** The table as plain text, one row per line, cells separated by " | ". */
export function tableText(t: TableBlock): string {
  return t.rows.map((r) => r.map((c) => c.text.replace(/\s+/g, " ").trim()).join(" | ")).join("\n");
}

/** Whether a returned value is really in the fragment: its text occurs there and says the value. */
export function grounded(value: string | number | null, text: string | null, fragment: string): boolean {
  if (value === null) return true;
  const f = norm(fragment);
  if (!text || !f.includes(norm(text))) return false;
  if (typeof value === "number") {
    const n = parseNumber(text);
    return n !== null ? Math.abs(n - value) < 1e-9 : norm(text).includes(String(value));
  }
  return f.includes(norm(value)) && norm(text).includes(norm(value));
}

export interface FallbackResult {
  doc: PerfDoc;
  filled: string[];
  findings: Finding[];
  promptVersion: string | null;
}

export interface FillOptions {
  /** The source may state rows the document does not have yet (prose, unread text): the model may add them. */
  newRows?: boolean;
}

/**
 * `source`: the unresolved table, or text (a free-text report, the unread part of a pasted form), capped at
 * REPORT_TEXT_LIMIT. Every value the model returns must be found in the source, or it is dropped
 * (LLM_UNGROUNDED); rows it adds keep only grounded values, and a row left without a name is removed.
 */
export async function fillWithLlm<D extends PerfDoc>(doc: D, index: number, source: TableBlock | string, llm: Llm, opts: FillOptions = {}): Promise<FallbackResult & { doc: D }> {
  const paths = unresolvedPaths(doc);
  const list = listOf(doc);
  const first = (doc.kind === "目标申报表" ? doc.targets : doc.indicators).length;
  if (paths.length === 0 && !opts.newRows) return { doc, filled: [], findings: [], promptVersion: null };
  const fragment = typeof source === "string" ? source.slice(0, REPORT_TEXT_LIMIT) : tableText(source);
  const lines = paths.map((p) => `${p}（${isNumeric(p) ? "数字" : "文本"}）`);
  if (opts.newRows) {
    lines.push(`${list.key}[k].${list.fields.join(" / ")}（原文中有、表中尚无的指标，每项一组，k 从 ${first} 起依次编号；分值、得分填数字，其余照抄原文）`);
  }
  // Loaded here, not at the top: this module is on every upload's path (the extraction worker), which
  // must not load the model SDK and the cache's SQLite for files the model never sees.
  const { ExtractFallbackOutputSchema } = await import("./llm/index.ts");
  const r = await llm.structured({
    prompt: "extract-fallback",
    vars: {
      context: `${KIND_NAMES[doc.kind]}；名称：${doc.name ?? "（未识别）"}；年度：${doc.year ?? "（未识别）"}`,
      fields: lines.join("\n"),
      fragment,
    },
    schema: ExtractFallbackOutputSchema,
    schemaName: "extract_fallback",
  });
  const rowPath = new RegExp(`^${list.key}\\[(\\d+)\\]\\.(${list.fields.join("|")})$`);
  const isNewRow = (path: string) => {
    const m = rowPath.exec(path);
    return !!m && opts.newRows === true && Number(m[1]) >= first && Number(m[1]) < first + 200;
  };
  let out = structuredClone(doc) as D;
  const filled: string[] = [];
  const findings: Finding[] = [];
  for (const raw of r.data.fields) {
    const f = { ...raw, path: raw.path.replace(/（.*）$/, "").trim() };
    if ((!paths.includes(f.path) && !isNewRow(f.path)) || f.value === null) continue;
    const m = rowPath.exec(f.path);
    if (m && isNewRow(f.path)) while ((out.kind === "目标申报表" ? out.targets : out.indicators).length <= Number(m[1])) appendEmptyRow(out);
    if (readField(out, f.path) !== null && readField(out, f.path) !== undefined) continue;
    if (!grounded(f.value, f.text, fragment)) {
      findings.push(
        finding("LLM_UNGROUNDED", {
          where: { document: index, project: doc.name, label: f.path, field: f.path },
          message: `大模型为“${f.path}”给出的值“${String(f.value)}”${f.text ? `（依据“${f.text}”）` : ""}在原表中找不到，已丢弃。`,
        }),
      );
      continue;
    }
    try {
      out = applyEdit(out, f.path, f.value) as D;
      filled.push(f.path);
    } catch {
      findings.push(
        finding("LLM_UNGROUNDED", {
          where: { document: index, project: doc.name, label: f.path, field: f.path },
          message: `大模型为“${f.path}”给出的值“${String(f.value)}”类型不符，已丢弃。`,
        }),
      );
    }
  }
  // Added rows that kept no name (all their values ungrounded) are not rows.
  const rows = (out.kind === "目标申报表" ? out.targets : out.indicators) as { level3: string | null }[];
  for (let i = rows.length - 1; i >= first; i--) {
    if (rows[i]!.level3 !== null) continue;
    rows.splice(i, 1);
    (out.kind === "目标申报表" ? out.provenance.targets : out.provenance.indicators).splice(i, 1);
    for (let k = filled.length - 1; k >= 0; k--) if (filled[k]!.startsWith(`${list.key}[${i}].`)) filled.splice(k, 1);
  }
  return { doc: out, filled, findings, promptVersion: `${r.prompt}@${r.promptVersion}` };
}
