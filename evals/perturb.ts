// Layout perturbations of the form families: what clerks do to a form when they fill it in — labels
// spaced out for alignment (项 目 名 称), starred or followed by a colon, broken over two lines, blank
// spacer rows, one form cut into two tables at a page break. Each family fixture
// (tests/fixtures/families) is read, its blocks perturbed, recognized again and compared field by field
// with the unperturbed read: a recognizer that only knows the fixtures' exact strings fails here.
//
// `npx tsx evals/perturb.ts [-v]`; run by `npm run eval`, which reports the agreement per perturbation.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareDoc, type FieldDiff } from "./compare.ts";
import type { Block, TableBlock, TableCell } from "../src/ingest/blocks.ts";
import { recognize } from "../src/extract/index.ts";
import { readFamilies, withoutProvenance } from "./families.ts";
import {
  fundsColumnOf, fundsRowOf, goalColumnOf, headerFieldOf, indicatorColumnOf, isFundsBlockLabel, isGoalsBlockLabel, isIndicatorBlockLabel, isTotalLabel,
} from "../src/domain/vocabulary.ts";


/** A label of the form's vocabulary (not a value): only these are respaced, starred, broken. */
function isLabel(text: string): boolean {
  const t = text.trim();
  if (t === "" || t.length > 16 || /\d/.test(t)) return false;
  return !!(headerFieldOf(t) || indicatorColumnOf(t) || fundsColumnOf(t) || fundsRowOf(t) || goalColumnOf(t) || isFundsBlockLabel(t) || isGoalsBlockLabel(t) || isIndicatorBlockLabel(t) || isTotalLabel(t));
}

/** A header field's label (项目名称, 主管部门, 其他资金 …): what a clerk stars or follows with a colon. */
const isFieldLabel = (text: string): boolean => text.trim() !== "" && text.trim().length <= 16 && !/\d/.test(text) && headerFieldOf(text.trim()) !== null;

const mapLabels = (blocks: Block[], f: (t: string) => string, which: (t: string) => boolean = isLabel): Block[] =>
  blocks.map((b) =>
    b.kind !== "table"
      ? b
      : { ...b, rows: b.rows.map((r) => r.map((c) => (which(c.text) ? { ...c, text: f(c.text), paragraphs: f(c.text).split("\n") } : c))) },
  );

/** Row boundaries (before row r) that no vertical merge crosses. */
function cleanBoundaries(t: TableBlock): number[] {
  const out: number[] = [];
  for (let r = 1; r < t.rows.length; r++) {
    const crossed = t.rows.some((row) => row.some((c) => c.row < r && c.row + c.rowSpan > r));
    if (!crossed) out.push(r);
  }
  return out;
}

const shiftRows = (cells: TableCell[], by: number): TableCell[] => cells.map((c) => ({ ...c, row: c.row + by }));

function withSpacers(t: TableBlock): TableBlock {
  const cut = new Set(cleanBoundaries(t).filter((_, i) => i % 3 === 1));
  const rows: TableCell[][] = [];
  let shift = 0;
  t.rows.forEach((row, r) => {
    if (cut.has(r)) {
      rows.push([{ text: "", paragraphs: [""], row: r + shift, col: 0, rowSpan: 1, colSpan: t.nCols }]);
      shift++;
    }
    rows.push(shiftRows(row, shift));
  });
  return { ...t, rows };
}

function splitTable(t: TableBlock): TableBlock[] {
  const b = cleanBoundaries(t);
  if (b.length === 0) return [t];
  const at = b[Math.floor(b.length / 2)]!;
  return [
    { ...t, rows: t.rows.slice(0, at) },
    { ...t, rows: t.rows.slice(at).map((row) => shiftRows(row, -at)) },
  ];
}

/** An empty column inserted before grid column k (a narrow column Word keeps after a cell was cut). */
function withEmptyColumn(t: TableBlock): TableBlock {
  const k = Math.floor(t.nCols / 2);
  const rows = t.rows.map((row, r) => {
    const out: TableCell[] = [];
    let spanned = false;
    for (const c of row) {
      if (c.col >= k) out.push({ ...c, col: c.col + 1 });
      else if (c.col + c.colSpan > k) {
        out.push({ ...c, colSpan: c.colSpan + 1 });
        spanned = true;
      } else out.push(c);
    }
    // cells of rows above reaching down over this row cover the column too
    const covered = t.rows.some((other) => other.some((c) => c.row < r && c.row + c.rowSpan > r && c.col < k && c.col + c.colSpan > k));
    if (!spanned && !covered) out.push({ text: "", paragraphs: [""], row: r, col: k, rowSpan: 1, colSpan: 1 });
    return out.sort((a, b) => a.col - b.col);
  });
  return { ...t, nCols: t.nCols + 1, rows };
}

/** A note under the form, drawn as one cell across the table (注：…). */
function withNote(t: TableBlock): TableBlock {
  const r = t.rows.length;
  const text = "注：本表金额单位为万元，指标值须可衡量。";
  return { ...t, rows: [...t.rows, [{ text, paragraphs: [text], row: r, col: 0, rowSpan: 1, colSpan: t.nCols }]] };
}

/** The indicator table's header row printed again lower down (a PDF's repeated header row on a new page). */
function withRepeatedHeader(t: TableBlock): TableBlock {
  const h = t.rows.findIndex((row) => row.some((c) => /^(三级指标|三级目标)$/.test(c.text.replace(/\s+/g, ""))));
  if (h < 0) return t;
  const after = cleanBoundaries(t).filter((b) => b > h + 2);
  if (after.length === 0) return t;
  const at = after[Math.floor(after.length / 2)]!;
  const header = t.rows[h]!;
  if (header.some((c) => c.rowSpan > 1)) return t;
  const copy = header.map((c) => ({ ...c, row: at }));
  return { ...t, rows: [...t.rows.slice(0, at), copy, ...t.rows.slice(at).map((row) => shiftRows(row, 1))] };
}

function reindex(blocks: Block[]): Block[] {
  let i = 0;
  return blocks.map((b) => (b.kind === "table" ? { ...b, index: i++ } : b));
}

const CJK = /^[\u4e00-\u9fff]+$/;
export const PERTURBATIONS: { name: string; what: string; apply: (blocks: Block[]) => Block[] }[] = [
  { name: "spaced", what: "标签字间加空格（项 目 名 称）", apply: (bs) => mapLabels(bs, (t) => (CJK.test(t.trim()) && t.trim().length <= 6 ? [...t.trim()].join(" ") : t)) },
  { name: "ideographic", what: "标签字间加全角空格（项　目　名　称）", apply: (bs) => mapLabels(bs, (t) => (CJK.test(t.trim()) && t.trim().length <= 6 ? [...t.trim()].join("\u3000") : t)) },
  { name: "starred", what: "标签前加 *（*项目名称）", apply: (bs) => mapLabels(bs, (t) => `*${t}`, isFieldLabel) },
  { name: "colon", what: "标签后加冒号（项目名称：）", apply: (bs) => mapLabels(bs, (t) => `${t.replace(/[：:]\s*$/, "")}：`, isFieldLabel) },
  { name: "broken", what: "标签折成两行（项目\\n名称）", apply: (bs) => mapLabels(bs, (t) => (CJK.test(t.trim()) && t.trim().length >= 4 ? `${t.trim().slice(0, 2)}\n${t.trim().slice(2)}` : t)) },
  { name: "spacers", what: "表格中插入空白行", apply: (bs) => bs.map((b) => (b.kind === "table" ? withSpacers(b) : b)) },
  { name: "emptyColumn", what: "表格中间多一列空白列", apply: (bs) => bs.map((b) => (b.kind === "table" ? withEmptyColumn(b) : b)) },
  { name: "note", what: "表格末尾加一行整行的“注：…”", apply: (bs) => bs.map((b) => (b.kind === "table" ? withNote(b) : b)) },
  { name: "repeatHeader", what: "指标表头行在表中再出现一次（PDF 跨页重复表头）", apply: (bs) => bs.map((b) => (b.kind === "table" ? withRepeatedHeader(b) : b)) },
  {
    name: "titleSuffix",
    what: "标题带附注（…自评表（单位填报））、前面加“附件1”",
    apply: (bs) =>
      bs.flatMap((b): Block[] =>
        b.kind === "paragraph" && /(自评表|申报表|目标表)$/.test(b.text.trim()) ? [{ ...b, text: "附件1" }, { ...b, text: `${b.text.trim()}（单位填报）` }] : [b],
      ),
  },
  { name: "split", what: "一张表在中间断成两张表（分页）", apply: (bs) => reindex(bs.flatMap((b): Block[] => (b.kind === "table" ? splitTable(b) : [b]))) },
];


// Several at once, as a real form carries them.
const byName = (n: string) => PERTURBATIONS.find((p) => p.name === n)!.apply;
PERTURBATIONS.push({
  name: "combined",
  what: "以上多种同时出现（空格标签、*、空白行、空白列、注、重复表头、标题附注、断表）",
  apply: (bs) => ["spaced", "starred", "spacers", "emptyColumn", "note", "repeatHeader", "titleSuffix", "split"].reduce((acc, n) => byName(n)(acc), bs),
});

export interface PerturbResult {
  name: string;
  what: string;
  files: number;
  /** Files the change applies to (a file without, say, a repeatable header row is read unchanged). */
  applied: number;
  /** Files read back with every field as the unperturbed read. */
  same: number;
  fields: number;
  diffs: number;
  failures: { file: string; diffs: FieldDiff[] }[];
}

export async function runPerturbations(): Promise<PerturbResult[]> {
  const families = await readFamilies();
  const out: PerturbResult[] = [];
  for (const p of PERTURBATIONS) {
    const res: PerturbResult = { name: p.name, what: p.what, files: families.length, applied: 0, same: 0, fields: 0, diffs: 0, failures: [] };
    for (const { file: f, blocks, docs } of families) {
      const changed = p.apply(blocks);
      if (JSON.stringify(changed) !== JSON.stringify(blocks)) res.applied++;
      const got = recognize(changed, f);
      const cmp = compareDoc(withoutProvenance(docs), withoutProvenance(got), "documents");
      res.fields += cmp.fields;
      res.diffs += cmp.diffs.length;
      if (cmp.diffs.length === 0) res.same++;
      else res.failures.push({ file: f, diffs: cmp.diffs });
    }
    out.push(res);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const verbose = process.argv.includes("-v");
  for (const r of await runPerturbations()) {
    console.log(`${r.name.padEnd(12)} ${r.what}（适用 ${r.applied} 个文件）：${r.same}/${r.files} 个文件逐字段一致，字段 ${r.fields - r.diffs}/${r.fields}`);
    if (verbose) for (const f of r.failures) for (const d of f.diffs.slice(0, 5)) console.log(`    ${f.file} ${d.path}: ${JSON.stringify(d.expected)?.slice(0, 50)} → ${JSON.stringify(d.actual)?.slice(0, 50)}`);
  }
}
