// The 自评表 as an editable table in the official layout (财预〔2020〕10号 annex: header, funds block,
// 年度总体目标, indicator tree, 总分), and the 申报表 as a simpler one. Each value cell carries its
// interchange path (data-field) so findings land on the cell they concern.
import type { DocumentView, FindingView } from "./api.ts";
import { FUND_ROW_LABELS, FUND_ROW_ORDER } from "../src/domain/selfEvalForm.ts";
import { fmtNum, h, type Child } from "./dom.ts";
import { byField, fieldsByPosition } from "./cells.ts";
import { attachFindings, worst, type FindingActions } from "./findings.ts";

type Kind = "text" | "long" | "number";

export interface TableHandlers extends FindingActions {
  edit: (field: string, value: string) => void;
}

interface Ctx {
  findings: Map<string, FindingView[]>;
  handlers: TableHandlers;
  readOnly: boolean;
}

type SelfEval = Extract<DocumentView["data"], { kind: "自评表" }>;
type TargetForm = Extract<DocumentView["data"], { kind: "目标申报表" }>;
type Dept = Extract<DocumentView["data"], { kind: "部门整体" }>;

const td = (props: Record<string, string | number>, ...children: Child[]) => h("td", props, ...children);
const th = (props: Record<string, string | number>, ...children: Child[]) => h("th", props, ...children);

/** A value cell: an input bound to `field`, flagged by the worst severity among its findings. */
function valueCell(ctx: Ctx, field: string, value: string | number | null, kind: Kind, label: string, extra: { colspan?: number; rowspan?: number; after?: Child } = {}): HTMLTableCellElement {
  const fs = ctx.findings.get(field) ?? [];
  const sev = worst(fs);
  const shown = typeof value === "number" ? fmtNum(value) : (value ?? "");
  const common = {
    "aria-label": label,
    "aria-invalid": sev === "error" ? "true" : null,
    "aria-description": fs.length ? fs.map((f) => f.message).join(" ") : null,
    dataset: { field, orig: shown },
    value: shown,
    readOnly: ctx.readOnly,
  };
  const input =
    kind === "number"
      ? h("input", { ...common, type: "text", inputmode: "decimal", class: "num", autocomplete: "off" })
      : h("textarea", { ...common, rows: 1, class: kind === "long" ? "long" : "short", spellcheck: "false" });
  input.addEventListener("change", () => {
    if (input.value !== input.dataset.orig) ctx.handlers.edit(field, input.value);
  });
  if (input instanceof HTMLInputElement) {
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") input.blur();
    });
  }
  const cell = h(
    "td",
    { class: `cell${sev ? ` flagged sev-${sev}` : ""}`, colspan: extra.colspan ?? null, rowspan: extra.rowspan ?? null, dataset: { field } },
    input,
    fs.length ? h("span", { class: `mark sev-${sev}`, "aria-hidden": "true" }, String(fs.length)) : null,
    extra.after ?? null,
  );
  attachFindings(cell, fs, ctx.handlers);
  return cell;
}

/** Runs of equal values (for the merged 一级/二级 cells): start index → length. */
function runs(values: (string | null)[], within?: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  const breaks = new Set<number>(within ? [...within.keys()] : []);
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || values[i] !== values[start] || breaks.has(i)) {
      out.set(start, i - start);
      start = i;
    }
  }
  return out;
}

const FUND_ROWS: [Exclude<keyof SelfEval["funds"], "more">, string][] = FUND_ROW_ORDER.map((k) => [k, FUND_ROW_LABELS[k].printed]);

function selfEvalTable(view: DocumentView, doc: SelfEval, ctx: Ctx): HTMLElement {
  const sc = view.scoring;
  const rows: HTMLTableRowElement[] = [];
  const unit = doc.unit ?? "万元";

  rows.push(h("tr", {}, th({ scope: "row" }, "项目名称"), valueCell(ctx, "name", doc.name, "long", "项目名称", { colspan: 8 })));
  rows.push(
    h("tr", {},
      th({ scope: "row" }, "主管部门"), valueCell(ctx, "department", doc.department, "text", "主管部门", { colspan: 3 }),
      th({ scope: "row" }, "实施单位"), valueCell(ctx, "implementer", doc.implementer, "text", "实施单位", { colspan: 4 }),
    ),
  );
  rows.push(
    h("tr", { class: "head" },
      th({ rowspan: 5, scope: "rowgroup" }, `项目资金（${unit}）`),
      th({ colspan: 2 }, ""), th({}, "年初预算数"), th({}, "全年预算数"), th({}, "全年执行数"), th({}, "分值"), th({}, "执行率"), th({}, "得分"),
    ),
  );
  for (const [key, label] of FUND_ROWS) {
    const r = doc.funds[key];
    const f = (col: string) => `funds.${key}.${col}`;
    const isTotal = key === "total";
    const exec = sc?.execution;
    rows.push(
      h("tr", {},
        th({ colspan: 2, scope: "row", class: "sub" }, label),
        valueCell(ctx, f("initial"), r.initial, "number", `${label}/年初预算数`),
        valueCell(ctx, f("adjusted"), r.adjusted, "number", `${label}/全年预算数`),
        valueCell(ctx, f("executed"), r.executed, "number", `${label}/全年执行数`),
        isTotal ? valueCell(ctx, f("weight"), r.weight, "number", `${label}/分值`) : td({ class: "na" }, "—"),
        isTotal
          ? valueCell(ctx, f("rate"), r.rate, "text", `${label}/执行率`, {
              after: exec && exec.rate !== null ? h("div", { class: "recalc", title: exec.formula }, `重算 ${fmtNum(exec.rate * 100)}%`) : null,
            })
          : td({ class: "na" }, "—"),
        isTotal
          ? valueCell(ctx, f("score"), r.score, "number", `${label}/得分`, {
              after: exec && exec.computed !== null
                ? h("div", { class: `recalc${exec.printed !== null && Math.abs(exec.computed - exec.printed) > 0.01 ? " differs" : ""}`, title: exec.formula, dataset: { recalc: "execution" } }, `重算 ${fmtNum(exec.computed)}`)
                : null,
            })
          : td({ class: "na" }, "—"),
      ),
    );
  }
  rows.push(h("tr", { class: "head" }, th({ rowspan: 2, scope: "rowgroup" }, "年度总体目标"), th({ colspan: 4 }, "预期目标"), th({ colspan: 4 }, "实际完成情况")));
  rows.push(
    h("tr", {},
      valueCell(ctx, "goals.expected", doc.goals.expected, "long", "年度总体目标/预期目标", { colspan: 4 }),
      valueCell(ctx, "goals.actual", doc.goals.actual, "long", "年度总体目标/实际完成情况", { colspan: 4 }),
    ),
  );

  // Indicator tree: 一级 and 二级 merged over runs of equal values; shared-score groups merge 分值/得分.
  const inds = doc.indicators;
  const l1 = runs(inds.map((i) => i.level1));
  const l2 = runs(inds.map((i) => `${i.level1}\u0000${i.level2}`), l1);
  const lineOf = new Map<number, NonNullable<DocumentView["scoring"]>["lines"][number]>();
  const covered = new Set<number>();
  for (const l of sc?.lines ?? []) {
    lineOf.set(l.index, l);
    for (const g of l.group) if (g !== l.index) covered.add(g);
  }
  rows.push(
    h("tr", { class: "head" },
      th({ rowspan: inds.length + 1, scope: "rowgroup" }, "绩效指标"),
      th({}, "一级指标"), th({}, "二级指标"), th({}, "三级指标"), th({}, "年度指标值"), th({}, "实际完成值"), th({}, "分值"), th({}, "得分"), th({}, "偏差原因分析及改进措施"),
    ),
  );
  inds.forEach((ind, i) => {
    const f = (k: string) => `indicators[${i}].${k}`;
    const cells: HTMLTableCellElement[] = [];
    const span1 = l1.get(i);
    if (span1) cells.push(mergedLabel(ctx, f("level1"), ind.level1, span1));
    const span2 = l2.get(i);
    if (span2) cells.push(mergedLabel(ctx, f("level2"), ind.level2, span2));
    const name = ind.level3 ?? ind.level2 ?? `第 ${i + 1} 项`;
    cells.push(valueCell(ctx, f("level3"), ind.level3, "long", `第 ${i + 1} 项/三级指标`));
    cells.push(valueCell(ctx, f("target"), ind.target, "text", `${name}/年度指标值`));
    cells.push(valueCell(ctx, f("actual"), ind.actual, "text", `${name}/实际完成值`));
    if (!covered.has(i)) {
      const line = lineOf.get(i);
      const span = line && line.group.length > 1 ? line.group.length : undefined;
      cells.push(valueCell(ctx, f("weight"), ind.weight, "number", `${name}/分值`, span ? { rowspan: span } : {}));
      const differs = line && line.computed !== null && line.printed !== null && Math.abs(line.computed - line.printed) > 0.01;
      cells.push(
        valueCell(ctx, f("score"), ind.score, "number", `${name}/得分`, {
          ...(span ? { rowspan: span } : {}),
          after: line
            ? h("div", { class: `recalc${differs ? " differs" : ""}`, title: line.formula, dataset: { recalc: String(i) } }, line.computed !== null ? `重算 ${fmtNum(line.computed)}` : "不可重算")
            : null,
        }),
      );
    }
    cells.push(valueCell(ctx, f("deviation"), ind.deviation, "long", `${name}/偏差原因分析及改进措施`));
    rows.push(h("tr", { dataset: { indicator: String(i) } }, ...cells));
  });
  rows.push(
    h("tr", { class: "total" },
      th({ colspan: 7, scope: "row" }, "总分"),
      valueCell(ctx, "total.weight", doc.total.weight, "number", "总分/分值"),
      valueCell(ctx, "total.score", doc.total.score, "number", "总分/得分", {
        after: sc ? h("div", { class: "recalc", title: "预算执行率得分 + 各项指标得分（不可重算的取填报值）" }, `重算 ${fmtNum(sc.total.recomputed)}`) : null,
      }),
      td({ class: "na" }, ""),
    ),
  );
  // Column widths of the official form: label, 一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 偏差原因.
  const widths = [10, 9, 9, 13, 12, 12, 8, 9, 18];
  return h("table", { class: "form selfeval", "aria-label": "项目支出绩效自评表" },
    h("colgroup", {}, widths.map((w) => {
      const col = h("col");
      col.style.width = `${w}%`; // CSSOM, not a style attribute: the page's CSP forbids inline styles
      return col;
    })),
    h("tbody", {}, rows),
  );
}

/** 一级/二级 labels: shown merged; findings on them still show (on the first indicator's field). */
function mergedLabel(ctx: Ctx, field: string, value: string | null, span: number): HTMLTableCellElement {
  const fs = ctx.findings.get(field) ?? [];
  const sev = worst(fs);
  const cell = h("td", { class: `label${sev ? ` flagged sev-${sev}` : ""}`, rowspan: span, dataset: { field }, tabindex: fs.length ? 0 : null }, value ?? "");
  attachFindings(cell, fs, ctx.handlers);
  return cell;
}

function targetFormTable(doc: TargetForm, ctx: Ctx): HTMLElement {
  const head = h("table", { class: "form targetform", "aria-label": "绩效目标申报表" },
    h("tbody", {},
      h("tr", {}, th({ scope: "row" }, "项目名称"), valueCell(ctx, "name", doc.name, "long", "项目名称", { colspan: 3 })),
      h("tr", {}, th({ scope: "row" }, "主管部门"), valueCell(ctx, "department", doc.department, "text", "主管部门"), th({ scope: "row" }, "实施单位"), valueCell(ctx, "implementer", doc.implementer, "text", "实施单位")),
      h("tr", {}, th({ scope: "row" }, "项目类别"), valueCell(ctx, "category", doc.category, "text", "项目类别"), th({ scope: "row" }, `项目资金（${doc.unit ?? "万元"}）`), valueCell(ctx, "funds_total", doc.funds_total, "number", "项目资金总额")),
      h("tr", {}, th({ scope: "row" }, "开始日期"), valueCell(ctx, "start", doc.start, "text", "开始日期"), th({ scope: "row" }, "结束日期"), valueCell(ctx, "end", doc.end, "text", "结束日期")),
      h("tr", {}, th({ scope: "row" }, "项目编码"), valueCell(ctx, "code", doc.code, "text", "项目编码"), th({ scope: "row" }, "实施期限"), valueCell(ctx, "period", doc.period, "text", "实施期限")),
      h("tr", {}, th({ scope: "row" }, "项目类型"), valueCell(ctx, "project_type", doc.project_type, "text", "项目类型"), th({ scope: "row" }, `本年度金额（${doc.unit ?? "万元"}）`), valueCell(ctx, "funds_year", doc.funds_year, "number", "本年度项目金额")),
      ...([["policy_basis", "政策依据"], ["calc_basis", "测算依据"], ["annual_goal", "年度目标"], ["long_term_goal", "长期目标"]] as const).map(([k, label]) =>
        h("tr", {}, th({ scope: "row" }, label), valueCell(ctx, k, doc[k], "long", label, { colspan: 3 })),
      ),
    ),
  );
  // The table as a whole carries a path too: a review opinion may concern it (绩效目标表未填写).
  const targets = h("table", { class: "form", "aria-label": "绩效目标", dataset: { field: "targets" } },
    h("thead", {}, h("tr", {}, th({}, "一级指标"), th({}, "二级指标"), th({}, "三级指标"), th({}, "指标值"), th({}, "说明"))),
    h("tbody", {}, doc.targets.map((t, i) =>
      h("tr", {},
        valueCell(ctx, `targets[${i}].level1`, t.level1, "text", `第 ${i + 1} 项/一级指标`),
        valueCell(ctx, `targets[${i}].level2`, t.level2, "text", `第 ${i + 1} 项/二级指标`),
        valueCell(ctx, `targets[${i}].level3`, t.level3, "long", `第 ${i + 1} 项/三级指标`),
        valueCell(ctx, `targets[${i}].value`, t.value, "text", `第 ${i + 1} 项/指标值`),
        valueCell(ctx, `targets[${i}].description`, t.description, "long", `第 ${i + 1} 项/说明`),
      ),
    )),
  );
  const items = doc.budget_items.length
    ? h("table", { class: "form", "aria-label": "项目预算明细" },
        h("thead", {}, h("tr", {}, th({}, "明细"), th({}, "金额"), th({}, "单价"), th({}, "数量"))),
        h("tbody", {}, doc.budget_items.map((b, i) =>
          h("tr", {},
            valueCell(ctx, `budget_items[${i}].name`, b.name, "text", `第 ${i + 1} 项明细/名称`),
            valueCell(ctx, `budget_items[${i}].amount`, b.amount, "number", `第 ${i + 1} 项明细/金额`),
            valueCell(ctx, `budget_items[${i}].unit_price`, b.unit_price, "number", `第 ${i + 1} 项明细/单价`),
            valueCell(ctx, `budget_items[${i}].quantity`, b.quantity, "number", `第 ${i + 1} 项明细/数量`),
          ),
        )),
      )
    : null;
  return h("div", {}, head, h("h3", {}, "绩效目标"), targets, items ? h("h3", {}, "预算明细") : null, items);
}

function deptTable(doc: Dept, ctx: Ctx): HTMLElement {
  const self = doc.form === "自评表";
  const t = doc.funds.total;
  const head = h("table", { class: "form targetform", "aria-label": "部门整体基本信息" },
    h("tbody", {},
      h("tr", {}, th({ scope: "row" }, "部门（单位）名称"), valueCell(ctx, "name", doc.name, "long", "部门（单位）名称"), th({ scope: "row" }, "部门编码"), valueCell(ctx, "code", doc.code, "text", "部门编码")),
      h("tr", {}, th({ scope: "row" }, "部门职能职责概述"), valueCell(ctx, "duties", doc.duties, "long", "部门职能职责概述", { colspan: 3 })),
      h("tr", {}, th({ scope: "row" }, "年度绩效目标"), valueCell(ctx, "goals.expected", doc.goals.expected, "long", "年度绩效目标", { colspan: 3 })),
      self ? h("tr", {}, th({ scope: "row" }, "全年目标实际完成情况"), valueCell(ctx, "goals.actual", doc.goals.actual, "long", "全年目标实际完成情况", { colspan: 3 })) : null,
      h("tr", {}, th({ scope: "row" }, `年初预算数（${doc.unit ?? "万元"}）`), valueCell(ctx, "funds.total.initial", t.initial, "number", "年初预算数"), th({ scope: "row" }, "全年执行数"), valueCell(ctx, "funds.total.executed", t.executed, "number", "全年执行数")),
      self ? h("tr", {}, th({ scope: "row" }, "执行率"), valueCell(ctx, "funds.total.rate", t.rate, "text", "执行率"), th({ scope: "row" }, "自评总分"), valueCell(ctx, "total.score", doc.total.score, "number", "自评总分")) : null,
    ),
  );
  const cols = self ? ["一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分", "说明"] : ["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"];
  const inds = h("table", { class: "form", "aria-label": "绩效指标", dataset: { field: "indicators" } },
    h("thead", {}, h("tr", {}, cols.map((c) => th({}, c)))),
    h("tbody", {}, doc.indicators.map((ind, i) => {
      const f = (k: string) => `indicators[${i}].${k}`;
      const n = `第 ${i + 1} 项`;
      return h("tr", {},
        valueCell(ctx, f("level1"), ind.level1, "text", `${n}/一级指标`),
        valueCell(ctx, f("level2"), ind.level2, "text", `${n}/二级指标`),
        valueCell(ctx, f("level3"), ind.level3, "long", `${n}/三级指标`),
        valueCell(ctx, f("target"), ind.target, "text", `${n}/指标值`),
        ...(self
          ? [
              valueCell(ctx, f("actual"), ind.actual, "text", `${n}/完成值`),
              valueCell(ctx, f("weight"), ind.weight, "number", `${n}/分值`),
              valueCell(ctx, f("score"), ind.score, "number", `${n}/得分`),
              valueCell(ctx, f("deviation"), ind.deviation, "long", `${n}/说明`),
            ]
          : [valueCell(ctx, f("description"), ind.description ?? null, "long", `${n}/指标值说明`)]),
      );
    })),
  );
  return h("div", {}, head, h("h3", {}, "绩效指标"), inds);
}

/** The report as read from the file (自评报告 sections), editable like the table. */
function reportBlock(doc: SelfEval, ctx: Ctx): HTMLElement | null {
  if (!doc.report) return null;
  const rows = doc.report.sections.map((s, i) =>
    h("tr", {}, th({ scope: "row" }, s.heading), valueCell(ctx, `report.sections[${i}].text`, s.text, "long", `自评报告/${s.heading}`)),
  );
  return h("details", { class: "report" },
    h("summary", {}, `原自评报告：${doc.report.title}（${doc.report.sections.length} 节）`),
    h("table", { class: "form report-table" }, h("tbody", {}, rows)),
  );
}

export function renderDocument(view: DocumentView, handlers: TableHandlers, readOnly = false): HTMLElement {
  const ctx: Ctx = { findings: byField(view.findings, fieldsByPosition(view.data.provenance)), handlers, readOnly };
  const d = view.data;
  if (d.kind === "自评表") {
    return h("section", { class: "sheet" },
      h("h2", { class: "sheet-title" }, "项目支出绩效自评表"),
      h("p", { class: "sheet-year" }, `（${d.year ?? "____"}年度）`),
      selfEvalTable(view, d, ctx),
      reportBlock(d, ctx),
    );
  }
  if (d.kind === "部门整体") {
    return h("section", { class: "sheet" },
      h("h2", { class: "sheet-title" }, d.form === "自评表" ? "部门整体支出绩效自评表" : "部门整体绩效目标表"),
      h("p", { class: "sheet-year" }, `（${d.year ?? "____"}年度）`),
      deptTable(d, ctx),
    );
  }
  return h("section", { class: "sheet" },
    h("h2", { class: "sheet-title" }, "项目支出绩效目标申报表"),
    h("p", { class: "sheet-year" }, `（${d.year ?? "____"}年度）`),
    targetFormTable(d, ctx),
  );
}
