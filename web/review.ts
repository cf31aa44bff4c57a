// The 审核 pages: a workspace's 申报表 reviewed the way the finance bureau does (src/review) — every
// project with its items, a filter by item, the 审核意见表 export — and one project's opinions on the
// cells of its form and in a list by dimension, each of which a reviewer may waive with a reason
// (kept with the name and time, and in the audit log; a waived opinion leaves the 审核意见表).
import { api, ApiFailure, downloadUrl, session, type OpinionView, type ProjectReviewView, type WorkspaceReview } from "./api.ts";
import { $, clear, fmtNum, h, toast } from "./dom.ts";
import { attachPopover, hidePopover } from "./findings.ts";
import { crumbs, errorText } from "./shell.ts";
import { renderDocument } from "./table.ts";
import { isWrittenReason as written, MIN_REASON_CHARS } from "../src/review/overrides.ts";

/** Same rule as the server's: only letters and digits count towards a written reason. */
export { MIN_REASON_CHARS };

const SEVERITY: Record<OpinionView["severity"], string> = { error: "错误", warning: "意见" };

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

function amountText(p: { amount: number | null; moneyUnit: string | null }): string {
  return p.amount === null ? "（空）" : `${fmtNum(p.amount)}${p.moneyUnit && p.moneyUnit !== "万元" ? ` ${p.moneyUnit}` : ""}`;
}

function reviewCounts(c: ProjectReviewView["counts"]): HTMLElement {
  return h("span", { class: "counts" },
    h("span", { class: `count sev-error${c.error ? "" : " zero"}` }, `错误 ${c.error}`),
    h("span", { class: `count sev-warning${c.warning ? "" : " zero"}` }, `意见 ${c.warning}`),
    c.waived ? h("span", { class: "count waived" }, `已豁免 ${c.waived}`) : null,
  );
}

// ── the workspace's review: projects, filter, export ─────────────────────────────────────────

export async function reviewListPage(root: HTMLElement, workspaceId: number, item: string | null): Promise<void> {
  clear(root);
  const r: WorkspaceReview = await api.review(workspaceId, item);
  crumbs({ text: "工作区", href: "#/" }, { text: r.workspace.name, href: `#/w/${workspaceId}` }, { text: "审核意见" });
  const base = `#/w/${workspaceId}/review`;
  const chip = (label: string, target: string | null, pressed: boolean, title?: string) =>
    h("a", { class: `chip filter${pressed ? " active" : ""}`, href: target ? `${base}?item=${encodeURIComponent(target)}` : base, "aria-current": pressed ? "true" : null, title: title ?? null, dataset: { item: target ?? "" } }, label);
  const filter = h("nav", { class: "chips review-filter", "aria-label": "按审核项筛选" },
    chip(`全部（${r.total}）`, null, r.item === null),
    r.items.map((c) =>
      chip(`${c.item}（${c.projects}）`, c.item, r.item?.code === c.code, `${c.dimension} · ${c.projects} 个项目${c.open < c.projects ? `，其中 ${c.projects - c.open} 个已豁免` : ""}`),
    ),
  );
  const exportLink = h("a", { class: "btn primary", id: "export-review", href: downloadUrl(`/api/workspaces/${workspaceId}/review.xlsx`), download: "" }, "导出审核意见表");
  const rows = r.projects.map((p, i) =>
    h("tr", { dataset: { documentId: String(p.documentId) } },
      h("td", { class: "num" }, String(i + 1)),
      h("td", { class: "code" }, p.code ?? ""),
      h("td", {}, h("a", { class: "project-link", href: `#/r/${p.documentId}` }, p.name ?? "（无项目名称）")),
      h("td", {}, p.unit ?? ""),
      h("td", { class: "num" }, amountText(p)),
      h("td", {},
        p.opinions.length
          ? h("span", { class: "item-chips" }, p.opinions.map((o) =>
              h("span", { class: `item-chip sev-${o.severity}${o.waived ? " waived" : ""}`, title: o.waived ? `已豁免：${o.waived.reason}` : o.text, dataset: { code: o.code } }, o.item),
            ))
          : h("span", { class: "ok-note" }, "审核通过"),
      ),
      h("td", {}, reviewCounts(p.counts)),
    ),
  );
  root.append(
    h("section", { class: "page wide review-page" },
      h("h1", {}, `审核意见：${r.workspace.name}`),
      h("p", { class: "muted" }, `按“${r.checklist.name}”审核本工作区的 ${r.total} 个申报表（含部门整体绩效目标表）。点项目名称，在表单上查看每条意见所在的单元格，或豁免某条意见。`),
      h("div", { class: "actions" }, exportLink, h("span", { class: "muted" }, "每个项目一行，按审核维度列出意见；已豁免的意见不列入。")),
      r.total ? filter : null,
      r.total === 0
        ? h("p", { class: "muted" }, "本工作区还没有绩效目标申报表：审核只针对申报表和部门整体绩效目标表（自评表不做申报审核）。")
        : h("table", { class: "list review-table", "aria-label": r.item ? `含“${r.item.name}”的项目` : "全部项目" },
            h("caption", { class: "muted" }, r.item ? `含“${r.item.name}”的项目：${r.projects.length} 个（共 ${r.total} 个）` : `共 ${r.total} 个项目`),
            h("thead", {}, h("tr", {}, ["序号", "项目编码", "项目名称", "申请单位", "本年度金额（万元）", "审核项", "意见"].map((t) => h("th", {}, t)))),
            h("tbody", {}, rows),
          ),
    ),
  );
}

// ── one project: the form with the opinions on its cells, the list by dimension ─────────────

/** The element an evidence path lands on: its value cell; a whole row → its 三级指标; a whole table → the table. */
function targetOf(sheet: HTMLElement, cell: string): HTMLElement | null {
  const find = (f: string) => sheet.querySelector<HTMLElement>(`td[data-field="${CSS.escape(f)}"]`) ?? sheet.querySelector<HTMLElement>(`table[data-field="${CSS.escape(f)}"]`);
  return find(cell) ?? (/^(targets|indicators)\[\d+\]$/.test(cell) ? find(`${cell}.level3`) : null);
}

function opinionSummary(o: OpinionView): HTMLElement {
  return h("div", { class: `opinion compact sev-${o.severity}${o.waived ? " waived" : ""}`, dataset: { code: o.code } },
    h("div", { class: "opinion-head" }, h("span", { class: `sev sev-${o.severity}` }, SEVERITY[o.severity]), " ", h("strong", {}, o.item), o.waived ? h("span", { class: "badge" }, "已豁免") : null),
    h("p", { class: "text" }, o.text),
    o.waived ? h("p", { class: "waived-note" }, `豁免理由：${o.waived.reason}（${o.waived.by ?? "未署名"}）`) : null,
  );
}

class ProjectReviewPage {
  private left = h("div", { class: "doc-main" });
  private panel = h("aside", { class: "review-panel", "aria-label": "审核意见" });

  constructor(
    private review: ProjectReviewView,
    private readonly view: Awaited<ReturnType<typeof api.document>>,
  ) {}

  mount(root: HTMLElement): void {
    root.append(h("div", { class: "doc-page review-doc" }, this.left, this.panel));
    this.render();
  }

  private render(): void {
    hidePopover();
    const p = this.review;
    const d = this.view.document;
    const name = p.name ?? "（无项目名称）";
    crumbs({ text: "工作区", href: "#/" }, { text: "本工作区", href: `#/w/${d.workspaceId}` }, { text: "审核意见", href: `#/w/${d.workspaceId}/review` }, { text: name });
    const bar = h("div", { class: "doc-bar" },
      h("h1", { class: "doc-name" }, name),
      h("div", { class: "doc-meta" },
        h("span", { class: "muted" }, [
          p.code ? `项目编码 ${p.code}` : null, p.unit ? `申请单位 ${p.unit}` : null, `本年度金额 ${amountText(p)}${p.moneyUnit === "万元" ? " 万元" : ""}`,
          `${p.fileName}${p.sheet ? `（工作表“${p.sheet}”）` : ""}`, `第 ${p.version} 版`,
        ].filter(Boolean).join(" · ")),
        " ", reviewCounts(p.counts),
      ),
      h("div", { class: "actions" },
        h("a", { class: "btn", href: `#/w/${d.workspaceId}/review` }, "返回审核列表"),
        h("a", { class: "btn", href: `#/d/${p.documentId}` }, "打开编辑页（修改表格）"),
      ),
    );
    // The form as read, without the validator's findings: on this page the cells carry the review's opinions.
    const sheet = renderDocument({ ...this.view, findings: [] }, { edit: () => undefined }, true);
    const placed = this.markCells(sheet);
    clear(this.left);
    this.left.append(bar, sheet);
    clear(this.panel);
    this.panel.append(this.list(placed));
  }

  /** Puts each opinion on the cells its evidence names; returns, per opinion, the elements it landed on. */
  private markCells(sheet: HTMLElement): Map<string, HTMLElement[]> {
    const byEl = new Map<HTMLElement, OpinionView[]>();
    const placed = new Map<string, HTMLElement[]>();
    for (const o of this.review.opinions) {
      for (const e of o.evidence) {
        const el = e.cell ? targetOf(sheet, e.cell) : null;
        if (!el) continue;
        const list = byEl.get(el) ?? [];
        if (!list.includes(o)) list.push(o);
        byEl.set(el, list);
        const mine = placed.get(o.id) ?? [];
        if (!mine.includes(el)) mine.push(el);
        placed.set(o.id, mine);
      }
    }
    for (const [el, os] of byEl) {
      const open = os.filter((o) => !o.waived);
      const sev = open.some((o) => o.severity === "error") ? "error" : open.length ? "warning" : null;
      el.classList.add("flagged", "review", sev ? `sev-${sev}` : "waived");
      el.dataset.opinions = os.map((o) => o.code).join(" ");
      if (el.tagName === "TD") {
        el.append(h("span", { class: `mark ${sev ? `sev-${sev}` : "waived"}`, "aria-hidden": "true" }, String(os.length)));
        const input = el.querySelector("input, textarea");
        input?.setAttribute("aria-description", os.map((o) => `${o.item}${o.waived ? "（已豁免）" : ""}：${o.text}`).join(" "));
        attachPopover(el, () => os.map(opinionSummary));
      } else {
        // A whole table (绩效目标表未填写 …): the opinions stand above it rather than on every cell.
        el.before(h("div", { class: `table-opinions sev-${sev ?? "waived"}`, dataset: { opinions: el.dataset.opinions } }, os.map(opinionSummary)));
      }
    }
    return placed;
  }

  private list(placed: Map<string, HTMLElement[]>): HTMLElement {
    const p = this.review;
    const open = p.opinions.filter((o) => !o.waived).length;
    const dims = [...p.dimensions, ...p.opinions.map((o) => o.dimension).filter((x) => !p.dimensions.includes(x))];
    return h("section", { class: "opinions-list" },
      h("h2", {}, `审核意见（${open} 条${p.counts.waived ? `，已豁免 ${p.counts.waived} 条` : ""}）`),
      p.opinions.length === 0 ? h("p", { class: "ok-note" }, "审核通过：未发现需要退回修改的问题。") : null,
      p.items.length ? h("p", { class: "muted" }, `小结：${p.opinions.filter((o) => !o.waived).map((o) => o.item).join("、") || "审核通过"}`) : null,
      dims.map((dim) => {
        const os = p.opinions.filter((o) => o.dimension === dim);
        return h("section", { class: "dimension", dataset: { dimension: dim } },
          h("h3", {}, `${dim}（${os.filter((o) => !o.waived).length}）`),
          os.length ? os.map((o) => this.opinionBlock(o, placed.get(o.id) ?? [])) : h("p", { class: "muted none" }, "无"),
        );
      }),
    );
  }

  private opinionBlock(o: OpinionView, cells: HTMLElement[]): HTMLElement {
    const locate = (el: HTMLElement) => {
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      el.classList.add("located");
      window.setTimeout(() => el.classList.remove("located"), 1500);
      (el.querySelector<HTMLElement>("input, textarea") ?? el).focus({ preventScroll: true });
    };
    return h("article", { class: `opinion sev-${o.severity}${o.waived ? " waived" : ""}`, dataset: { code: o.code }, "aria-label": `${o.item}${o.waived ? "（已豁免）" : ""}` },
      h("div", { class: "opinion-head" },
        h("span", { class: `sev sev-${o.severity}` }, SEVERITY[o.severity]), " ", h("strong", { class: "item" }, o.item),
        o.waived ? h("span", { class: "badge" }, "已豁免") : null,
      ),
      h("p", { class: "text" }, o.text),
      o.suggestion && !o.text.includes(o.suggestion) ? h("p", { class: "fix" }, "建议：", o.suggestion) : null,
      h("ul", { class: "evidence" },
        o.evidence.slice(0, 8).map((e) => {
          const el = e.cell ? targetOf(this.left, e.cell) : null;
          return h("li", {},
            h("span", { class: "place" }, e.where), "：", e.text.trim() === "" ? h("span", { class: "muted" }, "（空白）") : `“${e.text.replace(/\s+/g, " ").trim().slice(0, 60)}”`,
            el && cells.includes(el) ? h("button", { type: "button", class: "link locate", onclick: () => locate(el) }, "定位") : null,
          );
        }),
        o.evidence.length > 8 ? h("li", { class: "muted" }, `…共 ${o.evidence.length} 处`) : null,
      ),
      o.waived
        ? h("div", { class: "waived-note" },
            h("p", {}, "豁免理由：", h("span", { class: "reason" }, o.waived.reason)),
            h("p", { class: "muted" }, `${o.waived.by ?? "未署名"} 于 ${when(o.waived.at)} 豁免；不列入审核意见表`),
            h("button", { type: "button", class: "lift", onclick: () => void this.lift(o) }, "撤销豁免"),
          )
        : h("div", { class: "actions" }, h("button", { type: "button", class: "waive", onclick: () => void this.waive(o) }, "豁免")),
    );
  }

  private async waive(o: OpinionView): Promise<void> {
    hidePopover();
    const done = await askWaiver(o, async (reason, by) => {
      try {
        this.review = await api.waive(this.review.documentId, o.code, reason, by);
        return null;
      } catch (e) {
        return errorText(e);
      }
    });
    if (!done) return;
    this.render();
    toast(`已豁免“${o.item}”；理由已记入审计记录，导出的审核意见表不再列出这条意见`, "ok");
  }

  private async lift(o: OpinionView): Promise<void> {
    try {
      this.review = await api.liftWaiver(this.review.documentId, o.code);
      this.render();
      toast(`已撤销对“${o.item}”的豁免`, "ok");
    } catch (e) {
      toast(errorText(e));
      if (e instanceof ApiFailure && e.status === 404) {
        this.review = await api.documentReview(this.review.documentId);
        this.render();
      }
    }
  }
}

/**
 * Asks for the reason (and the reviewer's name) to waive an opinion. `submit` sends it and answers an
 * error message, or null when stored; the dialog stays open on an error so nothing typed is lost.
 */
function askWaiver(o: OpinionView, submit: (reason: string, by: string) => Promise<string | null>): Promise<boolean> {
  return new Promise((resolve) => {
    const reason = h("textarea", { class: "reason", rows: 3, required: true, "aria-label": `豁免“${o.item}”的理由`, placeholder: `写明豁免理由（至少 ${MIN_REASON_CHARS} 个字），将记入审计记录` });
    const by = h("input", { class: "by", value: session.user, maxlength: 40, autocomplete: "name", "aria-label": "豁免人" });
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const ok = h("button", { type: "button", class: "primary" }, "确认豁免");
    const dialog = h("dialog", { class: "waive", "aria-label": "豁免审核意见" });
    const close = (result: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    const fail = (msg: string, focus: HTMLElement) => {
      error.textContent = msg;
      error.hidden = false;
      focus.focus();
    };
    ok.addEventListener("click", () => {
      void (async () => {
        if (!written(reason.value)) return fail(`请写明豁免理由（至少 ${MIN_REASON_CHARS} 个字，标点和空格不计）`, reason);
        const name = by.value.trim();
        if (!name) return fail("请填写豁免人姓名", by);
        // The name given here becomes the page's 经办人 when none was set, so later actions carry it too.
        if (!session.user) {
          session.user = name;
          ($("#user-name") as HTMLInputElement).value = name;
        }
        ok.disabled = true;
        const msg = await submit(reason.value.trim(), name);
        ok.disabled = false;
        if (msg) return fail(msg, reason);
        close(true);
      })();
    });
    dialog.append(
      h("h2", {}, "豁免审核意见"),
      h("p", {}, h("span", { class: `sev sev-${o.severity}` }, SEVERITY[o.severity]), " ", h("strong", {}, o.item), `（${o.dimension}）`),
      h("p", { class: "msg" }, o.text),
      h("p", { class: "muted" }, "豁免后这条意见不列入审核意见表；理由、豁免人和时间记入审计记录，可随时撤销。"),
      h("label", { class: "field" }, "豁免理由", reason),
      h("label", { class: "field" }, "豁免人", by),
      error,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => close(false) }, "取消"), ok),
    );
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}

export async function projectReviewPage(root: HTMLElement, documentId: number): Promise<void> {
  clear(root);
  const [review, view] = await Promise.all([api.documentReview(documentId), api.document(documentId)]);
  new ProjectReviewPage(review, view).mount(root);
}
