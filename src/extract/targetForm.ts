// Rows (and the paragraphs around them) of a 项目支出绩效目标申报表 → TargetFormDoc.
import type { BudgetItem, Provenance, Target, TargetFormDoc } from "../domain/document.ts";
import type { ParagraphBlock } from "../ingest/blocks.ts";
import { cleanText, isBlankValue, parseNumber, squash, toHalfWidth } from "./normalize.ts";
import { matchHeader, readRow, type FieldSpec, type HeaderMap } from "./header.ts";
import { isEmptyRow, nextCell, paraProvOf, provOf, type RCell, type RRow } from "./rows.ts";

type TField = "level1" | "level2" | "level3" | "value" | "description";
const TARGET_SPECS: FieldSpec<TField>[] = [
  { field: "level1", re: /^一级(目标|指标)$/ },
  { field: "level2", re: /^二级(目标|指标)$/ },
  { field: "level3", re: /^三级(目标|指标)$/ },
  { field: "value", re: /^(目标值|指标值)/ },
  { field: "description", re: /^(描述|指标说明|备注)/ },
];

/** Header fields whose blank value a reviewer notices (MISSING_FIELD reads `fields`). */
const FIELD_LABELS = ["项目负责人", "联系人", "联系电话", "采购方式", "填报日期", "填报单位负责人", "填表人", "政府采购", "其他资金", "需要说明的其他问题"];

export interface TargetFormContext {
  file: string;
  paragraphs: ParagraphBlock[];
}

export function recognizeTargetForm(rows: RRow[], ctx: TargetFormContext): TargetFormDoc {
  const { file } = ctx;
  const P = (c: RCell | null | undefined) => (c ? provOf(file, c) : null);
  const PP = (p: ParagraphBlock): Provenance => paraProvOf(file, p);
  const doc: TargetFormDoc = {
    kind: "目标申报表",
    report: null,
    name: null,
    department: null,
    implementer: null,
    year: null,
    unit: null,
    category: null,
    start: null,
    end: null,
    funds_total: null,
    targets: [],
    budget_items: [],
    amount_total: null,
    fields: {},
    code: null,
    period: null,
    project_type: null,
    new_or_continuing: null,
    funds_year: null,
    policy_basis: null,
    calc_basis: null,
    annual_goal: null,
    long_term_goal: null,
    complete: true,
    unread: [],
    provenance: {
      tables: [],
      name: null,
      department: null,
      implementer: null,
      year: null,
      unit: null,
      category: null,
      start: null,
      end: null,
      funds_total: null,
      amount_total: null,
      targets: [],
      budget_items: [],
      fields: {},
    },
  };
  const seenTables = new Set<number>();
  for (const r of rows) {
    if (!seenTables.has(r.table.index)) {
      seenTables.add(r.table.index);
      doc.provenance.tables.push({ file, table: r.table.index, text: "" });
    }
  }

  // Paragraph lines: 填报单位（盖章）：X, 金额单位：万元, （2020年）, 项目名称：X, 填表人：…
  for (const p of ctx.paragraphs) {
    const t = toHalfWidth(p.text).trim();
    for (const line of t.split("\n")) {
      const kv = /^([^:：]{2,12})[:：]\s*(.*)$/.exec(line.trim());
      if (kv) {
        const label = squash(kv[1]!).replace(/[(（][^)）]*[)）]/g, "");
        const value = kv[2]!.trim() || null;
        if (label === "填报单位" && doc.implementer === null) {
          doc.implementer = value;
          doc.provenance.implementer = PP(p);
        } else if (/单位$/.test(label) && /元$/.test(value ?? "") && doc.unit === null) {
          doc.unit = squash(value!);
          doc.provenance.unit = PP(p);
        } else if (label === "项目名称" && doc.name === null && value) {
          doc.name = value;
          doc.provenance.name = PP(p);
        } else if (label === "主管部门" && doc.department === null) {
          doc.department = value;
          doc.provenance.department = PP(p);
        }
        if (FIELD_LABELS.includes(label)) setField(doc, label, value, PP(p));
      }
      const y = /^[(（]\s*(\d{4})\s*年度?\s*[)）]$/.exec(squash(line));
      if (y && doc.year === null) {
        doc.year = Number(y[1]);
        doc.provenance.year = PP(p);
      }
    }
  }

  let targetHeader: HeaderMap<TField> | null = null;
  let level1: RCell | null = null;
  let level2: RCell | null = null;
  let inBudget = false;
  let budgetCols: [number, number, number] | null = null;
  for (const r of rows) {
    if (isEmptyRow(r)) continue;
    // Inline "label：value" cells and label | value pairs.
    for (const c of r.cells) {
      const m = /^([^:：]{2,12})[:：](.*)$/s.exec(toHalfWidth(c.text).trim());
      if (m) {
        const label = squash(m[1]!);
        const value = cleanText(m[2]!) ?? null;
        if (label === "起始日期" && !doc.start) [doc.start, doc.provenance.start] = [value && squash(value), P(c)];
        else if (label === "结束日期" && !doc.end) [doc.end, doc.provenance.end] = [value && squash(value), P(c)];
        else if (label === "项目名称" && !doc.name && value) [doc.name, doc.provenance.name] = [value, P(c)];
        if (FIELD_LABELS.includes(label)) setField(doc, label, value, P(c));
      }
    }
    const first = r.cells.find((c) => c.key !== "");
    if (first && first.key === "项目名称" && !doc.name) {
      const v = nextCell(r, first);
      doc.name = v && v.key ? v.text : null;
      doc.provenance.name = P(v);
    }
    for (const c of r.cells) {
      if (FIELD_LABELS.includes(c.key.replace(/[:：]$/, "")) && !/[:：]./.test(c.text)) {
        const v = nextCell(r, c);
        const val = v && !FIELD_LABELS.includes(v.key.replace(/[:：]$/, "")) && v.key ? v.text : null;
        setField(doc, c.key.replace(/[:：]$/, ""), val, P(val ? v : c));
      }
    }
    const cat = r.cells.find((c) => c.key === "项目类别");
    if (cat) {
      const ticked = r.cells.find((c) => /[☑☒■✓✔]/.test(c.text));
      if (ticked) {
        doc.category = squash(ticked.text.replace(/[☑☒■✓✔□]/g, ""));
        doc.provenance.category = P(ticked);
      }
      continue;
    }
    const fundsCell = r.cells.find((c) => /项目总预算|资金总额/.test(c.key));
    if (fundsCell && doc.funds_total === null) {
      const m = /(?:项目总预算|资金总额)[^:：]*[:：]?\s*([\d,.]+)/.exec(squash(toHalfWidth(fundsCell.text)));
      if (m) {
        doc.funds_total = parseNumber(m[1]!);
        doc.provenance.funds_total = P(fundsCell);
      }
    }

    const th = matchHeader(r, TARGET_SPECS, 3);
    if (th) {
      targetHeader = th;
      continue;
    }
    if (r.cells.some((c) => /项目预算分解|预算明细|构成明细/.test(c.key))) inBudget = true;
    const totalCell = r.cells.find((c) => /^(金额合计|合计|总计)$/.test(c.key));
    if (totalCell && inBudget) {
      const num = r.cells.find((c) => c.col > totalCell.col && parseNumber(c.text) !== null);
      doc.amount_total = num ? parseNumber(num.text) : null;
      doc.provenance.amount_total = P(num);
      inBudget = false;
      targetHeader = null;
      continue;
    }
    if (inBudget) {
      const item = readBudgetItem(r, budgetCols);
      if (item && !budgetCols && item.cells.amount && item.cells.unit_price && item.cells.quantity) {
        // The first complete row fixes the columns: later rows are read by position, so a blank
        // unit price does not shift the quantity into its place.
        budgetCols = [item.cells.amount.col, item.cells.unit_price.col, item.cells.quantity.col];
      }
      if (item) {
        doc.budget_items.push(item.value);
        doc.provenance.budget_items.push({
          name: P(item.cells.name),
          amount: P(item.cells.amount),
          unit_price: P(item.cells.unit_price),
          quantity: P(item.cells.quantity),
        });
      }
      continue;
    }
    if (targetHeader) {
      const v = readRow(r, targetHeader);
      const l1 = v.get("level1")?.[0];
      const l2 = v.get("level2")?.[0];
      if (l1) {
        if (level1 && level1.key !== l1.key) level2 = null;
        level1 = l1;
      }
      if (l2) level2 = l2;
      const l3 = v.get("level3")?.[0];
      const val = v.get("value")?.[0];
      const desc = v.get("description")?.[0];
      if (!l3 && !val && !desc) continue;
      const t: Target = {
        level1: level1 ? level1.key : null,
        level2: level2 ? level2.key : null,
        level3: l3 ? l3.text : null,
        value: val && !isBlankValue(val.text) ? val.text : null,
        description: desc ? desc.text : null,
      };
      doc.targets.push(t);
      doc.provenance.targets.push({ level1: P(level1), level2: P(level2), level3: P(l3), value: P(val), description: P(desc) });
    }
  }
  return doc;
}

function setField(doc: TargetFormDoc, label: string, value: string | null, prov: Provenance | null): void {
  if (doc.fields[label] != null) return;
  doc.fields[label] = value;
  doc.provenance.fields[label] = prov;
}

/** A 预算分解 row: the item name, then amount, unit price and quantity (the first three numbers after it). */
function readBudgetItem(r: RRow, cols: [number, number, number] | null): { value: BudgetItem; cells: Record<keyof BudgetItem, RCell | null> } | null {
  const cells = r.cells.filter((c) => c.key !== "");
  let nameIdx = -1;
  for (let i = cells.length - 1; i >= 0; i--) {
    if (parseNumber(cells[i]!.text) === null && !isBlankValue(cells[i]!.text)) {
      nameIdx = i;
      break;
    }
  }
  if (nameIdx < 0) return null;
  const nums = cells.slice(nameIdx + 1).filter((c) => parseNumber(c.text) !== null);
  if (nums.length === 0) return null;
  const at = (col: number) => nums.find((c) => c.col === col) ?? null;
  const byCol: [RCell | null, RCell | null, RCell | null] | null = cols && cols.some((c) => at(c)) ? [at(cols[0]), at(cols[1]), at(cols[2])] : null;
  const [a, u, q] = byCol ?? [nums[0] ?? null, nums[1] ?? null, nums[2] ?? null];
  const name = cells[nameIdx]!;
  return {
    value: { name: name.text, amount: parseNumber(a?.text), unit_price: parseNumber(u?.text), quantity: parseNumber(q?.text) },
    cells: { name, amount: a, unit_price: u, quantity: q },
  };
}
