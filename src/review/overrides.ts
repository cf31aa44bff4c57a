// When a written reason may stand in for a fix: the rule shared by accepting a document (确认自评表, every
// remaining error finding needs a reason not to change it), accepting a report draft (the same, for the
// draft's number checks) and waiving a review opinion (豁免审核意见). Pure: data in, data out.

/** A written reason has at least this many letters or digits. */
export const MIN_REASON_CHARS = 4;

/** A written reason: only letters and digits count, so zero-width characters or "。。。。" are not one. */
export function isWrittenReason(reason: string): boolean {
  return (reason.match(/[\p{L}\p{N}]/gu) ?? []).length >= MIN_REASON_CHARS;
}

/** The reason as it is recorded (trimmed), or null when it is not a written reason. */
export function writtenReason(raw: string | undefined): string | null {
  const reason = raw?.trim() ?? "";
  return isWrittenReason(reason) ? reason : null;
}

/** What acceptance needs to know of a finding (the API's finding views have it). */
export interface Overridable {
  id: string;
  code: string;
  severity: string;
  where: { field?: string | null | undefined };
}

/** A reason given for not fixing one error finding, as the audit log records it. */
export interface Override {
  findingId: string;
  code: string;
  field: string | null;
  reason: string;
}

/**
 * Overrides for every error finding, and the error findings still lacking a written reason. Warnings and
 * notes need none: only an error stops an acceptance.
 */
export function resolveOverrides<F extends Overridable>(findings: F[], given: { findingId: string; reason: string }[]): { overrides: Override[]; missing: F[] } {
  const overrides: Override[] = [];
  const missing: F[] = [];
  for (const f of findings) {
    if (f.severity !== "error") continue;
    const reason = writtenReason(given.find((g) => g.findingId === f.id)?.reason);
    if (reason !== null) overrides.push({ findingId: f.id, code: f.code, field: f.where.field ?? null, reason });
    else missing.push(f);
  }
  return { overrides, missing };
}

/** An acceptance left error findings without a written reason; `findings` lists them. */
export class UnresolvedErrors<F extends Overridable = Overridable> extends Error {
  readonly code = "UNRESOLVED_ERRORS" as const;
  constructor(readonly findings: F[]) {
    super(`还有 ${findings.length} 个错误级问题未处理：请先修改，或逐条写明不修改的理由（每条至少 ${MIN_REASON_CHARS} 个字）`);
    this.name = "UnresolvedErrors";
  }
}

/** The overrides an acceptance records; throws UnresolvedErrors when an error finding has no written reason. */
export function requireOverrides<F extends Overridable>(findings: F[], given: { findingId: string; reason: string }[]): Override[] {
  const { overrides, missing } = resolveOverrides(findings, given);
  if (missing.length > 0) throw new UnresolvedErrors(missing);
  return overrides;
}
