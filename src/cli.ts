// Command line: argument parsing and printing only; the work is done by the same functions the
// server calls.
import { readFile, stat } from "node:fs/promises";
import type { FileResult, PerfDoc, SelfEvalDoc, TargetFormDoc } from "./domain/document.ts";
import { DEFAULT_MAX_BYTES } from "./ingest/index.ts";
import { extractBuffer, toFileError } from "./pipeline.ts";
import { IngestError } from "./ingest/blocks.ts";

const USAGE = `用法：
  jixiao extract 文件... [--json] [--max-size 50]   读取绩效自评表/申报表，输出结构化结果
  jixiao help                                      显示本帮助

选项：
  --json          以 JSON 输出 {"files":[{"file","format","documents","error"}]}
  --max-size N    单个文件大小上限（MB，默认 50）

退出码：0 全部读取成功；2 有文件无法读取或参数错误。`;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIO: CliIO = {
  out: (s) => process.stdout.write(s + "\n"),
  err: (s) => process.stderr.write(s + "\n"),
};

interface Parsed {
  command: string;
  files: string[];
  json: boolean;
  maxBytes: number;
}

function parseArgs(argv: string[]): Parsed | string {
  const [command = "help", ...rest] = argv;
  const p: Parsed = { command, files: [], json: false, maxBytes: DEFAULT_MAX_BYTES };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--json") p.json = true;
    else if (a === "--max-size") {
      const v = Number(rest[++i]);
      if (!Number.isFinite(v) || v <= 0) return "--max-size 需要一个正数（单位 MB）";
      p.maxBytes = Math.round(v * 1024 * 1024);
    } else if (a.startsWith("--")) return `未知选项：${a}`;
    else p.files.push(a);
  }
  return p;
}

export async function readInput(file: string, maxBytes: number): Promise<Uint8Array> {
  let st;
  try {
    st = await stat(file);
  } catch {
    throw new IngestError("NOT_FOUND", "文件不存在或无法访问");
  }
  if (st.isDirectory()) throw new IngestError("UNSUPPORTED_TYPE", "这是一个文件夹，不是文件");
  // Refuse before reading: a 5 GB file must not be loaded to find out it is too large.
  if (st.size > maxBytes) {
    throw new IngestError("TOO_LARGE", `文件大小 ${(st.size / 1024 / 1024).toFixed(1)} MB 超过上限 ${(maxBytes / 1024 / 1024).toFixed(1)} MB`);
  }
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new IngestError("READ_FAILED", `无法读取文件（${(e as NodeJS.ErrnoException).code ?? "未知原因"}）`);
  }
}

export async function extractFiles(files: string[], maxBytes: number): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) {
    try {
      const data = await readInput(file, maxBytes);
      results.push(await extractBuffer(data, file, { maxBytes }));
    } catch (e) {
      results.push({ file, format: null, documents: [], error: toFileError(e, file) });
    }
  }
  return results;
}

export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const p = parseArgs(argv);
  if (typeof p === "string") {
    io.err(`错误：${p}\n\n${USAGE}`);
    return 2;
  }
  switch (p.command) {
    case "help":
    case "--help":
    case "-h":
      io.out(USAGE);
      return 0;
    case "extract": {
      if (p.files.length === 0) {
        io.err(`错误：请至少给出一个文件\n\n${USAGE}`);
        return 2;
      }
      const results = await extractFiles(p.files, p.maxBytes);
      if (p.json) io.out(JSON.stringify({ files: results }, null, 2));
      else for (const r of results) io.out(summarize(r));
      for (const r of results) if (r.error && p.json) io.err(r.error.message);
      return results.some((r) => r.error) ? 2 : 0;
    }
    default:
      io.err(`错误：未知命令 ${p.command}\n\n${USAGE}`);
      return 2;
  }
}

const FORMAT_NAMES: Record<string, string> = { docx: "Word .docx", doc: "Word 97 .doc", pdf: "PDF", xlsx: "Excel .xlsx", text: "文本" };

export function summarize(r: FileResult): string {
  const lines: string[] = [];
  if (r.error) {
    lines.push(`✗ ${r.error.message}`);
    return lines.join("\n");
  }
  lines.push(`文件：${r.file}（${FORMAT_NAMES[r.format ?? ""] ?? r.format}，共 ${r.documents.length} 份）`);
  r.documents.forEach((d, i) => lines.push(...summarizeDoc(d, i)));
  return lines.join("\n");
}

const v = (x: number | string | null | undefined) => (x === null || x === undefined ? "（空）" : String(x));

function summarizeDoc(d: PerfDoc, i: number): string[] {
  return d.kind === "自评表" ? summarizeSelfEval(d, i) : summarizeTargetForm(d, i);
}

function summarizeSelfEval(d: SelfEvalDoc, i: number): string[] {
  const t = d.funds.total;
  const byL1 = new Map<string, number>();
  for (const ind of d.indicators) byL1.set(ind.level1 ?? "未分类", (byL1.get(ind.level1 ?? "未分类") ?? 0) + 1);
  const parts = [...byL1].map(([k, n]) => `${k.replace(/指标$/, "")} ${n}`).join("，");
  const out = [
    `  [${i + 1}] 自评表 · ${v(d.name)}（${d.year ?? "年度未知"}年度；主管部门 ${v(d.department)}；实施单位 ${v(d.implementer)}）`,
    `      资金（${d.unit ?? "单位未知"}）：年初预算 ${v(t.initial)}，全年预算 ${v(t.adjusted)}，全年执行 ${v(t.executed)}，执行率 ${v(t.rate)}，得分 ${v(t.score)}/${v(t.weight)}`,
    `      绩效指标 ${d.indicators.length} 项（${parts || "无"}）；总分 ${v(d.total.score)}/${v(d.total.weight)}`,
  ];
  if (d.report) {
    const empty = d.report.sections.filter((s) => !s.text_present).map((s) => s.heading);
    out.push(`      自评报告：${d.report.title}，${d.report.sections.length} 节${empty.length ? `（无正文：${empty.join("、")}）` : ""}`);
  }
  return out;
}

function summarizeTargetForm(d: TargetFormDoc, i: number): string[] {
  return [
    `  [${i + 1}] 绩效目标申报表 · ${v(d.name)}（${d.year ?? "年度未知"}年；填报单位 ${v(d.implementer)}；项目类别 ${v(d.category)}）`,
    `      期间：${v(d.start)} 至 ${v(d.end)}；项目总预算 ${v(d.funds_total)} ${d.unit ?? ""}`,
    `      绩效目标 ${d.targets.length} 项；预算分解 ${d.budget_items.length} 项，金额合计 ${v(d.amount_total)}`,
  ];
}
