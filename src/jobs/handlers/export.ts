// The export of a whole workspace (.docx with each 自评表's accepted or latest draft, .xlsx, .json), as
// the workspace's download does, made once and kept as the job's output file.
import type { PerfDoc } from "../../domain/document.ts";
import type { PayloadOf } from "../kinds.ts";
import { JobError } from "../errors.ts";
import type { ExportResult } from "../results.ts";
import { yieldToLoop, type Handler } from "./context.ts";

const MEDIA_TYPES = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
} as const;

export const exportHandler: Handler<PayloadOf<"export">> = async (p, { store, progress }) => {
  const ws = await store.getWorkspace(p.workspaceId);
  if (!ws) throw new JobError("NOT_FOUND", `工作区 ${p.workspaceId} 不存在`);
  const rows = await store.listDocuments(ws.id);
  if (rows.length === 0) throw new JobError("NOTHING_TO_EXPORT", "该工作区还没有识别出任何文档，无可导出");
  // Reading the drafts is the part that grows with the workspace; writing the file is one call.
  const total = rows.length + 1;
  const drafts = new Map<number, { sections: { heading: string; text: string }[] }>();
  await progress({ done: 0, total, current: null });
  for (const [i, r] of rows.entries()) {
    const d = r.kind === "自评表" ? await store.currentDraft(r.id) : null;
    if (d) drafts.set(i, { sections: d.sections });
    await progress({ done: i + 1, total, current: r.name });
  }
  await yieldToLoop();
  const docs: PerfDoc[] = rows.map((r) => r.data);
  let content: Uint8Array;
  if (p.format === "json") content = new TextEncoder().encode((await import("../../export/json.ts")).exportJson(docs));
  else if (p.format === "xlsx") content = await (await import("../../export/xlsx.ts")).exportXlsx(docs);
  else content = await (await import("../../export/docx.ts")).exportDocx(docs, { drafts });
  const name = `${ws.name}.${p.format}`;
  const result: ExportResult = { workspaceId: ws.id, format: p.format, documents: rows.length, drafts: drafts.size, name, size: content.byteLength };
  return {
    result,
    effects: { output: { name, mediaType: MEDIA_TYPES[p.format], content } },
  };
};
