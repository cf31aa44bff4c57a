// Findings on the page: the popover shown on a flagged cell (hover or keyboard focus), the full
// list under the table, and the "apply suggestion" button both carry.
import type { FindingView } from "./api.ts";
import { $, clear, h } from "./dom.ts";

export const SEVERITY_LABEL: Record<FindingView["severity"], string> = { error: "错误", warning: "警告", info: "提示" };
const RANK: Record<FindingView["severity"], number> = { error: 0, warning: 1, info: 2 };

export function worst(fs: FindingView[]): FindingView["severity"] | null {
  return fs.length ? [...fs].sort((a, b) => RANK[a.severity] - RANK[b.severity])[0]!.severity : null;
}

function provenanceText(p: FindingView["provenance"][number]): string {
  const at: string[] = [];
  if (p.sheet) at.push(`工作表“${p.sheet}”`);
  if (p.address) at.push(p.address);
  if (p.table !== undefined) at.push(`表 ${p.table + 1}`);
  if (p.row !== undefined) at.push(`第 ${p.row + 1} 行`);
  if (p.col !== undefined) at.push(`第 ${p.col + 1} 列`);
  if (p.page !== undefined) at.push(`第 ${p.page} 页`);
  if (p.line !== undefined) at.push(`第 ${p.line} 行`);
  if (p.paragraph !== undefined) at.push(`第 ${p.paragraph + 1} 段`);
  const text = p.text.replace(/\s+/g, " ").trim();
  return `${at.join(" ") || "原文"}${text ? `：“${text.length > 40 ? text.slice(0, 40) + "…" : text}”` : ""}`;
}

export interface FindingActions {
  apply?: (f: FindingView) => void;
  locate?: (f: FindingView) => void;
}

/** One finding: severity, place, message, fix, one-click suggestion, where the cell came from. */
export function findingBlock(f: FindingView, actions: FindingActions, opts: { showPlace?: boolean } = {}): HTMLElement {
  const s = f.suggestion;
  const canApply = s && s.field !== undefined && s.value !== undefined && actions.apply;
  return h(
    "div",
    { class: `finding sev-${f.severity}`, dataset: { findingId: f.id, code: f.code } },
    h("div", { class: "finding-head" },
      h("span", { class: `sev sev-${f.severity}` }, SEVERITY_LABEL[f.severity]),
      " ",
      h("code", {}, f.code),
      opts.showPlace ? h("span", { class: "place" }, ` · ${f.where.label}`) : null,
    ),
    h("p", { class: "msg" }, f.message),
    // A grouped finding lists its places, each with its own fix and a way to reach its cell.
    f.places && opts.showPlace
      ? h("ol", { class: "places" },
          f.places.map((p) =>
            h("li", {},
              h("span", { class: "place" }, p.where.label), "：", p.message,
              p.suggestion && p.suggestion.field !== undefined && p.suggestion.value !== undefined && actions.apply
                ? h("button", { type: "button", class: "apply link", onclick: () => actions.apply!({ ...f, id: p.id, suggestion: p.suggestion }) }, `应用建议“${p.suggestion.text}”`)
                : null,
              actions.locate && p.where.field ? h("button", { type: "button", class: "locate link", onclick: () => actions.locate!({ ...f, where: p.where }) }, "定位") : null,
            ),
          ),
        )
      : null,
    h("p", { class: "fix" }, "修改：", f.fix),
    s && !(f.places && opts.showPlace)
      ? h("div", { class: "suggestion" },
          h("span", {}, "建议：", h("strong", {}, s.text)),
          h("span", { class: "basis" }, `（${s.basis}）`),
          canApply ? h("button", { type: "button", class: "apply", onclick: () => actions.apply!(f) }, "应用建议") : null,
        )
      : null,
    f.provenance.length ? h("p", { class: "prov" }, "原文位置：", f.provenance.slice(0, 3).map(provenanceText).join("；")) : null,
    opts.showPlace && actions.locate && f.where.field && !f.places ? h("button", { type: "button", class: "locate link", onclick: () => actions.locate!(f) }, "定位到单元格") : null,
  );
}

// ── popover ──────────────────────────────────────────────────────────────────────────────────

let hideTimer: number | undefined;
let anchor: HTMLElement | null = null;

export function showPopover(target: HTMLElement, fs: FindingView[], actions: FindingActions): void {
  showPopoverWith(target, () => fs.map((f) => findingBlock(f, actions)));
}

/** The popover under `target` with whatever `content` builds (findings, review opinions). */
export function showPopoverWith(target: HTMLElement, content: () => Node[]): void {
  const pop = $("#popover");
  window.clearTimeout(hideTimer);
  if (anchor === target && !pop.hidden) return;
  anchor = target;
  clear(pop);
  for (const n of content()) pop.appendChild(n);
  pop.hidden = false;
  const r = target.getBoundingClientRect();
  const top = window.scrollY + r.bottom + 4;
  const left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8);
  pop.style.top = `${top}px`;
  pop.style.left = `${Math.max(8, left)}px`;
}

export function hidePopoverSoon(): void {
  window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(hidePopover, 250);
}

export function hidePopover(): void {
  const pop = $("#popover");
  pop.hidden = true;
  anchor = null;
}

export function initPopover(): void {
  const pop = $("#popover");
  pop.addEventListener("mouseenter", () => window.clearTimeout(hideTimer));
  pop.addEventListener("mouseleave", hidePopoverSoon);
  pop.addEventListener("focusout", (e) => {
    if (!pop.contains((e as FocusEvent).relatedTarget as Node | null)) hidePopoverSoon();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") hidePopover();
  });
}

/** Wires a flagged cell: hover or focus shows its findings; leaving hides them. */
export function attachFindings(cell: HTMLElement, fs: FindingView[], actions: FindingActions): void {
  if (!fs.length) return;
  attachPopover(cell, () => fs.map((f) => findingBlock(f, actions)));
}

/** Hover or focus on `cell` shows what `content` builds in the popover; leaving hides it. */
export function attachPopover(cell: HTMLElement, content: () => Node[]): void {
  const show = () => showPopoverWith(cell, content);
  cell.addEventListener("mouseenter", show);
  cell.addEventListener("focusin", show);
  cell.addEventListener("mouseleave", hidePopoverSoon);
  cell.addEventListener("focusout", (e) => {
    const to = (e as FocusEvent).relatedTarget as Node | null;
    if (!to || !$("#popover").contains(to)) hidePopoverSoon();
  });
}
