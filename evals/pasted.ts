// Pasted text in the shapes clerks paste it (issue: a text that holds a form is never refused): every
// family fixture (tests/fixtures/families) is written out as the text a web page or a copy from Word
// gives — cells separated by a tab, by runs of spaces, by single spaces, by `|`, one cell per line, a
// markdown table, or run together — with merged cells printed once (as an HTML table with rowspan and
// colspan pastes), then read as a .txt and compared with the family's own read. Text comparisons ignore
// whitespace (a paste loses the cell's line breaks); numbers must be equal.
//
// `npx tsx evals/pasted.ts [-v]`; run by `npm run eval`.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareDoc, type FieldDiff } from "./compare.ts";
import type { PerfDoc } from "../src/domain/document.ts";
import type { Block } from "../src/ingest/blocks.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { readFamilies } from "./families.ts";


type Rows = string[][];
const oneLine = (t: string) => t.replace(/\s*\n\s*/g, "").trim();

/** The blocks as lines of cells: paragraphs one cell each, table rows their origin cells in order. */
function linesOf(blocks: Block[]): { table: boolean; cells: string[] }[] {
  const out: { table: boolean; cells: string[] }[] = [];
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      if (b.text.trim()) out.push({ table: false, cells: [oneLine(b.text)] });
      continue;
    }
    for (const row of b.rows) {
      const cells = row.map((c) => oneLine(c.text));
      if (cells.some((c) => c !== "")) out.push({ table: true, cells });
    }
  }
  return out;
}

export const SHAPES: { name: string; what: string; render: (lines: { table: boolean; cells: string[] }[]) => string }[] = [
  { name: "tabs", what: "制表符分隔（从 Word 复制）", render: (ls) => ls.map((l) => l.cells.join("\t")).join("\n") },
  { name: "spaces", what: "多个空格分隔", render: (ls) => ls.map((l) => l.cells.filter((c) => c !== "").join("   ")).join("\n") },
  { name: "space", what: "单个空格分隔（网页正文）", render: (ls) => ls.map((l) => l.cells.filter((c) => c !== "").join(" ")).join("\n") },
  { name: "pipes", what: "| 分隔", render: (ls) => ls.map((l) => (l.table ? `| ${l.cells.join(" | ")} |` : l.cells[0]!)).join("\n") },
  {
    name: "markdown",
    what: "markdown 表格",
    render: (ls) => {
      const out: string[] = [];
      let inTable = false;
      for (const l of ls) {
        if (l.table && !inTable) {
          out.push("", `| ${l.cells.join(" | ")} |`, `|${l.cells.map(() => "---").join("|")}|`);
          inTable = true;
          continue;
        }
        if (!l.table && inTable) {
          out.push("");
          inTable = false;
        }
        out.push(l.table ? `| ${l.cells.join(" | ")} |` : l.cells[0]!);
      }
      return out.join("\n");
    },
  },
  { name: "cellPerLine", what: "每格一行", render: (ls) => ls.flatMap((l) => l.cells.filter((c) => c !== "")).join("\n") },
  { name: "runTogether", what: "整行连写（无分隔）", render: (ls) => ls.map((l) => l.cells.join("")).join("\n") },
];

/** Documents with provenance dropped and every string without whitespace (a paste loses line breaks). */
function normal(docs: PerfDoc[]): unknown[] {
  const walk = (v: unknown): unknown =>
    typeof v === "string" ? v.replace(/\s+/g, "") : Array.isArray(v) ? v.map(walk) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)])) : v;
  return docs.map(({ provenance: _p, complete: _c, unread: _u, ...rest }) => walk(rest));
}

export interface PastedResult {
  name: string;
  what: string;
  files: number;
  /** Files read with every field as the family's own read. */
  same: number;
  /** Files refused (no form found), which must be 0. */
  refused: number;
  fields: number;
  diffs: number;
  failures: { file: string; error: string | null; diffs: FieldDiff[] }[];
}

export async function runPasted(): Promise<PastedResult[]> {
  const families = (await readFamilies()).map((f) => ({ ...f, lines: linesOf(f.blocks) }));
  const out: PastedResult[] = [];
  for (const s of SHAPES) {
    const res: PastedResult = { name: s.name, what: s.what, files: families.length, same: 0, refused: 0, fields: 0, diffs: 0, failures: [] };
    for (const { file: f, lines, docs } of families) {
      const name = f.replace(/\.(docx|xlsx)$/, `.${s.name}.txt`);
      const got = await extractBuffer(new TextEncoder().encode(s.render(lines)), name);
      if (got.error) res.refused++;
      const cmp = compareDoc(normal(docs), normal(got.documents), "documents");
      res.fields += cmp.fields;
      res.diffs += cmp.diffs.length;
      if (cmp.diffs.length === 0 && !got.error) res.same++;
      else res.failures.push({ file: f, error: got.error?.message ?? null, diffs: cmp.diffs });
    }
    out.push(res);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const verbose = process.argv.includes("-v");
  for (const r of await runPasted()) {
    console.log(`${r.name.padEnd(12)} ${r.what}：${r.same}/${r.files} 个文件逐字段一致，拒读 ${r.refused}，字段 ${r.fields - r.diffs}/${r.fields}`);
    if (verbose)
      for (const f of r.failures) {
        console.log(`  ${f.file}${f.error ? `（${f.error}）` : ""}：${f.diffs.length} 处不同`);
        for (const d of f.diffs.slice(0, 4)) console.log(`    ${d.path}: ${JSON.stringify(d.expected)?.slice(0, 50)} → ${JSON.stringify(d.actual)?.slice(0, 50)}`);
      }
  }
}
