// The dialog that asks, for each remaining error, why it is not being fixed. The reasons are stored
// in the audit log with the user and time; acceptance is refused without them.
import type { FindingView } from "./api.ts";
import { h } from "./dom.ts";
import { SEVERITY_LABEL } from "./findings.ts";
import { isWrittenReason, MIN_REASON_CHARS } from "../src/review/overrides.ts";

// The same rule as the server's (letters and digits count, "。。。。" is no reason): one definition.
export { MIN_REASON_CHARS };

export function askOverrides(title: string, errors: FindingView[]): Promise<{ findingId: string; reason: string }[] | null> {
  return new Promise((resolve) => {
    const areas = errors.map((f) =>
      h("textarea", { class: "reason", rows: 2, required: true, "aria-label": `不修改“${f.where.label}”的理由`, placeholder: `写明不修改的理由（至少 ${MIN_REASON_CHARS} 个字），将记入审计记录`, dataset: { findingId: f.id } }),
    );
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const dialog = h("dialog", { class: "overrides", "aria-label": title });
    const close = (result: { findingId: string; reason: string }[] | null) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    const submit = () => {
      const missing = areas.filter((a) => !isWrittenReason(a.value));
      if (missing.length) {
        error.textContent = `还有 ${missing.length} 条没有写理由（每条至少 ${MIN_REASON_CHARS} 个字）`;
        error.hidden = false;
        missing[0]!.focus();
        return;
      }
      close(areas.map((a) => ({ findingId: a.dataset.findingId!, reason: a.value.trim() })));
    };
    dialog.append(
      h("h2", {}, title),
      h("p", {}, `还有 ${errors.length} 个错误级问题。请先修改；如确实不改，请逐条写明理由：`),
      h("ol", {},
        errors.map((f, i) =>
          h("li", { class: "override-item" },
            h("div", {}, h("span", { class: `sev sev-${f.severity}` }, SEVERITY_LABEL[f.severity]), " ", h("code", {}, f.code), ` · ${f.where.label}`),
            h("p", { class: "msg" }, f.message),
            areas[i]!,
          ),
        ),
      ),
      error,
      h("div", { class: "actions" },
        h("button", { type: "button", onclick: () => close(null) }, "取消"),
        h("button", { type: "button", class: "primary", onclick: submit }, "提交理由并确认"),
      ),
    );
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      close(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    areas[0]?.focus();
  });
}
