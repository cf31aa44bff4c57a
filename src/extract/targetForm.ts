// Rows (and the paragraphs around them) of a 绩效目标申报表 / 项目绩效目标表 → TargetFormDoc. Header
// fields come from the vocabulary wherever the family puts them (fields.ts); the target table is read
// by the grid ranges of its header row, split targets (指标性质 | 指标值 | 度量单位) joined with their
// parts kept; a 项目预算分解 (上海) is read as items.
import type { BudgetItem, Provenance, Target, TargetFormDoc, TargetParts } from "../domain/document.ts";
import type { ParagraphBlock } from "../ingest/blocks.ts";
import { cleanText, isBlankValue, parseNumber, squash, toHalfWidth } from "../domain/text.ts";
import { readLabelledFields, pick, newOrContinuing, type FieldHit } from "./fields.ts";
import { isEmptyRow, isNoteRow, isSpacerRow, paraProvOf, provOf, type RCell, type RRow } from "./rows.ts";
import { headerFieldOf, inlineField, labelKey, type HeaderField, type IndicatorField } from "../domain/vocabulary.ts";
import { joinTarget, matchIndicatorHeader, readIndicatorRow, type IndicatorHeader } from "./indicatorTable.ts";

/** Header fields whose blank value a reviewer notices (MISSING_FIELD reads `fields`). */
const FIELD_LABELS = ["项目负责人", "联系人", "联系电话", "采购方式", "填报日期", "填报单位负责人", "填表人", "政府采购", "其他资金", "需要说明的其他问题"];

export interface TargetFormContext {
  file: string;
  paragraphs: ParagraphBlock[];
}

type TextField = "code" | "period" | "project_type" | "policy_basis" | "calc_basis" | "annual_goal" | "long_term_goal";
const TEXT_FIELDS: TextField[] = ["code", "period", "project_type", "policy_basis", "calc_basis", "annual_goal", "long_term_goal"];

export function emptyTargetForm(file: string): TargetFormDoc {
  void file;
  return {
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
}

export function recognizeTargetForm(rows: RRow[], ctx: TargetFormContext): TargetFormDoc {
  const { file } = ctx;
  const P = (c: RCell | null | undefined) => (c ? provOf(file, c) : null);
  const PP = (p: ParagraphBlock): Provenance => paraProvOf(file, p);
  const doc = emptyTargetForm(file);
  const seenTables = new Set<number>();
  for (const r of rows) {
    if (!seenTables.has(r.table.index)) {
      seenTables.add(r.table.index);
      const t: Provenance = { file, table: r.table.index, text: "" };
      if (r.table.sheet !== undefined) t.sheet = r.table.sheet;
      doc.provenance.tables.push(t);
    }
  }

  // Paragraph lines: 填报单位（盖章）：X, 金额单位：万元, （2020年）, 项目名称：X, 填表人：…
  for (const p of ctx.paragraphs) {
    // The label is matched in normal form; the value is kept verbatim (full-width brackets and all).
    for (const line of p.text.trim().split("\n")) {
      const kv = /^([^:：]{2,12})[:：]\s*(.*)$/.exec(line.trim());
      if (kv) {
        const label = labelKey(kv[1]!);
        const value = kv[2]!.trim() || null;
        if (label === "填报单位" && doc.implementer === null) [doc.implementer, doc.provenance.implementer] = [value, PP(p)];
        else if (/单位$/.test(label) && /元$/.test(value ?? "") && doc.unit === null) [doc.unit, doc.provenance.unit] = [squash(value!), PP(p)];
        else if (label === "项目名称" && doc.name === null && value) [doc.name, doc.provenance.name] = [value, PP(p)];
        else if (label === "主管部门" && doc.department === null) [doc.department, doc.provenance.department] = [value, PP(p)];
        if (FIELD_LABELS.includes(label)) setField(doc, label, value, PP(p));
      }
      const y = /^[(（]\s*(\d{4})\s*年度?\s*[)）]$/.exec(squash(line));
      if (y && doc.year === null) [doc.year, doc.provenance.year] = [Number(y[1]), PP(p)];
    }
  }

  // Which rows belong to the target table and the budget breakdown; the others carry header fields.
  const role = classifyRows(rows);
  const headerRows = rows.filter((r) => role.get(r) === "header");
  const hits = readLabelledFields(headerRows);
  applyHeaderFields(doc, hits, P);
  for (const r of headerRows) readHeaderRowExtras(doc, r, P);

  readTargets(doc, rows, role, P);
  readBudget(doc, rows, role, P);
  doc.complete = !truncatedAtEnd(doc, rows, role);
  return doc;
}

type Role = "header" | "targetHead" | "target" | "budget" | "budgetTotal" | "after";

function classifyRows(rows: RRow[]): Map<RRow, Role> {
  const role = new Map<RRow, Role>();
  let state: "header" | "targets" | "budget" | "after" = "header";
  let head: IndicatorHeader | null = null;
  for (const r of rows) {
    const h = matchIndicatorHeader(r);
    if (h && (h.has("level3") || h.has("target"))) {
      head = h;
      state = "targets";
      role.set(r, "targetHead");
      continue;
    }
    if (r.cells.some((c) => /^(项目预算分解|预算明细|构成明细)/.test(c.key))) state = "budget";
    if (state === "budget") {
      const total = r.cells.some((c) => /^(金额合计|合计|总计)$/.test(c.key));
      role.set(r, total ? "budgetTotal" : "budget");
      if (total) state = "after";
      continue;
    }
    if (state === "targets" && head) {
      // A row that is a labelled line (备注：…, 填报说明) or a new block ends the target table.
      const filled = r.cells.filter((c) => c.key !== "");
      const lone = filled.length === 1 ? filled[0]! : null;
      if (lone && (inlineField(lone.text) || isNoteRow(r))) {
        state = "after";
        role.set(r, "after");
        continue;
      }
      // A row that opens with a header label (项目名称 | X at the top of the next part) is header again.
      const first = filled[0];
      if (first && first.col === 0 && (headerFieldOf(first.text) !== null || inlineField(first.text) !== null)) {
        state = "header";
        role.set(r, "header");
        continue;
      }
      role.set(r, "target");
      continue;
    }
    role.set(r, state === "after" ? "after" : "header");
  }
  // Labelled lines after the tables (备注：…) are header fields too.
  for (const [r, x] of role) if (x === "after" && !isEmptyRow(r)) role.set(r, "header");
  return role;
}

function applyHeaderFields(doc: TargetFormDoc, hits: FieldHit[], P: (c: RCell | null | undefined) => Provenance | null): void {
  const prov = doc.provenance;
  const get = (f: HeaderField) => pick(hits, f);
  const name = get("name");
  if (name && doc.name === null && name.value !== null) [doc.name, prov.name] = [name.value.replace(/\n/g, ""), P(name.valueCell)];
  const dept = get("department");
  if (dept && doc.department === null) [doc.department, prov.department] = [dept.value, P(dept.valueCell)];
  // 实施单位 wins; 申请单位 / 申报单位 fill it when there is none, else they name the department.
  const impl = get("implementer");
  const applicant = get("applicant");
  if (impl && doc.implementer === null) [doc.implementer, prov.implementer] = [impl.value, P(impl.valueCell)];
  if (applicant) {
    if (doc.implementer === null) [doc.implementer, prov.implementer] = [applicant.value, P(applicant.valueCell)];
    else if (impl && doc.department === null) [doc.department, prov.department] = [applicant.value, P(applicant.valueCell)];
  }
  for (const f of TEXT_FIELDS) {
    const h = get(f);
    if (h && doc[f] === null) {
      doc[f] = h.value;
      prov[f] = P(h.valueCell);
    }
  }
  if (doc.code !== null) doc.code = doc.code.replace(/\s+/g, "");
  const nc = get("new_or_continuing");
  if (nc) {
    doc.new_or_continuing = newOrContinuing(nc.label, nc.value);
    prov.new_or_continuing = P(nc.valueCell);
  }
  for (const f of ["funds_total", "funds_year"] as const) {
    const h = get(f);
    if (h && doc[f] === null) {
      doc[f] = parseNumber(h.value);
      prov[f] = P(h.valueCell);
      if (doc.unit === null) unitFromLabel(doc, h.labelCell, P);
    }
  }
  for (const f of ["start", "end"] as const) {
    const h = get(f);
    if (h && doc[f] === null && h.value !== null) [doc[f], prov[f]] = [squash(h.value), P(h.valueCell)];
  }
  // Every labelled line the form has (contacts, narrative boxes) under its own label.
  for (const h of hits) {
    if (h.field === "contact" || h.field === "narrative" || FIELD_LABELS.includes(h.label)) setField(doc, h.label, h.value, P(h.value !== null ? h.valueCell : h.labelCell));
  }
}

function unitFromLabel(doc: TargetFormDoc, c: RCell, P: (c: RCell | null | undefined) => Provenance | null): void {
  const m = /[(（][^)）]*?(万元|元|千元|亿元)[^)）]*[)）]/.exec(toHalfWidth(c.text));
  if (m) [doc.unit, doc.provenance.unit] = [m[1]!, P(c)];
}

/** Non-label parts of header rows: the ticked 项目类别, "一、项目总预算：X" lines inside one cell. */
function readHeaderRowExtras(doc: TargetFormDoc, r: RRow, P: (c: RCell | null | undefined) => Provenance | null): void {
  const cat = r.cells.find((c) => c.key === "项目类别");
  if (cat && doc.category === null) {
    const ticked = r.cells.find((c) => /[☑☒■✓✔]/.test(c.text));
    if (ticked) [doc.category, doc.provenance.category] = [squash(ticked.text.replace(/[☑☒■✓✔□]/g, "")), P(ticked)];
  }
  for (const c of r.cells) {
    for (const line of c.text.split("\n")) {
      const inl = inlineField(line);
      if (!inl) continue;
      if ((inl.field === "funds_total" || inl.field === "funds_year") && doc[inl.field] === null) {
        const n = parseNumber(/[\d,.]+/.exec(squash(toHalfWidth(inl.value)))?.[0]);
        if (n !== null) {
          doc[inl.field] = n;
          doc.provenance[inl.field] = P(c);
        }
      }
      if (FIELD_LABELS.includes(inl.label)) setField(doc, inl.label, cleanText(inl.value), P(c));
    }
  }
  for (const c of r.cells) {
    const label = labelKey(c.key);
    if (FIELD_LABELS.includes(label) && !/[:：]./.test(c.text)) {
      const i = r.cells.indexOf(c);
      const v = r.cells[i + 1];
      const val = v && !FIELD_LABELS.includes(labelKey(v.key)) && v.key ? v.text : null;
      setField(doc, label, val, P(val ? v : c));
    }
  }
}

function readTargets(doc: TargetFormDoc, rows: RRow[], role: Map<RRow, Role>, P: (c: RCell | null | undefined) => Provenance | null): void {
  let head: IndicatorHeader | null = null;
  let level1: RCell | null = null;
  let level2: RCell | null = null;
  const pending: RRow[] = []; // empty rows inside the table: kept only when a target row follows
  let read = 0; // target rows read under the current header
  for (const r of rows) {
    const x = role.get(r);
    if (x === "targetHead") {
      head = matchIndicatorHeader(r);
      level1 = level2 = null;
      pending.length = 0;
      read = 0;
      continue;
    }
    if (x !== "target" || !head) continue;
    if (isEmptyRow(r)) {
      // A blank row before the table's first target, or one cell drawn across the whole table, is a
      // spacer; other blank rows are printed rows left empty, kept when a target row follows.
      if (read > 0 && !isSpacerRow(r)) pending.push(r);
      continue;
    }
    // Blank rows between two targets are rows of the group above them (a printed row left empty).
    for (const _ of pending) pushTarget(doc, head, level1, level2, new Map(), P);
    pending.length = 0;
    read++;
    const v = readIndicatorRow(r, head);
    const l1 = v.get("level1");
    const l2 = v.get("level2");
    if (l1 && l1.key !== "") {
      if (level1 && level1.key !== l1.key) level2 = null;
      level1 = l1;
    }
    if (l2 && l2.key !== "") level2 = l2;
    pushTarget(doc, head, level1, level2, v, P);
  }
}

function pushTarget(
  doc: TargetFormDoc,
  head: IndicatorHeader,
  level1: RCell | null,
  level2: RCell | null,
  v: Map<IndicatorField, RCell>,
  P: (c: RCell | null | undefined) => Provenance | null,
): void {
  const l3 = v.get("level3") ?? null;
  const joined = joinTarget(head, v);
  const desc = v.get("description") ?? null;
  const t: Target = {
    level1: level1 ? level1.key : null,
    level2: level2 ? level2.key : null,
    level3: l3 && !isBlankValue(l3.text) ? l3.text : null,
    value: joined.value,
    description: desc && desc.key !== "" ? desc.text : null,
  };
  const prov: TargetFormDoc["provenance"]["targets"][number] = { level1: P(level1), level2: P(level2), level3: P(l3), value: P(joined.cell), description: P(desc) };
  if (joined.parts) {
    t.parts = joined.parts as TargetParts;
    prov.parts = { operator: P(v.get("operator")), value: P(v.get("target")), unit: P(v.get("unit")) };
  }
  doc.targets.push(t);
  doc.provenance.targets.push(prov);
}

function readBudget(doc: TargetFormDoc, rows: RRow[], role: Map<RRow, Role>, P: (c: RCell | null | undefined) => Provenance | null): void {
  let budgetCols: [number, number, number] | null = null;
  for (const r of rows) {
    const x = role.get(r);
    if (x === "budgetTotal") {
      const totalCell = r.cells.find((c) => /^(金额合计|合计|总计)$/.test(c.key))!;
      const num = r.cells.find((c) => c.col > totalCell.col && parseNumber(c.text) !== null);
      doc.amount_total = num ? parseNumber(num.text) : null;
      doc.provenance.amount_total = P(num);
      continue;
    }
    if (x !== "budget") continue;
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
  }
}

/** A cut excerpt: the text stops inside the target table (the last target row lacks cells it should have). */
function truncatedAtEnd(doc: TargetFormDoc, rows: RRow[], role: Map<RRow, Role>): boolean {
  const last = [...rows].reverse().find((r) => !isEmptyRow(r));
  if (!last || role.get(last) !== "target") return false;
  const t = doc.targets[doc.targets.length - 1];
  return !!t && t.value === null && t.description === null;
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

