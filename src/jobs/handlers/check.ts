// Batch check: every document of a workspace's files (or of the files named) checked again at its
// current version, as the document view does — scores recomputed, every rule run, each 自评表 compared
// with its project's 申报表 from the workspace's other files. Result: the counts per file and document.
import { checkExtracted } from "../../check.ts";
import { DEFAULT_PROFILE, getProfile } from "../../score/profile.ts";
import type { PayloadOf } from "../kinds.ts";
import { JobError } from "../errors.ts";
import type { CheckResult, Counts } from "../results.ts";
import { yieldToLoop, type Handler } from "./context.ts";

export const checkHandler: Handler<PayloadOf<"check">> = async (p, { store, progress }) => {
  const profile = getProfile(p.profile ?? DEFAULT_PROFILE);
  if (!profile) throw new JobError("BAD_PAYLOAD", `未知的评分规则：${p.profile}`);
  const ws = await store.getWorkspace(p.workspaceId);
  if (!ws) throw new JobError("NOT_FOUND", `工作区 ${p.workspaceId} 不存在`);
  let files = await store.listFiles(ws.id);
  if (p.fileIds) {
    const wanted = new Set(p.fileIds);
    files = files.filter((f) => wanted.has(f.id));
  }
  // The only check across files (TARGET_DRIFT) reads the workspace's 申报表s, so only those are loaded
  // as the other files' documents: a workspace of thousands of 自评表s is not read whole per job.
  const forms = await store.listDocuments(ws.id, { kind: "目标申报表" });
  const out: CheckResult = { workspaceId: ws.id, profile: profile.name, files: [], totals: { files: files.length, documents: 0, error: 0, warning: 0, info: 0 } };
  await progress({ done: 0, total: files.length, current: files[0]?.name ?? null });
  for (const [i, f] of files.entries()) {
    const docs = await store.documentsOfFile(f.id);
    const related = forms.filter((d) => d.fileId !== f.id).map((d) => d.data);
    const checked = docs.length ? checkExtracted({ file: f.name, format: f.format, documents: docs.map((d) => d.data), error: null }, profile, related).documents : [];
    const documents = docs.map((d, k) => {
      const counts: Counts = { error: 0, warning: 0, info: 0 };
      for (const x of checked[k]?.findings ?? []) counts[x.severity]++;
      out.totals.documents++;
      out.totals.error += counts.error;
      out.totals.warning += counts.warning;
      out.totals.info += counts.info;
      return { documentId: d.id, index: d.index, kind: d.kind, name: d.name, version: d.version, counts };
    });
    out.files.push({ fileId: f.id, name: f.name, error: f.error?.message ?? null, documents });
    await progress({ done: i + 1, total: files.length, current: files[i + 1]?.name ?? null });
    await yieldToLoop();
  }
  return { result: out };
};
