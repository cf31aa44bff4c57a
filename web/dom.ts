// Building DOM without HTML strings: every piece of text goes in as a text node (textContent), so
// nothing from a document — a project name like <img src=x onerror=…> — is ever parsed as markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: Event) => void;
export type Props = Record<string, string | number | boolean | Handler | Record<string, string> | null | undefined>;

const FORBIDDEN = new Set(["innerHTML", "outerHTML", "srcdoc", "insertAdjacentHTML"]);

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, ...c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (FORBIDDEN.has(k)) throw new Error(`refusing to set ${k}`);
    if (k === "class") el.className = String(v);
    else if (k === "dataset" && typeof v === "object") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v as Handler);
    else if (k === "value" || k === "checked" || k === "disabled" || k === "hidden" || k === "readOnly") (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, ...children);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function $(sel: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(sel);
  if (!el) throw new Error(`missing element ${sel}`);
  return el;
}

let toastTimer: number | undefined;

/** A short message at the bottom of the page (errors from the API, confirmations). */
export function toast(message: string, kind: "error" | "ok" = "error"): void {
  const t = $("#toast");
  t.textContent = message;
  t.className = `toast ${kind}`;
  t.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (t.hidden = true), kind === "error" ? 8000 : 3000);
}

export const fmtSize = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined) return "";
  return String(Math.round(v * 100) / 100);
}
