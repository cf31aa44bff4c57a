// Checks across the projects of one file (domain.md §4.2): texts copied from another project where
// they do not fit, header fields truncated compared with the other tables.
import type { Finding } from "../domain/finding.ts";
import type { SelfEvalDoc } from "../domain/document.ts";
import { finding } from "./catalogue.ts";
import { q, whereDoc, whereIndicator, type FileContext } from "./context.ts";
import { squash } from "../domain/text.ts";

const HAN = /[\u4e00-\u9fff]/g;
const hanCount = (s: string) => (s.match(HAN) ?? []).length;

function bigrams(s: string): string[] {
  const h = (s.match(HAN) ?? []).join("");
  const out: string[] = [];
  for (let i = 0; i + 1 < h.length; i++) out.push(h.slice(i, i + 2));
  return out;
}

/** Share of the text's Chinese bigrams found in the context. */
function fit(text: string, context: string): number {
  const bg = bigrams(text);
  if (bg.length === 0) return 1;
  return bg.filter((b) => context.includes(b)).length / bg.length;
}

/** The project's own words: name, goals, indicator names and report (not its targets, which may be the copies). */
function ownContext(d: SelfEvalDoc): string {
  return squash(
    [d.name, d.goals.expected, d.goals.actual, ...d.indicators.map((i) => i.level3), ...(d.report?.sections.map((s) => s.text) ?? [])]
      .filter(Boolean)
      .join(" "),
  );
}

export function checkAcrossProjects(file: FileContext): Finding[] {
  const out: Finding[] = [];
  const selfDocs = file.docs.map((doc, index) => ({ doc, index })).filter((x): x is { doc: SelfEvalDoc; index: number } => x.doc.kind === "自评表");
  if (selfDocs.length < 2) return out;

  for (const { doc, index } of selfDocs) {
    const own = ownContext(doc);
    doc.indicators.forEach((ind, i) => {
      if (!ind.target) return;
      const target = squash(ind.target);
      const name = squash(ind.level3 ?? "");
      // The part of the target that is not its own indicator name.
      let extra = target;
      if (name && (name.includes(target) || target === name)) extra = "";
      else if (name && target.startsWith(name)) extra = target.slice(name.length);
      if (hanCount(extra) < 6) return;
      // No early exit when the target as a whole fits this project: a copied clause appended to
      // the project's own target ("现有吸毒人员减少；<another project's fund name>") is still a copy.
      // The shared piece alone must not fit this project (below).
      for (const other of selfDocs) {
        if (other.index === index) continue;
        // The piece must be the other project's own words (its name, goals, indicator names or
        // report), not a template phrase both projects merely put in their targets.
        const piece = longestSharedTail(extra, ownContext(other.doc));
        // Short phrases (按照时间节点完成…) recur in one clerk's writing; a copy worth flagging is ≥ 10 characters.
        if (hanCount(piece) < 10 || fit(piece, own) >= 0.5) continue;
        out.push(
          finding("TEXT_COPIED_ACROSS_PROJECTS", {
            where: whereIndicator({ doc, index, file, profile: file.profile }, i, "target"),
            message: `指标值中的${q(piece, 40)}与本项目内容不符，与同一文件中项目“${other.doc.name ?? other.index + 1}”的文字相同，疑似复制。`,
            provenance: [doc.provenance.indicators[i]?.target],
          }),
        );
        break;
      }
    });
  }

  // Header fields: a value that is a strict prefix of the same field in other tables.
  for (const field of ["department", "implementer", "name"] as const) {
    for (const { doc, index } of selfDocs) {
      const v = doc[field];
      if (!v) continue;
      const longer = selfDocs.map((x) => x.doc[field]).find((o) => o && o.length > v.length && o.startsWith(v));
      if (!longer) continue;
      const label = { department: "主管部门", implementer: "实施单位", name: "项目名称" }[field];
      out.push(
        finding("FIELD_TRUNCATED", {
          where: whereDoc({ doc, index }, label, field),
          message: `${label}为${q(v)}，同一文件其他表中为${q(longer)}，疑似被截断。`,
          suggestion: { text: longer, basis: `同一文件其他表的${label}`, field, value: longer, source: "document" },
          provenance: [doc.provenance[field]],
        }),
      );
    }
  }
  return out;
}

/** The whole text if it occurs in `hay`, else its longest suffix or prefix that does (≥ 6 Han). */
function longestSharedTail(text: string, hay: string): string {
  if (hay.includes(text)) return text;
  for (let k = 1; k < text.length - 5; k++) {
    const suffix = text.slice(k);
    if (hay.includes(suffix)) return suffix;
    const prefix = text.slice(0, text.length - k);
    if (hay.includes(prefix)) return prefix;
  }
  return "";
}
