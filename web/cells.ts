// Which cell of the page a finding belongs to: its where.field, or — for a finding without one — the
// cells its provenance points at. Pure (no DOM), so the tests can import it.
import type { FindingView } from "../server/schemas.ts";

type Prov = FindingView["provenance"][number];

/** Where a provenance entry sits in the source file: a table cell, a paragraph, a PDF/text line or a sheet cell. */
export function provKey(p: Prov): string | null {
  if (p.table !== undefined && p.row !== undefined && p.col !== undefined) return `t${p.table}:r${p.row}:c${p.col}`;
  if (p.sheet !== undefined && p.address !== undefined) return `s${p.sheet}!${p.address}`;
  if (p.page !== undefined && p.line !== undefined) return `p${p.page}:l${p.line}`;
  if (p.line !== undefined) return `l${p.line}`;
  if (p.paragraph !== undefined) return `para${p.paragraph}`;
  return null;
}

const isProv = (x: unknown): x is Prov =>
  typeof x === "object" && x !== null && typeof (x as Prov).file === "string" && typeof (x as Prov).text === "string";

/** Source position → field path, from the document's provenance (which mirrors the document's shape). */
export function fieldsByPosition(provenance: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (x: unknown, path: string) => {
    if (isProv(x)) {
      const key = provKey(x);
      // A report section's provenance is its heading paragraph; the editable cell is its text.
      const field = /^report\.sections\[\d+\]$/.test(path) ? `${path}.text` : path;
      if (key && !out.has(key)) out.set(key, field);
    } else if (Array.isArray(x)) x.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (x && typeof x === "object") for (const [k, v] of Object.entries(x)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(provenance, "");
  return out;
}

/** A grouped finding as one finding per place (each cell shows its own message and fix). */
export function placesOf(f: FindingView): FindingView[] {
  if (!f.places) return [f];
  return f.places.map((p) => {
    const { places: _grouped, ...rest } = f;
    void _grouped;
    return { ...rest, id: p.id, where: p.where, message: p.message, suggestion: p.suggestion, provenance: p.provenance, ...(p.also ? { also: p.also } : {}) };
  });
}

/**
 * Findings per cell: by where.field; a finding without a field (WEIGHTS_NONSTANDARD, heading numbering …)
 * lands on the cells its provenance points at.
 */
export function byField(grouped: FindingView[], positions: Map<string, string> = new Map()): Map<string, FindingView[]> {
  const m = new Map<string, FindingView[]>();
  const add = (field: string, f: FindingView) => {
    const list = m.get(field) ?? [];
    if (!list.includes(f)) list.push(f);
    m.set(field, list);
  };
  for (const f of grouped.flatMap(placesOf)) {
    if (f.where.field) {
      add(f.where.field, f);
      continue;
    }
    for (const p of f.provenance) {
      const key = provKey(p);
      const field = key ? positions.get(key) : undefined;
      if (field) add(field, f);
    }
  }
  return m;
}
