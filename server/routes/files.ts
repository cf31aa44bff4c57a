// Files: upload into a workspace (each file read by a reader thread and stored in its own transaction), a
// workspace's files, and the original bytes of one. Mounted at /api.
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Deps } from "../deps.ts";
import { ApiError, notFound } from "../errors.ts";
import { contentDisposition, sanitizeFileName } from "../names.ts";
import { idOf, userOf } from "../request.ts";
import { documentSummaries, filesWithDocuments } from "../views.ts";

/** Room for multipart boundaries and part headers above the file bytes themselves. */
const MULTIPART_SLACK = 256 * 1024;
const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export function fileRoutes({ store, profile, maxUploadBytes: maxUpload, reader, view }: Deps): Hono {
  const app = new Hono();

  app.get("/workspaces/:id/files", async (c) => {
    const id = idOf(c, "工作区");
    if (!(await store.getWorkspace(id))) throw notFound(`工作区 ${id} `);
    return c.json({ files: await filesWithDocuments(view, id) });
  });

  app.post(
    "/workspaces/:id/files",
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
        // In a worker thread with a memory cap and a time limit (server/isolate.ts): a pathological file fails alone.
        const r = await reader.read(bytes, name, { maxBytes: maxUpload });
        const saved = await store.addFile({ workspaceId: wsId, name, bytes, sha256, format: r.format, error: r.error, documents: r.documents, user });
        const summaries = await documentSummaries(store, [saved.file], profile);
        results.push({ ...saved.file, documents: summaries.get(saved.file.id) ?? [] });
      }
      return c.json({ files: results });
    },
  );

  app.get("/files/:id/content", async (c) => {
    const id = idOf(c, "文件");
    const file = await store.getFile(id);
    const bytes = file ? await store.getFileContent(id) : null;
    if (!file || !bytes) throw notFound(`文件 ${id} `);
    c.header("Content-Type", "application/octet-stream");
    c.header("Content-Disposition", contentDisposition(file.name));
    return c.body(bytes as Uint8Array<ArrayBuffer>);
  });

  return app;
}
