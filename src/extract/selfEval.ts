// Rows of one 项目支出绩效自评表 → SelfEvalDoc (with parallel provenance).
import type { FundRowKey, FundsRow, Indicator, Provenance, SelfEvalDoc, SelfEvalProvenance } from "../domain/document.ts";
import { cleanText, isBlankValue, parseNumber, squash } from "./normalize.ts";
import { firstCol, matchHeader, readRow, type FieldSpec, type HeaderMap } from "./header.ts";
import { isEmptyRow, nextCell, provOf, type RCell, type RRow } from "./rows.ts";

type FundField = "initial" | "adjusted" | "executed" | "weight" | "rate" | "score";
const FUND_SPECS: FieldSpec<FundField>[] = [
  { field: "initial", re: /年初预算|年初数/ },
  { field: "adjusted", re: /全年预算|调整后预算|调整预算/ },
  { field: "executed", re: /全年执行数|执行数|预算执行数|实际支出/ },
  { field: "weight", re: /^分值|^权重/ },
  { field: "rate", re: /执行率/ },
  { field: "score", re: /^得分/ },
];
const FUND_ROW_LABELS: { key: FundRowKey; re: RegExp }[] = [
  { key: "total", re: /资金总额|资金合计|^合计/ },
  { key: "fiscal", re: /财政拨款|财政资金/ },
  { key: "carryover", re: /上年结转|结转资金/ },
  { key: "other", re: /其他资金|其它资金|单位资金/ },
];

type IndField = "level1" | "level2" | "level3" | "target" | "actual" | "weight" | "score" | "deviation";
const IND_SPECS: FieldSpec<IndField>[] = [
  { field: "level1", re: /一级指标/ },
  { field: "level2", re: /二级指标/ },
  { field: "level3", re: /三级指标|指标名称/ },
  { field: "target", re: /指标值|目标值/ },
  { field: "actual", re: /完成值|实际完成/ },
  { field: "weight", re: /^分值|^权重/ },
  { field: "score", re: /^得分/ },
  { field: "deviation", re: /偏差|原因分析|改进措施/ },
];

type GoalField = "expected" | "actual";
const GOAL_SPECS: FieldSpec<GoalField>[] = [
  { field: "expected", re: /预期目标/ },
  { field: "actual", re: /实际完成情况|完成情况/ },
];

const LEVEL1_RE = /^(产出|效益|效果|满意度|成本|影响力)(指标|目标)?$/;

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

interface RawIndicator {
  /** Grid row of the table row this indicator was read from. */
  row: number;
  table: number;
  level1: RCell | null;
  level2: RCell | null;
  level1Text: string | null;
  level2Text: string | null;
  f: Map<IndField, RCell[]>;
}

export function recognizeSelfEval(rows: RRow[], ctx: SelfEvalContext): SelfEvalDoc {
  const { file } = ctx;
  const P = (c: RCell | null) => provOf(file, c);
  const doc: SelfEvalDoc = {
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
  const first = rows[0];
  if (first) doc.provenance.table = { file, table: first.table.index, text: "" };

  let fundsHeader: HeaderMap<FundField> | null = null;
  let goalsHeader: HeaderMap<GoalField> | null = null;
  let goalsDone = false;
  let indHeader: HeaderMap<IndField> | null = null;
  const raw: RawIndicator[] = [];
  let level1: RCell | null = null;
  let level2: RCell | null = null;

  for (const r of rows) {
    if (isEmptyRow(r)) continue;

    // 项目名称 / 主管部门 / 实施单位: a label cell followed by its value (or "label：value" in one cell).
    let labelled = false;
    for (const [label, key] of [
      ["项目名称", "name"],
      ["主管部门", "department"],
      ["实施单位", "implementer"],
    ] as const) {
      // The label alone, or "label：value" — not a sentence that happens to start with the word.
      const c = r.cells.find((x) => x.key === label || x.key.startsWith(`${label}:`) || x.key.startsWith(`${label}：`));
      if (!c || indHeader) continue;
      labelled = true;
      const inline = c.key.slice(label.length).replace(/^[:：]/, "");
      if (inline) {
        doc[key] = c.text.replace(/^[\s\S]*?[:：]/, "").trim() || null;
        doc.provenance[key] = P(c);
      } else {
        const v = nextCell(r, c);
        const isLabel = v && /^(项目名称|主管部门|实施单位)/.test(v.key);
        doc[key] = v && !isLabel && v.key ? squashInline(v.text) : null;
        doc.provenance[key] = v && !isLabel && v.key ? P(v) : null;
      }
    }
    if (labelled) continue;

    if (!indHeader) {
      const fh = matchHeader(r, FUND_SPECS, 3);
      if (fh) {
        fundsHeader = fh;
        continue;
      }
      // Funds rows come before the goals block; a goal text that mentions 财政拨款 is not a funds row.
      if (fundsHeader && !goalsHeader) {
        const labelCells = r.cells.filter((c) => c.col + c.span <= firstCol(fundsHeader!) && c.key !== "");
        const label = labelCells.map((c) => c.key).join("");
        const which = label.length <= 20 ? FUND_ROW_LABELS.find((x) => x.re.test(label)) : undefined;
        if (which) {
          readFundsRow(r, fundsHeader, doc.funds[which.key], doc.provenance.funds[which.key], file);
          continue;
        }
      }
      const gh = matchHeader(r, GOAL_SPECS, 1);
      if (gh && r.cells.some((c) => /^(预期目标|实际完成情况)$/.test(c.key))) {
        goalsHeader = gh;
        continue;
      }
      if (goalsHeader && !goalsDone && !matchHeader(r, IND_SPECS, 4)) {
        const v = readRow(r, goalsHeader);
        const exp = v.get("expected");
        const act = v.get("actual");
        if (exp || act) {
          doc.goals.expected = joinCells(exp);
          doc.goals.actual = joinCells(act);
          doc.provenance.goals.expected = P(exp?.[0] ?? null);
          doc.provenance.goals.actual = P(act?.[0] ?? null);
          goalsDone = true;
          continue;
        }
      }
    }

    const ih = matchHeader(r, IND_SPECS, 4);
    if (ih) {
      indHeader = ih;
      continue;
    }
    if (!indHeader) continue;

    // 总分 row ends the indicator block.
    if (r.cells.some((c) => /^(总分|合计|总计)$/.test(c.key))) {
      const v = readRow(r, indHeader);
      const w = v.get("weight")?.[0] ?? null;
      const s = v.get("score")?.[0] ?? null;
      doc.total.weight = parseNumber(w?.text);
      doc.total.score = parseNumber(s?.text);
      doc.provenance.total.weight = P(w);
      doc.provenance.total.score = P(s);
      indHeader = null;
      continue;
    }

    const v = readRow(r, indHeader);
    const l1 = v.get("level1")?.[0];
    const l2 = v.get("level2")?.[0];
    if (l1) {
      if (level1 && squash(level1.text) !== l1.key) level2 = null;
      level1 = l1;
    }
    if (l2) level2 = l2;
    // A level-1 label written in the level-2 column (some forms merge the two).
    raw.push({
      row: r.row,
      table: r.table.index,
      level1,
      level2,
      level1Text: level1 ? squash(level1.text) : null,
      level2Text: level2 ? squash(level2.text) : null,
      f: v,
    });
  }

  for (const ind of groupIndicators(raw, file)) {
    doc.indicators.push(ind.value);
    doc.provenance.indicators.push(ind.prov);
  }
  return doc;
}

function squashInline(s: string): string {
  return s.replace(/\n/g, "");
}

function joinCells(cs: RCell[] | undefined): string | null {
  if (!cs || cs.length === 0) return null;
  return cleanText(cs.map((c) => c.text).join("\n"));
}

function readFundsRow(
  r: RRow,
  h: HeaderMap<FundField>,
  out: FundsRow,
  prov: SelfEvalProvenance["funds"]["total"],
  file: string,
): void {
  const v = readRow(r, h);
  for (const field of ["initial", "adjusted", "executed", "weight", "rate", "score"] as const) {
    const c = v.get(field)?.[0] ?? null;
    const blank = !c || isBlankValue(c.text);
    if (field === "rate") out.rate = blank ? null : squash(c!.text);
    else out[field] = blank ? null : parseNumber(c!.text);
    prov[field] = c ? provOf(file, c) : null;
  }
}

const VALUE_FIELDS: IndField[] = ["target", "actual", "weight", "score", "deviation"];

/**
 * Turns raw indicator rows into indicators: a row with values followed by rows that only carry a
 * 三级指标 name (same 二级 group) holds several indicators packed in one cell; a row whose name was
 * pushed to the row below is one indicator.
 */
function groupIndicators(raw: RawIndicator[], file: string): { value: Indicator; prov: SelfEvalProvenance["indicators"][number] }[] {
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
  const cell = (f: IndField) => r.f.get(f)?.[0] ?? null;
  const text = (f: IndField) => joinCells(r.f.get(f));
  const pieces = (f: IndField): string | null => {
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
  };
  return { value, prov };
}

