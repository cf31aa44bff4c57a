// Report drafts (自评报告) of a 自评表: list, write one (SSE: progress, deltas, sections, then the stored draft),
// read one with its numbers checked against the table as it is now, revise one section (SSE), accept with
// reasons for the errors left. Mounted at /api.
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { SelfEvalDoc } from "../../src/domain/document.ts";
import type { Finding } from "../../src/domain/finding.ts";
import { checkDraft, draftReport, reviseSection, sectionFromRequest, type DraftEvent } from "../../src/draft/index.ts";
import { requireOverrides } from "../../src/review/overrides.ts";
import type { StoredDocument } from "../../src/store/index.ts";
import type { Deps } from "../deps.ts";
import { ApiError, notFound, streamError } from "../errors.ts";
import { idOf, jsonBody, parseOr400, userOf } from "../request.ts";
import * as S from "../schemas.ts";
import { draftView, historyOf, loadDocument, withIds } from "../views.ts";

type Emit = (e: { type: string } & Record<string, unknown>) => void;

/** Runs `work` inside an SSE response; events are written in order; a failure becomes an `error` event. */
function sse(c: Context, log: (line: string) => void, work: (emit: Emit) => Promise<void>) {
  return streamSSE(c, async (stream) => {
    let seq = 0;
    let chain: Promise<void> = Promise.resolve();
    const emit: Emit = (e) => {
      chain = chain.then(() => stream.writeSSE({ event: e.type, data: JSON.stringify(e), id: String(++seq) })).catch(() => undefined);
    };
    try {
      await work(emit);
    } catch (e) {
      emit({ type: "error", ...streamError(e, log) });
    }
    await chain;
  });
}

const forward = (emit: Emit) => (e: DraftEvent) => {
  // The drafter's own `done` carries an unsaved draft; ours follows once it is stored.
  if (e.type !== "done") emit(e);
};

export function draftRoutes({ store, llm, profile, log }: Deps): Hono {
  const app = new Hono();

  /** A draft's findings as of the table now: an edit since drafting may make a number unsupported (or supported). */
  const recheck = (row: StoredDocument, d: { sections: { heading: string; text: string }[]; findings: Finding[] }) =>
    row.data.kind === "自评表" ? checkDraft(row.data, row.index, d.sections, profile) : d.findings;

  app.get("/documents/:id/drafts", async (c) => {
    const row = await loadDocument(store, idOf(c, "文档"));
    return c.json({ drafts: (await store.listDrafts(row.id)).map((d) => draftView(d, recheck(row, d))) });
  });

  app.post("/documents/:id/drafts", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.DraftBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    if (row.data.kind !== "自评表") throw new ApiError(422, "NOT_SELF_EVAL", "绩效目标申报表没有自评报告，不能起草；请打开自评表");
    const doc: SelfEvalDoc = row.data;
    const history = await historyOf(store, row);
    const user = userOf(c);
    return sse(c, log, async (emit) => {
      const draft = await draftReport(doc, { llm, profile, index: row.index, history, onEvent: forward(emit), stream: true });
      const saved = await store.addDraft({ documentId: row.id, documentVersion: row.version, parentId: null, request: body.request ?? null, draft, user });
      emit({ type: "done", draft: draftView(saved) });
    });
  });

  app.get("/drafts/:id", async (c) => {
    const id = idOf(c, "草稿");
    const d = await store.getDraft(id);
    if (!d) throw notFound(`草稿 ${id} `);
    return c.json(draftView(d, recheck(await loadDocument(store, d.documentId), d)));
  });

  app.post("/drafts/:id/revise", async (c) => {
    const id = idOf(c, "草稿");
    const body = parseOr400(S.ReviseBody, await jsonBody(c));
    const prev = await store.getDraft(id);
    if (!prev) throw notFound(`草稿 ${id} `);
    const section = body.section ?? sectionFromRequest(body.request);
    if (section === null) throw new ApiError(422, "SECTION_REQUIRED", "请指明要修改哪一部分，例如“第五部分写具体些”");
    if (section >= prev.sections.length) throw new ApiError(422, "BAD_SECTION", `草稿只有 ${prev.sections.length} 个部分，没有第 ${section + 1} 部分`);
    const row = await loadDocument(store, prev.documentId);
    if (row.data.kind !== "自评表") throw new ApiError(422, "NOT_SELF_EVAL", "该草稿所属文档不是自评表");
    const doc: SelfEvalDoc = row.data;
    const history = await historyOf(store, row);
    const user = userOf(c);
    return sse(c, log, async (emit) => {
      const draft = await reviseSection(doc, prev, section, body.request, { llm, profile, index: row.index, history, onEvent: forward(emit) });
      const saved = await store.addDraft({ documentId: row.id, documentVersion: row.version, parentId: prev.id, request: body.request, draft, user });
      emit({ type: "done", draft: draftView(saved) });
    });
  });

  app.post("/drafts/:id/accept", async (c) => {
    const id = idOf(c, "草稿");
    const body = parseOr400(S.AcceptBody, await jsonBody(c));
    const d = await store.getDraft(id);
    if (!d) throw notFound(`草稿 ${id} `);
    const row = await loadDocument(store, d.documentId);
    if (row.data.kind !== "自评表") throw new ApiError(422, "NOT_SELF_EVAL", "该草稿所属文档不是自评表");
    const findings = recheck(row, d);
    const overrides = requireOverrides(withIds(findings), body.overrides);
    // Checked against this version of the table: the store refuses if an edit landed meanwhile.
    const saved = await store.acceptDraft({ draftId: id, overrides, user: userOf(c), documentVersion: row.version });
    return c.json(draftView(saved, findings));
  });

  return app;
}
