// Domain documents → one page layout shared by the .docx and .xlsx writers: paragraphs and tables
// whose cells carry their grid position and spans (the official 自评表 layout of domain.md §2.1,
// as rebuilt in the seed fixtures). The writers only render; every layout decision is here.
import { FUND_ROW_LABELS, FUND_ROW_ORDER } from "../domain/selfEvalForm.ts";
import { FUND_COLS, fundsRows, type DeptDoc, type Indicator, type PerfDoc, type Provenance, type SelfEvalDoc, type TargetFormDoc } from "../domain/document.ts";
import { numberText, rateText, type NumberText } from "./numbers.ts";

export type Align = "center" | "left";

export interface LayoutCell {
  col: number;
  colSpan: number;
  rowSpan: number;
  /** Paragraphs of the cell ([] when blank). */
  lines: string[];
  /** Set for numeric fields: spreadsheets store the number, formatted to show `lines`. */
  num: NumberText["num"];
  align: Align;
  bold: boolean;
  /** The tall 绩效指标 label: one character per line in Word, rotated text in a sheet. */
  vertical: boolean;
}

export interface LayoutRow {
  /** Cells that start in this row, by column. */
  cells: LayoutCell[];
}

export interface LayoutTable {
  kind: "table";
  /** Column widths in twips (1/20 pt); they add up to the text width of an A4 page. */
  widths: number[];
  rows: LayoutRow[];
}

export type ParagraphStyle = "title" | "heading" | "body" | "caption" | "subcaption" | "label";

export interface LayoutParagraph {
  kind: "paragraph";
  text: string;
  style: ParagraphStyle;
  /** Starts a new page (Word only). */
  pageBreakBefore: boolean;
}

export type LayoutBlock = LayoutParagraph | LayoutTable;

export interface DocLayout {
  /** Project name, for sheet names. */
  name: string | null;
  blocks: LayoutBlock[];
}

/** A 自评报告 to print before its table: the document's own, or a draft. */
export interface ReportText {
  title: string;
  sections: { heading: string; text: string }[];
}

export interface LayoutOptions {
  /**
   * How indicators that share one 分值/得分 (`shared_score_with_next`) are laid out:
   * - "rows" (default): each indicator on its own row, the group's 分值/得分 merged down over the group;
   * - "packed": as the source forms do it — the first row holds every indicator's 指标值/完成值 as
   *   separate paragraphs, the rows below hold only the further 三级指标 names. This is the layout
   *   the recognizer reads back as a shared group (see the report on src/extract/selfEval.ts).
   */
  sharedScoreLayout?: "rows" | "packed";
}

/** A4 portrait, 2.54 cm top/bottom and 2.2 cm left/right margins: 11906 − 2 × 1247 twips of text. */
export const PAGE = { width: 11906, height: 16838, marginX: 1247, marginY: 1440 } as const;
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.marginX;

// 10-column grid of the 自评表: 绩效指标 | 一级 | 二级 | 三级 | 指标值 | 完成值 | 分值 | 得分 (2) | 偏差原因.
const SELF_EVAL_WIDTHS = scaleWidths([960, 1000, 980, 1450, 1380, 1180, 560, 400, 400, 1102]);
// 6-column grid of the 申报表 tables.
const TARGET_WIDTHS = scaleWidths([1300, 1500, 1500, 1900, 1400, 1812]);

function scaleWidths(ws: number[]): number[] {
  const sum = ws.reduce((a, b) => a + b, 0);
  const out = ws.map((w) => Math.floor((w * TEXT_WIDTH) / sum));
  out[out.length - 1]! += TEXT_WIDTH - out.reduce((a, b) => a + b, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cells and paragraphs

/** Characters XML 1.0 cannot carry (and Word/Excel refuse) are dropped; line ends become "\n". */
export function cleanForXml(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
}

function linesOf(s: string | null | undefined): string[] {
  if (s === null || s === undefined || s === "") return [];
  return cleanForXml(s).split("\n");
}

interface CellOpts {
  colSpan?: number;
  rowSpan?: number;
  align?: Align;
  bold?: boolean;
  vertical?: boolean;
}

function textCell(col: number, text: string | null, o: CellOpts = {}): LayoutCell {
  return {
    col,
    colSpan: o.colSpan ?? 1,
    rowSpan: o.rowSpan ?? 1,
    lines: linesOf(text),
    num: null,
    align: o.align ?? "center",
    bold: o.bold ?? false,
    vertical: o.vertical ?? false,
  };
}

function labelCell(col: number, text: string, o: CellOpts = {}): LayoutCell {
  return textCell(col, text, { bold: true, ...o });
}

function numCell(col: number, n: NumberText, o: CellOpts = {}): LayoutCell {
  return { ...textCell(col, n.text, o), num: n.num };
}

function para(text: string, style: ParagraphStyle, pageBreakBefore = false): LayoutParagraph {
  return { kind: "paragraph", text: cleanForXml(text), style, pageBreakBefore };
}

// ---------------------------------------------------------------------------------------------
// 自评报告 + 项目支出绩效自评表

export function selfEvalLayout(doc: SelfEvalDoc, report: ReportText | null, opts: LayoutOptions = {}): LayoutBlock[] {
  const blocks: LayoutBlock[] = [];
  if (report) {
    blocks.push(para(report.title, "title"));
    for (const s of report.sections) {
      blocks.push(para(s.heading, "heading"));
      for (const line of linesOf(s.text)) if (line.trim() !== "") blocks.push(para(line, "body"));
    }
  }
  // The caption starts the table's page; it also ends the report for a reader (domain.md §5).
  blocks.push(para("项目支出绩效自评表", "caption", report !== null));
  if (doc.year !== null) blocks.push(para(`（${doc.year}年度）`, "subcaption"));
  blocks.push(selfEvalTable(doc, opts));
  return blocks;
}

export function reportOf(doc: SelfEvalDoc, draft?: { sections: { heading: string; text: string }[] }): ReportText | null {
  if (draft) return { title: doc.report?.title ?? `${doc.name ?? "项目"}绩效自评报告`, sections: draft.sections };
  if (doc.report) return { title: doc.report.title, sections: doc.report.sections.map((s) => ({ heading: s.heading, text: s.text })) };
  return null;
}

function selfEvalTable(doc: SelfEvalDoc, opts: LayoutOptions): LayoutTable {
  const P = doc.provenance;
  const rows: LayoutRow[] = [];

  rows.push({ cells: [labelCell(0, "项目名称"), textCell(1, doc.name, { colSpan: 9 })] });
  rows.push({
    cells: [
      labelCell(0, "主管部门"),
      textCell(1, doc.department, { colSpan: 4 }),
      labelCell(5, "实施单位"),
      textCell(6, doc.implementer, { colSpan: 4 }),
    ],
  });

  // Funds block: 项目资金（万元） spans the header and the four funds rows.
  const unit = doc.unit ? `（${doc.unit}）` : "";
  rows.push({
    cells: [
      labelCell(0, `项目资金\n${unit}`.trim(), { rowSpan: 5 }),
      textCell(1, null, { colSpan: 2 }),
      labelCell(3, "年初预算数"),
      labelCell(4, "全年预算数"),
      labelCell(5, "全年执行数"),
      labelCell(6, "分值"),
      labelCell(7, "执行率", { colSpan: 2 }),
      labelCell(9, "得分"),
    ],
  });
  for (const key of FUND_ROW_ORDER) {
    const label = FUND_ROW_LABELS[key].printed;
    const f = doc.funds[key];
    const fp = P?.funds?.[key];
    rows.push({
      cells: [
        labelCell(1, label, { colSpan: 2 }),
        numCell(3, numberText(f.initial, fp?.initial)),
        numCell(4, numberText(f.adjusted, fp?.adjusted)),
        numCell(5, numberText(f.executed, fp?.executed)),
        numCell(6, numberText(f.weight, fp?.weight)),
        numCell(7, rateText(f.rate, fp?.rate), { colSpan: 2 }),
        numCell(9, numberText(f.score, fp?.score)),
      ],
    });
  }

  rows.push({
    cells: [labelCell(0, "年度总体目标", { rowSpan: 2 }), labelCell(1, "预期目标", { colSpan: 5 }), labelCell(6, "实际完成情况", { colSpan: 4 })],
  });
  rows.push({
    cells: [textCell(1, doc.goals.expected, { colSpan: 5, align: "left" }), textCell(6, doc.goals.actual, { colSpan: 4, align: "left" })],
  });

  const indRows = indicatorRows(doc.indicators, P?.indicators ?? [], opts.sharedScoreLayout ?? "rows");
  rows.push({
    cells: [
      labelCell(0, "绩效指标", { rowSpan: 1 + indRows.length, vertical: true }),
      labelCell(1, "一级指标"),
      labelCell(2, "二级指标"),
      labelCell(3, "三级指标"),
      labelCell(4, "年度指标值"),
      labelCell(5, "实际完成值"),
      labelCell(6, "分值"),
      labelCell(7, "得分", { colSpan: 2 }),
      labelCell(9, "偏差原因分析及改进措施"),
    ],
  });
  rows.push(...indRows);

  rows.push({
    cells: [
      labelCell(0, "总分", { colSpan: 6 }),
      numCell(6, numberText(doc.total.weight, P?.total?.weight)),
      numCell(7, numberText(doc.total.score, P?.total?.score), { colSpan: 2 }),
      textCell(9, null),
    ],
  });
  return { kind: "table", widths: SELF_EVAL_WIDTHS, rows };
}

type IndProv = SelfEvalDoc["provenance"]["indicators"][number] | undefined;

/**
 * One row per indicator (both layouts). 一级/二级指标 are merged down over consecutive rows with the
 * same text. A shared-score group's 分值/得分 (and 偏差原因, when only the first has one) are merged
 * down over the group ("rows"), or its values are packed into the first row ("packed").
 */
function indicatorRows(inds: Indicator[], provs: IndProv[], layout: "rows" | "packed"): LayoutRow[] {
  const rows: LayoutRow[] = inds.map(() => ({ cells: [] }));
  mergeDown(inds, rows, 1, (i) => i.level1);
  mergeDown(inds, rows, 2, levelKey, (i) => i.level2);

  for (let start = 0; start < inds.length; ) {
    let end = start;
    while (end + 1 < inds.length && inds[end]!.shared_score_with_next) end++;
    const n = end - start + 1;
    const first = inds[start]!;
    const fp = provs[start];
    const laterDeviationBlank = inds.slice(start + 1, end + 1).every((x) => x.deviation === null || x.deviation.trim() === "");
    for (let k = start; k <= end; k++) {
      const ind = inds[k]!;
      const cells = rows[k]!.cells;
      cells.push(textCell(3, ind.level3, { align: "left" }));
      if (layout === "packed" && n > 1) {
        if (k === start) {
          const group = inds.slice(start, end + 1);
          cells.push(textCell(4, packed(group.map((x) => x.target))));
          cells.push(textCell(5, packed(group.map((x) => x.actual))));
        }
      } else {
        cells.push(textCell(4, ind.target));
        cells.push(textCell(5, ind.actual));
      }
      if (k === start) {
        cells.push(numCell(6, numberText(first.weight, fp?.weight), { rowSpan: n }));
        cells.push(numCell(7, numberText(first.score, fp?.score), { colSpan: 2, rowSpan: n }));
        cells.push(textCell(9, first.deviation, { align: "left", rowSpan: laterDeviationBlank ? n : 1 }));
      } else if (!laterDeviationBlank) {
        cells.push(textCell(9, ind.deviation, { align: "left" }));
      }
    }
    start = end + 1;
  }
  for (const r of rows) r.cells.sort((a, b) => a.col - b.col);
  return rows;
}

/** Several indicators' values in one cell, one paragraph each (blank ones dropped, as in the source). */
function packed(values: (string | null)[]): string | null {
  const kept = values.filter((v): v is string => v !== null && v.trim() !== "");
  return kept.length ? kept.join("\n") : null;
}

/** 二级 cells merge only within the same 一级. */
function levelKey(i: { level1: string | null; level2: string | null }): string | null {
  return i.level1 === null && i.level2 === null ? null : `${i.level1 ?? ""}\u0000${i.level2 ?? ""}`;
}

/** Adds the cells of one column, merging consecutive rows with the same non-null key. */
function mergeDown<T>(
  inds: T[],
  rows: LayoutRow[],
  col: number,
  key: (i: T) => string | null,
  text: (i: T) => string | null = key,
): void {
  for (let i = 0; i < inds.length; ) {
    const k = key(inds[i]!);
    let j = i + 1;
    while (k !== null && j < inds.length && key(inds[j]!) === k) j++;
    rows[i]!.cells.push(textCell(col, text(inds[i]!), { rowSpan: j - i }));
    i = j;
  }
}

// ---------------------------------------------------------------------------------------------
// 项目支出绩效目标申报表

/** Header fields printed under the form as signature lines; the others go into the first table. */
const FOOTER_FIELDS = ["填报单位负责人", "填表人", "填报日期"];
const TABLE_FIELDS = ["政府采购", "采购方式", "项目负责人", "联系人", "联系电话"];
const LONG_FIELDS = ["需要说明的其他问题"];
const CATEGORIES = ["一次性项目", "经常性项目", "中期预算试点项目"];

export function targetFormLayout(doc: TargetFormDoc): LayoutBlock[] {
  const P = doc.provenance;
  const blocks: LayoutBlock[] = [];
  const year = doc.year !== null ? `（${doc.year}年）` : null;

  blocks.push(para("项目支出绩效目标申报表（项目总体情况）", "title"));
  if (year) blocks.push(para(year, "subcaption"));
  blocks.push(para(`填报单位（盖章）：${doc.implementer ?? ""}`, "label"));
  if (doc.department !== null) blocks.push(para(`主管部门：${doc.department}`, "label"));
  if (doc.unit !== null) blocks.push(para(`金额单位：${doc.unit}`, "label"));

  const t1: LayoutRow[] = [];
  t1.push({ cells: [labelCell(0, "项目名称"), textCell(1, doc.name, { colSpan: 5 })] });

  // The ticked 项目类别 among the usual ones (an unusual category is added as its own option).
  const cats = [...CATEGORIES];
  if (doc.category !== null && !cats.includes(doc.category)) cats.push(doc.category);
  const catCells = [labelCell(0, "项目类别")];
  const spans = splitSpan(5, cats.length);
  let col = 1;
  cats.forEach((c, i) => {
    catCells.push(textCell(col, `${c} ${c === doc.category ? "☑" : "□"}`, { colSpan: spans[i]!, align: "left" }));
    col += spans[i]!;
  });
  t1.push({ cells: catCells });

  const keys = [...TABLE_FIELDS, ...Object.keys(doc.fields).filter((k) => !TABLE_FIELDS.includes(k) && !FOOTER_FIELDS.includes(k) && !LONG_FIELDS.includes(k))];
  for (let i = 0; i < keys.length; i += 2) {
    const a = keys[i]!;
    const b = keys[i + 1];
    const cells = [labelCell(0, a), textCell(1, doc.fields[a] ?? null, { colSpan: b ? 2 : 5 })];
    if (b) cells.push(labelCell(3, b), textCell(4, doc.fields[b] ?? null, { colSpan: 2 }));
    t1.push({ cells });
  }
  t1.push({
    cells: [textCell(0, `起始日期：${doc.start ?? ""}`, { colSpan: 3 }), textCell(3, `结束日期：${doc.end ?? ""}`, { colSpan: 3 })],
  });
  // Fields of the budget-system and provincial forms, printed only when the document has them.
  const pairs: [string, string | null][] = [
    ["项目编码", doc.code],
    ["实施期限", doc.period],
    ["项目类型", doc.project_type],
    ["项目属性", doc.new_or_continuing],
  ].filter((x): x is [string, string] => x[1] !== null);
  for (let i = 0; i < pairs.length; i += 2) {
    const [a, av] = pairs[i]!;
    const b = pairs[i + 1];
    const cells = [labelCell(0, a), textCell(1, av, { colSpan: b ? 2 : 5 })];
    if (b) cells.push(labelCell(3, b[0]), textCell(4, b[1], { colSpan: 2 }));
    t1.push({ cells });
  }
  const total = numberText(doc.funds_total, inlineNumberProv(P?.funds_total));
  const thisYear = doc.funds_year !== null ? `\n当年预算：${numberText(doc.funds_year, inlineNumberProv(P?.funds_year, "当年预算|本年度项目金额|本年度金额")).text}` : "";
  t1.push({ cells: [labelCell(0, "项目资金"), textCell(1, `项目总预算：${total.text}${thisYear}`, { colSpan: 5, align: "left" })] });
  for (const [label, v] of [["政策依据", doc.policy_basis], ["测算依据", doc.calc_basis], ["长期目标", doc.long_term_goal], ["年度绩效目标", doc.annual_goal]] as const) {
    if (v !== null) t1.push({ cells: [labelCell(0, label), textCell(1, v, { colSpan: 5, align: "left" })] });
  }
  for (const k of LONG_FIELDS) t1.push({ cells: [labelCell(0, k), textCell(1, doc.fields[k] ?? null, { colSpan: 5, align: "left" })] });
  blocks.push({ kind: "table", widths: TARGET_WIDTHS, rows: t1 });
  for (const k of FOOTER_FIELDS) blocks.push(para(`${k}：${doc.fields[k] ?? ""}`, "label"));

  blocks.push(para("项目支出绩效目标申报表（绩效目标）", "title", true));
  if (year) blocks.push(para(year, "subcaption"));
  blocks.push(para(`项目名称：${doc.name ?? ""}`, "label"));
  if (doc.unit !== null) blocks.push(para(`金额单位：${doc.unit}`, "label"));

  const t2: LayoutRow[] = [];
  t2.push({
    cells: [
      labelCell(0, "绩效目标", { rowSpan: 1 + doc.targets.length }),
      labelCell(1, "一级目标"),
      labelCell(2, "二级目标"),
      labelCell(3, "三级目标"),
      labelCell(4, "目标值"),
      labelCell(5, "描述"),
    ],
  });
  const tRows: LayoutRow[] = doc.targets.map(() => ({ cells: [] }));
  mergeDown(doc.targets, tRows, 1, (t) => t.level1);
  mergeDown(doc.targets, tRows, 2, levelKey, (t) => t.level2);
  doc.targets.forEach((t, i) => {
    const cells = tRows[i]!.cells;
    cells.push(textCell(3, t.level3, { align: "left" }), textCell(4, t.value), textCell(5, t.description, { align: "left" }));
    cells.sort((a, b) => a.col - b.col);
  });
  t2.push(...tRows);

  if (doc.budget_items.length || doc.amount_total !== null) {
    t2.push({
      cells: [
        labelCell(0, "项目预算分解", { rowSpan: 1 + doc.budget_items.length }),
        labelCell(1, "明细名称", { colSpan: 2 }),
        labelCell(3, doc.unit ? `金额（${doc.unit}）` : "金额"),
        labelCell(4, "单价"),
        labelCell(5, "数量"),
      ],
    });
    doc.budget_items.forEach((b, i) => {
      const bp = P?.budget_items?.[i];
      t2.push({
        cells: [
          textCell(1, b.name, { colSpan: 2, align: "left" }),
          numCell(3, numberText(b.amount, bp?.amount)),
          numCell(4, numberText(b.unit_price, bp?.unit_price)),
          numCell(5, numberText(b.quantity, bp?.quantity)),
        ],
      });
    });
    t2.push({
      cells: [
        labelCell(0, "金额合计", { colSpan: 3 }),
        numCell(3, numberText(doc.amount_total, P?.amount_total)),
        textCell(4, null),
        textCell(5, null),
      ],
    });
  }
  blocks.push({ kind: "table", widths: TARGET_WIDTHS, rows: t2 });
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// 部门整体支出绩效自评表 / 部门整体绩效目标表 (8-column grid)

const DEPT_WIDTHS = scaleWidths([1250, 1150, 1500, 1150, 1150, 900, 900, 1412]);

export function deptLayout(doc: DeptDoc): LayoutBlock[] {
  const P = doc.provenance;
  const self = doc.form === "自评表";
  const blocks: LayoutBlock[] = [para(self ? "部门整体支出绩效自评表" : "部门整体绩效目标表", "title")];
  if (doc.year !== null) blocks.push(para(`（${doc.year}年度）`, "subcaption"));
  if (doc.unit !== null) blocks.push(para(`金额单位：${doc.unit}`, "label"));
  const rows: LayoutRow[] = [];
  rows.push({ cells: [labelCell(0, "部门（单位）名称"), textCell(1, doc.name, { colSpan: 3 }), labelCell(4, "部门编码"), textCell(5, doc.code, { colSpan: 3 })] });
  if (doc.department !== null) rows.push({ cells: [labelCell(0, "主管部门"), textCell(1, doc.department, { colSpan: 7 })] });
  const keys = Object.keys(doc.fields);
  for (let i = 0; i < keys.length; i += 2) {
    const a = keys[i]!;
    const b = keys[i + 1];
    const cells = [labelCell(0, a), textCell(1, doc.fields[a] ?? null, { colSpan: b ? 3 : 7 })];
    if (b) cells.push(labelCell(4, b), textCell(5, doc.fields[b] ?? null, { colSpan: 3 }));
    rows.push({ cells });
  }
  const fundRows = [
    ["total", "年度资金总额"],
    ["fiscal", "其中：财政拨款"],
    ["carryover", "上年结转资金"],
    ["other", "其他资金"],
  ] as const;
  const anyFunds = fundsRows(doc.funds).some((r) => FUND_COLS.some((c) => r[c] !== null));
  if (anyFunds) {
    const more = doc.funds.more ?? [];
    rows.push({
      cells: [
        labelCell(0, `资金情况${doc.unit ? `（${doc.unit}）` : ""}`, { rowSpan: 1 + fundRows.length + more.length }),
        textCell(1, null),
        labelCell(2, "年初预算数"),
        labelCell(3, "全年预算数"),
        labelCell(4, "全年执行数"),
        labelCell(5, "执行率"),
        labelCell(6, "权重"),
        labelCell(7, "得分"),
      ],
    });
    const fundRow = (label: string, f: DeptDoc["funds"]["total"], fp: DeptDoc["provenance"]["funds"]["total"] | undefined): LayoutRow => ({
      cells: [
        labelCell(1, label),
        numCell(2, numberText(f.initial, fp?.initial)),
        numCell(3, numberText(f.adjusted, fp?.adjusted)),
        numCell(4, numberText(f.executed, fp?.executed)),
        numCell(5, rateText(f.rate, fp?.rate)),
        numCell(6, numberText(f.weight, fp?.weight)),
        numCell(7, numberText(f.score, fp?.score)),
      ],
    });
    for (const [k, label] of fundRows) rows.push(fundRow(label, doc.funds[k], P.funds[k]));
    more.forEach((m, i) => rows.push(fundRow(m.label, m, P.funds.more?.[i])));
  }
  if (doc.duties !== null) rows.push({ cells: [labelCell(0, "部门职能职责概述"), textCell(1, doc.duties, { colSpan: 7, align: "left" })] });
  for (const [k, label] of [["expected", "年度绩效目标"], ["adjusted", "全年（调整）绩效目标"], ["actual", "全年目标实际完成情况"]] as const) {
    if (doc.goals[k] !== null) rows.push({ cells: [labelCell(0, label), textCell(1, doc.goals[k], { colSpan: 7, align: "left" })] });
  }
  if (doc.tasks.length) {
    rows.push({ cells: [labelCell(0, "年度主要任务", { rowSpan: 1 + doc.tasks.length }), labelCell(1, "任务名称", { colSpan: 2 }), labelCell(3, "主要内容", { colSpan: 3 }), labelCell(6, "金额", { colSpan: 2 })] });
    doc.tasks.forEach((t, i) => {
      rows.push({
        cells: [
          textCell(1, t.name, { colSpan: 2, align: "left" }),
          textCell(3, t.description, { colSpan: 3, align: "left" }),
          numCell(6, numberText(t.amount, P.tasks[i]?.amount), { colSpan: 2 }),
        ],
      });
    });
  }
  const head = self
    ? ["一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分", "说明"]
    : ["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"];
  const spans = self ? [1, 1, 1, 1, 1, 1, 1, 1] : [1, 1, 2, 2, 2];
  const starts = spans.map((_, i) => spans.slice(0, i).reduce((a, b) => a + b, 0));
  rows.push({ cells: head.map((h, i) => labelCell(starts[i]!, h, { colSpan: spans[i]! })) });
  const iRows: LayoutRow[] = doc.indicators.map(() => ({ cells: [] }));
  mergeDown(doc.indicators, iRows, 0, (i) => i.level1);
  mergeDown(doc.indicators, iRows, 1, levelKey, (i) => i.level2);
  doc.indicators.forEach((ind, i) => {
    const ip = P.indicators[i];
    const cells = iRows[i]!.cells;
    if (self) {
      cells.push(
        textCell(2, ind.level3, { align: "left" }),
        textCell(3, ind.target),
        textCell(4, ind.actual),
        numCell(5, numberText(ind.weight, ip?.weight)),
        numCell(6, numberText(ind.score, ip?.score)),
        textCell(7, ind.deviation ?? ind.description ?? null, { align: "left" }),
      );
    } else {
      cells.push(textCell(2, ind.level3, { colSpan: 2, align: "left" }), textCell(4, ind.target, { colSpan: 2 }), textCell(6, ind.description ?? null, { colSpan: 2, align: "left" }));
    }
    cells.sort((a, b) => a.col - b.col);
  });
  rows.push(...iRows);
  if (self) rows.push({ cells: [labelCell(0, "自评总分", { colSpan: 5 }), numCell(5, numberText(doc.total.weight, P.total.weight)), numCell(6, numberText(doc.total.score, P.total.score)), textCell(7, null)] });
  blocks.push({ kind: "table", widths: DEPT_WIDTHS, rows });
  return blocks;
}

/** The verbatim number inside "一、项目总预算：3855.9424" (the cell holds several lines), or the cell itself. */
function inlineNumberProv(p: Provenance | null | undefined, label = "项目总预算|项目总金额"): Provenance | null {
  if (!p) return null;
  if (!/[:：]/.test(p.text)) return p;
  const m = new RegExp(`(?:${label})[^:：\\n]*[:：]\\s*([^\\n]*)`).exec(p.text);
  return m ? { ...p, text: m[1]!.trim() } : null;
}

/** Splits `total` columns among `n` cells as evenly as possible, wider ones first. */
function splitSpan(total: number, n: number): number[] {
  if (n <= 0) return [];
  if (n >= total) return Array.from({ length: n }, () => 1);
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------

export function docLayout(
  doc: PerfDoc,
  draft: { sections: { heading: string; text: string }[] } | undefined,
  opts: LayoutOptions = {},
): DocLayout {
  if (doc.kind === "目标申报表") return { name: doc.name, blocks: targetFormLayout(doc) };
  if (doc.kind === "部门整体") return { name: doc.name, blocks: deptLayout(doc) };
  return { name: doc.name, blocks: selfEvalLayout(doc, reportOf(doc, draft), opts) };
}
