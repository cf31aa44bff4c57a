// 自评报告 ↔ 自评表 (domain.md §4.3, §5): empty sections, "存在的问题：无" despite deductions, mixed
// heading numbering, report numbers that differ from the table.
import type { Finding } from "../domain/finding.ts";
import { finding } from "./catalogue.ts";
import { whereDoc, type SelfEvalContext } from "./context.ts";
import { fundsRows } from "../domain/document.ts";
import { isPlaceholder, squash, toHalfWidth } from "../domain/text.ts";
import { fmt, pct, sub, within } from "../score/decimal.ts";
import { gradeOf } from "../score/profile.ts";
import { scoredLines } from "../score/lines.ts";

export type NumberStyle = "cn、" | "(cn)" | "(n)" | "n、" | "n." | "n)";

/** The numbering style of a heading-like paragraph, or null when it is not numbered. */
export function numberStyle(line: string): NumberStyle | null {
  const t = toHalfWidth(line.trim());
  if (/^[一二三四五六七八九十]+\s*[、.]/.test(t)) return "cn、";
  if (/^[(（]\s*[一二三四五六七八九十]+\s*[)）]/.test(t)) return "(cn)";
  if (/^[(（]\s*\d{1,2}\s*[)）]/.test(t)) return "(n)";
  if (/^\d{1,2}\s*、/.test(t)) return "n、";
  if (/^\d{1,2}\s*\.(?!\d)/.test(t)) return "n.";
  if (/^\d{1,2}\s*[)）]/.test(t)) return "n)";
  return null;
}

const PROBLEMS = /存在的?问题/;

const REQUIRED_TOPICS = [
  { name: "项目基本情况", re: /基本情况|项目概况/ },
  { name: "绩效评价工作情况", re: /评价工作|工作情况|工作开展/ },
  { name: "综合评价情况及评价结论", re: /综合评价|评价结论|自评结论/ },
  { name: "项目主要绩效情况分析", re: /绩效情况分析|指标分析|绩效分析|目标完成情况/ },
  { name: "存在的问题", re: /问题/ },
  { name: "有关建议", re: /建议|改进措施/ },
];

export function checkReport(ctx: SelfEvalContext): Finding[] {
  const { doc, profile } = ctx;
  const rep = doc.report;
  if (!rep) return [];
  const out: Finding[] = [];
  const pv = doc.provenance.report;

  rep.sections.forEach((s, i) => {
    if (!s.text_present) {
      out.push(
        finding("REPORT_SECTION_EMPTY", {
          where: whereDoc(ctx, s.heading, `report.sections[${i}].text`),
          message: `报告“${s.heading}”只有标题，没有正文。`,
          provenance: [pv?.sections[i]],
        }),
      );
    }
  });

  // Outline of the 自评报告 (domain.md §5 B; A and D use the same topics under other numbers).
  if (rep.sections.length >= 3) {
    const missing = REQUIRED_TOPICS.filter((t) => !rep.sections.some((sec) => t.re.test(squash(sec.heading))));
    if (missing.length) {
      out.push(
        finding("SECTION_MISSING", {
          where: whereDoc(ctx, "自评报告", "report.sections"),
          message: `报告缺少“${missing.map((m) => m.name).join("”“")}”${missing.length > 1 ? "等章节" : "一节"}（现有：${rep.sections.map((x) => x.heading).join("、")}）。`,
          provenance: [pv?.title],
        }),
      );
    }
  }

  const deducted =
    (doc.total.score !== null && doc.total.weight !== null && doc.total.score < doc.total.weight - profile.tolerance.total) ||
    scoredLines(doc.indicators).some((l) => {
      const ind = doc.indicators[l.i]!;
      return ind.weight !== null && ind.score !== null && ind.score < ind.weight - profile.tolerance.line;
    });
  const problems = rep.sections.findIndex((s) => PROBLEMS.test(s.heading));
  if (deducted && problems >= 0 && isPlaceholder(rep.sections[problems]!.text)) {
    out.push(
      finding("NO_PROBLEMS_BUT_DEDUCTION", {
        where: whereDoc(ctx, rep.sections[problems]!.heading, `report.sections[${problems}].text`),
        message: `自评扣了分（总分 ${doc.total.score ?? "（空）"}/${doc.total.weight ?? 100}），“${rep.sections[problems]!.heading}”却写${rep.sections[problems]!.text ? `“${squash(rep.sections[problems]!.text)}”` : "空白"}。`,
        provenance: [pv?.sections[problems], doc.provenance.total.score],
      }),
    );
  }

  // Numbering: sections must all be "一、"; sub-headings must not mix (一) with (2), etc.
  const issues: string[] = [];
  const rawHeadings = (pv?.sections ?? []).map((p) => p?.text ?? "");
  const badTop = rawHeadings.filter((h) => h && numberStyle(h) !== "cn、");
  if (badTop.length) issues.push(`章节标题用了 ${badTop.map((h) => `“${squash(h).slice(0, 8)}…”`).join("、")}`);
  const subStyles = new Map<NumberStyle, string>();
  for (const s of rep.sections) {
    for (const line of s.text.split("\n")) {
      const st = numberStyle(line);
      if (st === "(cn)" || st === "(n)") if (!subStyles.has(st)) subStyles.set(st, squash(line).slice(0, 8));
    }
  }
  if (subStyles.size > 1) issues.push(`二级标题混用 ${[...subStyles.values()].map((x) => `“${x}…”`).join(" 与 ")}`);
  if (issues.length) {
    out.push(
      finding("HEADING_NUMBERING_INCONSISTENT", {
        where: whereDoc(ctx, "自评报告"),
        message: `报告标题编号格式不统一：${issues.join("；")}。`,
        provenance: badTop.length ? pv?.sections.filter((p) => p && numberStyle(p.text) !== "cn、") : [pv?.title],
      }),
    );
  }

  out.push(...checkReportNumbers(ctx));
  return out;
}

/** Amounts, 执行率 and the total score quoted in the report must be the table's (domain.md §4.3). */
function checkReportNumbers(ctx: SelfEvalContext): Finding[] {
  const { doc, profile } = ctx;
  const out: Finding[] = [];
  const t = doc.funds.total;
  // Any figure of the funds block (source rows too) and the differences a report explains.
  const amounts = fundsRows(doc.funds).flatMap((r) => [r.initial, r.adjusted, r.executed]).filter((x): x is number => x !== null);
  if (t.adjusted !== null && t.executed !== null) amounts.push(sub(t.adjusted, t.executed));
  if (t.adjusted !== null && t.initial !== null) amounts.push(sub(t.adjusted, t.initial), sub(t.initial, t.adjusted));
  const exec = t.adjusted && t.executed !== null ? t.executed / t.adjusted : null;
  doc.report!.sections.forEach((s, si) => {
    const text = toHalfWidth(s.text).replace(/\s+/g, "");
    // "项目总资金6万元", "预算资金19.2万元", "执行66.44万元", "支出73.6万元".
    // Only labels that name a funds figure; "宣传品印制支出2万元" is a spending item, not the table's.
    for (const m of text.matchAll(/(总资金|总预算|预算资金|预算数|项目资金|全年预算|年初预算|执行数|实际支出|执行金额|结余资金|结余)(?:为|是|共计|合计|共|约)?(\d+(?:\.\d+)?)万元/g)) {
      const v = Number(m[2]);
      if (amounts.length && !amounts.some((a) => within(a, v, 0.01))) {
        out.push(
          finding("REPORT_TABLE_NUM_MISMATCH", {
            where: whereDoc(ctx, s.heading, `report.sections[${si}].text`),
            message: `报告写“${m[0]}”，自评表中年初预算数 ${t.initial ?? "（空）"}、全年预算数 ${t.adjusted ?? "（空）"}、全年执行数 ${t.executed ?? "（空）"} 万元。`,
            provenance: [doc.provenance.funds.total.adjusted, doc.provenance.funds.total.executed],
          }),
        );
      }
    }
    for (const m of text.matchAll(/执行率(?:约为|约|为|达到了|达到|达)?(\d+(?:\.\d+)?)%/g)) {
      const v = Number(m[1]);
      if (exec !== null && Math.abs(v - exec * 100) > profile.tolerance.ratePoints + 0.005) {
        out.push(
          finding("REPORT_TABLE_NUM_MISMATCH", {
            where: whereDoc(ctx, s.heading, `report.sections[${si}].text`),
            message: `报告写执行率 ${v}%，按自评表应为 ${pct(exec)}。`,
            provenance: [doc.provenance.funds.total.rate],
          }),
        );
      }
    }
    for (const m of text.matchAll(/(?:自评总分|自评得分|综合得分|最终得分|总得分|总分)(?:为|是|达到|达)?(\d+(?:\.\d+)?)分(?!制)/g)) {
      const v = Number(m[1]);
      // "评价指标体系总分100分", "满分100分": the scale, not the result.
      if (/(体系|满分|评分标准|分值)$/.test(text.slice(Math.max(0, m.index! - 4), m.index!))) continue;
      if (doc.total.score !== null && !within(v, doc.total.score, profile.tolerance.total)) {
        out.push(
          finding("REPORT_SCORE_MISMATCH", {
            where: whereDoc(ctx, s.heading, `report.sections[${si}].text`),
            message: `报告写总分 ${v} 分，自评表总分为 ${fmt(doc.total.score)} 分。`,
            provenance: [doc.provenance.total.score],
          }),
        );
      }
    }
    for (const m of text.matchAll(/(?:评价)?等级(?:为|是|评定为)?[“"]?(优|良|中|差)/g)) {
      if (doc.total.score === null) continue;
      const g = gradeOf(doc.total.score, profile);
      if (g !== m[1]) {
        out.push(
          finding("REPORT_SCORE_MISMATCH", {
            where: whereDoc(ctx, s.heading, `report.sections[${si}].text`),
            message: `报告写等级“${m[1]}”，自评表总分 ${fmt(doc.total.score)} 分对应等级“${g}”。`,
            provenance: [doc.provenance.total.score],
          }),
        );
      }
    }
  });
  return out;
}
