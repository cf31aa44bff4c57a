// Rows of one 项目支出绩效自评表 (any family: central, split-target 四川/云南, 安徽 10-column, 湖北) →
// SelfEvalDoc with parallel provenance. formBody.ts finds the blocks; this file maps them.
import type { FundRowKey, FundsRow, Indicator, Provenance, SelfEvalDoc, SelfEvalProvenance } from "../domain/document.ts";
import { cleanText, isBlankValue, parseNumber, squash } from "../domain/text.ts";
import { pick } from "./fields.ts";
import { readFormBody, type FormBody, type FundsLine, type RawIndicator } from "./formBody.ts";
import { joinTarget } from "./indicatorTable.ts";
import { provOf, type RCell, type RRow } from "./rows.ts";
import type { IndicatorField } from "../domain/vocabulary.ts";

export interface SelfEvalContext {
  file: string;
  year: { value: number; prov: Provenance } | null;
  unit: { value: string; prov: Provenance } | null;
}

function emptyFundsRow(): FundsRow {
  return { initial: null, adjusted: null, executed: null, weight: null, rate: null, score: null };
}
function emptyFundsProv(): SelfEvalProvenance["funds"]["total"] {
  return { initial: null, adjusted: null, executed: null, weight: null, rate: null, score: null };
}

export function emptySelfEval(ctx: SelfEvalContext): SelfEvalDoc {
  return {
    kind: "自评表",
    report: null,
    name: null,
    department: null,
    implementer: null,
    year: ctx.year?.value ?? null,
    unit: ctx.unit?.value ?? null,
    funds: { total: emptyFundsRow(), fiscal: emptyFundsRow(), carryover: emptyFundsRow(), other: emptyFundsRow() },
    goals: { expected: null, actual: null },
    indicators: [],
    total: { weight: null, score: null },
    complete: true,
    unread: [],
    provenance: {
      table: null,
      name: null,
      department: null,
      implementer: null,
      year: ctx.year?.prov ?? null,
      unit: ctx.unit?.prov ?? null,
      funds: { total: emptyFundsProv(), fiscal: emptyFundsProv(), carryover: emptyFundsProv(), other: emptyFundsProv() },
      goals: { expected: null, actual: null },
      indicators: [],
      total: { weight: null, score: null },
      report: null,
    },
  };
}

export function recognizeSelfEval(rows: RRow[], ctx: SelfEvalContext, body: FormBody = readFormBody(rows)): SelfEvalDoc {
  const { file } = ctx;
  const P = (c: RCell | null | undefined) => (c ? provOf(file, c) : null);
  const doc = emptySelfEval(ctx);
  const first = rows[0];
  if (first) {
    doc.provenance.table = { file, table: first.table.index, text: "" };
    if (first.table.sheet !== undefined) doc.provenance.table.sheet = first.table.sheet;
  }

  // 项目名称 / 主管部门 / 实施单位 (申请单位 or 填报单位 when the form names no 实施单位).
  const hits = body.hits;
  for (const [key, field] of [["name", "name"], ["department", "department"], ["implementer", "implementer"]] as const) {
    const h = pick(hits, field) ?? (key === "implementer" ? pick(hits, "applicant") : null);
    if (!h) continue;
    doc[key] = h.value === null ? null : key === "name" ? h.value.replace(/\n/g, "") : squashInline(h.value);
    doc.provenance[key] = h.value === null ? null : P(h.valueCell);
  }
  readFunds(doc, body, file);
  for (const f of ["expected", "actual"] as const) {
    const cs = body.goals[f];
    doc.goals[f] = joinCells(cs);
    doc.provenance.goals[f] = P(cs?.[0] ?? null);
  }
  // Labelled boxes (评价结论, 存在问题, 项目负责人 …) and the 自评总分 some forms print in the header.
  const fields: Record<string, string | null> = {};
  const fieldsProv: Record<string, Provenance | null> = {};
  for (const h of hits) {
    if ((h.field === "narrative" || h.field === "contact") && !(h.label in fields)) {
      fields[h.label] = h.value;
      fieldsProv[h.label] = P(h.valueCell ?? h.labelCell);
    }
  }
  if (Object.keys(fields).length) {
    doc.fields = fields;
    doc.provenance.fields = fieldsProv;
  }
  doc.total.weight = parseNumber(body.total.weight?.text);
  doc.total.score = parseNumber(body.total.score?.text);
  doc.provenance.total.weight = P(body.total.weight);
  doc.provenance.total.score = P(body.total.score);

  for (const ind of groupIndicators(body.raw, file)) {
    doc.indicators.push(ind.value);
    doc.provenance.indicators.push(ind.prov);
  }
  doc.complete = !body.startsMidForm && (body.ended || !body.indicatorHeader) && !cutLastRow(body);
  return doc;
}

/** The text stops inside the last indicator row: it has fewer cells than its header's columns. */
export function cutLastRow(body: FormBody): boolean {
  const last = body.raw[body.raw.length - 1];
  if (!last || body.ended) return false;
  return last.header.map.some((h) => !last.cells.has(h.field));
}

const FUND_KEYS: FundRowKey[] = ["total", "fiscal", "carryover", "other"];

/** Funds lines → the four canonical rows and the further source rows (四川 财政专户管理资金 …). */
export function readFunds(doc: { funds: SelfEvalDoc["funds"]; provenance: { funds: SelfEvalProvenance["funds"] } }, body: FormBody, file: string): void {
  const seen = new Set<string>();
  for (const line of body.funds) {
    const row = emptyFundsRow();
    const prov = emptyFundsProv();
    fillFundsRow(line, row, prov, file);
    if (line.key !== "more" && !seen.has(line.key)) {
      seen.add(line.key);
      doc.funds[line.key] = row;
      doc.provenance.funds[line.key] = prov;
    } else {
      // A second 其他资金-like row, or a source outside the canonical three.
      (doc.funds.more ??= []).push({ label: line.label, ...row });
      (doc.provenance.funds.more ??= []).push({ label: provOf(file, line.labelCell), ...prov });
    }
  }
  // "预算执行情况（20分）": the block's label names the execution weight when no 分值 column does.
  if (body.fundsPoints && doc.funds.total.weight === null && !body.funds.some((l) => l.cells.has("weight"))) {
    doc.funds.total.weight = body.fundsPoints.value;
    doc.provenance.funds.total.weight = provOf(file, body.fundsPoints.cell);
  }
  void FUND_KEYS;
}

function fillFundsRow(line: FundsLine, out: FundsRow, prov: SelfEvalProvenance["funds"]["total"], file: string): void {
  for (const field of ["initial", "adjusted", "executed", "weight", "rate", "score"] as const) {
    const c = line.cells.get(field) ?? null;
    const blank = !c || isBlankValue(c.text);
    if (field === "rate") out.rate = blank ? null : squash(c!.text);
    else out[field] = blank ? null : parseNumber(c!.text);
    prov[field] = c ? provOf(file, c) : null;
  }
}

function squashInline(s: string): string {
  return s.replace(/\n/g, "");
}

export function joinCells(cs: RCell[] | undefined): string | null {
  if (!cs || cs.length === 0) return null;
  return cleanText(cs.map((c) => c.text).join("\n"));
}

const VALUE_FIELDS: IndicatorField[] = ["target", "actual", "weight", "score", "deviation", "operator", "unit"];

/**
 * Turns raw indicator rows into indicators: a row with values followed by rows that only carry a
 * 三级指标 name (same 二级 group) holds several indicators packed in one cell; a row whose name was
 * pushed to the row below is one indicator.
 */
export function groupIndicators(raw: RawIndicator[], file: string): { value: Indicator; prov: SelfEvalProvenance["indicators"][number] }[] {
  const out: { value: Indicator; prov: SelfEvalProvenance["indicators"][number] }[] = [];
  let i = 0;
  while (i < raw.length) {
    const main = raw[i]!;
    const hasValues = VALUE_FIELDS.some((f) => main.f.has(f));
    if (!hasValues) {
      // A lone name row with no values before it in its group: an indicator with blank values.
      if (main.f.has("level3")) out.push(build(file, main, main.f.get("level3")!, null, 0, 1));
      i++;
      continue;
    }
    // 分值/得分 merged down over the next rows: each of those rows is its own indicator (own name,
    // target, actual), scored together with this one (the layout our exporter writes).
    const scoreCell = main.f.get("score")?.[0] ?? main.f.get("weight")?.[0];
    const span = scoreCell ? scoreCell.cell.rowSpan : 1;
    if (span > 1) {
      let j = i + 1;
      while (j < raw.length && raw[j]!.table === main.table && raw[j]!.row < main.row + span && !raw[j]!.f.has("weight") && !raw[j]!.f.has("score")) j++;
      // Followers with their own values: one indicator per row. Name-only followers: the packed
      // form (values stacked in the first row's cells), handled below.
      const ownValues = raw.slice(i + 1, j).some((x) => x.f.has("target") || x.f.has("actual"));
      if (j > i + 1 && ownValues) {
        for (let k = i; k < j; k++) {
          const r = raw[k]!;
          const b = build(file, r, r.f.get("level3") ?? [], null, k - i, j - i);
          if (k > i) {
            b.value.weight = null;
            b.value.score = null;
            b.value.deviation = null;
          } else {
            b.value.weight = parseNumber(main.f.get("weight")?.[0]?.text);
            b.value.score = parseNumber(main.f.get("score")?.[0]?.text);
            b.value.deviation = joinCells(main.f.get("deviation"));
          }
          out.push(b);
        }
        i = j;
        continue;
      }
    }
    const names: RCell[] = [];
    const mainName = main.f.get("level3");
    if (mainName) names.push(...mainName);
    let j = i + 1;
    while (j < raw.length) {
      const nx = raw[j]!;
      if (nx.level2 !== main.level2 || nx.level1 !== main.level1) break;
      if (VALUE_FIELDS.some((f) => nx.f.has(f))) break;
      if (nx.f.has("level3")) names.push(...nx.f.get("level3")!);
      j++;
    }
    if (names.length <= 1) {
      out.push(build(file, main, names, null, 0, 1));
    } else {
      for (let k = 0; k < names.length; k++) out.push(build(file, main, [names[k]!], k, k, names.length));
    }
    i = j;
  }
  return out;
}

function build(
  file: string,
  r: RawIndicator,
  names: RCell[],
  part: number | null,
  k: number,
  n: number,
): { value: Indicator; prov: SelfEvalProvenance["indicators"][number] } {
  const P = (c: RCell | null | undefined) => (c ? provOf(file, c) : null);
  const cell = (f: IndicatorField) => r.f.get(f)?.[0] ?? null;
  const text = (f: IndicatorField) => joinCells(r.f.get(f));
  const pieces = (f: IndicatorField): string | null => {
    if (part === null) return text(f);
    const paras = (r.f.get(f) ?? []).flatMap((c) => c.text.split("\n")).map((p) => p.trim()).filter((p) => p !== "");
    return paras[part] ?? null;
  };
  const first = k === 0;
  const value: Indicator = {
    level1: r.level1Text,
    level2: r.level2Text,
    level3: names.length ? cleanText(names.map((c) => c.text).join("\n")) : null,
    target: pieces("target"),
    actual: pieces("actual"),
    weight: first ? parseNumber(cell("weight")?.text) : null,
    score: first ? parseNumber(cell("score")?.text) : null,
    deviation: first ? text("deviation") : null,
  };
  if (n > 1 && k < n - 1) value.shared_score_with_next = true;
  const prov = {
    level1: P(r.level1),
    level2: P(r.level2),
    level3: P(names[0]),
    target: P(cell("target")),
    actual: P(cell("actual")),
    weight: first ? P(cell("weight")) : null,
    score: first ? P(cell("score")) : null,
    deviation: first ? P(cell("deviation")) : null,
  } as SelfEvalProvenance["indicators"][number];
  if (r.header.split && part === null) {
    // 指标性质 | 指标值 | 度量单位: the target is their join, the parts are kept as printed.
    const j = joinTarget(r.header, r.cells);
    value.target = j.value;
    if (j.parts) value.parts = j.parts;
    prov.target = P(j.cell && j.cell.key !== "" ? j.cell : null);
    prov.parts = { operator: P(cell("operator")), value: P(cell("target")), unit: P(cell("unit")) };
  }
  if (r.header.has("description")) {
    value.description = first || part !== null ? text("description") : null;
    prov.description = P(cell("description"));
  }
  return { value, prov };
}

