// Field-by-field comparison of an extracted document with a gold document: texts compared with
// whitespace removed, numbers as numbers, blanks as null. Only the gold's keys are compared
// (our documents carry more: provenance, section texts, form fields).

export interface FieldDiff {
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface CompareStats {
  /** Gold leaf fields compared. */
  fields: number;
  diffs: FieldDiff[];
}

/** Keys a gold file writes only when true. Other keys the gold does not write are not compared. */
const ABSENT_MEANS_FALSE = ["shared_score_with_next"];

const norm = (s: string) => s.replace(/[\s\u00A0\u3000\u200B\uFEFF]+/g, "");

export function compareDoc(gold: unknown, actual: unknown, path = ""): CompareStats {
  const stats: CompareStats = { fields: 0, diffs: [] };
  walk(gold, actual, path, stats);
  return stats;
}

function walk(g: unknown, a: unknown, path: string, st: CompareStats): void {
  if (Array.isArray(g)) {
    const arr = Array.isArray(a) ? a : [];
    if (arr.length !== g.length) st.diffs.push({ path: `${path}.length`, expected: g.length, actual: Array.isArray(a) ? a.length : a });
    for (let i = 0; i < g.length; i++) walk(g[i], arr[i], `${path}[${i}]`, st);
    return;
  }
  if (g !== null && typeof g === "object") {
    const obj = (a !== null && typeof a === "object" ? a : {}) as Record<string, unknown>;
    const gobj = g as Record<string, unknown>;
    for (const k of Object.keys(gobj)) walk(gobj[k], obj[k], path ? `${path}.${k}` : k, st);
    // Flags present only when true in the gold (shared_score_with_next): absent means false.
    for (const k of ABSENT_MEANS_FALSE) {
      if (!(k in gobj) && obj[k] === true) st.diffs.push({ path: `${path}.${k}`, expected: undefined, actual: true });
    }
    return;
  }
  st.fields++;
  if (!leafEqual(g, a)) st.diffs.push({ path, expected: g, actual: a });
}

function leafEqual(g: unknown, a: unknown): boolean {
  if (g === null || g === undefined) return a === null || a === undefined || (typeof a === "string" && norm(a) === "");
  if (typeof g === "number") return typeof a === "number" && Math.abs(a - g) < 1e-9;
  if (typeof g === "string") return typeof a === "string" && norm(a) === norm(g);
  return g === a;
}
