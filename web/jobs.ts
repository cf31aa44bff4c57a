// A workspace's long work as jobs (batch check, batch review, export of the whole workspace): start
// one, watch its progress live (server-sent events: done/total, the current file, retries), cancel
// it, and see its result when it ends — counts with links to the documents, the review's items, the
// exported file to download. Jobs already queued or running when the page opens are followed too, so
// a job started by a colleague or before a reload shows the same way.
import { api, ApiFailure, downloadUrl, followJob, type JobView, type WorkspaceJobRequest } from "./api.ts";
import { append, clear, fmtSize, h, toast } from "./dom.ts";
import type { CheckResult, DraftResult, ExportResult, ReviewResult } from "../src/jobs/results.ts";
import { errorText } from "./shell.ts";

const STATE_LABEL: Record<JobView["state"], string> = { queued: "排队中", running: "进行中", succeeded: "已完成", failed: "失败", cancelled: "已取消" };
const STATE_CLASS: Record<JobView["state"], string> = { queued: "", running: "", succeeded: "ok", failed: "bad", cancelled: "warn" };
const FINAL = new Set<JobView["state"]>(["succeeded", "failed", "cancelled"]);
/** Jobs listed when the page opens (the newest). */
const SHOWN = 8;

type JobEngine = "local" | "pg-boss";
type Counts = CheckResult["totals"];

/** The reader's local time of day (the server stores UTC). */
const time = (iso: string) => new Date(iso).toLocaleTimeString("zh-CN", { hour12: false });

function countsText(c: Counts): string {
  return `错误 ${c.error}、警告 ${c.warning}、提示 ${c.info}`;
}

function resultOf(job: JobView): HTMLElement | null {
  const r = job.result as Record<string, unknown> | null;
  if (job.state !== "succeeded" || !r) return null;
  if (job.kind === "check") {
    const c = r as unknown as CheckResult;
    const withErrors = c.files.flatMap((f) => f.documents.filter((d) => d.counts.error > 0));
    const unread = c.files.filter((f) => f.error);
    return h("div", { class: "job-result" },
      h("p", {}, `核验了 ${c.totals.files} 个文件、${c.totals.documents} 份文档：${countsText(c.totals)}。`),
      withErrors.length
        ? h("ul", { class: "job-docs" },
            withErrors.slice(0, 20).map((d) => h("li", {}, h("a", { href: `#/d/${d.documentId}` }, d.name ?? "（无项目名称）"), h("span", { class: "muted" }, ` ${d.kind} · 错误 ${d.counts.error}`))),
            withErrors.length > 20 ? h("li", { class: "muted" }, `另有 ${withErrors.length - 20} 份文档有错误级问题`) : null)
        : h("p", { class: "muted" }, "没有错误级问题。"),
      unread.length ? h("p", { class: "muted" }, `${unread.length} 个文件上传时未能读取，未核验：${unread.map((f) => f.name).join("、")}`) : null,
    );
  }
  if (job.kind === "review") {
    const v = r as unknown as ReviewResult;
    return h("div", { class: "job-result" },
      h("p", {}, `审核了 ${v.total} 个申报表。`, " ", job.workspaceId !== null ? h("a", { href: `#/w/${job.workspaceId}/review` }, "打开审核页") : null),
      v.items.length ? h("ul", { class: "job-items" }, v.items.map((it) => h("li", {}, `${it.item}：${it.open} 个项目`))) : h("p", { class: "muted" }, "没有审核意见。"),
    );
  }
  if (job.kind === "export") {
    const e = r as unknown as ExportResult;
    return h("div", { class: "job-result" },
      h("a", { class: "btn primary job-download", href: downloadUrl(`/api/jobs/${job.id}/output`), download: e.name }, `下载 ${e.name}`),
      h("span", { class: "muted" }, ` ${fmtSize(e.size)} · ${e.documents} 份文档`),
    );
  }
  if (job.kind === "draft") {
    const d = r as unknown as DraftResult;
    return h("div", { class: "job-result" }, h("a", { href: `#/d/${d.documentId}` }, "查看草稿"));
  }
  return null;
}

function progressOf(job: JobView): HTMLElement | null {
  if (FINAL.has(job.state)) return null;
  const { done, total, current } = job.progress;
  const bar = h("progress", { "aria-label": `${job.kindName}进度` });
  if (total !== null && total > 0) {
    bar.max = total;
    bar.value = done;
  } // else: an indeterminate bar (no total known yet)
  const text = total !== null ? `${done}/${total}${total > 0 ? `（${Math.floor((done / total) * 100)}%）` : ""}` : job.state === "queued" ? "等待执行" : "";
  return h("div", { class: "job-progress" },
    bar,
    h("span", { class: "job-count" }, text),
    current ? h("span", { class: "muted job-current" }, `当前：${current}`) : null,
  );
}

/** One job's row; rebuilt on every event. */
function renderJob(li: HTMLElement, job: JobView, onCancel: (job: JobView) => void, engine: JobEngine): void {
  clear(li);
  li.dataset.state = job.state;
  const retry = job.attempts > 1 && !FINAL.has(job.state)
    ? h("p", { class: "muted job-retry" }, `第 ${job.attempts} 次尝试${job.runAfter ? `，${time(job.runAfter)} 重试` : ""}${job.error ? `（上次失败：${job.error}）` : ""}`)
    : null;
  append(li,
    h("div", { class: "job-head" },
      h("strong", {}, job.kindName),
      h("span", { class: `badge ${STATE_CLASS[job.state]}`, "data-role": "state" }, STATE_LABEL[job.state]),
      h("span", { class: "muted" }, `#${job.id} · ${time(job.createdAt)}${job.createdBy ? ` · ${job.createdBy}` : ""}`),
      FINAL.has(job.state) ? null : h("button", { type: "button", class: "job-cancel", onclick: () => onCancel(job) }, "取消"),
    ),
    progressOf(job),
    job.state === "queued" && engine === "pg-boss" ? h("p", { class: "muted job-waiting" }, "由 jixiao worker 进程执行；若长时间未开始，请确认至少有一个 worker 在运行。") : null,
    retry,
    job.state === "failed" ? h("p", { class: "form-error job-error" }, job.error ?? "任务失败") : null,
    resultOf(job),
  );
}

export class JobsPanel {
  readonly el: HTMLElement;
  private list = h("ul", { class: "jobs", "aria-live": "polite" });
  private rows = new Map<number, HTMLElement>();
  private followed = new Set<number>();
  /** The last state shown per job, and how often its stream was reopened after dropping. */
  private states = new Map<number, JobView["state"]>();
  private retries = new Map<number, number>();

  constructor(
    private workspaceId: number,
    private engine: JobEngine,
    private signal: AbortSignal,
    private onEnd: (job: JobView) => void = () => {},
  ) {
    this.el = h("section", { class: "jobs-panel", id: "jobs" }, h("h2", {}, "后台任务"), h("p", { class: "muted" }, "批量核验、审核和导出在后台执行，离开本页不会中断；进度实时更新。"), this.list);
  }

  /** The workspace's newest jobs; those not yet ended are followed live. */
  async load(): Promise<void> {
    const { jobs } = await api.jobs(this.workspaceId);
    const newest = jobs.sort((a, b) => b.id - a.id).slice(0, SHOWN);
    this.el.hidden = newest.length === 0;
    for (const j of newest.reverse()) this.show(j);
  }

  async start(req: WorkspaceJobRequest): Promise<JobView | null> {
    try {
      const job = await api.startJob(this.workspaceId, req);
      this.show(job);
      return job;
    } catch (e) {
      toast(errorText(e));
      return null;
    }
  }

  private show(job: JobView): void {
    this.el.hidden = false;
    let li = this.rows.get(job.id);
    if (!li) {
      li = h("li", { class: "job", dataset: { jobId: String(job.id), kind: job.kind } });
      this.rows.set(job.id, li);
      this.list.prepend(li);
    }
    this.render(li, job);
    if (!FINAL.has(job.state)) this.follow(job.id);
  }

  private render(li: HTMLElement, job: JobView): void {
    this.states.set(job.id, job.state);
    renderJob(li, job, (j) => void this.cancel(j), this.engine);
  }

  private follow(id: number): void {
    if (this.followed.has(id) || this.signal.aborted) return;
    this.followed.add(id);
    void followJob(
      id,
      (e) => {
        if (e.type === "error") {
          toast(`任务 #${id}：${e.message}`);
          return;
        }
        const li = this.rows.get(id);
        if (li) this.render(li, e.job);
        if (e.type === "end") this.onEnd(e.job);
      },
      this.signal,
    )
      .catch((err) => {
        if (this.signal.aborted) return;
        toast(`无法获取任务 #${id} 的进度：${errorText(err)}`);
        if (err instanceof ApiFailure && err.status === 404) this.retries.set(id, Infinity);
      })
      .finally(() => {
        this.followed.delete(id);
        // The stream dropped before the job ended (a restarted server, a proxy's timeout): reopen it.
        const n = this.retries.get(id) ?? 0;
        if (!this.signal.aborted && !FINAL.has(this.states.get(id) ?? "queued") && n < 30) {
          this.retries.set(id, n + 1);
          window.setTimeout(() => this.follow(id), 2000);
        }
      });
  }

  private async cancel(job: JobView): Promise<void> {
    try {
      const j = await api.cancelJob(job.id);
      const li = this.rows.get(job.id);
      if (li) this.render(li, j);
    } catch (e) {
      toast(errorText(e));
    }
  }
}
