// Exports of one document or a whole workspace as .docx (with each 自评表's accepted or latest report draft),
// .xlsx or .json. Mounted at /api. The 审核意见表 is in review.ts.
import { Hono, type Context } from "hono";
import type { PerfDoc } from "../../src/domain/document.ts";
import type { StoredDocument } from "../../src/store/index.ts";
import type { Deps } from "../deps.ts";
import { download, loadModule, type ExportFormat } from "../download.ts";
import { ApiError, notFound } from "../errors.ts";
import { idOf, parseOr400 } from "../request.ts";
import * as S from "../schemas.ts";
import { loadDocument } from "../views.ts";

type Drafts = Map<number, { sections: { heading: string; text: string }[] }>;

async function exportBytes(format: ExportFormat, docs: PerfDoc[], drafts: Drafts): Promise<Uint8Array | string> {
  if (format === "json") {
    const m = await loadModule("JSON 导出", () => import("../../src/export/json.ts"));
    return m.exportJson(docs);
  }
  if (format === "xlsx") {
    const m = await loadModule("Excel 导出", () => import("../../src/export/xlsx.ts"));
    return m.exportXlsx(docs);
  }
  const m = await loadModule("Word 导出", () => import("../../src/export/docx.ts"));
  return m.exportDocx(docs, { drafts });
}

export function exportRoutes({ store }: Deps): Hono {
  const app = new Hono();

  async function sendExport(c: Context, format: ExportFormat, rows: StoredDocument[], baseName: string) {
    const drafts: Drafts = new Map();
    for (const [i, r] of rows.entries()) {
      const d = r.kind === "自评表" ? await store.currentDraft(r.id) : null;
      if (d) drafts.set(i, { sections: d.sections });
    }
    const out = await exportBytes(format, rows.map((r) => r.data), drafts);
    return download(c, format, out, `${baseName}.${format}`);
  }

  app.get("/documents/:id/export", async (c) => {
    const id = idOf(c, "文档");
    const { format } = parseOr400(S.ExportQuery, { format: c.req.query("format") }, "导出参数");
    const row = await loadDocument(store, id);
    const base = `${row.data.name ?? "绩效自评"}${row.data.year ? `（${row.data.year}年度）` : ""}${row.kind === "自评表" ? "自评表" : "绩效目标申报表"}`;
    return sendExport(c, format, [row], base);
  });

  app.get("/workspaces/:id/export", async (c) => {
    const id = idOf(c, "工作区");
    const { format } = parseOr400(S.ExportQuery, { format: c.req.query("format") }, "导出参数");
    const ws = await store.getWorkspace(id);
    if (!ws) throw notFound(`工作区 ${id} `);
    const rows = await store.listDocuments(id);
    if (rows.length === 0) throw new ApiError(422, "NOTHING_TO_EXPORT", "该工作区还没有识别出任何文档，无可导出");
    return sendExport(c, format, rows, ws.name);
  });

  return app;
}
