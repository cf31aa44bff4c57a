// Blocks of one file → every 自评表 and 申报表 in it, in order, each with its 自评报告 (when the
// report's paragraphs precede the table) and provenance.
import type { PerfDoc, Provenance, SelfEvalDoc } from "../domain/document.ts";
import type { Block, ParagraphBlock } from "../ingest/blocks.ts";
import { squash, toHalfWidth } from "./normalize.ts";
import { recognizeReport } from "./report.ts";
import { paraProvOf, rowsOf, type RRow } from "./rows.ts";
import { recognizeSelfEval, type SelfEvalContext } from "./selfEval.ts";
import { recognizeTargetForm } from "./targetForm.ts";
import { rebuildBlocks } from "./rebuild.ts";

type Segment =
  | { kind: "self"; rows: RRow[]; before: ParagraphBlock[] }
  | { kind: "target"; rows: RRow[]; paragraphs: ParagraphBlock[]; name: string | null };

const TARGET_TITLE = /绩效目标申报表|目标申报表|绩效目标表/;
const NAME_ROW = /^项目名称/;

export function recognize(input: Block[], file: string): PerfDoc[] {
  const blocks = rebuildBlocks(input);
  const segments: Segment[] = [];
  let paras: ParagraphBlock[] = [];
  let current: Segment | null = null;

  for (const b of blocks) {
    if (b.kind === "paragraph") {
      paras.push(b);
      if (current?.kind === "target") current.paragraphs.push(b);
      continue;
    }
    const rows = rowsOf(b);
    // A 申报表 title is a short caption line, not a sentence that mentions the form.
    const targetTitle = paras.some((p) => squash(p.text).length <= 40 && TARGET_TITLE.test(squash(p.text)) && !/[，。；]/.test(p.text));
    const looksSelf = rows.some((r) => r.cells.some((c) => /三级指标|年初预算|全年执行/.test(c.key))) && !rows.some((r) => r.cells.some((c) => /^(三级目标|目标值)$/.test(c.key)));
    if (targetTitle || (!looksSelf && rows.some((r) => r.cells.some((c) => /^(三级目标|目标值)$/.test(c.key))))) {
      const name = nameFromParagraphs(paras) ?? nameFromRows(rows);
      if (current?.kind === "target" && (name === null || current.name === null || name === current.name)) {
        current.rows.push(...rows);
        current.name ??= name;
      } else {
        current = { kind: "target", rows: [...rows], paragraphs: [...paras], name };
        segments.push(current);
      }
    } else {
      // A 自评表 starts at each 项目名称 row; a table without one continues the previous 自评表.
      // The paragraphs since the last table belong to it, not to a 申报表 before it.
      if (current?.kind === "target") current.paragraphs = current.paragraphs.filter((p) => !paras.includes(p));
      let before = paras;
      for (const r of rows) {
        const firstCell = r.cells.find((c) => c.key !== "");
        const startsDoc = firstCell !== undefined && NAME_ROW.test(firstCell.key);
        if (startsDoc || current?.kind !== "self") {
          if (!startsDoc && !looksSelf && current === null) continue;
          if (startsDoc || current === null || current.kind !== "self") {
            current = { kind: "self", rows: [], before };
            segments.push(current);
            before = [];
          }
        }
        current.rows.push(r);
      }
    }
    paras = [];
  }

  const docs: PerfDoc[] = [];
  for (const s of segments) {
    if (s.kind === "target") {
      const d = recognizeTargetForm(s.rows, { file, paragraphs: s.paragraphs });
      if (d.targets.length || d.budget_items.length || d.name) docs.push(d);
      continue;
    }
    const ctx: SelfEvalContext = { file, year: yearFrom(s.before, file), unit: unitFrom(s.before, s.rows, file) };
    const d: SelfEvalDoc = recognizeSelfEval(s.rows, ctx);
    if (!d.indicators.length && d.funds.total.initial === null && d.funds.total.adjusted === null) continue;
    const rep = recognizeReport(s.before, file);
    if (rep) {
      d.report = rep.report;
      d.provenance.report = rep.prov;
      if (d.year === null) {
        const y = /(\d{4})年/.exec(rep.report.title);
        if (y) d.year = Number(y[1]);
      }
    }
    docs.push(d);
  }
  return docs;
}


function yearFrom(paras: ParagraphBlock[], file: string): SelfEvalContext["year"] {
  for (let i = paras.length - 1; i >= 0; i--) {
    const p = paras[i]!;
    const m = /[(（]\s*(\d{4})\s*年度?\s*[)）]/.exec(toHalfWidth(p.text).replace(/[\s\u00A0]+/g, ""));
    if (m) return { value: Number(m[1]), prov: paraProvOf(file, p) };
  }
  return null;
}

function unitFrom(paras: ParagraphBlock[], rows: RRow[], file: string): SelfEvalContext["unit"] {
  for (let i = paras.length - 1; i >= 0; i--) {
    const p = paras[i]!;
    const m = /单位[:：]\s*(万元|元|千元|亿元)/.exec(squash(toHalfWidth(p.text)).replace(/:/g, "："));
    if (m) return { value: m[1]!, prov: paraProvOf(file, p) };
  }
  for (const r of rows) {
    for (const c of r.cells) {
      const m = /资金[(（](万元|元|千元|亿元)[)）]/.exec(toHalfWidth(c.key));
      if (m) return { value: m[1]!, prov: { file, table: c.table.index, row: c.cell.row, col: c.cell.col, text: c.cell.text } };
    }
  }
  return null;
}

function nameFromParagraphs(paras: ParagraphBlock[]): string | null {
  for (const p of paras) {
    const m = /^项目名称[:：]\s*(.+)$/.exec(toHalfWidth(p.text).trim());
    if (m) return squash(m[1]!);
  }
  return null;
}

function nameFromRows(rows: RRow[]): string | null {
  for (const r of rows.slice(0, 3)) {
    for (const c of r.cells) {
      const m = /^项目名称[:：]?(.*)$/.exec(toHalfWidth(c.key));
      if (m) {
        if (m[1]) return m[1];
        const i = r.cells.indexOf(c);
        const v = r.cells[i + 1];
        return v && v.key ? v.key : null;
      }
    }
  }
  return null;
}
