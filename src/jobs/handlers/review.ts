// Batch review: every 申报表 (and 部门整体 目标表) of a workspace judged against the default checklist at its
// current version, with the reviewers' waivers laid over the opinions. Result: per project the open
// errors, warnings and waived opinions, and per checklist item how many projects carry it.
import { DEFAULT_CHECKLIST } from "../../review/checklist.ts";
import { reviewDocument } from "../../review/index.ts";
import type { PayloadOf } from "../kinds.ts";
import { JobError } from "../errors.ts";
import type { ReviewResult } from "../results.ts";
import { yieldToLoop, type Handler } from "./context.ts";

export const reviewHandler: Handler<PayloadOf<"review">> = async (p, { store, progress }) => {
  const ws = await store.getWorkspace(p.workspaceId);
  if (!ws) throw new JobError("NOT_FOUND", `工作区 ${p.workspaceId} 不存在`);
  const [files, forms, dept, waivers] = await Promise.all([
    store.listFiles(ws.id),
    store.listDocuments(ws.id, { kind: "目标申报表" }),
    store.listDocuments(ws.id, { kind: "部门整体" }),
    store.listWaivers({ workspaceId: ws.id }),
  ]);
  const names = new Map(files.map((f) => [f.id, f.name]));
  const docs = [...forms, ...dept].sort((a, b) => a.fileId - b.fileId || a.index - b.index);
  const projects: ReviewResult["projects"] = [];
  const items = new Map<string, ReviewResult["items"][number]>();
  await progress({ done: 0, total: docs.length, current: null });
  for (const [i, row] of docs.entries()) {
    const fileName = names.get(row.fileId) ?? "";
    const r = reviewDocument(row.data, fileName, row.index, DEFAULT_CHECKLIST);
    if (r) {
      const waived = new Set(waivers.filter((w) => w.documentId === row.id).map((w) => w.code));
      const open = r.opinions.filter((o) => !waived.has(o.code));
      for (const o of r.opinions) {
        const it = items.get(o.code) ?? { code: o.code, item: o.item, projects: 0, open: 0 };
        it.projects++;
        if (!waived.has(o.code)) it.open++;
        items.set(o.code, it);
      }
      projects.push({
        documentId: row.id, fileId: row.fileId, fileName, sheet: r.sheet, code: r.code, name: r.name, version: row.version,
        counts: { error: open.filter((o) => o.severity === "error").length, warning: open.filter((o) => o.severity === "warning").length, waived: r.opinions.length - open.length },
        items: open.map((o) => o.code),
      });
    }
    await progress({ done: i + 1, total: docs.length, current: fileName });
    await yieldToLoop();
  }
  // In the checklist's order, as the review page lists them.
  const order = DEFAULT_CHECKLIST.items.map((it) => it.code);
  const result: ReviewResult = {
    workspaceId: ws.id,
    checklist: DEFAULT_CHECKLIST.name,
    total: projects.length,
    projects,
    items: [...items.values()].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code)),
  };
  return { result };
};
