// Drafting the 自评报告: two drafters behind one interface (the deterministic template, the LLM),
// and every draft checked against the verified data before it can be accepted.
import { z } from "zod";
import type { SelfEvalDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import type { Profile } from "../score/profile.ts";
import type { Llm } from "../llm/index.ts";
import { checkDraft, type DraftSection } from "./checker.ts";
import { SECTION_HEADINGS, templateDraft } from "./template.ts";
import { draftData, styleExample } from "./data.ts";

export interface Draft {
  sections: DraftSection[];
  drafter: "template" | "llm";
  promptVersion: string | null;
  findings: Finding[];
  usage: { totalTokens: number } | null;
}

export type DraftEvent =
  | { type: "progress"; message: string }
  | { type: "delta"; section: number; text: string }
  | { type: "section"; index: number; heading: string; text: string }
  | { type: "done"; draft: Draft }
  | { type: "error"; code: string; message: string };

export interface DraftOptions {
  llm: Llm | null;
  profile: Profile;
  /** Index of the document in its file (for findings). */
  index?: number;
  /** Last year's documents of the same project: their report is the style example. */
  history?: SelfEvalDoc[];
  onEvent?: (e: DraftEvent) => void;
  /** LLM only: stream the text as it is written (delta events), then split it into sections. */
  stream?: boolean;
  /** Aborts the model's request (a job cancelled or over its time limit). */
  signal?: AbortSignal;
}

export const DraftSectionsSchema = z.object({ sections: z.array(z.object({ heading: z.string(), text: z.string() })).min(1) });
export const DraftSectionSchema = z.object({ heading: z.string(), text: z.string() });

const OUTLINE = SECTION_HEADINGS.join("\n");

function finish(doc: SelfEvalDoc, sections: DraftSection[], base: Omit<Draft, "findings" | "sections">, opts: DraftOptions): Draft {
  const draft: Draft = { ...base, sections, findings: checkDraft(doc, opts.index ?? 0, sections, opts.profile) };
  sections.forEach((s, i) => opts.onEvent?.({ type: "section", index: i, heading: s.heading, text: s.text }));
  opts.onEvent?.({ type: "done", draft });
  return draft;
}

/** Drafts the six sections; with no LLM configured, the template drafter. */
export async function draftReport(doc: SelfEvalDoc, opts: DraftOptions): Promise<Draft> {
  if (!opts.llm) {
    opts.onEvent?.({ type: "progress", message: "未配置大模型：使用模板起草（内容全部来自核验后的自评表）" });
    return finish(doc, templateDraft(doc, opts.profile), { drafter: "template", promptVersion: null, usage: null }, opts);
  }
  opts.onEvent?.({ type: "progress", message: `正在请大模型（${opts.llm.model}）起草六个部分…` });
  if (opts.stream) {
    let written = "";
    const r = await opts.llm.stream({ prompt: "draft-report-stream", vars: { data: draftData(doc, opts.profile), example: styleExample(opts.history?.[0] ?? doc) }, ...signalOf(opts) }, (delta) => {
      written += delta;
      opts.onEvent?.({ type: "delta", section: Math.max(0, headingCount(written) - 1), text: delta });
    });
    opts.onEvent?.({ type: "progress", message: "草稿已生成，正在逐个核对数字…" });
    return finish(doc, splitSections(r.data), { drafter: "llm", promptVersion: `${r.prompt}@${r.promptVersion}`, usage: { totalTokens: r.usage.totalTokens } }, opts);
  }
  const r = await opts.llm.structured({
    prompt: "draft-report",
    vars: { data: draftData(doc, opts.profile), example: styleExample(opts.history?.[0] ?? doc) },
    schema: DraftSectionsSchema,
    schemaName: "draft_report",
    ...signalOf(opts),
  });
  opts.onEvent?.({ type: "progress", message: "草稿已生成，正在逐个核对数字…" });
  return finish(doc, r.data.sections, { drafter: "llm", promptVersion: `${r.prompt}@${r.promptVersion}`, usage: { totalTokens: r.usage.totalTokens } }, opts);
}

/** Redrafts one section on request ("第五部分写具体些") and re-checks the whole draft. */
export async function reviseSection(doc: SelfEvalDoc, draft: Draft, sectionIndex: number, request: string, opts: DraftOptions): Promise<Draft> {
  const current = draft.sections[sectionIndex];
  if (!current) throw new RangeError(`草稿没有第 ${sectionIndex + 1} 部分`);
  let revised: DraftSection;
  let promptVersion = draft.promptVersion;
  let usage = draft.usage;
  if (!opts.llm) {
    opts.onEvent?.({ type: "progress", message: "未配置大模型：按模板重新生成该部分" });
    revised = templateDraft(doc, opts.profile)[sectionIndex] ?? current;
  } else {
    opts.onEvent?.({ type: "progress", message: `正在修改“${current.heading}”…` });
    const r = await opts.llm.structured({
      prompt: "draft-section",
      version: "2",
      vars: { data: draftData(doc, opts.profile), outline: OUTLINE, heading: current.heading, current: current.text, request, example: styleExample(opts.history?.[0] ?? doc) },
      schema: DraftSectionSchema,
      schemaName: "draft_section",
      ...signalOf(opts),
    });
    revised = { heading: current.heading, text: r.data.text };
    promptVersion = `${r.prompt}@${r.promptVersion}`;
    usage = { totalTokens: (usage?.totalTokens ?? 0) + r.usage.totalTokens };
  }
  const sections = draft.sections.map((s, i) => (i === sectionIndex ? revised : s));
  return finish(doc, sections, { drafter: opts.llm ? "llm" : draft.drafter, promptVersion, usage }, opts);
}

const signalOf = (opts: DraftOptions) => (opts.signal ? { signal: opts.signal } : {});

const HEADING_LINE = /^[ \t\u3000]*([一二三四五六])、[^\n]*$/gm;

function headingCount(text: string): number {
  return [...text.matchAll(HEADING_LINE)].length;
}

/** Plain text with one heading line per section ("一、项目基本情况") → sections; text before the first heading is dropped. */
export function splitSections(text: string): DraftSection[] {
  const out: DraftSection[] = [];
  const marks = [...text.matchAll(HEADING_LINE)];
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = marks[i + 1]?.index ?? text.length;
    out.push({ heading: m[0].trim().replace(/[：:]$/, ""), text: text.slice(start, end).replace(/^\n+|\s+$/g, "") });
  });
  return out;
}

/** Reads "第五部分" / "第5节" / "五、" from a revision request; null when none is named. */
export function sectionFromRequest(request: string): number | null {
  const m = /第?\s*([一二三四五六1-6])\s*(部分|节|章|、|段)/.exec(request);
  if (!m) return null;
  const n = "一二三四五六".indexOf(m[1]!);
  return n >= 0 ? n : Number(m[1]) - 1;
}

export { templateDraft, checkDraft };
