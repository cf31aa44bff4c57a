// The chat panel beside the table: asks for a draft, revises a section, lists indicator suggestions.
// Answers stream in over SSE with a visible progress state; the draft is shown with every number the
// checker could not trace to the table highlighted.
import { api, call, postStream, ApiFailure, type DocumentView, type DraftView, type FindingView, type StreamEvent } from "./api.ts";
import { clear, h, toast } from "./dom.ts";
import { findingBlock, SEVERITY_LABEL } from "./findings.ts";
import { HELP_TEXT, parseIntent } from "./intent.ts";
import { askOverrides } from "./overrides.ts";

export interface ChatHost {
  view(): DocumentView;
  llmNotice: string | null;
  applySuggestion(ref: { findingId?: string; field?: string; value?: string }): Promise<void>;
}

/** The draft's text with unsupported numbers marked (<mark>), built from text nodes only. */
export function highlighted(text: string, marks: { start: number; end: number; finding: FindingView }[]): HTMLElement {
  const p = h("div", { class: "draft-text" });
  let at = 0;
  for (const m of [...marks].sort((a, b) => a.start - b.start)) {
    if (m.start < at || m.end > text.length || m.end <= m.start) continue;
    p.append(document.createTextNode(text.slice(at, m.start)));
    p.append(h("mark", { class: `unsupported sev-${m.finding.severity}`, title: m.finding.message, dataset: { findingId: m.finding.id } }, text.slice(m.start, m.end)));
    at = m.end;
  }
  p.append(document.createTextNode(text.slice(at)));
  return p;
}

/** Where a DRAFT_NUMBER_UNSUPPORTED finding points: where.span, else "第 N 字起" + the quoted number. */
function spanOf(f: FindingView, text: string): { start: number; end: number } | null {
  const span = (f.where as { span?: [number, number] }).span;
  if (span) return { start: span[0], end: span[1] };
  const pos = /第\s*(\d+)\s*字/.exec(f.where.label) ?? /第\s*(\d+)\s*字/.exec(f.message);
  const raw = /“([^”]+)”在/.exec(f.message)?.[1];
  if (pos && raw) {
    const start = Number(pos[1]) - 1;
    if (text.slice(start, start + raw.length) === raw) return { start, end: start + raw.length };
  }
  return null;
}

export class ChatPanel {
  readonly el: HTMLElement;
  private log: HTMLElement;
  private status: HTMLElement;
  private draftBox: HTMLElement;
  private input: HTMLTextAreaElement;
  private sendBtn: HTMLButtonElement;
  private draft: DraftView | null = null;
  private busy = false;

  constructor(private readonly host: ChatHost) {
    this.log = h("div", { class: "chat-log", "aria-live": "polite" });
    this.status = h("div", { class: "chat-status", role: "status", hidden: true });
    this.draftBox = h("div", { class: "draft-box" });
    this.input = h("textarea", { class: "chat-input", rows: 2, placeholder: "例如：帮我起草今年的自评报告 / 第五部分写具体些 / 给出指标值建议", "aria-label": "给报告助手的话" });
    this.sendBtn = h("button", { type: "button", class: "primary", onclick: () => void this.submit() }, "发送");
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.submit();
      }
    });
    const chip = (text: string) => h("button", { type: "button", class: "chip", onclick: () => void this.submit(text) }, text);
    this.el = h("aside", { class: "chat", "aria-label": "报告助手" },
      h("h2", {}, "报告助手"),
      host.llmNotice ? h("p", { class: "notice", role: "note" }, host.llmNotice) : null,
      this.log,
      this.status,
      h("div", { class: "chips" }, chip("帮我起草今年的自评报告"), chip("第五部分写具体些"), chip("给出指标值建议")),
      h("div", { class: "chat-compose" }, this.input, this.sendBtn),
      this.draftBox,
    );
    this.say("assistant", HELP_TEXT);
  }

  /** Shows the latest stored draft of the document, if any. */
  async loadLatest(documentId: number): Promise<void> {
    try {
      const { drafts } = await api.drafts(documentId);
      const last = drafts[drafts.length - 1];
      if (last) {
        this.draft = last;
        this.renderDraft(last);
      }
    } catch {
      // the panel still works without the history
    }
  }

  private say(who: "user" | "assistant", text: string, extra?: HTMLElement): HTMLElement {
    const msg = h("div", { class: `msg ${who}` }, h("div", { class: "bubble" }, text), extra ?? null);
    this.log.append(msg);
    this.log.scrollTop = this.log.scrollHeight;
    return msg;
  }

  private setBusy(message: string | null): void {
    this.busy = message !== null;
    this.sendBtn.disabled = this.busy;
    this.status.hidden = message === null;
    clear(this.status);
    if (message !== null) this.status.append(h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { class: "status-text" }, message));
    this.el.classList.toggle("busy", this.busy);
  }

  async submit(text = this.input.value): Promise<void> {
    const t = text.trim();
    if (!t || this.busy) return;
    this.input.value = "";
    this.say("user", t);
    const intent = parseIntent(t, this.draft !== null);
    const view = this.host.view();
    if (intent.kind === "help") {
      this.say("assistant", HELP_TEXT);
      return;
    }
    if (intent.kind === "suggest") {
      if (this.host.llmNotice === null && view.data.kind === "自评表") await this.showLlmSuggestions(view);
      else this.showSuggestions(view);
      return;
    }
    if (view.data.kind !== "自评表") {
      this.say("assistant", "这是绩效目标申报表，没有自评报告可起草；请打开对应的自评表。");
      return;
    }
    if (intent.kind === "revise" && this.draft) {
      await this.stream(`/api/drafts/${this.draft.id}/revise`, { request: t }, "正在修改…");
      return;
    }
    if (intent.kind === "revise") {
      this.say("assistant", "还没有草稿：先说“帮我起草今年的自评报告”。");
      return;
    }
    await this.stream(`/api/documents/${view.document.id}/drafts`, { request: t }, "正在起草…");
  }

  private async stream(path: string, body: unknown, startMessage: string): Promise<void> {
    this.setBusy(startMessage);
    const live = new Map<number, { heading: string; text: string }>();
    const preview = h("div", { class: "draft-preview" });
    const answer = this.say("assistant", "", preview);
    const bubble = answer.querySelector(".bubble")!;
    const renderPreview = () => {
      clear(preview);
      for (const [, s] of [...live].sort((a, b) => a[0] - b[0])) preview.append(h("h4", {}, s.heading), h("p", {}, s.text));
    };
    try {
      await postStream(path, body, (e: StreamEvent) => {
        switch (e.type) {
          case "progress":
            this.setBusy(e.message);
            bubble.textContent = e.message;
            break;
          case "delta": {
            const s = live.get(e.section) ?? { heading: "", text: "" };
            s.text += e.text;
            live.set(e.section, s);
            renderPreview();
            break;
          }
          case "section":
            live.set(e.index, { heading: e.heading, text: e.text });
            renderPreview();
            break;
          case "done": {
            this.draft = e.draft;
            clear(preview);
            const errs = e.draft.findings.filter((f) => f.severity === "error").length;
            bubble.textContent =
              `草稿已生成（${e.draft.drafter === "template" ? "模板起草" : "大模型起草"}，第 ${e.draft.id} 号）` +
              (e.draft.findings.length ? `：核对发现 ${e.draft.findings.length} 个问题（错误 ${errs} 个），见下方标注。` : "：数字均能在自评表中找到依据。");
            this.renderDraft(e.draft);
            break;
          }
          case "error":
            bubble.textContent = `出错了：${e.message}`;
            answer.classList.add("error");
            break;
        }
      });
    } catch (err) {
      bubble.textContent = `出错了：${err instanceof ApiFailure ? err.message : "请求失败"}`;
      answer.classList.add("error");
    } finally {
      this.setBusy(null);
    }
  }

  /** The model's proposals (already checked for measurability by the server), then the rule-based ones. */
  private async showLlmSuggestions(view: DocumentView): Promise<void> {
    this.setBusy("正在请大模型给出指标值建议…");
    try {
      const r = await call<{ suggestions: { index: number; field: string; suggestion: { text: string; basis: string } }[]; discarded: { index: number; target: string; reason: string }[] }>(
        "POST",
        `/api/documents/${view.document.id}/llm-suggestions`,
      );
      const box = h("ol", { class: "suggest-list" });
      for (const s of r.suggestions) {
        const name = view.data.kind === "自评表" ? (view.data.indicators[s.index]?.level3 ?? `第 ${s.index + 1} 项`) : `第 ${s.index + 1} 项`;
        box.append(
          h("li", {},
            h("div", {}, h("strong", {}, name), "：建议 ", h("code", {}, s.suggestion.text)),
            h("div", { class: "basis" }, s.suggestion.basis),
            h("button", { type: "button", class: "apply", onclick: () => void this.host.applySuggestion({ field: s.field, value: s.suggestion.text }) }, "应用"),
          ),
        );
      }
      const note = r.discarded.length ? `另有 ${r.discarded.length} 条建议因${r.discarded.map((d) => d.reason).join("、")}被丢弃。` : "";
      this.say("assistant", r.suggestions.length ? `大模型给出 ${r.suggestions.length} 条建议（均已通过可衡量性检查）。${note}` : `大模型没有给出可用的建议。${note}`, box);
    } catch (err) {
      this.say("assistant", `大模型建议失败：${err instanceof ApiFailure ? err.message : "请求失败"}；以下为确定性规则给出的建议。`);
    } finally {
      this.setBusy(null);
    }
    this.showSuggestions(view);
  }

  private showSuggestions(view: DocumentView): void {
    const list = view.suggestions;
    if (!list.length) {
      this.say("assistant", "当前没有需要改写的模糊指标值，或无法从文档中找到可量化的依据。");
      return;
    }
    const box = h("ol", { class: "suggest-list" });
    for (const s of list) {
      const d = view.data;
      const name = (d.kind === "目标申报表" ? d.targets[s.index]?.level3 : d.indicators[s.index]?.level3) ?? `第 ${s.index + 1} 项`;
      box.append(
        h("li", {},
          h("div", {}, h("strong", {}, name), "：建议 ", h("code", {}, s.suggestion.text)),
          h("div", { class: "basis" }, s.suggestion.basis),
          h("button", { type: "button", class: "apply", onclick: () => void this.host.applySuggestion({ field: s.field }) }, "应用"),
        ),
      );
    }
    this.say("assistant", `以下 ${list.length} 项指标值可改为可衡量的写法（确定性规则给出）：`, box);
  }

  renderDraft(d: DraftView): void {
    clear(this.draftBox);
    const byField = new Map<string, FindingView[]>();
    for (const f of d.findings) {
      const k = f.where.field ?? "";
      byField.set(k, [...(byField.get(k) ?? []), f]);
    }
    const sections = d.sections.map((s, i) => {
      const fs = byField.get(`draft.sections[${i}].text`) ?? [];
      const marks = fs.flatMap((f) => {
        const sp = f.code === "DRAFT_NUMBER_UNSUPPORTED" ? spanOf(f, s.text) : null;
        return sp ? [{ ...sp, finding: f }] : [];
      });
      return h("section", { class: "draft-section", dataset: { section: String(i) } }, h("h4", {}, s.heading), highlighted(s.text, marks));
    });
    const errors = d.findings.filter((f) => f.severity === "error");
    const status = d.accepted ? h("span", { class: "badge ok" }, `已确认（${d.acceptedBy ?? "未署名"}）`) : h("span", { class: "badge" }, "未确认");
    const acceptBtn = h("button", { type: "button", class: "primary", disabled: d.accepted, onclick: () => void this.acceptDraft() }, errors.length ? `确认草稿（需说明 ${errors.length} 个错误）` : "确认草稿");
    this.draftBox.append(
      h("div", { class: "draft-head" }, h("h3", {}, `报告草稿 #${d.id}`), status, h("span", { class: "muted" }, d.drafter === "template" ? "模板起草" : `大模型起草 ${d.promptVersion ?? ""}`)),
      h("div", { class: "draft" }, sections),
      d.findings.length
        ? h("details", { class: "draft-findings", open: true },
            h("summary", {}, `草稿核对：${(["error", "warning", "info"] as const).map((s) => `${SEVERITY_LABEL[s]} ${d.findings.filter((f) => f.severity === s).length}`).join("，")}`),
            d.findings.map((f) => findingBlock(f, {}, { showPlace: true })),
          )
        : h("p", { class: "ok-note" }, "草稿中的数字均能在自评表中找到依据。"),
      h("div", { class: "actions" }, acceptBtn),
    );
  }

  private async acceptDraft(): Promise<void> {
    const d = this.draft;
    if (!d) return;
    let overrides: { findingId: string; reason: string }[] = [];
    let pending = d.findings.filter((f) => f.severity === "error");
    for (;;) {
      if (pending.length) {
        const got = await askOverrides("确认报告草稿", pending);
        if (!got) return;
        overrides = got;
      }
      try {
        const saved = await api.acceptDraft(d.id, overrides);
        this.draft = saved;
        this.renderDraft(saved);
        toast("草稿已确认，导出 Word 时将使用这份草稿", "ok");
        return;
      } catch (e) {
        if (e instanceof ApiFailure && e.code === "UNRESOLVED_ERRORS") {
          pending = e.findings;
          continue;
        }
        toast(e instanceof ApiFailure ? e.message : "确认失败");
        return;
      }
    }
  }
}
