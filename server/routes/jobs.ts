// Jobs (src/jobs): queue a batch check, a batch review or an export of a workspace, or a draft of a
// document (202 with the job); read, list and cancel jobs; follow one as server-sent events until it
// ends; download an export's file. Mounted at /api. Which engine runs the jobs (in this process, or
// `jixiao worker` over PostgreSQL) makes no difference here: everything is read from the store.
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import { KIND_NAMES, isJobKind, type JobQueue } from "../../src/jobs/index.ts";
import type { Job } from "../../src/store/index.ts";
import type { Deps } from "../deps.ts";
import { ApiError, notFound, streamError } from "../errors.ts";
import { contentDisposition } from "../names.ts";
import { idOf, jsonBody, parseOr400, userOf } from "../request.ts";
import * as S from "../schemas.ts";

export function jobView(j: Job): S.JobView {
  return {
    id: j.id, kind: j.kind, kindName: isJobKind(j.kind) ? KIND_NAMES[j.kind] : j.kind, state: j.state, workspaceId: j.workspaceId,
    payload: j.payload, progress: j.progress, result: j.result, error: j.error, attempts: j.attempts, runAfter: j.runAfter,
    createdBy: j.createdBy, createdAt: j.createdAt, updatedAt: j.updatedAt,
  };
}

export function jobRoutes({ store, jobs, log }: Deps): Hono {
  const app = new Hono();

  const queue = (): JobQueue => {
    if (!jobs) throw new ApiError(503, "JOBS_DISABLED", "本服务未启用任务队列");
    return jobs;
  };
  async function load(c: Context): Promise<Job> {
    const id = idOf(c, "任务");
    const job = await queue().get(id);
    if (!job) throw notFound(`任务 ${id} `);
    return job;
  }

  app.post("/workspaces/:id/jobs", async (c) => {
    const workspaceId = idOf(c, "工作区");
    const body = parseOr400(S.WorkspaceJobBody, await jsonBody(c));
    const user = { user: userOf(c) };
    const job =
      body.kind === "check"
        ? await queue().enqueue("check", { workspaceId, ...(body.fileIds ? { fileIds: body.fileIds } : {}) }, user)
        : body.kind === "export"
          ? await queue().enqueue("export", { workspaceId, format: body.format }, user)
          : await queue().enqueue("review", { workspaceId }, user);
    return c.json(jobView(job), 202);
  });

  app.post("/documents/:id/jobs", async (c) => {
    const documentId = idOf(c, "文档");
    const body = parseOr400(S.DocumentJobBody, await jsonBody(c));
    const job = await queue().enqueue("draft", { documentId, ...(body.request ? { request: body.request } : {}), ...(body.drafter ? { drafter: body.drafter } : {}) }, { user: userOf(c) });
    return c.json(jobView(job), 202);
  });

  app.get("/workspaces/:id/jobs", async (c) => {
    const id = idOf(c, "工作区");
    const { state } = parseOr400(S.JobsQuery, { state: c.req.query("state") }, "筛选参数");
    if (!(await store.getWorkspace(id))) throw notFound(`工作区 ${id} `);
    return c.json({ jobs: (await queue().list({ workspaceId: id, ...(state ? { state } : {}) })).map(jobView) });
  });

  app.get("/jobs/:id", async (c) => c.json(jobView(await load(c))));

  app.delete("/jobs/:id", async (c) => {
    const job = await load(c);
    return c.json(jobView((await queue().cancel(job.id, userOf(c))) ?? job));
  });

  // progress events while the job changes, then `end` with the final job; a closed connection stops the watch.
  app.get("/jobs/:id/events", async (c) => {
    const job = await load(c);
    const q = queue();
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      let seq = 0;
      try {
        for await (const e of q.watch(job.id, { signal: stop.signal })) {
          await stream.writeSSE({ event: e.type, data: JSON.stringify({ type: e.type, job: jobView(e.job) }), id: String(++seq) });
        }
      } catch (e) {
        await stream.writeSSE({ event: "error", data: JSON.stringify({ type: "error", ...streamError(e, log) }) });
      }
    });
  });

  app.get("/jobs/:id/output", async (c) => {
    const job = await load(c);
    const out = job.state === "succeeded" ? await queue().output(job.id) : null;
    if (!out) throw new ApiError(404, "NO_OUTPUT", job.state === "succeeded" ? "该任务没有可下载的文件（只有导出任务生成文件）" : "任务尚未完成，没有可下载的文件");
    c.header("Content-Type", out.mediaType);
    c.header("Content-Disposition", contentDisposition(out.name));
    c.header("Cache-Control", "no-store");
    return c.body(out.content as Uint8Array<ArrayBuffer>);
  });

  return app;
}
