import type { PerfDoc, SelfEvalDoc, TargetFormDoc } from "../domain/document.ts";
import type { Where } from "../domain/finding.ts";
import type { Profile } from "../score/profile.ts";

export interface FileContext {
  docs: PerfDoc[];
  profile: Profile;
}

export interface SelfEvalContext {
  doc: SelfEvalDoc;
  index: number;
  file: FileContext;
  profile: Profile;
}

export interface TargetFormContext {
  doc: TargetFormDoc;
  index: number;
  file: FileContext;
  profile: Profile;
}

export function whereDoc(ctx: { doc: PerfDoc; index: number }, label: string, field?: string): Where {
  const w: Where = { document: ctx.index, project: ctx.doc.name, label };
  if (field !== undefined) w.field = field;
  return w;
}

export function indicatorLabel(doc: SelfEvalDoc, i: number): string {
  const ind = doc.indicators[i]!;
  return [ind.level1, ind.level2, ind.level3].filter((x) => x).join("/") || `第 ${i + 1} 项指标`;
}

export function whereIndicator(ctx: SelfEvalContext, i: number, field?: string): Where {
  const w: Where = { document: ctx.index, project: ctx.doc.name, indicator: i, label: indicatorLabel(ctx.doc, i) };
  if (field !== undefined) w.field = `indicators[${i}].${field}`;
  return w;
}

/** Quotes a cell text for a message: “…”, shortened. */
export function q(s: string | null | undefined, max = 30): string {
  if (s == null || s.trim() === "") return "（空白）";
  const t = s.replace(/\s+/g, "");
  return `“${t.length > max ? t.slice(0, max) + "…" : t}”`;
}

/** First-level group of an indicator, with synonyms (domain.md §3.1). */
export function level1Group(level1: string | null, level2: string | null): "output" | "benefit" | "satisfaction" | "cost" | null {
  const l1 = level1 ?? "";
  const l2 = level2 ?? "";
  if (/满意/.test(l1) || /满意/.test(l2)) return "satisfaction";
  if (/产出/.test(l1)) return "output";
  if (/效益|效果|影响力/.test(l1)) return "benefit";
  if (/成本/.test(l1)) return "cost";
  return null;
}
