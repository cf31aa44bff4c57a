// What the reader could not vouch for, turned into findings the user can act on — and kept from
// becoming confident errors: a form published unfilled is an error; a cut excerpt is checked only on
// what was read (no sums, weights or missing dimensions); a value whose column was inferred cannot be
// the sole ground of an error (it may be misread).
import type { PerfDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import { CATALOGUE, finding } from "./catalogue.ts";
import { whereDoc } from "./context.ts";

const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === "";

/** FORM_UNFILLED: every indicator row of the form is empty (names and values), as published. */
export function checkUnfilled(doc: PerfDoc, index: number): Finding[] {
  const rows =
    doc.kind === "目标申报表"
      ? doc.targets.map((t) => [t.level3, t.value, t.description])
      : doc.indicators.map((i) => [i.level3, i.target, i.actual]);
  if (rows.length === 0 || !rows.every((r) => r.every(blank))) return [];
  return [
    finding("FORM_UNFILLED", {
      where: whereDoc({ doc, index }, "绩效指标", doc.kind === "目标申报表" ? "targets" : "indicators"),
      message: `表中 ${rows.length} 行绩效指标的名称和指标值全部空白，这张表实际没有填写。`,
    }),
  ];
}

/** One FORM_INCOMPLETE per cut document, naming what could not be read. */
export function incompleteNote(doc: PerfDoc, index: number): Finding[] {
  if (doc.complete && doc.unread.length === 0) return [];
  const parts = doc.unread.map((u) => `${u.part}（${u.reason}）`);
  return [
    finding("FORM_INCOMPLETE", {
      where: whereDoc({ doc, index }, "整表"),
      message: `${doc.complete ? "" : "原文不完整（摘录被截断或缺少结尾），合计、权重和指标类别未核对。"}${parts.length ? `未能读取：${parts.slice(0, 5).join("；")}${parts.length > 5 ? ` 等 ${parts.length} 处` : ""}。` : ""}`,
      provenance: doc.unread.map((u) => u.provenance),
    }),
  ];
}

/**
 * Findings as they may stand on what was read: whole-form checks are dropped on an incomplete document,
 * and an error that rests on an inferred value becomes a warning that says the value may be misread.
 */
export function temperFindings(doc: PerfDoc, found: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of found) {
    if (!doc.complete && CATALOGUE[f.code]?.scope === "form") continue;
    if (f.severity === "error" && f.provenance.some((p) => p.inferred)) {
      out.push({
        ...f,
        severity: "warning",
        message: `${f.message}（注意：相关数值所在的列是从无分隔的文本中推断的，可能读错，请对照原表核实。）`,
      });
      continue;
    }
    out.push(f);
  }
  return out;
}
