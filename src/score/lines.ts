import type { Indicator } from "../domain/document.ts";

/** Score lines of a table: indicators packed in one row share the first one's 分值/得分 and count once. */
export function scoredLines(inds: Indicator[]): { i: number; group: number[] }[] {
  const out: { i: number; group: number[] }[] = [];
  let k = 0;
  while (k < inds.length) {
    const group = [k];
    while (inds[group[group.length - 1]!]!.shared_score_with_next && group[group.length - 1]! + 1 < inds.length) group.push(group[group.length - 1]! + 1);
    out.push({ i: k, group });
    k = group[group.length - 1]! + 1;
  }
  return out;
}

/**
 * The earned share of a line whose indicators share one 分值: the mean of the members' shares (each
 * capped to 0–1). No rule fixes this; the mean credits each packed indicator equally (docs/decisions.md).
 */
export function groupRatio(ratios: number[]): number {
  if (ratios.length === 0) return 0;
  return ratios.reduce((a, r) => a + Math.min(1, Math.max(0, r)), 0) / ratios.length;
}
