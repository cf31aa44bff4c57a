// The review (审核意见, src/review): a workspace's 申报表 reviewed with the default checklist (filter by item),
// its 审核意见表 (.xlsx, waived opinions left out), one document's review, waiving an opinion with a written
// reason and lifting a waiver. Mounted at /api.
import { Hono, type Context } from "hono";
import { MIN_REASON_CHARS, writtenReason } from "../../src/review/overrides.ts";
import type { StoredDocument } from "../../src/store/index.ts";
import type { Deps } from "../deps.ts";
import { download, loadModule } from "../download.ts";
import { ApiError, notFound } from "../errors.ts";
import { personName } from "../names.ts";
import { idOf, jsonBody, parseOr400, userOf } from "../request.ts";
import { REVIEW_CHECKLIST, asProjectReviews, documentReview, fileNameOf, itemOf, requireReview, workspaceReview } from "../review.ts";
import * as S from "../schemas.ts";
import { loadDocument } from "../views.ts";

export function reviewRoutes({ store }: Deps): Hono {
  const app = new Hono();

  /** The workspace named by the path, reviewed, with the ?item= filter. */
  async function reviewOf(c: Context) {
    const id = idOf(c, "工作区");
    const { item: filter } = parseOr400(S.ReviewQuery, { item: c.req.query("item") }, "筛选参数");
    const ws = await store.getWorkspace(id);
    if (!ws) throw notFound(`工作区 ${id} `);
    const item = filter === undefined ? null : itemOf(filter);
    return { ws, review: await workspaceReview(store, ws, item) };
  }

  app.get("/workspaces/:id/review", async (c) => c.json((await reviewOf(c)).review));

  app.get("/workspaces/:id/review.xlsx", async (c) => {
    const { ws, review } = await reviewOf(c);
    if (review.total === 0) throw new ApiError(422, "NOTHING_TO_EXPORT", "该工作区没有绩效目标申报表，无可导出的审核意见");
    if (review.projects.length === 0) throw new ApiError(422, "NOTHING_TO_EXPORT", `没有含“${review.item?.name ?? ""}”的项目，无可导出的审核意见`);
    const m = await loadModule("审核意见表导出", () => import("../../src/export/reviewXlsx.ts"));
    const out = await m.exportReviewXlsx(asProjectReviews(review.projects), REVIEW_CHECKLIST);
    return download(c, "xlsx", out, `${ws.name}审核意见表${review.item ? `（${review.item.name}）` : ""}.xlsx`);
  });

  app.get("/documents/:id/review", async (c) => c.json(await documentReview(store, await loadDocument(store, idOf(c, "文档")))));

  async function liftWaiver(c: Context, row: StoredDocument, code: string, by: string | null) {
    const lifted = await store.liftWaiver({ documentId: row.id, code, user: by, detail: { version: row.version } });
    if (!lifted) throw new ApiError(404, "WAIVER_NOT_FOUND", `该项目的“${code}”审核意见没有被豁免，无需撤销`);
    return c.json(await documentReview(store, row));
  }

  app.post("/documents/:id/review/waive", async (c) => {
    const id = idOf(c, "文档");
    const body = parseOr400(S.WaiveBody, await jsonBody(c));
    const row = await loadDocument(store, id);
    const by = personName(body.by) ?? userOf(c);
    if (body.reason === null) return liftWaiver(c, row, body.code, by);
    const current = requireReview(row, await fileNameOf(store, row), []);
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
    return c.json(await documentReview(store, row));
  });

  app.delete("/documents/:id/review/waive", async (c) => {
    const id = idOf(c, "文档");
    const { code } = parseOr400(S.LiftWaiverQuery, { code: c.req.query("code") }, "撤销参数");
    const row = await loadDocument(store, id);
    return liftWaiver(c, row, code, userOf(c));
  });

  return app;
}
