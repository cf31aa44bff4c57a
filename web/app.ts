// The single-page front end (zh-CN): workspaces → upload → one page per project with the editable
// 自评表, inline findings, recomputed scores, the report chat panel, acceptance and export; and the
// 审核 pages (review.ts) for a workspace's 申报表.
// All document text is rendered with text nodes (see dom.ts); no HTML string is ever parsed.
import { api, ApiFailure, downloadUrl, session, setUnauthorizedHandler, uploadFile, type DocumentSummary, type DocumentView, type FileEntry, type HealthView } from "./api.ts";
import { ChatPanel } from "./chat.ts";
import { $, clear, fmtNum, fmtSize, h, toast } from "./dom.ts";
import { findingBlock, hidePopover, initPopover, SEVERITY_LABEL } from "./findings.ts";
import { askOverrides } from "./overrides.ts";
import { renderDocument } from "./table.ts";
import { projectReviewPage, reviewListPage } from "./review.ts";
import { crumbs, errorText, newPageSignal } from "./shell.ts";
import { JobsPanel } from "./jobs.ts";

let health: HealthView | null = null;
const main = () => $("#main");

function counts(c: DocumentSummary["counts"]): HTMLElement {
  return h("span", { class: "counts" },
    (["error", "warning", "info"] as const).map((s) => h("span", { class: `count sev-${s}${c[s] ? "" : " zero"}`, title: SEVERITY_LABEL[s] }, `${SEVERITY_LABEL[s]} ${c[s]}`)),
  );
}

function acceptState(d: DocumentSummary): HTMLElement {
  if (d.acceptedVersion === null) return h("span", { class: "badge" }, "未确认");
  if (d.acceptedVersion === d.version) return h("span", { class: "badge ok" }, `已确认（第 ${d.version} 版${d.acceptedBy ? `，${d.acceptedBy}` : ""}）`);
  return h("span", { class: "badge warn" }, `确认后又修改过（确认第 ${d.acceptedVersion} 版，现为第 ${d.version} 版）`);
}

// ── home: workspaces ─────────────────────────────────────────────────────────────────────────

async function homePage(): Promise<void> {
  crumbs({ text: "工作区" });
  const root = main();
  clear(root);
  const name = h("input", { id: "new-workspace", required: true, maxlength: 100, placeholder: "如：县禁毒办 2023 年度自评", "aria-label": "新工作区名称" });
  const form = h("form", { class: "inline-form" }, name, h("button", { type: "submit", class: "primary" }, "新建工作区"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      try {
        const ws = await api.createWorkspace(name.value);
        location.hash = `#/w/${ws.id}`;
      } catch (err) {
        toast(errorText(err));
      }
    })();
  });
  const list = h("ul", { class: "workspaces" });
  root.append(h("section", { class: "page" }, h("h1", {}, "工作区"), h("p", { class: "muted" }, "一个工作区放一批相关的自评表、申报表（如一个单位一个年度）。"), form, list));
  const { workspaces } = await api.workspaces();
  if (!workspaces.length) list.append(h("li", { class: "muted" }, "还没有工作区：先新建一个。"));
  for (const w of workspaces) {
    list.append(h("li", {}, h("a", { href: `#/w/${w.id}` }, w.name), h("span", { class: "muted" }, ` · ${w.files} 个文件，${w.documents} 份文档 · 更新于 ${w.updatedAt.slice(0, 16).replace("T", " ")}`)));
  }
  name.focus();
}

// ── workspace: upload and documents ──────────────────────────────────────────────────────────

async function workspacePage(id: number, signal: AbortSignal): Promise<void> {
  const root = main();
  clear(root);
  const { workspace, files } = await api.workspace(id);
  // Long work runs as jobs when the server has a queue (it always has, unless embedded without one).
  const jobs = health?.jobs ? new JobsPanel(id, health.jobs.engine, signal) : null;
  crumbs({ text: "工作区", href: "#/" }, { text: workspace.name });
  const limit = health ? fmtSize(health.maxUploadBytes) : "50 MB";
  const picker = h("input", { type: "file", id: "file-input", multiple: true, accept: ".docx,.doc,.pdf,.xlsx,.txt", class: "visually-hidden" });
  const uploads = h("ul", { class: "uploads", "aria-label": "上传进度" });
  const docsBox = h("div", { class: "documents" });
  const drop = h("div", { class: "dropzone", tabindex: 0, role: "button", "aria-label": "选择或拖入文件上传" },
    h("p", { class: "big" }, "把文件拖到这里，或点击选择"),
    h("p", { class: "muted" }, `支持 .docx .doc .pdf .xlsx .txt，可一次多个；单个文件不超过 ${limit}。原文件逐字节保存。`),
    picker,
  );
  drop.addEventListener("click", (e) => {
    if (e.target !== picker) picker.click();
  });
  drop.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      picker.click();
    }
  });
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const list = [...(e.dataTransfer?.files ?? [])];
    if (list.length) void uploadAll(list);
  });
  picker.addEventListener("change", () => {
    const list = [...(picker.files ?? [])];
    picker.value = "";
    if (list.length) void uploadAll(list);
  });

  const renderDocs = (fs: FileEntry[]) => {
    clear(docsBox);
    const docs = fs.flatMap((f) => f.documents);
    const bad = fs.filter((f) => f.error);
    docsBox.append(h("h2", {}, `文档（${docs.length}）`));
    if (!docs.length) docsBox.append(h("p", { class: "muted" }, "还没有识别出文档：上传自评表或申报表。"));
    else {
      docsBox.append(
        h("table", { class: "list" },
          h("thead", {}, h("tr", {}, h("th", {}, "项目名称"), h("th", {}, "类型"), h("th", {}, "年度"), h("th", {}, "来源文件"), h("th", {}, "问题"), h("th", {}, "状态"))),
          h("tbody", {},
            docs.map((d) =>
              h("tr", {},
                h("td", {}, h("a", { href: `#/d/${d.id}`, class: "doc-link" }, d.name ?? "（无项目名称）")),
                h("td", {}, d.kind), h("td", {}, d.year === null ? "" : String(d.year)), h("td", { class: "muted" }, d.fileName),
                h("td", {}, counts(d.counts)), h("td", {}, acceptState(d)),
              ),
            ),
          ),
        ),
      );
    }
    if (bad.length) {
      docsBox.append(h("h3", {}, "未能读取的文件"), h("ul", { class: "file-errors" }, bad.map((f) => h("li", {}, h("span", { class: "sev sev-error" }, "无法读取"), " ", f.error!.message))));
    }
    // The bureau's review applies to 申报表 (and 部门整体 目标表, which the summary cannot tell from a 自评表).
    if (docs.some((d) => d.kind === "目标申报表" || d.kind === "部门整体")) {
      docsBox.append(h("div", { class: "actions" },
        h("a", { class: "btn primary", id: "review-link", href: `#/w/${id}/review` }, "审核申报表"),
        jobs ? h("button", { type: "button", id: "job-review", onclick: () => void jobs.start({ kind: "review" }) }, "后台批量审核") : null,
        h("span", { class: "muted" }, "按财政审核清单逐项列出审核意见，可导出审核意见表")));
    }
    if (jobs && fs.length) {
      docsBox.append(h("div", { class: "actions" },
        h("button", { type: "button", id: "job-check", onclick: () => void jobs.start({ kind: "check" }) }, "批量核验全部文件"),
        h("span", { class: "muted" }, "重新计算得分、逐项核验每份文档，列出有错误的文档")));
    }
    // With a queue, a whole workspace is exported by a job (a large one takes a while); the file is
    // downloaded from the job's row when it is ready.
    const exportButton = (format: "docx" | "xlsx" | "json", label: string) =>
      jobs
        ? h("button", { type: "button", dataset: { exportAll: format }, onclick: () => void jobs.start({ kind: "export", format }) }, label)
        : h("a", { class: "btn", href: downloadUrl(`/api/workspaces/${id}/export?format=${format}`), download: "" }, label);
    docsBox.append(h("div", { class: "actions" }, "导出全部：", exportButton("docx", "Word"), exportButton("xlsx", "Excel"), exportButton("json", "JSON")));
  };

  async function uploadAll(list: File[]): Promise<void> {
    const rows = list.map((f) => {
      const bar = h("progress", { max: 1, value: 0, "aria-label": `${f.name} 上传进度` });
      const status = h("span", { class: "status" }, "等待上传");
      const li = h("li", { class: "upload", dataset: { name: f.name } }, h("span", { class: "name" }, f.name), h("span", { class: "muted" }, fmtSize(f.size)), bar, status);
      uploads.append(li);
      return { f, li, bar, status };
    });
    for (const r of rows) {
      if (health && r.f.size > health.maxUploadBytes) {
        r.li.classList.add("failed");
        r.status.textContent = `✗ 文件大小 ${fmtSize(r.f.size)} 超过上限 ${limit}`;
        continue;
      }
      try {
        const entry = await uploadFile(id, r.f, (p) => {
          r.bar.value = p;
          r.status.textContent = p < 1 ? `上传中 ${Math.round(p * 100)}%` : "识别中…";
        });
        r.bar.value = 1;
        if (entry.error) {
          r.li.classList.add("failed");
          r.status.textContent = `✗ ${entry.error.message}`;
        } else {
          r.li.classList.add("done");
          r.status.textContent = `✓ 识别出 ${entry.documents?.length ?? 0} 份文档`;
        }
      } catch (e) {
        r.li.classList.add("failed");
        r.status.textContent = `✗ ${errorText(e)}`;
      }
    }
    renderDocs((await api.workspace(id)).files);
  }

  root.append(h("section", { class: "page" }, h("h1", {}, workspace.name), drop, uploads, docsBox, jobs?.el ?? null));
  renderDocs(files);
  if (jobs) {
    jobs.el.hidden = true;
    await jobs.load();
  }
}

// ── document: table, findings, chat ──────────────────────────────────────────────────────────

class DocumentPage {
  private view: DocumentView;
  private queue: Promise<void> = Promise.resolve();
  private left = h("div", { class: "doc-main" });
  private chat: ChatPanel;

  constructor(view: DocumentView) {
    this.view = view;
    this.chat = new ChatPanel({
      view: () => this.view,
      llmNotice: health?.notice ?? null,
      applySuggestion: (ref) => this.apply(ref),
    });
  }

  mount(root: HTMLElement): void {
    root.append(h("div", { class: "doc-page" }, this.left, this.chat.el));
    this.render();
    void this.chat.loadLatest(this.view.document.id);
  }

  private render(): void {
    hidePopover();
    const active = document.activeElement as HTMLElement | null;
    const focusField = active?.dataset?.field;
    const typed = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active.value : null;
    const typedChanged = typed !== null && typed !== active?.dataset.orig;
    const v = this.view;
    const d = v.document;
    crumbs({ text: "工作区", href: "#/" }, { text: "本工作区", href: `#/w/${d.workspaceId}` }, { text: d.name ?? "（无项目名称）" });
    const sc = v.scoring;
    const errors = v.findings.filter((f) => f.severity === "error");
    const exportLink = (fmt: string, label: string) =>
      h("a", { class: "btn", href: downloadUrl(`/api/documents/${d.id}/export?format=${fmt}`), download: "", dataset: { export: fmt } }, label);
    const bar = h("div", { class: "doc-bar" },
      h("h1", { class: "doc-name" }, d.name ?? "（无项目名称）"),
      h("div", { class: "doc-meta" },
        h("span", { class: "muted" }, `${d.kind} · ${d.fileName} · 第 ${d.version} 版`), " ", acceptState(d), " ", counts(d.counts),
      ),
      sc
        ? h("p", { class: "score-line", dataset: { recomputed: String(sc.total.recomputed) } },
            "重算总分 ", h("strong", { id: "recomputed-total" }, fmtNum(sc.total.recomputed)), `（${sc.total.grade}）`,
            h("span", { class: "muted" }, ` · 填报总分 ${sc.total.printed === null ? "（空）" : fmtNum(sc.total.printed)} · 各项得分之和 ${fmtNum(sc.total.sumOfPrinted)} · 规则 ${sc.profile}`),
          )
        : null,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", id: "accept-table", onclick: () => void this.accept() }, errors.length ? `确认此表（需说明 ${errors.length} 个错误）` : "确认此表"),
        exportLink("docx", "导出 Word"), exportLink("xlsx", "导出 Excel"), exportLink("json", "导出 JSON"),
      ),
    );
    const handlers = {
      edit: (field: string, value: string) => this.edit(field, value),
      apply: (f: { id: string }) => void this.apply({ findingId: f.id }),
      locate: (f: { where: { field?: string } }) => this.locate(f.where.field!),
    };
    const sheet = renderDocument(v, handlers);
    const list = h("section", { class: "findings-list", "aria-label": "全部问题" },
      h("h2", {}, `问题清单（${v.findings.length}）`),
      v.findings.length ? v.findings.map((f) => findingBlock(f, handlers, { showPlace: true })) : h("p", { class: "ok-note" }, "没有发现问题。"),
    );
    clear(this.left);
    this.left.append(bar, sheet, list);
    if (focusField) {
      const el = this.left.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-field="${CSS.escape(focusField)}"]:is(input,textarea)`);
      if (el) {
        if (typedChanged && typed !== null) el.value = typed;
        el.focus({ preventScroll: true });
      }
    }
  }

  private locate(field: string): void {
    const el = this.left.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]:is(input,textarea)`) ?? this.left.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`);
    if (!el) return;
    el.closest("details")?.setAttribute("open", "");
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    el.focus({ preventScroll: true });
  }

  /** Edits run one after another, each on the version the previous one produced. */
  private enqueue(work: () => Promise<DocumentView>, ok: (v: DocumentView) => string): Promise<void> {
    const run = async () => {
      this.left.classList.add("saving");
      try {
        this.view = await work();
        this.render();
        toast(ok(this.view), "ok");
      } catch (e) {
        toast(errorText(e));
        if (e instanceof ApiFailure && e.status === 409) {
          this.view = await api.document(this.view.document.id);
          this.render();
        } else {
          this.render();
        }
      } finally {
        this.left.classList.remove("saving");
      }
    };
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  private edit(field: string, value: string): void {
    const id = this.view.document.id;
    void this.enqueue(
      () => api.edit(id, field, value, this.view.document.version),
      (v) => `已保存（第 ${v.document.version} 版）：${show(v.edit?.oldValue)} → ${show(v.edit?.newValue)}`,
    );
  }

  apply(ref: { findingId?: string; field?: string; value?: string }): Promise<void> {
    const id = this.view.document.id;
    return this.enqueue(
      () => api.applySuggestion(id, ref, this.view.document.version),
      (v) => `已应用建议（第 ${v.document.version} 版）：${show(v.edit?.newValue)}`,
    );
  }

  private async accept(): Promise<void> {
    let pending = this.view.findings.filter((f) => f.severity === "error");
    let overrides: { findingId: string; reason: string }[] = [];
    for (;;) {
      if (pending.length) {
        const got = await askOverrides("确认自评表", pending);
        if (!got) return;
        overrides = got;
      }
      try {
        this.view = await api.accept(this.view.document.id, this.view.document.version, overrides);
        this.render();
        toast(overrides.length ? `已确认；${overrides.length} 条不修改的理由已记入审计记录` : "已确认", "ok");
        return;
      } catch (e) {
        if (e instanceof ApiFailure && e.code === "UNRESOLVED_ERRORS") {
          pending = e.findings;
          continue;
        }
        toast(errorText(e));
        return;
      }
    }
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "（空）";
  const s = String(v);
  return `“${s.length > 30 ? s.slice(0, 30) + "…" : s}”`;
}

async function documentPage(id: number): Promise<void> {
  const root = main();
  clear(root);
  const view = await api.document(id);
  new DocumentPage(view).mount(root);
}

// ── shell ────────────────────────────────────────────────────────────────────────────────────

async function route(): Promise<void> {
  hidePopover();
  const signal = newPageSignal();
  const hash = location.hash || "#/";
  const m = /^#\/(w|d|r)\/(\d+)$/.exec(hash);
  const review = /^#\/w\/(\d+)\/review(?:\?item=([^&]*))?$/.exec(hash);
  try {
    if (review) await reviewListPage(main(), Number(review[1]), review[2] ? decodeURIComponent(review[2]) : null);
    else if (m?.[1] === "w") await workspacePage(Number(m[2]), signal);
    else if (m?.[1] === "d") await documentPage(Number(m[2]));
    else if (m?.[1] === "r") await projectReviewPage(main(), Number(m[2]));
    else await homePage();
  } catch (e) {
    const root = main();
    clear(root);
    root.append(h("section", { class: "page" }, h("h1", {}, "出错了"), h("p", { class: "form-error" }, errorText(e)), h("a", { href: "#/" }, "返回工作区")));
  }
}

function askToken(): Promise<boolean> {
  return new Promise((resolve) => {
    const input = h("input", { type: "password", autocomplete: "current-password", "aria-label": "访问令牌" });
    const dialog = h("dialog", { class: "token" });
    const done = (ok: boolean) => {
      if (ok) session.token = input.value.trim();
      dialog.close();
      dialog.remove();
      resolve(ok && input.value.trim() !== "");
    };
    const form = h("form", { method: "dialog" }, h("h2", {}, "需要访问令牌"), h("p", {}, "本服务设置了访问令牌（JIXIAO_TOKEN），请向管理员索取。"), input,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => done(false) }, "取消"), h("button", { type: "submit", class: "primary" }, "确定")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      done(true);
    });
    dialog.append(form);
    document.body.append(dialog);
    dialog.showModal();
  });
}

async function start(): Promise<void> {
  initPopover();
  setUnauthorizedHandler(askToken);
  const user = $("#user-name") as HTMLInputElement;
  user.value = session.user;
  user.addEventListener("change", () => (session.user = user.value));
  const badge = $("#llm-status");
  try {
    health = await api.health();
    badge.textContent = health.llm.configured ? `大模型：${health.llm.model ?? ""}` : "未配置大模型 · 模板起草";
    badge.title = health.notice ?? "";
    badge.className = `badge ${health.llm.configured ? "ok" : "warn"}`;
  } catch {
    badge.textContent = "服务器无响应";
  }
  window.addEventListener("hashchange", () => void route());
  await route();
}

void start();
