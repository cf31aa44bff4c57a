// Pieces of the page frame every page uses: the breadcrumb trail and an error's Chinese text.
import { ApiFailure } from "./api.ts";
import { $, clear, h } from "./dom.ts";

export function crumbs(...items: { text: string; href?: string }[]): void {
  const nav = $("#crumbs");
  clear(nav);
  items.forEach((it, i) => {
    if (i) nav.append(h("span", { class: "sep", "aria-hidden": "true" }, "›"));
    nav.append(it.href ? h("a", { href: it.href }, it.text) : h("span", { "aria-current": "page" }, it.text));
  });
}

let page = new AbortController();

/** A signal for the page being shown: aborted when the user navigates away (live streams stop). */
export function newPageSignal(): AbortSignal {
  page.abort();
  page = new AbortController();
  return page.signal;
}

export function errorText(e: unknown): string {
  return e instanceof ApiFailure ? e.message : e instanceof Error ? e.message : String(e);
}
