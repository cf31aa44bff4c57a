// LLM fallback for what the deterministic recognizer could not map: only the unresolved table is sent
// (as text), the model returns values for named interchange paths, and every value must be found in
// that table after normalisation (grounding). Ungrounded values are dropped and reported.
import type { SelfEvalDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import type { TableBlock } from "../ingest/blocks.ts";
import { ExtractFallbackOutputSchema } from "../llm/outputs.ts";
import type { Llm } from "../llm/client.ts";
import { applyEdit, readField } from "../domain/edit.ts";
import { finding } from "../validate/catalogue.ts";
import { parseNumber, squash, toHalfWidth } from "./normalize.ts";

/** The part of a free-text report sent to the model (its opening sections carry the project and funds). */
export const REPORT_TEXT_LIMIT = 4000;

/** Paths the recognizer left empty although a complete table would fill them. */
export function unresolvedPaths(doc: SelfEvalDoc): string[] {
  const out: string[] = [];
  if (doc.name === null) out.push("name");
  if (doc.department === null) out.push("department");
  if (doc.year === null) out.push("year");
  const t = doc.funds.total;
  if (t.initial === null && t.adjusted === null && t.executed === null) out.push("funds.total.initial", "funds.total.adjusted", "funds.total.executed");
  if (doc.total.score === null) out.push("total.score");
  if (doc.total.weight === null) out.push("total.weight");
  doc.indicators.forEach((ind, i) => {
    const shared = i > 0 && doc.indicators[i - 1]!.shared_score_with_next;
    if (ind.level3 && ind.target === null && ind.actual === null && ind.weight === null && ind.score === null && !shared) {
      out.push(`indicators[${i}].target`, `indicators[${i}].actual`, `indicators[${i}].weight`, `indicators[${i}].score`);
    }
  });
  return out;
}

const isNumeric = (path: string) => /^(year|funds\.|total\.)|\.(weight|score)$/.test(path);

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
  doc: SelfEvalDoc;
  filled: string[];
  findings: Finding[];
  promptVersion: string | null;
}

/** `source`: the unresolved table, or the text of a free-text report (capped, see REPORT_TEXT_LIMIT). */
export async function fillWithLlm(doc: SelfEvalDoc, index: number, source: TableBlock | string, llm: Llm): Promise<FallbackResult> {
  const paths = unresolvedPaths(doc);
  if (paths.length === 0) return { doc, filled: [], findings: [], promptVersion: null };
  const fragment = typeof source === "string" ? source.slice(0, REPORT_TEXT_LIMIT) : tableText(source);
  const r = await llm.structured({
    prompt: "extract-fallback",
    vars: {
      context: `项目支出绩效自评表；项目名称：${doc.name ?? "（未识别）"}；年度：${doc.year ?? "（未识别）"}`,
      fields: paths.map((p) => `${p}（${isNumeric(p) ? "数字" : "文本"}）`).join("\n"),
      fragment,
    },
    schema: ExtractFallbackOutputSchema,
    schemaName: "extract_fallback",
  });
  let out = doc;
  const filled: string[] = [];
  const findings: Finding[] = [];
  for (const raw of r.data.fields) {
    const f = { ...raw, path: raw.path.replace(/（.*）$/, "").trim() };
    if (!paths.includes(f.path) || f.value === null) continue;
    if (readField(out, f.path) !== null) continue;
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
      out = applyEdit(out, f.path, f.value) as SelfEvalDoc;
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
  return { doc: out, filled, findings, promptVersion: `${r.prompt}@${r.promptVersion}` };
}
