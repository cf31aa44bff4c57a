// Stored rows → API views: a document with its findings (the validator run over all documents of its
// file, as the CLI does), recomputed scores and measurable-value suggestions. Glue only: the rules
// live in src/validate, src/score and src/suggest.
import { checkExtracted } from "../src/check.ts";
import type { PerfDoc, SelfEvalDoc } from "../src/domain/document.ts";
import type { Finding, Suggestion } from "../src/domain/finding.ts";
import type { Profile } from "../src/score/profile.ts";
import type { Store, StoredDocument, StoredDraft, StoredFile } from "../src/store/index.ts";
import { suggestFormTarget, suggestTarget } from "../src/suggest/index.ts";
import type { DocumentSummary, DocumentView, DraftView, FindingView } from "./schemas.ts";
import { ApiError, notFound } from "./errors.ts";

/**
 * Stable ids within one document: code@field (or label), numbered when a pair repeats. A grouped finding
 * has its first place's id; each place has its own (to apply that place's suggestion).
 */
export function withIds(findings: Finding[]): FindingView[] {
  const seen = new Map<string, number>();
  const idOf = (code: string, where: Finding["where"]) => {
    const base = `${code}@${where.field ?? where.label}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  };
  return findings.map(({ places, ...f }): FindingView => {
    if (!places) return { ...f, id: idOf(f.code, f.where) };
    const withId = places.map((p) => ({ ...p, id: idOf(f.code, p.where) }));
    return { ...f, id: withId[0]!.id, places: withId };
  });
}

/** The finding or the place of a grouped finding with this id (what "apply suggestion" acts on). */
export function findingById(fs: FindingView[], id: string): { code: string; where: Finding["where"]; suggestion: Suggestion | null } | null {
  for (const f of fs) {
    if (f.id === id && !f.places) return f;
    const p = f.places?.find((x) => x.id === id);
    if (p) return { code: f.code, where: p.where, suggestion: p.suggestion };
  }
  return null;
}

export const countBySeverity = (fs: Finding[]) => {
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of fs) n[f.severity]++;
  return n;
};

/**
 * Earlier years' 自评表 of the same project in the workspace, newest first (for suggestions and style).
 * Selected in SQL (the name and year columns are the document's own): every read of a document asks
 * for them, and a workspace may hold thousands of documents.
 */
export async function historyOf(store: Store, row: StoredDocument): Promise<SelfEvalDoc[]> {
  const d = row.data;
  if (d.kind !== "自评表" || !d.name || d.year === null) return [];
  return (await store.listDocuments(row.workspaceId, { kind: "自评表", name: d.name, yearBefore: d.year }))
    .filter((o) => o.id !== row.id && o.data.kind === "自评表" && o.data.name === d.name && o.data.year !== null && o.data.year < d.year!)
    .sort((a, b) => (b.year ?? 0) - (a.year ?? 0))
    .map((o) => o.data as SelfEvalDoc);
}

export function suggestionsOf(doc: PerfDoc, history: SelfEvalDoc[]): { field: string; index: number; suggestion: Suggestion }[] {
  const out: { field: string; index: number; suggestion: Suggestion }[] = [];
  if (doc.kind === "自评表") {
    doc.indicators.forEach((_, i) => {
      const s = suggestTarget(doc, i, { history });
      if (s) out.push({ field: s.field ?? `indicators[${i}].target`, index: i, suggestion: s });
    });
  } else if (doc.kind === "目标申报表") {
    doc.targets.forEach((_, i) => {
      const s = suggestFormTarget(doc, i, { history });
      if (s) out.push({ field: s.field ?? `targets[${i}].value`, index: i, suggestion: s });
    });
  }
  return out;
}

/**
 * Findings and scores of every document of one file, computed together (cross-project checks need them
 * all); `related`: the workspace's other documents (a 自评表 is compared with its 申报表, TARGET_DRIFT).
 */
function checkFile(docs: StoredDocument[], profile: Profile, related: PerfDoc[] = []) {
  return checkExtracted({ file: "", format: null, documents: docs.map((d) => d.data), error: null }, profile, related).documents;
}

/**
 * The other files' documents a file's check reads: the only check across files (TARGET_DRIFT, a 自评表
 * against its project's 申报表) reads 申报表s only, so only those are loaded — a document read must not
 * parse every document of a large workspace.
 */
async function relatedTo(store: Store, workspaceId: number, fileId: number): Promise<PerfDoc[]> {
  return (await store.listDocuments(workspaceId, { kind: "目标申报表" })).filter((d) => d.fileId !== fileId).map((d) => d.data);
}

function summary(row: StoredDocument, fileName: string, findings: Finding[]): DocumentSummary {
  return {
    id: row.id, workspaceId: row.workspaceId, fileId: row.fileId, fileName, index: row.index, kind: row.kind,
    name: row.name, year: row.year, version: row.version, acceptedVersion: row.acceptedVersion,
    acceptedBy: row.acceptedBy, acceptedAt: row.acceptedAt, updatedAt: row.updatedAt, counts: countBySeverity(findings),
  };
}

export async function documentSummaries(store: Store, files: StoredFile[], profile: Profile): Promise<Map<number, DocumentSummary[]>> {
  const out = new Map<number, DocumentSummary[]>();
  // The workspace's documents are loaded once and grouped by file (not once per file).
  const all = files.length ? await store.listDocuments(files[0]!.workspaceId) : [];
  for (const f of files) {
    const docs = all.filter((d) => d.fileId === f.id).sort((a, b) => a.index - b.index);
    const related = all.filter((d) => d.fileId !== f.id).map((d) => d.data);
    const checked = docs.length ? checkFile(docs, profile, related) : [];
    out.set(f.id, docs.map((d, i) => summary(d, f.name, checked[i]?.findings ?? [])));
  }
  return out;
}

export interface ViewContext {
  store: Store;
  profile: Profile;
}

/** A workspace's files, each with the summaries of the documents read from it. */
export async function filesWithDocuments(ctx: ViewContext, workspaceId: number) {
  const files = await ctx.store.listFiles(workspaceId);
  const docs = await documentSummaries(ctx.store, files, ctx.profile);
  return files.map((f) => ({ ...f, documents: docs.get(f.id) ?? [] }));
}

export async function loadDocument(store: Store, id: number): Promise<StoredDocument> {
  const row = await store.getDocument(id);
  if (!row) throw notFound(`文档 ${id} `);
  return row;
}

/** The full view of one document at its current version. */
export async function documentView(ctx: ViewContext, row: StoredDocument): Promise<DocumentView> {
  const siblings = (await ctx.store.documentsOfFile(row.fileId)).map((d) => (d.id === row.id ? row : d));
  const file = await ctx.store.getFile(row.fileId);
  const checked = checkFile(siblings, ctx.profile, await relatedTo(ctx.store, row.workspaceId, row.fileId))[row.index];
  const history = await historyOf(ctx.store, row);
  const suggestions = suggestionsOf(row.data, history);
  // A VAGUE_TARGET place without a proposal gets the suggester's, so it can be applied in one click.
  const withSuggestion = <T extends { suggestion: Suggestion | null; where: Finding["where"] }>(code: string, x: T): T => {
    if (x.suggestion || !x.where.field || code !== "VAGUE_TARGET") return x;
    const s = suggestions.find((y) => y.field === x.where.field);
    return s ? { ...x, suggestion: s.suggestion } : x;
  };
  const findings = (checked?.findings ?? []).map((f) => {
    const g = withSuggestion(f.code, f);
    return f.places ? { ...g, places: f.places.map((p) => withSuggestion(f.code, p)), suggestion: g.suggestion ?? f.places.map((p) => withSuggestion(f.code, p)).find((p) => p.suggestion)?.suggestion ?? null } : g;
  });
  return {
    document: summary(row, file?.name ?? "", findings),
    data: row.data,
    findings: withIds(findings),
    scoring: checked?.scoring ?? null,
    suggestions,
  };
}

export function draftView(d: StoredDraft, findings: Finding[] = d.findings): DraftView {
  return {
    id: d.id, documentId: d.documentId, documentVersion: d.documentVersion, parentId: d.parentId, request: d.request,
    sections: d.sections, drafter: d.drafter, promptVersion: d.promptVersion, findings: withIds(findings), usage: d.usage,
    accepted: d.accepted, acceptedBy: d.acceptedBy, acceptedAt: d.acceptedAt, createdAt: d.createdAt,
  };
}

/**
 * The suggestion an apply-suggestion request names: a finding (by id), one place of a grouped finding (by
 * code and field), or the suggester's proposal for a field; null when it has none. 404 when the finding is
 * gone (the document changed since the client read it).
 */
export function requestedSuggestion(view: DocumentView, req: { findingId?: string | undefined; code?: string | undefined; field?: string | undefined }): Suggestion | null {
  if (req.findingId === undefined && req.code === undefined) return view.suggestions.find((s) => s.field === req.field)?.suggestion ?? null;
  // Each place of a grouped finding carries its own suggestion.
  const places = view.findings.flatMap((x) => (x.places ? x.places.map((p) => ({ id: p.id, code: x.code, where: p.where, suggestion: p.suggestion })) : [x]));
  const f =
    req.findingId !== undefined
      ? findingById(view.findings, req.findingId)
      : places.find((x) => x.code === req.code && (req.field === undefined || x.where.field === req.field));
  if (!f) throw new ApiError(404, "FINDING_NOT_FOUND", "找不到该问题：文档可能已修改，请刷新");
  return f.suggestion;
}
