// The HTTP API and the web page. Routes translate HTTP ↔ domain calls (extract, check, edit,
// suggest, draft, export) and the store; the rules live in src/.
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import type { PerfDoc, SelfEvalDoc } from "../src/domain/document.ts";
import { applyEdit, readField } from "../src/domain/edit.ts";
import type { Finding } from "../src/domain/finding.ts";
import { draftReport, reviseSection, sectionFromRequest, checkDraft, type DraftEvent } from "../src/draft/index.ts";
import type { Llm } from "../src/llm/index.ts";
import { DEFAULT_MAX_BYTES } from "../src/ingest/index.ts";
import { extractIsolated } from "./isolate.ts";
import { defaultProfile, type Profile } from "../src/score/profile.ts";
import type { Store, StoredDocument } from "../src/store/index.ts";
import { ApiError, errorResponse, notFound, streamError } from "./errors.ts";
import { idOf, jsonBody, parseOr400, userOf } from "./request.ts";
import { contentDisposition, personName, sanitizeFileName } from "./names.ts";
import { openApiDocument } from "./openapi.ts";
import * as S from "./schemas.ts";
import { suggestWithLlm } from "../src/suggest/llm.ts";
import { checkProposal } from "../src/suggest/apply.ts";
import { MIN_REASON_CHARS, requireOverrides, writtenReason } from "../src/review/overrides.ts";
import { documentSummaries, documentView, draftView, findingById, historyOf, loadDocument, withIds, type ViewContext } from "./views.ts";
import { CSP, appBundle, staticFile } from "./web.ts";
import { REVIEW_CHECKLIST, asProjectReviews, itemCounts, itemOf, projectReview, requireReview } from "./review.ts";

export interface AppDeps {
  store: Store;
  llm: Llm | null;
  dataDir: string;
  /** When set, every /api route except /api/health needs `Authorization: Bearer <token>` (or ?token= on GET). */
  token?: string;
  /** Largest upload request, in bytes (default 50 MB). */
  maxUploadBytes?: number;
  profile?: Profile;
  /** One line per request and per unexpected error; never document contents, tokens or keys. */
  log?: (line: string) => void;
}

export const NO_LLM_NOTICE = "未配置大模型：使用模板起草，建议由确定性规则生成";
/** Longest text accepted in one table cell by an edit. */
export const MAX_CELL_CHARS = 2000;
/** Room for multipart boundaries and part headers above the file bytes themselves. */
const MULTIPART_SLACK = 256 * 1024;

const MIME = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
} as const;

function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The real export modules are loaded on first use (docx/exceljs are heavy); absent → 501. */
async function loadModule<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || /Cannot find module|Failed to load url|Does the file exist/.test(msg)) {
      throw new ApiError(501, "NOT_AVAILABLE", `${what}功能尚未安装（缺少模块）`);
    }
    throw e;
  }
}

type ExportFormat = "docx" | "xlsx" | "json";

async function exportBytes(format: ExportFormat, docs: PerfDoc[], drafts: Map<number, { sections: { heading: string; text: string }[] }>): Promise<Uint8Array | string> {
  if (format === "json") {
    const m = await loadModule("JSON 导出", () => import("../src/export/json.ts"));
    return m.exportJson(docs);
  }
  if (format === "xlsx") {
    const m = await loadModule("Excel 导出", () => import("../src/export/xlsx.ts"));
    return m.exportXlsx(docs);
  }
  const m = await loadModule("Word 导出", () => import("../src/export/docx.ts"));
  return m.exportDocx(docs, { drafts });
}

export function createApp(deps: AppDeps): Hono {
  const { store, llm } = deps;
  const profile = deps.profile ?? defaultProfile();
  const maxUpload = deps.maxUploadBytes ?? DEFAULT_MAX_BYTES;
  const log = deps.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const token = deps.token?.trim() || undefined;
  const ctx: ViewContext = { store, profile };
  const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

  const app = new Hono();

  // Method, path (never the query string: it may hold ?token=), status and time. No bodies.
  app.use("*", async (c, next) => {
    const t0 = performance.now();
    await next();
    // The decoded path may carry control characters (%0A): never let it forge a log line.
    const path = c.req.path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "?");
    log(`${new Date().toISOString()} ${c.req.method} ${path} ${c.res.status} ${Math.round(performance.now() - t0)}ms`);
  });

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
  });

  app.use("/api/*", async (c, next) => {
    if (!token || c.req.path === "/api/health") return next();
    const auth = c.req.header("authorization");
    let given = auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, "").trim() : undefined;
    if (given === undefined && c.req.method === "GET") given = c.req.query("token");
    if (given === undefined || !sameSecret(given, token)) {
      throw new ApiError(401, "UNAUTHORIZED", "需要访问令牌：请求头加 Authorization: Bearer <令牌>，下载链接可加 ?token=<令牌>");
    }
    return next();
  });

  app.onError((e, c) => errorResponse(c, e, log));
  app.notFound((c) =>
    c.req.path.startsWith("/api/") ? c.json({ code: "NOT_FOUND", message: `接口不存在：${c.req.method} ${c.req.path}` }, 404) : c.text("页面不存在", 404),
  );

  // ── the web page ─────────────────────────────────────────────────────────────────────────
  app.get("/", async (c) => {
    c.header("Content-Security-Policy", CSP);
    c.header("Cache-Control", "no-cache");
    return c.html(await staticFile("index.html"));
  });
  app.get("/app.js", async (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(await appBundle());
  });
  app.get("/style.css", async (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(await staticFile("style.css"));
  });

  app.get("/favicon.ico", (c) => c.body(null, 204));

  // ── system ───────────────────────────────────────────────────────────────────────────────
  app.get("/api/health", async (c) =>
    c.json({
      ok: true,
      schemaVersion: await store.schemaVersion(),
      llm: { configured: llm !== null, model: llm?.model ?? null },
      drafter: llm ? "llm" : "template",
      notice: llm ? null : NO_LLM_NOTICE,
      maxUploadBytes: maxUpload,
      tokenRequired: token !== undefined,
    } satisfies S.HealthView),
  );
  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));

  // ── workspaces ───────────────────────────────────────────────────────────────────────────
  app.get("/api/workspaces", async (c) => c.json({ workspaces: await store.listWorkspaces() }));

  app.post("/api/workspaces", async (c) => {
    const body = parseOr400(S.CreateWorkspaceBody, await jsonBody(c));
    return c.json(await store.createWorkspace(body.name, userOf(c)), 201);
  });

  const filesOf = async (workspaceId: number) => {
    const files = await store.listFiles(workspaceId);
    const docs = await documentSummaries(store, files, profile);
    return files.map((f) => ({ ...f, documents: docs.get(f.id) ?? [] }));
  };

  app.get("/api/workspaces/:id", async (c) => {
    const id = idOf(c, "工作区");
    const workspace = await store.getWorkspace(id);
    if (!workspace) throw notFound(`工作区 ${id} `);
    return c.json({ workspace, files: await filesOf(id) });
  });

  app.patch("/api/workspaces/:id", async (c) => {
    const id = idOf(c, "工作区");
    const body = parseOr400(S.RenameWorkspaceBody, await jsonBody(c));
    const ws = await store.renameWorkspace(id, body.name, userOf(c));
    if (!ws) throw notFound(`工作区 ${id} `);
    return c.json(ws);
  });

  app.delete("/api/workspaces/:id", async (c) => {
    const id = idOf(c, "工作区");
    if (!(await store.deleteWorkspace(id, userOf(c)))) throw notFound(`工作区 ${id} `);
    return c.json({ deleted: true });
  });

  app.get("/api/workspaces/:id/files", async (c) => {
    const id = idOf(c, "工作区");
    if (!(await store.getWorkspace(id))) throw notFound(`工作区 ${id} `);
    return c.json({ files: await filesOf(id) });
  });

  app.get("/api/workspaces/:id/documents", async (c) => {
    const id = idOf(c, "工作区");
    if (!(await store.getWorkspace(id))) throw notFound(`工作区 ${id} `);
    return c.json({ documents: (await filesOf(id)).flatMap((f) => f.documents) });
  });

  // ── upload ───────────────────────────────────────────────────────────────────────────────
  app.post(
    "/api/workspaces/:id/files",
    bodyLimit({
      maxSize: maxUpload + MULTIPART_SLACK,
      onError: () => {
        throw new ApiError(413, "TOO_LARGE", `上传内容超过上限 ${mb(maxUpload)}：请把大文件单独上传，或压缩后再试`);
      },
    }),
    async (c) => {
      const wsId = idOf(c, "工作区");
      if (!(await store.getWorkspace(wsId))) throw notFound(`工作区 ${wsId} `);
      if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
        throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "请用 multipart/form-data 上传文件（字段名 files）");
      }
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch {
        throw new ApiError(400, "BAD_MULTIPART", "上传内容无法解析：multipart 格式不正确");
      }
      const files = Object.values(form)
        .flat()
        .filter((v): v is File => v instanceof File);
      if (files.length === 0) throw new ApiError(400, "NO_FILES", "没有收到文件：请至少选择一个文件（字段名 files）");
      const user = userOf(c);
      const results: unknown[] = [];
      // One file at a time: each is its own transaction, and a bad file only fails itself.
      for (const f of files) {
        const name = sanitizeFileName(f.name);
        if (f.size > maxUpload) {
          results.push({ name, size: f.size, stored: false, error: { code: "TOO_LARGE", message: `${name}：文件大小 ${mb(f.size)} 超过上限 ${mb(maxUpload)}` } });
          continue;
        }
        const bytes = new Uint8Array(await f.arrayBuffer());
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        // In a worker thread with a memory cap and a time limit: a pathological file fails alone.
        const r = await extractIsolated(bytes, name, { maxBytes: maxUpload });
        const saved = await store.addFile({ workspaceId: wsId, name, bytes, sha256, format: r.format, error: r.error, documents: r.documents, user });
        const summaries = await documentSummaries(store, [saved.file], profile);
        results.push({ ...saved.file, documents: summaries.get(saved.file.id) ?? [] });
      }
      return c.json({ files: results });
    },
  );

  app.get("/api/files/:id/content", async (c) => {
    const id = idOf(c, "文件");
    const file = await store.getFile(id);
    const bytes = file ? await store.getFileContent(id) : null;
    if (!file || !bytes) throw notFound(`文件 ${id} `);
    c.header("Content-Type", "application/octet-stream");
    c.header("Content-Disposition", contentDisposition(file.name));
    return c.body(bytes as Uint8Array<ArrayBuffer>);
  });

  // ── documents ────────────────────────────────────────────────────────────────────────────
  app.get("/api/documents/:id", async (c) => c.json(await documentView(ctx, await loadDocument(store, idOf(c, "文档")))));

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

  app.patch("/api/documents/:id", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.EditBody, await jsonBody(c));
    // Table cells are short; only the report's section texts may be long.
    if (typeof body.value === "string" && body.value.length > MAX_CELL_CHARS && !/^report\./.test(body.field)) {
      throw new ApiError(400, "VALUE_TOO_LONG", `单元格内容过长（${body.value.length} 字，最多 ${MAX_CELL_CHARS} 字）`);
    }
    const row = await loadDocument(store, id);
    return edit(c, row, body.field, body.value, "edit", body.baseVersion);
  });

  app.post("/api/documents/:id/apply-suggestion", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.ApplySuggestionBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    const view = await documentView(ctx, row);
    let suggestion: S.FindingView["suggestion"] = null;
    if (body.value !== undefined) {
      // A model's proposal, sent back by the client: checked again before it is written.
      const verdict = checkProposal(row.data, body.field, body.value);
      if (!verdict.ok) throw new ApiError(422, verdict.code, verdict.message);
      return edit(c, row, verdict.field, body.value, "suggestion", body.baseVersion);
    }
    if (body.findingId !== undefined || body.code !== undefined) {
      // A finding, or one place of a grouped finding (each place carries its own suggestion).
      const places = view.findings.flatMap((x) => (x.places ? x.places.map((p) => ({ id: p.id, code: x.code, where: p.where, suggestion: p.suggestion })) : [x]));
      const f =
        body.findingId !== undefined
          ? findingById(view.findings, body.findingId)
          : places.find((x) => x.code === body.code && (body.field === undefined || x.where.field === body.field));
      if (!f) throw new ApiError(404, "FINDING_NOT_FOUND", "找不到该问题：文档可能已修改，请刷新");
      suggestion = f.suggestion;
    } else {
      suggestion = view.suggestions.find((s) => s.field === body.field)?.suggestion ?? null;
    }
    if (!suggestion || suggestion.field === undefined || suggestion.value === undefined) {
      throw new ApiError(422, "NO_SUGGESTION", "该问题没有可一键应用的建议，请按修改提示手工修改");
    }
    return edit(c, row, suggestion.field, suggestion.value, "suggestion", body.baseVersion);
  });

  // Measurable-value proposals from the model for the document's vague targets; every proposal has
  // passed the vagueness and unit checks (and the budget cap for 成本), the rest are listed as discarded.
  app.post("/api/documents/:id/llm-suggestions", async (c) => {
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

  app.get("/api/documents/:id/versions", async (c) => {
    const row = await loadDocument(store, idOf(c, "文档"));
    return c.json({ versions: await store.listVersions(row.id) });
  });

  app.get("/api/documents/:id/audit", async (c) => {
    const row = await loadDocument(store, idOf(c, "文档"));
    return c.json({ entries: await store.listAudit({ documentId: row.id }) });
  });

  app.post("/api/documents/:id/accept", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.AcceptBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    if (body.version !== undefined && body.version !== row.version) {
      throw new ApiError(409, "VERSION_CONFLICT", `文档已被修改（当前第 ${row.version} 版），请复核后再确认`);
    }
    const view = await documentView(ctx, row);
    const overrides = requireOverrides(view.findings, body.overrides);
    const saved = await store.acceptDocument({ documentId: id, version: row.version, overrides, user: userOf(c) });
    return c.json(await documentView(ctx, saved));
  });

  // ── exports ──────────────────────────────────────────────────────────────────────────────
  async function sendExport(c: Context, format: ExportFormat, rows: StoredDocument[], baseName: string) {
    const drafts = new Map<number, { sections: { heading: string; text: string }[] }>();
    for (const [i, r] of rows.entries()) {
      const d = r.kind === "自评表" ? await store.currentDraft(r.id) : null;
      if (d) drafts.set(i, { sections: d.sections });
    }
    const out = await exportBytes(format, rows.map((r) => r.data), drafts);
    c.header("Content-Type", MIME[format]);
    c.header("Content-Disposition", contentDisposition(`${baseName}.${format}`));
    c.header("Cache-Control", "no-store");
    return c.body(typeof out === "string" ? out : (out as Uint8Array<ArrayBuffer>));
  }

  app.get("/api/documents/:id/export", async (c) => {
    const id = idOf(c, "文档");
    const { format } = parseOr400(S.ExportQuery, { format: c.req.query("format") }, "导出参数");
    const row = await loadDocument(store, id);
    const base = `${row.data.name ?? "绩效自评"}${row.data.year ? `（${row.data.year}年度）` : ""}${row.kind === "自评表" ? "自评表" : "绩效目标申报表"}`;
    return sendExport(c, format, [row], base);
  });

  app.get("/api/workspaces/:id/export", async (c) => {
    const id = idOf(c, "工作区");
    const { format } = parseOr400(S.ExportQuery, { format: c.req.query("format") }, "导出参数");
    const ws = await store.getWorkspace(id);
    if (!ws) throw notFound(`工作区 ${id} `);
    const rows = await store.listDocuments(id);
    if (rows.length === 0) throw new ApiError(422, "NOTHING_TO_EXPORT", "该工作区还没有识别出任何文档，无可导出");
    return sendExport(c, format, rows, ws.name);
  });

  // ── review (审核意见, src/review) ────────────────────────────────────────────────────────
  // Every 申报表 (and 部门整体 目标表) reviewed at its current version with the default checklist; a
  // reviewer's waivers are laid over the opinions and leave them out of the 审核意见表.

  async function workspaceReview(c: Context): Promise<{ ws: { id: number; name: string }; review: S.WorkspaceReview }> {
    const id = idOf(c, "工作区");
    const { item: filter } = parseOr400(S.ReviewQuery, { item: c.req.query("item") }, "筛选参数");
    const ws = await store.getWorkspace(id);
    if (!ws) throw notFound(`工作区 ${id} `);
    const item = filter === undefined ? null : itemOf(filter);
    const [files, docs, waivers] = await Promise.all([store.listFiles(id), store.listDocuments(id), store.listWaivers({ workspaceId: id })]);
    const names = new Map(files.map((f) => [f.id, f.name]));
    const all = docs.flatMap((d) => projectReview(d, names.get(d.fileId) ?? "", waivers) ?? []);
    const projects = item ? all.filter((p) => p.opinions.some((o) => o.code === item.code)) : all;
    const review: S.WorkspaceReview = {
      workspace: { id: ws.id, name: ws.name },
      checklist: { name: REVIEW_CHECKLIST.name, dimensions: REVIEW_CHECKLIST.dimensions },
      total: all.length,
      item,
      items: itemCounts(all),
      projects,
    };
    return { ws, review };
  }

  app.get("/api/workspaces/:id/review", async (c) => c.json((await workspaceReview(c)).review));

  app.get("/api/workspaces/:id/review.xlsx", async (c) => {
    const { ws, review } = await workspaceReview(c);
    if (review.total === 0) throw new ApiError(422, "NOTHING_TO_EXPORT", "该工作区没有绩效目标申报表，无可导出的审核意见");
    if (review.projects.length === 0) throw new ApiError(422, "NOTHING_TO_EXPORT", `没有含“${review.item?.name ?? ""}”的项目，无可导出的审核意见`);
    const m = await loadModule("审核意见表导出", () => import("../src/export/reviewXlsx.ts"));
    const out = await m.exportReviewXlsx(asProjectReviews(review.projects), REVIEW_CHECKLIST);
    c.header("Content-Type", MIME.xlsx);
    c.header("Content-Disposition", contentDisposition(`${ws.name}审核意见表${review.item ? `（${review.item.name}）` : ""}.xlsx`));
    c.header("Cache-Control", "no-store");
    return c.body(out as Uint8Array<ArrayBuffer>);
  });

  const fileNameOf = async (row: StoredDocument) => (await store.getFile(row.fileId))?.name ?? "";
  const documentReview = async (row: StoredDocument) => requireReview(row, await fileNameOf(row), await store.listWaivers({ documentId: row.id }));

  app.get("/api/documents/:id/review", async (c) => c.json(await documentReview(await loadDocument(store, idOf(c, "文档")))));

  async function liftWaiver(c: Context, row: StoredDocument, code: string, by: string | null) {
    const lifted = await store.liftWaiver({ documentId: row.id, code, user: by, detail: { version: row.version } });
    if (!lifted) throw new ApiError(404, "WAIVER_NOT_FOUND", `该项目的“${code}”审核意见没有被豁免，无需撤销`);
    return c.json(await documentReview(row));
  }

  app.post("/api/documents/:id/review/waive", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.WaiveBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    const by = personName(body.by) ?? userOf(c);
    if (body.reason === null) return liftWaiver(c, row, body.code, by);
    const current = requireReview(row, await fileNameOf(row), []);
    const o = current.opinions.find((x) => x.code === body.code);
    if (!o) throw new ApiError(404, "OPINION_NOT_FOUND", `该项目当前没有“${body.code}”审核意见：文档可能已修改，请刷新后再试`);
    const reason = writtenReason(body.reason);
    if (reason === null) {
      throw new ApiError(422, "REASON_REQUIRED", `请写明豁免“${o.item}”的理由（至少 ${MIN_REASON_CHARS} 个字，标点和空格不计），理由将记入审计记录`);
    }
    if (!by) throw new ApiError(400, "NAME_REQUIRED", "请写明豁免人：在页面右上角填写经办人姓名（接口可用 by 或请求头 X-User）");
    await store.waiveOpinion({
      documentId: row.id, code: o.code, reason, field: o.evidence[0]?.field ?? null, user: by,
      detail: { item: o.item, dimension: o.dimension, text: o.text, version: row.version },
    });
    return c.json(await documentReview(row));
  });

  app.delete("/api/documents/:id/review/waive", async (c) => {
    const id = idOf(c, "文档");
    const { code } = parseOr400(S.LiftWaiverQuery, { code: c.req.query("code") }, "撤销参数");
    const row = await loadDocument(store, id);
    return liftWaiver(c, row, code, userOf(c));
  });

  // ── drafts (SSE) ─────────────────────────────────────────────────────────────────────────
  /** Runs `work` inside an SSE response; events are written in order; a failure becomes an `error` event. */
  function sse(c: Context, work: (emit: (e: { type: string } & Record<string, unknown>) => void) => Promise<void>) {
    return streamSSE(c, async (stream) => {
      let seq = 0;
      let chain: Promise<void> = Promise.resolve();
      const emit = (e: { type: string } & Record<string, unknown>) => {
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

  const forward = (emit: (e: { type: string } & Record<string, unknown>) => void) => (e: DraftEvent) => {
    // The drafter's own `done` carries an unsaved draft; ours follows once it is stored.
    if (e.type !== "done") emit(e);
  };

  /** A draft's findings as of the table now: an edit since drafting may make a number unsupported (or supported). */
  const recheck = (row: StoredDocument, d: { sections: { heading: string; text: string }[]; findings: Finding[] }) =>
    row.data.kind === "自评表" ? checkDraft(row.data, row.index, d.sections, profile) : d.findings;

  app.get("/api/documents/:id/drafts", async (c) => {
    const row = await loadDocument(store, idOf(c, "文档"));
    return c.json({ drafts: (await store.listDrafts(row.id)).map((d) => draftView(d, recheck(row, d))) });
  });

  app.post("/api/documents/:id/drafts", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.DraftBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    if (row.data.kind !== "自评表") throw new ApiError(422, "NOT_SELF_EVAL", "绩效目标申报表没有自评报告，不能起草；请打开自评表");
    const doc: SelfEvalDoc = row.data;
    const history = await historyOf(store, row);
    const user = userOf(c);
    return sse(c, async (emit) => {
      const draft = await draftReport(doc, { llm, profile, index: row.index, history, onEvent: forward(emit), stream: true });
      const saved = await store.addDraft({ documentId: row.id, documentVersion: row.version, parentId: null, request: body.request ?? null, draft, user });
      emit({ type: "done", draft: draftView(saved) });
    });
  });

  app.get("/api/drafts/:id", async (c) => {
    const id = idOf(c, "草稿");
    const d = await store.getDraft(id);
    if (!d) throw notFound(`草稿 ${id} `);
    return c.json(draftView(d, recheck(await loadDocument(store, d.documentId), d)));
  });

  app.post("/api/drafts/:id/revise", async (c) => {
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
    return sse(c, async (emit) => {
      const draft = await reviseSection(doc, prev, section, body.request, { llm, profile, index: row.index, history, onEvent: forward(emit) });
      const saved = await store.addDraft({ documentId: row.id, documentVersion: row.version, parentId: prev.id, request: body.request, draft, user });
      emit({ type: "done", draft: draftView(saved) });
    });
  });

  app.post("/api/drafts/:id/accept", async (c) => {
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
