// Header-driven column mapping: a header row names the fields; each field owns the grid columns
// from its header cell up to the next field's header cell. Data cells are read by position against
// those ranges, so column order variants and split or merged cells are tolerated.
import type { RCell, RRow, Range } from "./rows.ts";

export interface FieldSpec<F extends string> {
  field: F;
  re: RegExp;
}

export type HeaderMap<F extends string> = { field: F; range: Range; cell: RCell }[];

/** Maps the header cells of a row to fields; returns null when fewer than `min` fields match. */
export function matchHeader<F extends string>(r: RRow, specs: FieldSpec<F>[], min: number): HeaderMap<F> | null {
  return matchHeaderBy(r, (c, used) => specs.find((s) => !used.has(s.field) && s.re.test(c.key))?.field ?? null, min);
}

/** Same, with a classifier (vocabulary lookups): each field is taken by its first matching cell. */
export function matchHeaderBy<F extends string>(r: RRow, classify: (c: RCell, used: Set<F>) => F | null, min: number): HeaderMap<F> | null {
  const found: { field: F; cell: RCell }[] = [];
  const used = new Set<F>();
  for (const c of r.cells) {
    if (c.key === "") continue;
    const field = classify(c, used);
    if (field !== null && !used.has(field)) {
      used.add(field);
      found.push({ field, cell: c });
    }
  }
  if (found.length < min) return null;
  found.sort((a, b) => a.cell.col - b.cell.col);
  return found.map((f, i) => {
    const next = found[i + 1];
    const end = next ? next.cell.col : Number.MAX_SAFE_INTEGER;
    return { field: f.field, range: [f.cell.col, Math.max(end, f.cell.col + f.cell.span)] as Range, cell: f.cell };
  });
}

/** Reads a data row against a header: field → the non-empty cells in its range. */
export function readRow<F extends string>(r: RRow, h: HeaderMap<F>): Map<F, RCell[]> {
  const out = new Map<F, RCell[]>();
  for (const c of r.cells) {
    if (c.key === "") continue;
    const f = h.find((x) => c.col >= x.range[0] && c.col < x.range[1]);
    if (!f) continue;
    const list = out.get(f.field) ?? [];
    list.push(c);
    out.set(f.field, list);
  }
  return out;
}

/** Start column of the first field: cells left of it are row labels. */
export function firstCol<F extends string>(h: HeaderMap<F>): number {
  return h.length ? h[0]!.range[0] : 0;
}
