// Labelled header values of a form, wherever the family puts them (templates.md §1): in the cell right
// of the label, after a colon in the label's own cell (full- or half-width), or in the cell below a row
// of labels. Budget-system exports put two label | value pairs in one row; Word forms one or two.
import { cleanText } from "../domain/text.ts";
import type { RCell, RRow } from "./rows.ts";
import {
  fundsColumnOf,
  fundsRowOf,
  goalColumnOf,
  headerFieldOf,
  indicatorColumnOf,
  inlineField,
  isFundsBlockLabel,
  isGoalsBlockLabel,
  isIndicatorBlockLabel,
  isNarrativeLabel,
  isTotalLabel,
  labelKey,
  titleKindOf,
  type HeaderField,
} from "../domain/vocabulary.ts";

export interface FieldHit {
  /** A header field of the vocabulary, or "narrative" for a labelled text box (评价结论, 存在问题 …). */
  field: HeaderField | "narrative";
  /** The label in normal form (labelKey), e.g. "项目负责人"; the key under which `fields` keeps it. */
  label: string;
  labelCell: RCell;
  /** Cleaned value text, null when the value cell is blank. */
  value: string | null;
  /** The cell the value was read from (the label's own cell for "label：value"). */
  valueCell: RCell | null;
}

/** Any vocabulary word a value cell can never be: field labels, column headers, block labels, titles. */
export function isLabelText(text: string): boolean {
  const t = text.trim();
  if (t === "" || t.length > 40) return false;
  if (headerFieldOf(t) || isNarrativeLabel(t) || isTotalLabel(t)) return true;
  if (fundsColumnOf(t) || fundsRowOf(t) || goalColumnOf(t) || indicatorColumnOf(t)) return true;
  if (isFundsBlockLabel(t) || isGoalsBlockLabel(t) || isIndicatorBlockLabel(t)) return true;
  return t.length <= 30 && titleKindOf(t) !== null;
}

/** A label with a colon and nothing after it ("年度资金总额：") is still a label. */
function colonLabel(c: RCell): string | null {
  const m = /^([^:：\n]{2,24})[:：]\s*$/.exec(c.text.trim());
  return m ? m[1]! : null;
}

/**
 * Every labelled value in `rows`. `skip(r)` rows are not read (they belong to a funds, goals or indicator
 * block). A label's value is its inline text, else the next cell right (when that is not a label), else
 * the cell below at the same column (a row of labels over a row of values).
 */
export function readLabelledFields(rows: RRow[], skip: (r: RRow) => boolean = () => false): FieldHit[] {
  const hits: FieldHit[] = [];
  rows.forEach((r, ri) => {
    if (skip(r)) return;
    r.cells.forEach((c, ci) => {
      if (c.key === "") return;
      const inl = inlineField(c.text);
      if (inl && inl.value !== "") {
        hits.push({ field: inl.field, label: inl.label, labelCell: c, value: cleanText(inl.value), valueCell: c });
        return;
      }
      const labelText = inl ? inl.label : (colonLabel(c) ?? c.text);
      const field: HeaderField | "narrative" | null = headerFieldOf(labelText) ?? (isNarrativeLabel(labelText) ? "narrative" : null);
      if (!field) return;
      const isLabelCell = (x: RCell) => isLabelText(x.text) || colonLabel(x) !== null || inlineField(x.text) !== null;
      let right = r.cells[ci + 1];
      // An empty cell between the label and its value (a narrow column left over from a cut cell, an
      // unmerged spreadsheet column) is passed over when the next filled cell is a value, not a label.
      if (right && right.key === "") {
        const next = r.cells.slice(ci + 2).find((x) => x.key !== "");
        if (next && !isLabelCell(next)) right = next;
      }
      const rightIsLabel = right !== undefined && isLabelCell(right);
      if (right && !rightIsLabel) {
        hits.push({ field, label: labelKey(labelText), labelCell: c, value: right.key === "" ? null : cleanText(right.text), valueCell: right });
        return;
      }
      // A row of labels over a row of values: the cell below, at the same column.
      const below = rows[ri + 1];
      const under = below && !skip(below) ? below.cells.find((x) => x.col === c.col && x.span === c.span) : undefined;
      if (under && under.key !== "" && !isLabelText(under.text) && inlineField(under.text) === null) {
        hits.push({ field, label: labelKey(labelText), labelCell: c, value: cleanText(under.text), valueCell: under });
        return;
      }
      hits.push({ field, label: labelKey(labelText), labelCell: c, value: null, valueCell: null });
    });
  });
  return hits;
}

/** The first hit of a field with a value, else the first hit at all. */
export function pick(hits: FieldHit[], field: HeaderField): FieldHit | null {
  return hits.find((h) => h.field === field && h.value !== null) ?? hits.find((h) => h.field === field) ?? null;
}

/** "是" → 新增, "否" → 延续 (是否新增项目); "新增"/"延续" as written (项目属性). */
export function newOrContinuing(label: string, value: string | null): "新增" | "延续" | null {
  if (value === null) return null;
  const v = value.replace(/\s+/g, "");
  // A ticked checkbox list ("新增□ 延续☑") names the ticked one.
  const ticked = /(新增|延续|持续|新设)[^□☑☒■✓✔]{0,3}[☑☒■✓✔]|[☑☒■✓✔][^□☑☒■✓✔]{0,3}(新增|延续|持续|新设)/.exec(v);
  const word = ticked ? (ticked[1] ?? ticked[2])! : v;
  if (/^是$/.test(word) && /新增/.test(label)) return "新增";
  if (/^否$/.test(word) && /新增/.test(label)) return "延续";
  if (/^(新增|新设|新增项目)/.test(word)) return "新增";
  if (/^(延续|持续|延续项目|经常性)/.test(word)) return "延续";
  return null;
}
