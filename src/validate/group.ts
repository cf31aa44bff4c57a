// Fewer, sharper findings: on one cell, one finding that gives every reason (a vague target that also
// repeats its name and equals its actual is one fault); on one document, one finding per code that
// lists its places. The places keep their own message and fix, so nothing is lost — only repetition.
import type { Finding, Place } from "../domain/finding.ts";
import { CATALOGUE } from "./catalogue.ts";

const RANK = { error: 0, warning: 1, info: 2 } as const;
const ORDER = new Map(Object.keys(CATALOGUE).map((c, i) => [c, i]));
const byPriority = (a: Finding, b: Finding) => RANK[a.severity] - RANK[b.severity] || (ORDER.get(a.code) ?? 999) - (ORDER.get(b.code) ?? 999);

/** Fields that name a whole list or block, not one cell. */
const LISTS = new Set(["indicators", "targets", "fields", "funds", "report", "budget_items", "tasks"]);
const isCell = (field: string | undefined): field is string => !!field && !LISTS.has(field);

/** Findings on the same cell → one, the most severe code first, the others in `also`. */
export function mergeSameCell(fs: Finding[]): Finding[] {
  const buckets = new Map<string, Finding[]>();
  for (const f of fs) if (isCell(f.where.field)) buckets.set(f.where.field, [...(buckets.get(f.where.field) ?? []), f]);
  const out: Finding[] = [];
  const done = new Set<string>();
  for (const f of fs) {
    const field = f.where.field;
    if (!isCell(field)) {
      out.push(f);
      continue;
    }
    if (done.has(field)) continue;
    done.add(field);
    const list = buckets.get(field)!;
    out.push(list.length === 1 ? f : merge(list));
  }
  return out;
}

function merge(list: Finding[]): Finding {
  const [primary, ...rest] = [...list].sort(byPriority);
  const also = [...new Set([...(primary!.also ?? []), ...rest.flatMap((x) => [x.code, ...(x.also ?? [])])])].filter((c) => c !== primary!.code);
  return {
    ...primary!,
    ...(also.length ? { also } : {}),
    message: [primary!.message, ...rest.map((x) => `另：${x.message}`)].join(""),
    suggestion: primary!.suggestion ?? rest.find((x) => x.suggestion)?.suggestion ?? null,
    provenance: dedupe([...primary!.provenance, ...rest.flatMap((x) => x.provenance)]),
  };
}

/** Findings of one code → one finding listing its places (each with its own message and fix). */
export function groupByCode(fs: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of fs) groups.set(f.code, [...(groups.get(f.code) ?? []), f]);
  const out: Finding[] = [];
  for (const [code, list] of groups) {
    if (list.length === 1) {
      out.push(list[0]!);
      continue;
    }
    const first = list[0]!;
    const places: Place[] = list.map((f) => ({
      where: f.where,
      message: f.message,
      suggestion: f.suggestion,
      ...(f.also?.length ? { also: f.also } : {}),
      provenance: f.provenance,
    }));
    const also = [...new Set(list.flatMap((f) => f.also ?? []))];
    const labels = list.map((f) => f.where.label);
    out.push({
      code,
      severity: [...list].sort(byPriority)[0]!.severity,
      where: first.where,
      message: `${CATALOGUE[code]?.title ?? code}，共 ${list.length} 处：${labels.slice(0, 6).join("；")}${labels.length > 6 ? " 等" : ""}。`,
      fix: first.fix,
      suggestion: first.suggestion,
      provenance: dedupe(list.flatMap((f) => f.provenance)),
      ...(also.length ? { also } : {}),
      places,
    });
  }
  return out.sort(byPriority);
}

export function groupFindings(fs: Finding[]): Finding[] {
  return groupByCode(mergeSameCell(fs));
}

/** Every code a finding stands for (its own and those merged in). */
export function findingCodes(f: Finding): string[] {
  return [f.code, ...(f.also ?? []), ...(f.places ?? []).flatMap((p) => p.also ?? [])].filter((c, i, a) => a.indexOf(c) === i);
}

/** Every place of a finding (itself when it is not a group). */
export function findingPlaces(f: Finding): Place[] {
  return f.places ?? [{ where: f.where, message: f.message, suggestion: f.suggestion, ...(f.also ? { also: f.also } : {}), provenance: f.provenance }];
}

function dedupe<T>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** One (code, place) of a finding: what an evaluation counts, whether findings are grouped or not. */
export interface FindingAtom {
  code: string;
  severity: Finding["severity"];
  field: string | undefined;
  label: string;
  message: string;
}

/** Every code at every place; a code merged in keeps the catalogue's severity, capped by the finding's. */
export function atomsOf(f: Finding): FindingAtom[] {
  return findingPlaces(f).flatMap((p) =>
    [f.code, ...(p.also ?? [])].map((code) => ({
      code,
      severity: code === f.code ? f.severity : [f.severity, CATALOGUE[code]?.severity ?? f.severity].sort((a, b) => RANK[b] - RANK[a])[0]!,
      field: p.where.field,
      label: p.where.label,
      message: p.message,
    })),
  );
}
