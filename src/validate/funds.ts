// Funds block checks (domain.md §2.2, §4.1): 执行率 and its points, source rows adding up,
// budget changes and low execution explained.
import type { Finding } from "../domain/finding.ts";
import type { FundColKey, FundRowKey } from "../domain/document.ts";
import { finding } from "./catalogue.ts";
import { whereDoc, type SelfEvalContext } from "./context.ts";
import { scoreExecution } from "../score/execution.ts";
import { fmt, pct, sum, within } from "../score/decimal.ts";
import { parseNumber } from "../domain/text.ts";
import { isPlaceholder, toHalfWidth } from "../domain/text.ts";
import { FUND_COL_LABELS, FUND_ROW_LABELS } from "../domain/selfEvalForm.ts";

const COL_NAMES = Object.fromEntries(Object.entries(FUND_COL_LABELS).map(([k, v]) => [k, v.name])) as Record<"initial" | "adjusted" | "executed", string>;
const ROW_NAMES = Object.fromEntries(Object.entries(FUND_ROW_LABELS).map(([k, v]) => [k, v.name])) as Record<FundRowKey, string>;

export function checkFunds(ctx: SelfEvalContext): Finding[] {
  const out: Finding[] = [];
  const { doc, profile } = ctx;
  const t = doc.funds.total;
  const pv = doc.provenance.funds.total;
  const A = t.adjusted;
  const B = t.executed;
  const exec = scoreExecution(t, profile.weights.execution);
  const printedRate = parseNumber(t.rate);
  const tol = profile.tolerance;

  if (A === null || A === 0) {
    // 全年预算数 0 or blank: a rate cannot exist, and points cannot be earned from it.
    if ((B !== null && B > 0) || t.rate !== null || (t.score !== null && t.score > 0)) {
      out.push(
        finding("RATE_MISMATCH", {
          where: whereDoc(ctx, "年度资金总额/执行率", "funds.total.rate"),
          message: `全年预算数为${A === null ? "空" : " 0"}、全年执行数为${B === null ? "空" : ` ${fmt(B)}`}，执行率无法计算，表中却填了执行率 ${t.rate ?? "（空）"}、得分 ${t.score ?? "（空）"}。`,
          fix: "先补正全年预算数（含追加和结转）与全年执行数，再按 执行率 = 全年执行数 ÷ 全年预算数 计算执行率和得分。",
          provenance: [pv.adjusted, pv.executed, pv.rate, pv.score],
        }),
      );
    }
  } else if (B !== null && exec.rate !== null) {
    if (t.rate === null) {
      out.push(
        finding("RATE_MISSING", {
          where: whereDoc(ctx, "年度资金总额/执行率", "funds.total.rate"),
          message: `执行率未填写；按全年执行数 ${fmt(B, 6)} ÷ 全年预算数 ${fmt(A, 6)} 应为 ${pct(exec.rate)}。`,
          suggestion: { text: pct(exec.rate), basis: exec.formula, field: "funds.total.rate", value: pct(exec.rate), source: "rule" },
          provenance: [pv.adjusted, pv.executed, pv.rate],
        }),
      );
    } else if (printedRate !== null && Math.abs(printedRate - exec.rate * 100) > tol.ratePoints + 0.5 * 10 ** -printedDecimals(t.rate)) {
      // A rate printed as "79%" is right for 79.29%: the tolerance follows the decimals actually printed.
      out.push(
        finding("RATE_MISMATCH", {
          where: whereDoc(ctx, "年度资金总额/执行率", "funds.total.rate"),
          message: `执行率填为 ${t.rate}，按 ${fmt(B, 6)} ÷ ${fmt(A, 6)} 应为 ${pct(exec.rate)}。`,
          suggestion: { text: pct(exec.rate), basis: exec.formula, field: "funds.total.rate", value: pct(exec.rate), source: "rule" },
          provenance: [pv.adjusted, pv.executed, pv.rate],
        }),
      );
    }
    if (t.score !== null && exec.score !== null && !within(t.score, exec.score, tol.line)) {
      out.push(
        finding("RATE_MISMATCH", {
          where: whereDoc(ctx, "年度资金总额/得分", "funds.total.score"),
          message: `预算执行率得分填为 ${fmt(t.score)}，按公式应为 ${fmt(exec.score)}（${exec.formula}）。`,
          suggestion: { text: fmt(exec.score), basis: exec.formula, field: "funds.total.score", value: exec.score, source: "rule" },
          provenance: [pv.adjusted, pv.executed, pv.score],
        }),
      );
    }
    if (B > A) {
      out.push(
        finding("EXEC_OVER_100", {
          where: whereDoc(ctx, "年度资金总额/全年执行数", "funds.total.executed"),
          message: `全年执行数 ${fmt(B, 6)} 大于全年预算数 ${fmt(A, 6)}（执行率 ${pct(exec.rate)}），得分已按满分封顶。`,
          provenance: [pv.adjusted, pv.executed],
        }),
      );
    }
    if (exec.rate < profile.lowExecutionRate && !hasExplanation(ctx)) {
      out.push(
        finding("LOW_EXEC_NO_REASON", {
          where: whereDoc(ctx, "年度资金总额/执行率", "funds.total.rate"),
          message: `执行率 ${pct(exec.rate)} 低于 ${pct(profile.lowExecutionRate)}，但表和报告中没有说明原因。`,
          provenance: [pv.adjusted, pv.executed],
        }),
      );
    }
  }

  // Row identity per column: 年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金 (+ the further source rows
  // of a provincial form, 四川 财政专户管理资金 / 单位资金). Further rows may also be a breakdown of 财政拨款
  // (中央/省/市级资金): the identity holds when either reading adds up.
  const more = doc.funds.more ?? [];
  for (const col of ["initial", "adjusted", "executed"] as const satisfies readonly FundColKey[]) {
    const parts = (["fiscal", "carryover", "other"] as const).map((k) => doc.funds[k][col]);
    const extra = more.map((m) => m[col]);
    if ([...parts, ...extra].every((p) => p === null)) continue;
    const partsSum = sum(parts.map((p) => p ?? 0));
    const withExtra = sum([...parts, ...extra].map((p) => p ?? 0));
    const total = doc.funds.total[col];
    const holds = (s: number) => (total === null ? s === 0 : within(total, s, tol.line));
    if (holds(partsSum) || (extra.some((x) => x !== null) && holds(withExtra))) continue;
    const expected = extra.some((x) => x !== null) ? withExtra : partsSum;
    const terms = [
      `当年财政拨款 ${fmt(parts[0] ?? 0, 6)}`,
      `上年结转资金 ${fmt(parts[1] ?? 0, 6)}`,
      `其他资金 ${fmt(parts[2] ?? 0, 6)}`,
      ...more.filter((m) => m[col] !== null).map((m) => `${m.label} ${fmt(m[col]!, 6)}`),
    ];
    out.push(
      finding("FUNDS_SUM_MISMATCH", {
        where: whereDoc(ctx, `${COL_NAMES[col]}列`, `funds.total.${col}`),
        message: `${COL_NAMES[col]}：年度资金总额 ${total === null ? "（空）" : fmt(total, 6)} ≠ ${terms.join(" + ")} = ${fmt(expected, 6)}。`,
        suggestion: { text: fmt(expected, 6), basis: "各资金来源之和", field: `funds.total.${col}`, value: expected, source: "rule" },
        provenance: [doc.provenance.funds.total[col], ...(["fiscal", "carryover", "other"] as const).map((k) => doc.provenance.funds[k][col]), ...(doc.provenance.funds.more ?? []).map((m) => m[col])],
      }),
    );
  }

  // A source row that is > 0 at the start of the year and 0 in the full year, while another goes 0 → > 0.
  const rows = ["fiscal", "carryover", "other"] as const;
  const dropped = rows.filter((k) => (doc.funds[k].initial ?? 0) > 0 && (doc.funds[k].adjusted ?? 0) === 0);
  const appeared = rows.filter((k) => (doc.funds[k].initial ?? 0) === 0 && (doc.funds[k].adjusted ?? 0) > 0);
  if (dropped.length && appeared.length) {
    out.push(
      finding("FUND_ROW_RECLASS", {
        where: whereDoc(ctx, "资金来源"),
        message: `${dropped.map((k) => `${ROW_NAMES[k]}（年初 ${fmt(doc.funds[k].initial!)}，全年 0）`).join("、")}与${appeared.map((k) => `${ROW_NAMES[k]}（年初 0，全年 ${fmt(doc.funds[k].adjusted!)}）`).join("、")}之间改变了口径。`,
        provenance: [...dropped, ...appeared].flatMap((k) => [doc.provenance.funds[k].initial, doc.provenance.funds[k].adjusted]),
      }),
    );
  }

  if (t.initial !== null && A !== null && !within(t.initial, A, tol.line) && !hasExplanation(ctx, /追加|调减|调整|结转|调增|压减/)) {
    out.push(
      finding("BUDGET_ADJ_UNEXPLAINED", {
        where: whereDoc(ctx, "年度资金总额/全年预算数", "funds.total.adjusted"),
        message: `全年预算数 ${fmt(A, 6)} 与年初预算数 ${fmt(t.initial, 6)} 不同，但没有说明追加、调减或结转的原因。`,
        provenance: [pv.initial, pv.adjusted],
      }),
    );
  }
  return out;
}

function printedDecimals(text: string | null): number {
  const m = /\d+\.(\d+)/.exec(toHalfWidth(text ?? ""));
  return m ? m[1]!.length : 0;
}

// A reason about the money, not any sentence with 原因 (an indicator's "因疫情原因少开展1场" is not one).
const BUDGET_REASON = /(资金|支出|执行|预算|拨付|结余|结转)[^。；]{0,30}(原因|由于|因为|导致|因)|(原因|由于|因为|导致)[^。；]{0,30}(资金|支出|执行|预算|拨付|结余|结转)/;

/** Whether the report or a deviation cell explains budget matters (optionally matching `re`). */
function hasExplanation(ctx: SelfEvalContext, re: RegExp = BUDGET_REASON): boolean {
  const texts = [...(ctx.doc.report?.sections.map((s) => s.text) ?? []), ...ctx.doc.indicators.map((i) => i.deviation ?? "")];
  return texts.some((t) => !isPlaceholder(t) && re.test(t));
}
