// The indicator table of any family: its header row mapped to fields by the vocabulary (一级/二级/三级,
// the target in one cell or split into 指标性质 | 指标值 | 度量单位, 完成值, 分值/权重, 得分, 偏差原因,
// 指标解释), and a data row read against the header's grid ranges.
import type { TargetParts } from "../domain/document.ts";
import { matchHeaderBy, type HeaderMap } from "./header.ts";
import { squash } from "../domain/text.ts";
import type { RCell, RRow } from "./rows.ts";
import { indicatorColumnOf, labelKey, type IndicatorField } from "../domain/vocabulary.ts";

export interface IndicatorHeader {
  map: HeaderMap<IndicatorField>;
  has(f: IndicatorField): boolean;
  /** The target is split into columns (指标性质 and/or 度量单位 beside 指标值). */
  split: boolean;
}

/** The row as an indicator header (≥ 3 columns, a name or a target among them), or null. */
export function matchIndicatorHeader(r: RRow): IndicatorHeader | null {
  const hasActual = r.cells.some((c) => indicatorColumnOf(c.text) === "actual" || indicatorColumnOf(c.text) === "score");
  const classify = (c: RCell): IndicatorField | null => {
    if (c.key === "" || c.key.length > 24) return null;
    const f = indicatorColumnOf(c.text);
    // "说明" is the deviation column of a form that reports results, the explanation column otherwise.
    return f === "description" && labelKey(c.text) === "说明" && hasActual ? "deviation" : f;
  };
  const all = r.cells.filter((c) => classify(c) !== null);
  const seen = new Set<IndicatorField>();
  const repeats = all.some((c) => {
    const f = classify(c)!;
    if (seen.has(f)) return true;
    seen.add(f);
    return false;
  });
  let map: HeaderMap<IndicatorField> | null;
  if (repeats) {
    // 中期 and 年度 sets side by side (财预〔2015〕88号 申报表): each field is read from its last column —
    // the annual set, which the self-evaluation reuses — and the earlier set's columns belong to no field.
    const last = new Map<IndicatorField, RCell>();
    for (const c of all) last.set(classify(c)!, c);
    const kept = [...last.entries()].sort((a, b) => a[1].col - b[1].col);
    map = kept.length < 3 ? null : kept.map(([field, cell]) => {
      const next = all.find((x) => x.col > cell.col);
      return { field, range: [cell.col, Math.max(next ? next.col : Number.MAX_SAFE_INTEGER, cell.col + cell.span)] as [number, number], cell };
    });
  } else {
    map = matchHeaderBy<IndicatorField>(r, (c) => classify(c), 3);
  }
  if (!map) return null;
  const fields = new Set(map.map((m) => m.field));
  if (!fields.has("level3") && !fields.has("target") && !(fields.has("level1") && fields.has("level2"))) return null;
  return { map, has: (f) => fields.has(f), split: fields.has("target") && (fields.has("operator") || fields.has("unit")) };
}

/**
 * Field → cell of a data row. Every field whose range holds a cell is present (an empty cell has key "");
 * several non-empty cells in one range (a split cell) are joined, provenance on the first.
 */
export function readIndicatorRow(r: RRow, h: IndicatorHeader): Map<IndicatorField, RCell> {
  const out = new Map<IndicatorField, RCell>();
  for (const c of r.cells) {
    const f = h.map.find((x) => c.col >= x.range[0] && c.col < x.range[1]);
    if (!f) continue;
    const prev = out.get(f.field);
    if (!prev || prev.key === "") out.set(f.field, c);
    else if (c.key !== "") {
      const text = `${prev.text}\n${c.text}`;
      out.set(f.field, { ...prev, text, key: squash(text) });
    }
  }
  return out;
}

const present = (c: RCell | undefined): c is RCell => c !== undefined && c.key !== "";

/**
 * The target as one text: the cell itself, or for a split target operator + value + unit joined
 * ("≥" "735" "人次" → "≥735人次"; 定性 → the value alone) with the parts as printed. A row cut before one
 * of the split columns has no joined target (its unit is unknown, not blank).
 */
export function joinTarget(h: IndicatorHeader, v: Map<IndicatorField, RCell>): { value: string | null; parts: TargetParts | null; cell: RCell | null } {
  const val = v.get("target");
  if (!h.split) return { value: present(val) ? val.text : null, parts: null, cell: val ?? null };
  const op = v.get("operator");
  const unit = v.get("unit");
  const parts: TargetParts = {
    operator: present(op) ? op.key : null,
    value: present(val) ? val.text.trim() : null,
    unit: present(unit) ? unit.key : null,
  };
  const cut = (h.has("operator") && op === undefined) || (h.has("unit") && unit === undefined);
  if (parts.value === null || cut) return { value: null, parts, cell: val ?? op ?? null };
  const opText = parts.operator && !/^定性$/.test(parts.operator) ? parts.operator : "";
  // A value that already carries its unit ("95%" under 度量单位 "%") is not doubled.
  const unitText = parts.unit && !squash(parts.value).endsWith(parts.unit) ? parts.unit : "";
  return { value: `${opText}${squash(parts.value)}${unitText}`, parts, cell: val ?? null };
}
