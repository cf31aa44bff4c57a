// TARGET_DRIFT (domain.md §1, 财预〔2020〕10号 art. 4): the self-evaluation scores against the targets
// approved with the budget, so when the 申报表 of the same project is at hand, its annual indicators
// and values must be the 自评表's.
import type { PerfDoc, SelfEvalDoc, TargetFormDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import { finding } from "./catalogue.ts";
import { q, whereDoc, whereIndicator, type SelfEvalContext } from "./context.ts";
import { normalizeValue } from "./vague.ts";
import { squash } from "../domain/text.ts";

function bigrams(s: string): Set<string> {
  const h = squash(s);
  const out = new Set<string>();
  for (let i = 0; i + 1 < h.length; i++) out.add(h.slice(i, i + 2));
  return out;
}

/** Dice similarity of two names on character bigrams. */
export function nameSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return squash(a) === squash(b) ? 1 : 0;
  let common = 0;
  for (const g of x) if (y.has(g)) common++;
  return (2 * common) / (x.size + y.size);
}

export function sameProject(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const x = squash(a);
  const y = squash(b);
  return x === y || (Math.min(x.length, y.length) >= 4 && (x.includes(y) || y.includes(x)));
}

export function checkDrift(ctx: SelfEvalContext, related: PerfDoc[]): Finding[] {
  const { doc } = ctx;
  const forms = [...ctx.file.docs, ...related].filter((d): d is TargetFormDoc => d.kind === "目标申报表" && sameProject(d.name, doc.name));
  const form = forms[0];
  if (!form || form.targets.length === 0) return [];
  const out: Finding[] = [];
  const used = new Set<number>();
  form.targets.forEach((t, ti) => {
    if (!t.level3) return;
    let best = -1;
    let score = 0;
    doc.indicators.forEach((ind, i) => {
      if (!ind.level3 || used.has(i)) return;
      const s = nameSimilarity(t.level3!, ind.level3);
      if (s > score) [best, score] = [i, s];
    });
    if (best < 0 || score < 0.6) {
      out.push(
        finding("TARGET_DRIFT", {
          where: whereDoc(ctx, `申报表指标/${t.level3}`),
          message: `批复的申报表中有指标${q(t.level3)}（目标值${q(t.value)}），自评表中没有对应的三级指标。`,
          provenance: [form.provenance.targets[ti]?.level3],
        }),
      );
      return;
    }
    used.add(best);
    const ind = doc.indicators[best] as SelfEvalDoc["indicators"][number];
    if (t.value !== null && normalizeValue(t.value) !== normalizeValue(ind.target ?? "")) {
      out.push(
        finding("TARGET_DRIFT", {
          where: whereIndicator(ctx, best, "target"),
          message: `${q(ind.level3)}的年度指标值为${q(ind.target)}，批复的申报表中为${q(t.value)}。`,
          suggestion: { text: t.value, basis: `批复的申报表（${form.name ?? ""}）中该指标的目标值`, field: `indicators[${best}].target`, value: t.value, source: "document" },
          provenance: [doc.provenance.indicators[best]?.target, form.provenance.targets[ti]?.value],
        }),
      );
    }
  });
  return out;
}
