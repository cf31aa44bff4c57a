// `review`: a 绩效目标申报表 judged the way the finance bureau will (templates.md §3), item by item from the
// checklist, each opinion in the bureau's words with its evidence and a fix. Pure over documents; the CLI,
// the server and the 审核意见表 export call it.
import type { PerfDoc, TargetFormDoc } from "../domain/document.ts";
import { deptAsTargetForm } from "../domain/dept.ts";
import { squash } from "../domain/text.ts";
import { DEFAULT_CHECKLIST, type Checklist, type RuleId } from "./checklist.ts";
import { formOf, RULE_FUNCTIONS, type Evidence, type Judgement } from "./rules.ts";

export interface Opinion {
  dimension: string;
  /** The reviewer's item name (测算依据不规范). */
  item: string;
  /** The item's stable code (CALC_BASIS). */
  code: string;
  severity: "error" | "warning";
  /** Where the evidence sits (the first place; `evidence` lists them all). */
  where: string;
  /** The standard opinion with its slots filled. */
  text: string;
  suggestion: string | null;
  evidence: Evidence[];
  /** Set when a reviewer waived the opinion (web), with the reason. */
  waived?: { by: string; reason: string; at: string };
}

export interface ProjectReview {
  file: string;
  sheet: string | null;
  /** Index of the document in its file. */
  document: number;
  /** 项目编码, null when the form has none. */
  code: string | null;
  name: string | null;
  /** 申请单位 / 实施单位. */
  unit: string | null;
  /** 本年度项目金额 as printed (项目总金额 when the form has no yearly amount), in `money_unit`. */
  amount: number | null;
  money_unit: string | null;
  items: string[];
  opinions: Opinion[];
  /** false for a cut excerpt: the items that need the whole form were not judged. */
  complete: boolean;
}

/** A 申报表 (or a 部门整体绩效目标表, read as one); other kinds are not reviewed. */
export function reviewable(d: PerfDoc): TargetFormDoc | null {
  if (d.kind === "目标申报表") return d;
  if (d.kind === "部门整体" && d.form === "目标表") return deptAsTargetForm(d);
  return null;
}

const MAX_SHOWN = 3;

const PROJECT_ONLY_RULES = new Set<RuleId>(["policyBasis", "calcBasis", "amountMissing", "amountUnit", "totalBelowYear", "fundsMismatch"]);
const WHOLE_FORM_RULES = new Set<RuleId>(["dimensionMissing", "targetTableEmpty", "fundsMismatch"]);

function fill(template: string, j: Judgement): string {
  const texts = j.evidence.map((e) => squash(e.text)).filter((t) => t !== "");
  const shown = texts.slice(0, MAX_SHOWN).map((t) => (t.length > 40 ? `${t.slice(0, 40)}…` : t));
  const slots: Record<string, string> = {
    证据: shown.length ? `${shown.map((t) => `“${t}”`).join("")}${texts.length > MAX_SHOWN ? `等 ${texts.length} 处` : ""}` : "（空白）",
    位置: j.evidence.slice(0, MAX_SHOWN).map((e) => e.where).join("、") + (j.evidence.length > MAX_SHOWN ? ` 等 ${j.evidence.length} 处` : ""),
    建议: j.suggestion ?? "",
    ...j.slots,
  };
  return template.replace(/\{([^{}]+)\}/g, (m, k: string) => slots[k] ?? m);
}

export function reviewDocument(doc: PerfDoc, file: string, index: number, checklist: Checklist = DEFAULT_CHECKLIST): ProjectReview | null {
  const form = reviewable(doc);
  if (!form) return null;
  const f = formOf(form);
  const opinions: Opinion[] = [];
  for (const item of checklist.items) {
    if (!item.enabled) continue;
    // A 部门整体 目标表 has no 政策依据, 测算依据 or project amounts: those items are not its to answer.
    if (doc.kind === "部门整体" && PROJECT_ONLY_RULES.has(item.rule)) continue;
    // A cut excerpt: what is missing may only be missing from the excerpt.
    if (!form.complete && WHOLE_FORM_RULES.has(item.rule)) continue;
    const j = RULE_FUNCTIONS[item.rule](f, item.params ?? {});
    if (!j) continue;
    opinions.push({
      dimension: item.dimension,
      item: item.name,
      code: item.code,
      severity: item.severity,
      where: j.evidence[0]?.where ?? "整表",
      text: fill(item.opinion, j),
      suggestion: j.suggestion,
      evidence: j.evidence,
    });
  }
  const dims = checklist.dimensions;
  opinions.sort((a, b) => (a.severity === b.severity ? dims.indexOf(a.dimension) - dims.indexOf(b.dimension) : a.severity === "error" ? -1 : 1));
  const sheet = (doc.kind === "自评表" ? doc.provenance.table?.sheet : doc.provenance.tables[0]?.sheet) ?? null;
  return {
    file,
    sheet,
    document: index,
    code: form.code,
    name: form.name,
    unit: form.implementer ?? form.department,
    amount: form.funds_year ?? form.funds_total,
    money_unit: form.unit,
    items: opinions.map((o) => o.item),
    opinions,
    complete: form.complete,
  };
}

/** Every reviewable document of a file, in order. */
export function reviewDocuments(docs: PerfDoc[], file: string, checklist: Checklist = DEFAULT_CHECKLIST): ProjectReview[] {
  return docs.flatMap((d, i) => reviewDocument(d, file, i, checklist) ?? []);
}

