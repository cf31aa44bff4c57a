// Deterministic proposals of a measurable 指标值 for every vague target (domain.md §3.3), built from what the
// document itself says and, failing that, from the indicator library (library.json). Pure: data in, data out.
import type { Indicator, SelfEvalDoc, Target, TargetFormDoc } from "../domain/document.ts";
import type { Suggestion } from "../domain/finding.ts";
import { hasDigit, vagueTarget } from "../validate/vague.ts";
import { normalizeCategory } from "./library.ts";
import { findMentions, hasUnit, normText } from "./mentions.ts";
import {
  fromActual, fromDocumentText, fromHistory, fromLibrary, fromName, fromOwnWords,
  type Candidate, type Setting, type Subject,
} from "./sources.ts";

export interface SuggestContext {
  /** last year's documents of the same project, if known */
  history?: SelfEvalDoc[];
}

/** The hard rule: a proposal must itself pass the vagueness check and carry a unit or %. */
export function isMeasurable(text: string): boolean {
  return normText(text) !== "" && hasDigit(text) && !vagueTarget(text).vague && hasUnit(text);
}

/** Sources in order of trust; the first candidate that is measurable wins. */
const SOURCES: ((s: Subject, setting: Setting) => Candidate[])[] = [
  fromName, // 1. the 三级指标 itself
  (s) => fromOwnWords(s), // 1b. the target's own quantifier words (全部 → 100%)
  fromDocumentText, // 3. 年度总体目标 and report
  fromHistory, // 4. last year's 完成值
  fromActual, // 2. this year's 完成值: weak, so after plans and history
  fromLibrary, // 5. the library
];

function propose(s: Subject, setting: Setting, field: string): Suggestion | null {
  for (const source of SOURCES) {
    for (const c of source(s, setting)) {
      if (!isMeasurable(c.text)) continue;
      return { text: c.text, value: c.text, field, source: c.source, basis: c.basis };
    }
  }
  return null;
}

/** Numbers ("5场", "95%") already used by the other indicators of the document, so they are not proposed twice. */
function usedValues(texts: (string | null)[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) if (t) for (const m of findMentions(t)) out.add(`${m.value}${m.unit}`);
  return out;
}

function positive(n: number | null | undefined): n is number {
  return n != null && Number.isFinite(n) && n > 0;
}

/** The table's money unit (万元 unless it says 元). */
function moneyUnit(unit: string | null): string {
  const u = unit ? normText(unit) : "";
  return /^(亿元|万元|元)$/.test(u) ? u : "万元";
}

const DATE = /^(\d{4})(?:年|-|\/|\.)(\d{1,2})(?:月|-|\/|\.)(\d{1,2})日?$/;

function selfEvalSubject(ind: Indicator): Subject {
  return { category: normalizeCategory(ind.level1, ind.level2), name: ind.level3 ?? "", target: ind.target ?? "", actual: ind.actual, description: null };
}

function formSubject(tg: Target): Subject {
  return { category: normalizeCategory(tg.level1, tg.level2), name: tg.level3 ?? "", target: tg.value ?? "", actual: null, description: tg.description };
}

/** Proposal for indicator i of a 自评表 (its `target`); null when the target is not vague or nothing sensible can be proposed. */
export function suggestTarget(doc: SelfEvalDoc, i: number, ctx: SuggestContext = {}): Suggestion | null {
  const ind = doc.indicators[i];
  if (!ind || !vagueTarget(ind.target).vague) return null;
  const subject = selfEvalSubject(ind);
  // 全年预算数 is the budget the 成本 must fit; a 0 there is itself a defect (RATE_MISMATCH), so fall back.
  const t = doc.funds.total;
  const unit = moneyUnit(doc.unit);
  const budget = positive(t.adjusted)
    ? { amount: t.adjusted, label: "全年预算数", unit }
    : positive(t.initial)
      ? { amount: t.initial, label: "年初预算数", unit }
      : null;
  const texts: Setting["texts"] = [];
  if (doc.goals.expected) texts.push({ label: "年度总体目标", text: doc.goals.expected });
  for (const sec of doc.report?.sections ?? []) if (sec.text) texts.push({ label: `自评报告“${sec.heading}”`, text: sec.text });
  const others = doc.indicators.filter((_, j) => j !== i).flatMap((x) => [x.target, x.level3]);
  const rivals = doc.indicators.flatMap((x, j) => (j !== i && vagueTarget(x.target).vague ? [{ subject: selfEvalSubject(x), index: j }] : []));
  const setting: Setting = {
    projectName: doc.name ?? "",
    year: doc.year,
    deadline: doc.year ? `${doc.year}年12月31日` : "当年12月31日",
    deadlineFrom: null,
    budget,
    texts,
    usedValues: usedValues(others),
    history: ctx.history ?? [],
    index: i,
    rivals,
  };
  return propose(subject, setting, `indicators[${i}].target`);
}

/** Same for target i of a 申报表 (its `value`). */
export function suggestFormTarget(doc: TargetFormDoc, i: number, ctx: SuggestContext = {}): Suggestion | null {
  const tg = doc.targets[i];
  if (!tg || !vagueTarget(tg.value).vague) return null;
  const subject = formSubject(tg);
  const end = doc.end ? DATE.exec(normText(doc.end)) : null;
  const others = doc.targets.filter((_, j) => j !== i).flatMap((x) => [x.value, x.level3]);
  const rivals = doc.targets.flatMap((x, j) => (j !== i && vagueTarget(x.value).vague ? [{ subject: formSubject(x), index: j }] : []));
  const setting: Setting = {
    projectName: doc.name ?? "",
    year: doc.year,
    deadline: end ? `${end[1]}年${Number(end[2])}月${Number(end[3])}日` : doc.year ? `${doc.year}年12月31日` : "当年12月31日",
    deadlineFrom: end ? `申报表项目结束日期“${doc.end}”` : null,
    budget: positive(doc.funds_total)
      ? { amount: doc.funds_total, label: "项目资金总额", unit: moneyUnit(doc.unit) }
      : positive(doc.amount_total)
        ? { amount: doc.amount_total, label: "项目预算分解合计", unit: moneyUnit(doc.unit) }
        : null,
    texts: [],
    usedValues: usedValues(others),
    history: ctx.history ?? [],
    index: i,
    rivals,
  };
  return propose(subject, setting, `targets[${i}].value`);
}
