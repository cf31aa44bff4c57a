// One document: read (findings, scores, suggestions), edit a cell, apply a suggestion or a model's proposal,
// ask the model for proposals, versions, audit log, accept (确认) with reasons for the errors left.
// Mounted at /api. Drafts are in drafts.ts, exports in exports.ts, the review in review.ts.
import { Hono, type Context } from "hono";
import { applyEdit, readField } from "../../src/domain/edit.ts";
import { requireOverrides } from "../../src/review/overrides.ts";
import { checkProposal } from "../../src/suggest/apply.ts";
import { suggestWithLlm } from "../../src/suggest/llm.ts";
import type { StoredDocument } from "../../src/store/index.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { idOf, jsonBody, parseOr400, userOf } from "../request.ts";
import * as S from "../schemas.ts";
import { documentView, loadDocument, requestedSuggestion } from "../views.ts";

/** Longest text accepted in one table cell by an edit. */
export const MAX_CELL_CHARS = 2000;

export function documentRoutes({ store, llm, view: ctx }: Deps): Hono {
  const app = new Hono();

  /** applyEdit → new version (one transaction) → re-check; the answer carries findings and scores. */
  async function edit(c: Context, row: StoredDocument, field: string, value: string | number | null, source: "edit" | "suggestion", baseVersion?: number) {
    if (baseVersion !== undefined && baseVersion !== row.version) {
      throw new ApiError(409, "VERSION_CONFLICT", `文档已被修改（当前第 ${row.version} 版，本次修改基于第 ${baseVersion} 版），请刷新后重试`);
    }
    const data = applyEdit(row.data, field, value);
    const oldValue = readField(row.data, field) ?? null;
    const newValue = readField(data, field) ?? null;
    const saved = await store.saveEdit({ documentId: row.id, baseVersion: row.version, source, field, oldValue, newValue, data, user: userOf(c) });
    const view = await documentView(ctx, saved);
    return c.json({ ...view, edit: { field, oldValue, newValue, version: saved.version } });
  }

  app.get("/documents/:id", async (c) => c.json(await documentView(ctx, await loadDocument(store, idOf(c, "文档")))));

  app.patch("/documents/:id", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.EditBody, await jsonBody(c));
    // Table cells are short; only the report's section texts may be long.
    if (typeof body.value === "string" && body.value.length > MAX_CELL_CHARS && !/^report\./.test(body.field)) {
      throw new ApiError(400, "VALUE_TOO_LONG", `单元格内容过长（${body.value.length} 字，最多 ${MAX_CELL_CHARS} 字）`);
    }
    const row = await loadDocument(store, id);
    return edit(c, row, body.field, body.value, "edit", body.baseVersion);
  });

  app.post("/documents/:id/apply-suggestion", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.ApplySuggestionBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    if (body.value !== undefined) {
      // A model's proposal, sent back by the client: checked again before it is written.
      const verdict = checkProposal(row.data, body.field, body.value);
      if (!verdict.ok) throw new ApiError(422, verdict.code, verdict.message);
      return edit(c, row, verdict.field, body.value, "suggestion", body.baseVersion);
    }
    const suggestion = requestedSuggestion(await documentView(ctx, row), body);
    if (!suggestion || suggestion.field === undefined || suggestion.value === undefined) {
      throw new ApiError(422, "NO_SUGGESTION", "该问题没有可一键应用的建议，请按修改提示手工修改");
    }
    return edit(c, row, suggestion.field, suggestion.value, "suggestion", body.baseVersion);
  });

  // Measurable-value proposals from the model for the document's vague targets; every proposal has
  // passed the vagueness and unit checks (and the budget cap for 成本), the rest are listed as discarded.
  app.post("/documents/:id/llm-suggestions", async (c) => {
    const row = await loadDocument(store, idOf(c, "文档"));
    if (!llm) throw new ApiError(409, "LLM_NOT_CONFIGURED", "未配置大模型：指标值建议由确定性规则给出（见“给出指标值建议”）");
    if (row.data.kind !== "自评表") throw new ApiError(422, "NOT_SELF_EVAL", "大模型建议目前只用于自评表");
    const r = await suggestWithLlm(row.data, llm);
    return c.json({
      promptVersion: r?.promptVersion ?? null,
      suggestions: r ? [...r.accepted].map(([index, suggestion]) => ({ index, field: suggestion.field ?? `indicators[${index}].target`, suggestion })) : [],
      discarded: r?.discarded ?? [],
    });
  });

  app.get("/documents/:id/versions", async (c) => {
    const row = await loadDocument(store, idOf(c, "文档"));
    return c.json({ versions: await store.listVersions(row.id) });
  });

  app.get("/documents/:id/audit", async (c) => {
    const row = await loadDocument(store, idOf(c, "文档"));
    return c.json({ entries: await store.listAudit({ documentId: row.id }) });
  });

  app.post("/documents/:id/accept", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.AcceptBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    if (body.version !== undefined && body.version !== row.version) {
      throw new ApiError(409, "VERSION_CONFLICT", `文档已被修改（当前第 ${row.version} 版），请复核后再确认`);
    }
    const overrides = requireOverrides((await documentView(ctx, row)).findings, body.overrides);
    const saved = await store.acceptDocument({ documentId: id, version: row.version, overrides, user: userOf(c) });
    return c.json(await documentView(ctx, saved));
  });

  return app;
}
