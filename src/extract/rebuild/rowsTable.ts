// `layout: "rows"` tables (pasted text: cells in reading order, merged cells dropped, empty cells moved
// to the row end): each data row is placed under the header row above it; a row outside any form block
// is realigned under the numbers of the row above.
import type { TableBlock } from "../../ingest/blocks.ts";
import { fundsRowOf, isTotalLabel } from "../../domain/vocabulary.ts";
import { type Template, norm, headerOf, makeTemplate, isKeyText } from "./templates.ts";
import { type CT, classify, isNumber, place } from "./align.ts";
import { type OutRow, outOf, toTable, rowFromPlacement } from "./cells.ts";

export function rebuildRowsTable(t: TableBlock): TableBlock {
  const out: OutRow[] = [];
  let tpl: Template | null = null;
  let shift = 0;
  let placed = false;
  const width = t.rows.reduce((w, r) => Math.max(w, r.length), 0);
  for (const cells of t.rows) {
    const texts = cells.map((c) => c.text);
    const asIs = (by = 0) => out.push(cells.map((c) => outOf(c, c.col + by, false)));
    const first = texts.find((x) => norm(x) !== "");
    if (first === undefined) {
      // a printed blank row under a header: its cells are the last ones, the merged level cells dropped
      const p = tpl && cells.length < tpl.cols.length ? place(cells.map((c) => classify(c.text)), tpl.cols, { join: false, multiRow: false }) : null;
      if (p) out.push(cells.map((c, k) => outOf(c, p[k]!.col, true)));
      else asIs();
      continue;
    }
    const h = headerOf(texts);
    if (h) {
      ({ tpl, shift } = makeTemplate(h, texts));
      asIs(shift);
      placed = true;
      continue;
    }
    const total = tpl?.family === "ind" && isTotalLabel(first);
    if (!total && isKeyText(first) && !(tpl && fundsRowOf(first))) {
      tpl = null;
      asIs();
      continue;
    }
    if (!tpl) {
      // no form header above: numbers placed under the numbers of the row above (项目预算分解 rows
      // whose leading empty cells moved to the row end)
      const prev = out[out.length - 1];
      const cols = prev ? realignUnder(cells.map((c) => classify(c.text)), prev, width) : null;
      if (!cols) asIs();
      else {
        out.push(cells.flatMap((c, k) => (cols[k] === undefined ? [] : [outOf(c, cols[k]!, true)])));
        placed = true;
      }
      continue;
    }
    // as many cells as the header: read as is (under a header given a label column, a row without a
    // label starts one column to the right)
    if (!total && cells.length === tpl.cols.length) {
      asIs();
      continue;
    }
    if (!total && shift && cells.length === tpl.cols.length - shift && !classify(first).frow) {
      asIs(shift);
      continue;
    }
    const tokens = cells.map((c) => classify(c.text));
    const filled = tokens.filter((x) => x.kind !== "E").length;
    // more cells than the header has columns (beyond an empty cell or two, which may share a column
    // the header spans): a row of another block (项目预算分解 under the 目标 rows), which ends this one
    const p = filled <= tpl.cols.length && cells.length <= tpl.cols.length + 2 ? place(tokens, tpl.cols, { join: false, multiRow: false, total }) : null;
    if (!p) {
      tpl = null;
      asIs();
      continue;
    }
    out.push(rowFromPlacement(cells.map((c, k) => ({ o: outOf(c, p[k]!.col, true), p: p[k]!, sep: " " })), !total));
    if (total) tpl = null;
  }
  if (!placed) return t;
  return toTable(t.index, out, t, t.unplaced ?? []);
}

/**
 * A row outside any form block, shifted so that its numbers fall under the numbers of the row above:
 * empty cells are inserted at one place (and trailing ones dropped) when that matches a whole number
 * more than the row as read. Returns the cells' columns, or null to keep the row as read.
 */
function realignUnder(row: CT[], prev: OutRow, width: number): (number | undefined)[] | null {
  type T = "E" | "N" | "T";
  const kind = (c: CT | undefined): T => (!c || c.kind === "E" ? "E" : isNumber(c) ? "N" : "T");
  const ref: T[] = [];
  for (const c of prev) ref[c.col] = kind(classify(c.text));
  // rows of numbers only (明细 rows: 金额 | 单价 | 数量): a key-value row with a phone number is no reference
  if (ref.filter((k) => k === "N").length < 2 || !row.some((c) => kind(c) === "N")) return null;
  const score = (cols: number[]) => {
    let v = 0;
    row.forEach((c, k) => {
      const a = kind(c);
      const b = ref[cols[k]!] ?? "E";
      if (a === "E" || b === "E") return;
      v += a === b ? (a === "N" ? 1 : 0.25) : -1;
    });
    return v;
  };
  const asRead = row.map((_, k) => k);
  let best: number[] | null = null;
  let bestScore = score(asRead) + 0.5;
  let last = -1;
  row.forEach((c, k) => {
    if (kind(c) !== "E") last = k;
  });
  // fewest inserted cells first, then the latest insertion point; the reader dropped the trailing empty
  // cells, so the table may be a little wider than its longest row
  for (let m = 1; m <= width; m++) {
    for (let p = last; p >= 0; p--) {
      const cols = row.map((_, k) => (k < p ? k : k + m));
      if (cols[last]! > width) continue;
      const v = score(cols);
      if (v > bestScore) {
        best = cols;
        bestScore = v;
      }
    }
  }
  // empty cells pushed past the last column are dropped
  return best && best.map((c, k) => (k <= last || c <= width ? c : undefined));
}
