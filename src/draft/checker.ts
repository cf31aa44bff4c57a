// Checks a draft 自评报告 against the verified data: every number in the text must be one of the
// document's numbers (or one computed from them by the scorer); report/table contradictions reuse
// the validator's report rules.
import { fundsRows, type SelfEvalDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import type { Profile } from "../score/profile.ts";
import { finding } from "../validate/catalogue.ts";
import { checkReport } from "../validate/report.ts";
import { scoreDocument } from "../score/index.ts";
import { roundHalfUp, sub, sum } from "../score/decimal.ts";
import { numbersIn, type TextNumber } from "./numbers.ts";
import { squash } from "../domain/text.ts";

export interface DraftSection {
  heading: string;
  text: string;
}

export interface SupportedNumbers {
  /** Amounts in 万元. */
  amounts: number[];
  /** Percentages in points (100 = 100%). */
  percents: number[];
  /** Every other number of the data with its unit (null: a computed or unit-less figure). */
  others: { v: number; unit: string | null }[];
}

function allNumbers(text: string | null | undefined): TextNumber[] {
  return text ? numbersIn(text) : [];
}

/** The numbers a draft may use: the table's values, numbers inside its texts, and scorer results. */
export function supportedNumbers(doc: SelfEvalDoc, profile: Profile): SupportedNumbers {
  const s: SupportedNumbers = { amounts: [], percents: [], others: [] };
  const other = (v: number, unit: string | null = null) => s.others.push({ v, unit });
  const score = (v: number) => other(v, "分");
  const add = (n: TextNumber) => {
    if (n.kind === "percent") s.percents.push(n.value);
    else if (n.kind === "amount") s.amounts.push(n.unit === "元" ? n.value / 1e4 : n.unit === "亿元" ? n.value * 1e4 : n.value);
    else other(n.value, n.unit);
  };
  for (const row of fundsRows(doc.funds)) {
    for (const v of [row.initial, row.adjusted, row.executed]) if (v !== null) s.amounts.push(v), other(v, "万元");
    for (const v of [row.weight, row.score]) if (v !== null) score(v);
    if (row.weight !== null && row.score !== null) score(sub(row.weight, row.score));
    for (const n of allNumbers(row.rate)) add(n);
  }
  // Differences a report explains: 结余 (A − B) and the year's adjustment (A − a0).
  const t = doc.funds.total;
  if (t.adjusted !== null && t.executed !== null) s.amounts.push(sub(t.adjusted, t.executed));
  if (t.adjusted !== null && t.initial !== null) s.amounts.push(sub(t.adjusted, t.initial), sub(t.initial, t.adjusted));
  // First-level subtotals (产出指标得分 46.67 分 …).
  const byGroup = new Map<string, { w: number[]; s: number[] }>();
  for (const ind of doc.indicators) {
    const g = byGroup.get(ind.level1 ?? "") ?? { w: [], s: [] };
    if (ind.weight !== null) g.w.push(ind.weight);
    if (ind.score !== null) g.s.push(ind.score);
    byGroup.set(ind.level1 ?? "", g);
  }
  for (const g of byGroup.values()) {
    score(sum(g.w));
    score(sum(g.s));
    score(sub(sum(g.w), sum(g.s)));
  }
  const texts = [doc.name, doc.department, doc.implementer, doc.goals.expected, doc.goals.actual];
  for (const ind of doc.indicators) {
    texts.push(ind.level3, ind.target, ind.actual, ind.deviation);
    for (const v of [ind.weight, ind.score]) if (v !== null) score(v);
    if (ind.weight !== null && ind.score !== null) score(sub(ind.weight, ind.score));
  }
  for (const t of texts) for (const n of allNumbers(t)) add(n);
  if (doc.year !== null) other(doc.year, "年"), other(doc.year, "年度");
  for (const v of [doc.total.weight, doc.total.score]) if (v !== null) score(v);
  const sc = scoreDocument(doc, profile);
  if (sc.execution.rate !== null) s.percents.push(roundHalfUp(sc.execution.rate * 100, 2));
  for (const v of [sc.execution.computed, sc.execution.weight, sc.total.sumOfPrinted, sc.total.recomputed]) if (v !== null) score(v);
  for (const l of sc.lines) if (l.computed !== null) score(l.computed);
  const weights = sc.lines.map((l) => l.weight ?? 0);
  const scores = sc.lines.map((l) => l.printed ?? 0);
  score(sum(weights));
  score(sum(scores));
  score(sub(sc.total.sumOfPrinted, doc.funds.total.score ?? 0));
  other(sc.lines.length);
  other(doc.indicators.length);
  if (doc.total.weight !== null && doc.total.score !== null) score(sub(doc.total.weight, doc.total.score));
  return s;
}

export function isSupported(n: TextNumber, s: SupportedNumbers): boolean {
  const near = (xs: number[], v: number, tol: number) => xs.some((x) => Math.abs(x - v) <= tol);
  if (n.kind === "percent") return near(s.percents, n.value, 0.005);
  if (n.kind === "amount") {
    const wan = n.unit === "元" ? n.value / 1e4 : n.unit === "亿元" ? n.value * 1e4 : n.value;
    return near(s.amounts, wan, 0.00005);
  }
  // A count or score matches a data number with the same unit, or a unit-less one; a bare number
  // (no unit in the text) matches any data number. "12场" is not supported by "12月31日".
  // Points ("17分") only match scores and weights: a bare 17 in a 完成值 is not a score.
  if (n.unit === "分") return s.others.some((o) => Math.abs(o.v - n.value) <= 1e-9 && o.unit === "分");
  return s.others.some((o) => Math.abs(o.v - n.value) <= 1e-9 && (n.unit === null || o.unit === null || o.unit === n.unit || sameUnit(o.unit, n.unit)));
}

const UNIT_CLASSES = [["个", "项", "名", "人"], ["年", "年度"], ["次", "人次"]];
function sameUnit(a: string, b: string): boolean {
  return UNIT_CLASSES.some((c) => c.includes(a) && c.includes(b));
}

export const REQUIRED_SECTIONS = ["项目基本情况", "绩效评价工作情况", "综合评价情况及评价结论", "项目主要绩效情况分析", "存在的问题", "有关建议"];

/** Findings of a draft: unsupported numbers (with their positions) and report/table contradictions. */
export function checkDraft(doc: SelfEvalDoc, index: number, sections: DraftSection[], profile: Profile): Finding[] {
  const out: Finding[] = [];
  const sup = supportedNumbers(doc, profile);
  sections.forEach((sec, si) => {
    for (const part of [{ text: sec.heading, field: `draft.sections[${si}].heading` }, { text: sec.text, field: `draft.sections[${si}].text` }]) {
      for (const n of numbersIn(part.text)) {
        if (isSupported(n, sup)) continue;
        out.push(
          finding("DRAFT_NUMBER_UNSUPPORTED", {
            where: { document: index, project: doc.name, label: `${sec.heading}（第 ${n.start + 1} 字起）`, field: part.field, span: [n.start, n.end] },
            message: `草稿“${sec.heading}”第 ${n.start + 1} 字起的“${n.raw}”在自评表数据中找不到依据。`,
          }),
        );
      }
    }
  });
  for (const name of REQUIRED_SECTIONS) {
    if (!sections.some((s) => squash(s.heading).includes(name))) {
      out.push(finding("DRAFT_SECTION_MISSING", { where: { document: index, project: doc.name, label: name, field: "draft.sections" }, message: `草稿缺少“${name}”一节。` }));
    }
  }
  // Report ↔ table rules of the validator, applied to the draft as if it were the report.
  const asReport: SelfEvalDoc = {
    ...doc,
    report: { title: `${doc.name ?? ""}绩效自评报告`, sections: sections.map((s) => ({ heading: s.heading, text: s.text, text_present: squash(s.text) !== "" })) },
    provenance: { ...doc.provenance, report: { title: null, sections: sections.map((s) => ({ file: "draft", text: s.heading })) } },
  };
  for (const f of checkReport({ doc: asReport, index, file: { docs: [asReport], profile }, profile })) {
    if (f.code === "SECTION_MISSING") continue; // DRAFT_SECTION_MISSING above says it for a draft
    out.push({ ...f, where: { ...f.where, field: f.where.field?.replace(/^report\./, "draft.") ?? "draft" } });
  }
  return out;
}
