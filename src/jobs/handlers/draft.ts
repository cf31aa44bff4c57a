// A model draft of one 自评表's report (the template when no model is configured). The draft is not
// stored here: it goes back as a side write, and the runner stores it in the transaction that commits
// the job's result, so a job delivered twice leaves one draft.
import type { SelfEvalDoc } from "../../domain/document.ts";
import { draftReport } from "../../draft/index.ts";
import { defaultProfile } from "../../score/profile.ts";
import type { Store, StoredDocument } from "../../store/index.ts";
import type { PayloadOf } from "../kinds.ts";
import { JobError } from "../errors.ts";
import type { DraftResult } from "../results.ts";
import type { Handler } from "./context.ts";

/** Earlier years' 自评表 of the same project in the workspace, newest first: the style example (as the web's drafts use). */
async function historyOf(store: Store, row: StoredDocument): Promise<SelfEvalDoc[]> {
  const d = row.data;
  if (d.kind !== "自评表" || !d.name || d.year === null) return [];
  return (await store.listDocuments(row.workspaceId, { kind: "自评表", name: d.name, yearBefore: d.year }))
    .filter((o) => o.id !== row.id && o.year !== null && o.year < d.year!)
    .sort((a, b) => (b.year ?? 0) - (a.year ?? 0))
    .map((o) => o.data as SelfEvalDoc);
}

export const draftHandler: Handler<PayloadOf<"draft">> = async (p, { store, llm, job, signal, progress }) => {
  const row = await store.getDocument(p.documentId);
  if (!row) throw new JobError("NOT_FOUND", `文档 ${p.documentId} 不存在`);
  if (row.data.kind !== "自评表") throw new JobError("NOT_SELF_EVAL", "绩效目标申报表没有自评报告，不能起草；请选择自评表");
  const drafter = p.drafter ?? "auto";
  if (drafter === "llm" && !llm) throw new JobError("LLM_NOT_CONFIGURED", "未配置大模型（需要设置 OPENAI_BASE_URL 和 OPENAI_API_KEY）；可改用模板起草");
  const profile = defaultProfile();
  await progress({ done: 0, total: 1, current: row.name });
  const draft = await draftReport(row.data, {
    llm: drafter === "template" ? null : llm,
    profile,
    index: row.index,
    history: await historyOf(store, row),
    signal,
  });
  await progress({ done: 1, total: 1, current: null });
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of draft.findings) counts[f.severity]++;
  const result: DraftResult = { documentId: row.id, documentVersion: row.version, drafter: draft.drafter, promptVersion: draft.promptVersion, counts };
  return {
    result,
    effects: { draft: { documentId: row.id, documentVersion: row.version, parentId: null, request: p.request ?? null, draft, user: job.createdBy } },
  };
};
