// Page breaks inside a table: which cells of a page's last row continue in the next page's first
// row (one row split by the break, or a merged cell reaching over it), judged from open borders and
// where the text sits.
import type { FragGrid, WorkCell } from "./cells.ts";
import type { Line } from "./geometry.ts";

function hasText(lines: Line[]): boolean {
  return lines.some((l) => l.text.trim() !== "");
}

/** Text block placement in a cell part: top-aligned, centred or bottom-aligned = looks complete. */
function looksStandalone(lines: Line[], top: number, bottom: number): boolean {
  if (lines.length === 0) return true;
  const size = Math.max(...lines.map((l) => l.size));
  const textTop = Math.min(...lines.map((l) => l.y - l.size * 0.9));
  const textBottom = Math.max(...lines.map((l) => l.y + l.size * 0.25));
  const gapTop = textTop - top;
  const gapBottom = bottom - textBottom;
  const slack = Math.max(4, 0.8 * size);
  if (gapTop <= 6 + 0.6 * size) return true;
  if (Math.abs(gapTop - gapBottom) <= slack) return true;
  if (gapBottom <= 6 + 0.6 * size) return true;
  // e.g. a vertical label whose characters are spread over a tall merged cell
  return false;
}

/**
 * Joins the cells across a page boundary: cells of `b`'s first row that continue a cell of `a`'s
 * last row (same columns) are merged into it. `split` is true when the two rows are one row split
 * by the page break (then every pair is merged and `b`'s rows move up by one).
 */
export function joinGrids(a: FragGrid, b: FragGrid, contentBottom: number): { split: boolean; mergedInto: Map<WorkCell, WorkCell> } {
  const mergedInto = new Map<WorkCell, WorkCell>();
  const aLast = a.rowOffset + a.nRows - 1;
  const bottoms = a.cells.filter((c) => !c.dead && c.row + c.rowSpan - 1 === aLast);
  const tops = b.cells.filter((c) => !c.dead && c.row === b.rowOffset);
  const pairs: { up: WorkCell; down: WorkCell }[] = [];
  for (const down of tops) {
    const up = bottoms.find((u) => u.col === down.col && u.colSpan === down.colSpan);
    if (up) pairs.push({ up, down });
  }
  // Split row: some cell's text runs to the bottom of page A with a full (wrapped) last line and
  // continues at the very top of page B; or the borders between the parts are not drawn.
  let split = false;
  const allPaired = pairs.length > 0 && pairs.length === tops.length && pairs.length === bottoms.length;
  if (allPaired) {
    const openBorders = pairs.every((p) => !b.topDrawn[p.down.col] || !a.bottomDrawn[p.up.col]);
    const textFlows = pairs.some((p) => textContinues(p.up, p.down));
    // In a split row only the longest cells overflow onto the next page: the lower part has text in
    // some, not all, of the columns that have text above (a new row usually fills its own columns).
    // (Merged cells reaching over the boundary place their text independently of the split.)
    const rowPairs = pairs.filter((p) => p.up.lastRows === 1 && p.down.firstRows === 1);
    const upCols = rowPairs.filter((p) => hasText(p.up.lastLines)).map((p) => p.up.col);
    const downCols = rowPairs.filter((p) => hasText(p.down.firstLines)).map((p) => p.down.col);
    const overflowShape = downCols.length > 0 && downCols.length < upCols.length && downCols.every((c) => upCols.includes(c));
    // Without a wrapped line to show it (the break fell between two paragraphs of a cell), the
    // overflow shape is trusted when page A's part ends at the bottom of the text area and every
    // continuing text sits at the top of page B's part.
    const atPageEnd = a.frag.bottom >= contentBottom - 6;
    const downAtTop = rowPairs.every((p) => !hasText(p.down.firstLines) || p.down.firstLines[0]!.y - p.down.top <= 1.5 * p.down.firstLines[0]!.size + 6);
    // A cell that still had room for several more lines on page A did not overflow: text below it
    // on page B belongs to the next row (a 分值 "3" above and "4" below are two rows, not one).
    const roomLeft = rowPairs.some((p) => hasText(p.down.firstLines) && hasText(p.up.lastLines) && hasRoomBelow(p.up));
    // Every column with text below continues a wrapped line above (long texts side by side, such as
    // 预期目标 | 实际完成情况, all overflowing): one row, even though no column is left out.
    const both = rowPairs.filter((p) => hasText(p.down.firstLines));
    const allFlow = both.length > 0 && both.every((p) => hasText(p.up.lastLines) && textContinues(p.up, p.down));
    split = openBorders || (!roomLeft && ((overflowShape && (textFlows || (atPageEnd && downAtTop))) || allFlow));
  }
  for (const { up, down } of pairs) {
    let merge: boolean;
    if (split) merge = true;
    else if (!b.topDrawn[down.col] || !a.bottomDrawn[up.col]) merge = true;
    else {
      const upText = hasText(up.lastLines);
      const downText = hasText(down.firstLines);
      const multi = up.lastRows > 1 || down.firstRows > 1;
      // A merged cell continuing over the break has its text on one side (vertically centred
      // labels) or is spread over both parts (vertical labels, one character per line).
      if (!downText || !upText) merge = multi;
      else
        merge =
          up.lastRows > 1 &&
          down.firstRows > 1 &&
          (!looksStandalone(up.lastLines, up.lastTop, up.lastBottom) || !looksStandalone(down.firstLines, down.top, down.bottom));
    }
    if (!merge) continue;
    down.dead = true;
    const extra = split ? down.rowSpan - 1 : down.rowSpan;
    up.rowSpan += extra;
    up.lines = [...up.lines, ...down.lines];
    up.lastLines = down.lines;
    up.lastTop = down.top;
    up.lastBottom = down.bottom;
    up.lastRows = down.rowSpan;
    mergedInto.set(down, up);
  }
  return { split, mergedInto };
}

/** The cell's part on its last page ends at least three lines below its text. */
function hasRoomBelow(up: WorkCell): boolean {
  const last = up.lastLines[up.lastLines.length - 1]!;
  return up.lastBottom - (last.y + 0.25 * last.size) > 4.5 * last.size + 6;
}

function textContinues(up: WorkCell, down: WorkCell): boolean {
  const ul = up.lastLines;
  const dl = down.firstLines;
  if (ul.length === 0 || dl.length === 0) return false;
  const last = ul[ul.length - 1]!;
  const first = dl[0]!;
  const size = last.size;
  // last line of the upper part reaches the cell's right side (a wrapped line) ...
  const pad = Math.min(8, Math.max(1, Math.min(...ul.map((l) => l.x0 - up.left))));
  // (wide cells: line-breaking rules can leave a line a character or two short)
  const widthChars = (up.right - up.left - 2 * pad) / size;
  const full = last.x1 >= up.right - pad - (widthChars >= 15 ? 2.5 : 1.5) * size;
  // ... and sits at the bottom of the part (no room for one more line), and the lower part
  // starts at its top
  const prev = ul[ul.length - 2];
  const pitch = prev && prev.page === last.page ? last.y - prev.y : 1.5 * size;
  const nearBottom = up.lastBottom - last.y <= Math.max(pitch, 1.2 * size) + 0.6 * size + 6;
  const nearTop = first.y - down.top <= first.size + 6 + 0.5 * first.size;
  return full && nearBottom && nearTop;
}
