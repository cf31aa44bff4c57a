// Paragraphs of a 自评报告 → title and top-level sections. Section headings are "一、…" or, where
// the author slipped into Arabic numbering, "3、…" when 3 is the expected next section number and
// the paragraph is short (a heading, not a numbered sentence). Headings are normalised to
// "三、…"; the verbatim heading stays in the provenance (HEADING_NUMBERING_INCONSISTENT reads it).
import type { Provenance, Report } from "../domain/document.ts";
import type { ParagraphBlock } from "../ingest/blocks.ts";
import { chineseNumeral, squash, toChineseNumeral, toHalfWidth } from "../domain/text.ts";
import { paraProvOf } from "./rows.ts";

export interface ReportResult {
  report: Report;
  prov: { title: Provenance | null; sections: (Provenance | null)[] };
}

export const REPORT_TITLE_RE = /(自评|评价)报告$/;


export function headingNumber(text: string, expected: number): { n: number; title: string } | null {
  // toHalfWidth maps one character to one, so offsets in `t` hold in the verbatim `orig`.
  const orig = text.trim();
  const t = toHalfWidth(orig);
  const cn = /^([一二三四五六七八九十]+)\s*[、.．]\s*/.exec(t);
  if (cn) {
    const n = chineseNumeral(cn[1]!);
    if (n !== null) return { n, title: orig.slice(cn[0].length).trim() };
  }
  const ar = /^(\d{1,2})\s*[、.．]\s*/.exec(t);
  if (ar) {
    const n = Number(ar[1]);
    const title = orig.slice(ar[0].length).trim();
    if (n === expected && squash(title).length <= 30 && !/[，。；]/.test(title.replace(/（[^）]*）/g, ""))) return { n, title };
  }
  return null;
}

/** Finds the report (title + sections) among the paragraphs before a table; null when there is none. */
export function recognizeReport(paras: ParagraphBlock[], file: string): ReportResult | null {
  const ti = findLastIndex(paras, (p) => REPORT_TITLE_RE.test(squash(p.text)) && squash(p.text).length <= 60 && !/[，。；]/.test(p.text) && headingNumber(p.text, 0) === null);
  if (ti < 0) return null;
  const titleP = paras[ti]!;
  const report: Report = { title: squash(titleP.text), sections: [] };
  const prov: ReportResult["prov"] = { title: paraProvOf(file, titleP), sections: [] };
  let body: string[] | null = null;
  let lastNumber = 0;
  for (const p of paras.slice(ti + 1)) {
    const key = squash(p.text);
    // The table's own caption ends the report.
    if (/^附件\d*$/.test(key) || (key.length <= 30 && /绩效自评表$/.test(key)) || /^（\d{4}年度?）$/.test(key)) break;
    const next = lastNumber + 1;
    const h = headingNumber(p.text, next);
    // The next number, or (with Chinese numerals, which list items do not use) a later one when the
    // author left sections out ("二、…" then "五、存在的问题"): SECTION_MISSING reports the gap.
    const chinese = /^[一二三四五六七八九十]/.test(p.text.trim());
    if (h && (h.n === next || (chinese && h.n > next && h.n <= next + 4 && squash(h.title).length <= 30))) {
      lastNumber = h.n;
      if (body) finish(report, body);
      report.sections.push({ heading: `${toChineseNumeral(h.n)}、${squash(h.title)}`, text_present: false, text: "" });
      prov.sections.push(paraProvOf(file, p));
      body = [];
      continue;
    }
    if (body) body.push(p.text.trim());
  }
  if (body) finish(report, body);
  return { report, prov };
}

function finish(report: Report, body: string[]): void {
  const s = report.sections[report.sections.length - 1]!;
  s.text = body.filter((b) => b !== "").join("\n");
  s.text_present = squash(s.text) !== "";
}

function findLastIndex<T>(xs: T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}
