// 绩效目标申报表 checks (domain.md §3.5, §4.1–4.2): budget breakdown arithmetic (tolerant of the
// rounding of printed items), vague targets, missing dimensions and fields, irrelevant targets.
import type { Finding } from "../domain/finding.ts";
import type { Provenance } from "../domain/document.ts";
import { finding } from "./catalogue.ts";
import { isPlaceholderText } from "../domain/vocabulary.ts";
import { q, whereDoc, type TargetFormContext } from "./context.ts";
import { vagueTarget } from "./vague.ts";
import { suggestFormTarget } from "../suggest/index.ts";
import { irrelevantFields } from "./indicators.ts";
import { fmt, roundHalfUp, sum } from "../score/decimal.ts";

/** Decimals printed in the cell (at least `min`): a value printed to d decimals is exact to 0.5·10⁻ᵈ. */
function printedDecimals(p: Provenance | null | undefined, min = 2): number {
  const m = /\d+\.(\d+)/.exec(p?.text ?? "");
  return Math.max(min, m ? m[1]!.length : 0);
}

const REQUIRED_FIELDS = ["项目负责人", "联系人", "联系电话", "填报日期"];

export function checkTargetForm(ctx: TargetFormContext): Finding[] {
  const { doc } = ctx;
  const out: Finding[] = [];
  const pv = doc.provenance;

  // Σ items = 金额合计, within what the rounding of the printed items explains.
  const items = doc.budget_items.map((it, i) => ({ it, i })).filter(({ it }) => it.amount !== null);
  if (items.length && doc.amount_total !== null) {
    const s = sum(items.map(({ it }) => it.amount!));
    const slack = sum(items.map(({ i }) => 0.5 * 10 ** -printedDecimals(pv.budget_items[i]?.amount))) + 0.5 * 10 ** -printedDecimals(pv.amount_total, 4);
    if (Math.abs(s - doc.amount_total) > slack + 1e-9) {
      out.push(
        finding("ITEM_SUM_MISMATCH", {
          where: whereDoc(ctx, "项目预算分解/金额合计", "amount_total"),
          message: `${items.length} 项明细金额之和为 ${fmt(s, 4)} 万元，金额合计为 ${fmt(doc.amount_total, 4)} 万元，相差 ${fmt(Math.abs(s - doc.amount_total), 4)}，超出明细四舍五入可解释的 ${fmt(slack, 4)}。`,
          provenance: [pv.amount_total],
        }),
      );
    }
  }
  // amount ÷ quantity must round to the printed unit price (not amount = unit × quantity).
  doc.budget_items.forEach((it, i) => {
    if (it.amount === null || it.unit_price === null || !it.quantity) return;
    const d = printedDecimals(pv.budget_items[i]?.unit_price);
    const unit = roundHalfUp(it.amount / it.quantity, d);
    if (Math.abs(unit - it.unit_price) > 10 ** -d / 2) {
      out.push(
        finding("ITEM_PRODUCT_MISMATCH", {
          where: whereDoc(ctx, `项目预算分解/${it.name ?? i + 1}`, `budget_items[${i}].unit_price`),
          message: `${q(it.name)}：金额 ${fmt(it.amount, 4)} ÷ 数量 ${fmt(it.quantity, 4)} = ${fmt(it.amount / it.quantity, 4)}，四舍五入为 ${fmt(unit, d)}，与单价 ${fmt(it.unit_price, d)} 不符。`,
          provenance: [pv.budget_items[i]?.amount, pv.budget_items[i]?.unit_price, pv.budget_items[i]?.quantity],
        }),
      );
    }
  });

  doc.targets.forEach((t, i) => {
    // A 不适用 / 无 / / row says the dimension does not apply: it raises nothing about its wording.
    if (isPlaceholderText(t.level3) || isPlaceholderText(t.value)) return;
    const v = vagueTarget(t.value);
    if (v.vague) {
      out.push(
        finding("VAGUE_TARGET", {
          where: { document: ctx.index, project: doc.name, indicator: i, label: [t.level1, t.level2, t.level3].filter(Boolean).join("/"), field: `targets[${i}].value` },
          message: `目标值${q(t.value)}没有数值${v.boolean ? "（只写了“是/否”）" : v.words.length ? `（含“${v.words[0]}”等不可衡量的词）` : ""}，无法据以评价。`,
          suggestion: suggestFormTarget(doc, i),
          provenance: [pv.targets[i]?.value],
        }),
      );
    }
    const irr = irrelevantFields(`${t.level3 ?? ""} ${t.description ?? ""}`, doc.name ?? "");
    if (irr) {
      out.push(
        finding("INDICATOR_IRRELEVANT", {
          where: { document: ctx.index, project: doc.name, indicator: i, label: [t.level1, t.level2, t.level3].filter(Boolean).join("/"), field: `targets[${i}].level3` },
          message: `${q(t.level3)}属于“${irr.join("、")}”领域，与本项目（${doc.name ?? "未命名"}）无关。`,
          provenance: [pv.targets[i]?.level3],
        }),
      );
    }
  });

  if (doc.targets.length) {
    const l = doc.targets.map((t) => `${t.level1 ?? ""}/${t.level2 ?? ""}`);
    const has = (re: RegExp) => l.some((x) => re.test(x));
    const errors: string[] = [];
    if (!has(/产出/)) errors.push("产出目标");
    if (!has(/效益|效果/)) errors.push("效益（效果）目标");
    if (errors.length) out.push(finding("MISSING_CORE_DIMENSION", { where: whereDoc(ctx, "绩效目标"), message: `绩效目标缺少${errors.join("、")}。` }));
    const warn: string[] = [];
    if (!has(/成本/)) warn.push("成本目标（财预〔2021〕101号将成本列为一级指标）");
    if (!has(/满意/)) warn.push("满意度目标");
    if (warn.length) {
      out.push(finding("MISSING_CORE_DIMENSION", { severity: "warning", where: whereDoc(ctx, "绩效目标"), message: `绩效目标没有${warn.join("、")}。`, fix: "补充成本目标（如“项目总成本 ≤ 预算金额”）及满意度目标。" }));
    }
  }

  const blank = REQUIRED_FIELDS.filter((f) => f in doc.fields && doc.fields[f] === null);
  if (blank.length) {
    out.push(
      finding("MISSING_FIELD", {
        where: whereDoc(ctx, blank.join("/"), "fields"),
        message: `申报表中${blank.join("、")}未填写。`,
        provenance: blank.map((f) => pv.fields[f]),
      }),
    );
  }
  return out;
}
