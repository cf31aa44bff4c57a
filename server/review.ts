// Stored documents + waivers → the review views (the bureau's 审核意见, src/review) and the 审核意见表.
// Glue only: the items and their rules live in src/review; here each reviewable document is reviewed
// at its current version, its waivers are laid over the opinions, and evidence paths are mapped to
// the cells of the document's own form (a 部门整体 目标表 is reviewed as a 申报表, but shown as itself).
import type { PerfDoc } from "../src/domain/document.ts";
import { DEFAULT_CHECKLIST, type Checklist } from "../src/review/checklist.ts";
import { reviewDocument, reviewable, type Opinion, type ProjectReview } from "../src/review/index.ts";
import type { ReviewWaiver, Store, StoredDocument } from "../src/store/index.ts";
import { ApiError } from "./errors.ts";
import type { OpinionView, ProjectReviewView, ReviewItemCount, WorkspaceReview } from "./schemas.ts";

export const REVIEW_CHECKLIST: Checklist = DEFAULT_CHECKLIST;

export const isReviewable = (d: PerfDoc) => reviewable(d) !== null;

/**
 * The document's own path for a path of the review (which reads a 部门整体 目标表 through the 申报表's
 * shape): targets[i].value → indicators[i].target, annual_goal → goals.expected …; null when the
 * document has no such cell (a 部门整体 form has no 政策依据).
 */
export function cellOf(doc: PerfDoc, field: string): string | null {
  if (doc.kind === "目标申报表") return field;
  if (doc.kind !== "部门整体") return null;
  const t = /^targets(\[\d+\])?(?:\.(\w+))?$/.exec(field);
  if (t) {
    const sub = t[2] === "value" ? "target" : t[2];
    return `indicators${t[1] ?? ""}${sub ? `.${sub}` : ""}`;
  }
  const total = doc.funds.total;
  const map: Record<string, string | null> = {
    name: "name", code: "code", department: "department", implementer: "name", unit: "unit", annual_goal: "goals.expected",
    // deptAsTargetForm reads both amounts from 年初预算数, or 全年预算数 when that is blank.
    funds_year: total.initial !== null || total.adjusted === null ? "funds.total.initial" : "funds.total.adjusted",
    funds_total: total.initial !== null || total.adjusted === null ? "funds.total.initial" : "funds.total.adjusted",
  };
  return map[field] ?? null;
}

function opinionView(doc: PerfDoc, o: Opinion, w: ReviewWaiver | undefined): OpinionView {
  return {
    id: o.code,
    dimension: o.dimension,
    item: o.item,
    code: o.code,
    severity: o.severity,
    where: o.where,
    text: o.text,
    suggestion: o.suggestion,
    evidence: o.evidence.map((e) => ({ text: e.text, where: e.where, field: e.field, cell: cellOf(doc, e.field), provenance: e.provenance })),
    waived: w ? { by: w.user, reason: w.reason, at: w.createdAt } : null,
  };
}

/** One stored document reviewed at its current version, with its waivers; null when it is not a 申报表. */
export function projectReview(row: StoredDocument, fileName: string, waivers: ReviewWaiver[], checklist = REVIEW_CHECKLIST): ProjectReviewView | null {
  const r = reviewDocument(row.data, fileName, row.index, checklist);
  if (!r) return null;
  const mine = new Map(waivers.filter((w) => w.documentId === row.id).map((w) => [w.code, w]));
  const opinions = r.opinions.map((o) => opinionView(row.data, o, mine.get(o.code)));
  const open = opinions.filter((o) => !o.waived);
  return {
    documentId: row.id,
    fileId: row.fileId,
    fileName,
    sheet: r.sheet,
    index: row.index,
    kind: row.data.kind === "目标申报表" ? "目标申报表" : "部门整体",
    version: row.version,
    code: r.code,
    name: r.name,
    unit: r.unit,
    amount: r.amount,
    moneyUnit: r.money_unit,
    items: r.items,
    counts: {
      error: open.filter((o) => o.severity === "error").length,
      warning: open.filter((o) => o.severity === "warning").length,
      waived: opinions.length - open.length,
    },
    dimensions: checklist.dimensions,
    complete: r.complete,
    opinions,
  };
}

/** The review of a document that must be reviewable (422 otherwise). */
export function requireReview(row: StoredDocument, fileName: string, waivers: ReviewWaiver[]): ProjectReviewView {
  const r = projectReview(row, fileName, waivers);
  if (!r) {
    throw new ApiError(422, "NOT_REVIEWABLE", `该文档是${row.kind === "部门整体" ? "部门整体自评表" : "自评表"}，不做申报审核：审核只针对绩效目标申报表和部门整体绩效目标表`);
  }
  return r;
}

/** Per item of the checklist (in its order): how many projects carry it, and how many of those are not waived. */
export function itemCounts(projects: ProjectReviewView[], checklist = REVIEW_CHECKLIST): ReviewItemCount[] {
  return checklist.items
    .map((it) => {
      const hits = projects.flatMap((p) => p.opinions.filter((o) => o.code === it.code));
      return { code: it.code, item: it.name, dimension: it.dimension, severity: it.severity, projects: hits.length, open: hits.filter((o) => !o.waived).length };
    })
    .filter((c) => c.projects > 0);
}

/** The checklist item a filter names, by its name (测算依据不规范) or code (CALC_BASIS); 400 when none. */
export function itemOf(filter: string, checklist = REVIEW_CHECKLIST): { code: string; name: string } {
  const f = filter.trim();
  const it = checklist.items.find((i) => i.name === f || i.code === f);
  if (!it) throw new ApiError(400, "UNKNOWN_ITEM", `没有名为“${f}”的审核项：请从审核清单中选择（如“测算依据不规范”）`);
  return { code: it.code, name: it.name };
}

/** The views back in the exporter's shape (waived opinions carry `waived`, so the 审核意见表 leaves them out). */
export function asProjectReviews(projects: ProjectReviewView[]): ProjectReview[] {
  return projects.map((p) => ({
    file: p.fileName,
    sheet: p.sheet,
    document: p.index,
    code: p.code,
    name: p.name,
    unit: p.unit,
    amount: p.amount,
    money_unit: p.moneyUnit,
    items: p.items,
    complete: p.complete,
    opinions: p.opinions.map((o) => ({
      dimension: o.dimension, item: o.item, code: o.code, severity: o.severity, where: o.where, text: o.text, suggestion: o.suggestion,
      evidence: o.evidence.map((e) => ({ text: e.text, where: e.where, field: e.field, provenance: e.provenance })),
      ...(o.waived ? { waived: { by: o.waived.by ?? "", reason: o.waived.reason, at: o.waived.at } } : {}),
    })),
  }));
}

/**
 * Every reviewable document of a workspace at its current version, with its waivers; `item` keeps only the
 * projects that have that item's opinion (the counts per item stay over all of them).
 */
export async function workspaceReview(store: Store, ws: { id: number; name: string }, item: { code: string; name: string } | null): Promise<WorkspaceReview> {
  const [files, docs, waivers] = await Promise.all([store.listFiles(ws.id), store.listDocuments(ws.id), store.listWaivers({ workspaceId: ws.id })]);
  const names = new Map(files.map((f) => [f.id, f.name]));
  const all = docs.flatMap((d) => projectReview(d, names.get(d.fileId) ?? "", waivers) ?? []);
  const projects = item ? all.filter((p) => p.opinions.some((o) => o.code === item.code)) : all;
  return {
    workspace: { id: ws.id, name: ws.name },
    checklist: { name: REVIEW_CHECKLIST.name, dimensions: REVIEW_CHECKLIST.dimensions },
    total: all.length,
    item,
    items: itemCounts(all),
    projects,
  };
}

export const fileNameOf = async (store: Store, row: StoredDocument) => (await store.getFile(row.fileId))?.name ?? "";

/** One document's review with its waivers (422 when it is not a 申报表). */
export async function documentReview(store: Store, row: StoredDocument): Promise<ProjectReviewView> {
  return requireReview(row, await fileNameOf(store, row), await store.listWaivers({ documentId: row.id }));
}
