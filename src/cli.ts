// Command line: argument parsing and printing only; the work is done by the same functions the
// server calls.
import { readFile, stat, writeFile } from "node:fs/promises";
import type { DeptDoc, FileResult, PerfDoc, SelfEvalDoc, TargetFormDoc } from "./domain/document.ts";
import { DEFAULT_MAX_BYTES } from "./ingest/index.ts";
import { extractBuffer, toFileError, type LlmFallbackReport } from "./pipeline.ts";
import { IngestError } from "./ingest/blocks.ts";
import { checkExtracted, type CheckedFile } from "./check.ts";
import { getProfile, listProfiles, DEFAULT_PROFILE } from "./score/profile.ts";
import type { Finding } from "./domain/finding.ts";
import { fmt } from "./score/decimal.ts";
import { draftReport, type Draft } from "./draft/index.ts";
import type { Llm } from "./llm/index.ts";
import { NO_PROGRESS, progressBar, type Progress } from "./progress.ts";

const USAGE = `用法：
  jixiao extract 文件... [--json] [--max-size 50]                读取绩效自评表/申报表，输出结构化结果
  jixiao check 文件... [--json] [--all] [--profile central-2020]  重新计算得分并逐项核验，列出问题和修改建议
  jixiao draft 文件... [--template|--llm] [--json]                为每个项目起草自评报告并核对其中的每个数字
  jixiao review 文件... [--json] [--xlsx 输出.xlsx] [--checklist 清单.json]
                                                                按财政部门的审核口径审核绩效目标申报表，给出审核意见
  jixiao serve                                                  启动网页版（HOST、PORT、JIXIAO_DATA_DIR、JIXIAO_TOKEN 可配置）
  jixiao worker [--concurrency 1]                               执行任务队列中的任务（批量核验、审核、起草、导出）；需要 PostgreSQL
                                                                （JIXIAO_DATABASE_URL），可在多台机器上各起多个；SIGTERM 时做完手头任务再退出
  jixiao help                                                   显示本帮助

选项：
  --json          以 JSON 输出（extract：{"files":[{"file","format","documents","error"}]}；
                  check：每个文档另带 findings 和 scoring）
  --all           check：同类问题合并显示时，列出每一处及其修改建议
  --max-size N    单个文件大小上限（MB，默认 50）
  --profile NAME  评分规则（默认 central-2020；可选：${listProfiles().map((p) => p.name).join("、")}）
  --xlsx OUT      review：把审核意见表写入 OUT（每个项目一行，按审核维度列出意见，末列为小结）
  --checklist F   review：使用本单位的审核清单（JSON，与默认清单同格式，可只写要改的审核项）
  --concurrency N worker：本进程同时执行的任务数（默认 1）
  --template      用确定性模板起草（未配置大模型时的默认方式）
  --llm           draft：用大模型起草；extract/check：表格未能完整识别时由大模型补提取（每个值须在原表中找到）
                  （需设置 OPENAI_BASE_URL、OPENAI_API_KEY，可选 JIXIAO_MODEL）

在终端中运行时，extract、check、draft、review 在标准错误输出上显示进度条（已完成/总数、当前文件）；
输出被重定向时不显示，设置 JIXIAO_NO_PROGRESS=1 也可关闭。

退出码：extract 0 全部读取成功、2 有文件无法读取或参数错误；
        check、draft、review 0 无错误级问题、1 存在错误级问题、2 有文件无法读取或参数错误。`;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** A progress bar for a batch step (the default draws one on stderr when it is a terminal). */
  progress?: (label: string) => Progress;
}

const defaultIO: CliIO = {
  out: (s) => process.stdout.write(s + "\n"),
  err: (s) => process.stderr.write(s + "\n"),
  progress: (label) => progressBar(label),
};

const barOf = (io: CliIO, label: string): Progress => io.progress?.(label) ?? NO_PROGRESS;

interface Parsed {
  command: string;
  files: string[];
  json: boolean;
  maxBytes: number;
  profile: string;
  drafter: "auto" | "template" | "llm";
  xlsx: string | null;
  checklist: string | null;
  /** check: every place of a grouped finding, not only the first ones. */
  all: boolean;
  /** worker: jobs run at once. */
  concurrency: number;
}

function parseArgs(argv: string[]): Parsed | string {
  const [command = "help", ...rest] = argv;
  const p: Parsed = { command, files: [], json: false, maxBytes: DEFAULT_MAX_BYTES, profile: DEFAULT_PROFILE, drafter: "auto", xlsx: null, checklist: null, all: false, concurrency: 1 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--json") p.json = true;
    else if (a === "--all") p.all = true;
    else if (a === "--max-size") {
      const v = Number(rest[++i]);
      if (!Number.isFinite(v) || v <= 0) return "--max-size 需要一个正数（单位 MB）";
      p.maxBytes = Math.round(v * 1024 * 1024);
    } else if (a === "--profile") {
      const v = rest[++i];
      if (!v || !getProfile(v)) return `未知的评分规则：${v ?? "（空）"}；可选：${listProfiles().map((x) => x.name).join("、")}`;
      p.profile = v;
    } else if (a === "--xlsx" || a === "--checklist") {
      const v = rest[++i];
      if (!v || v.startsWith("--")) return `${a} 需要一个文件名`;
      if (a === "--xlsx") p.xlsx = v;
      else p.checklist = v;
    } else if (a === "--concurrency") {
      const v = Number(rest[++i]);
      if (!Number.isInteger(v) || v < 1) return "--concurrency 需要一个正整数";
      p.concurrency = v;
    } else if (a === "--template") p.drafter = "template";
    else if (a === "--llm") p.drafter = "llm";
    else if (a.startsWith("--")) return `未知选项：${a}`;
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

export async function extractFiles(files: string[], maxBytes: number, llm: Llm | null = null, progress: Progress = NO_PROGRESS): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const [i, file] of files.entries()) {
    progress.update(i, files.length, file);
    try {
      const data = await readInput(file, maxBytes);
      results.push(await extractBuffer(data, file, { maxBytes, llm }));
    } catch (e) {
      results.push({ file, format: null, documents: [], error: toFileError(e, file) });
    }
  }
  progress.update(files.length, files.length, null);
  progress.clear();
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
      const llm = await optionalLlm(p, io);
      if (llm === "error") return 2;
      let results: FileResult[];
      try {
        results = await extractFiles(p.files, p.maxBytes, llm?.llm ?? null, barOf(io, "读取"));
      } finally {
        await llm?.close();
      }
      if (p.json) io.out(JSON.stringify({ files: results }, null, 2));
      else for (const r of results) io.out(summarize(r));
      for (const r of results as (FileResult & { llm?: LlmFallbackReport })[]) if (r.llm?.error) io.err(`${r.file}：${r.llm.error}`);
      for (const r of results) if (r.error && p.json) io.err(r.error.message);
      return results.some((r) => r.error) ? 2 : 0;
    }
    case "check": {
      if (p.files.length === 0) {
        io.err(`错误：请至少给出一个文件\n\n${USAGE}`);
        return 2;
      }
      const profile = getProfile(p.profile)!;
      const llm = await optionalLlm(p, io);
      if (llm === "error") return 2;
      let checked: CheckedFile[];
      try {
        const results = await extractFiles(p.files, p.maxBytes, llm?.llm ?? null, barOf(io, "核验"));
        // A 自评表 is compared with its project's 申报表 from any file of the batch (TARGET_DRIFT).
        checked = results.map((r) => checkExtracted(r, profile, results.filter((o) => o !== r).flatMap((o) => o.documents)));
      } finally {
        await llm?.close();
      }
      if (p.json) io.out(JSON.stringify({ files: checked }, null, 2));
      else for (const c of checked) io.out(summarizeCheck(c, { all: p.all }));
      if (checked.some((c) => c.error)) return 2;
      return checked.some((c) => c.counts.error > 0) ? 1 : 0;
    }
    case "draft":
      return draftCommand(p, io);
    case "review":
      return reviewCommand(p, io);
    case "serve": {
      // The server keeps the process alive; this returns once it listens.
      const { serve } = await import("../server/main.ts");
      try {
        await serve();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        io.err(`错误：无法启动服务：${code === "EADDRINUSE" ? "端口已被占用（可用 PORT=8788 npm start 换一个端口）" : (e as Error).message}`);
        return 2;
      }
      return 0;
    }
    case "worker": {
      // Like serve: the worker keeps the process alive; this returns once it takes jobs.
      const { startWorker } = await import("./jobs/worker.ts");
      try {
        await startWorker({ concurrency: p.concurrency, log: (line) => io.out(line) });
      } catch (e) {
        io.err(`错误：无法启动 worker：${(e as Error).message}`);
        return 2;
      }
      return 0;
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
  lines.push(...sheetNotes(r));
  r.documents.forEach((d, i) => lines.push(...summarizeDoc(d, i)));
  return lines.join("\n");
}

/** Hidden, empty and unread sheets of a workbook, named (never silently skipped). */
export function sheetNotes(r: Pick<FileResult, "sheets">): string[] {
  const out: string[] = [];
  const sheets = r.sheets ?? [];
  const hidden = sheets.filter((s) => s.state !== "visible");
  const empty = sheets.filter((s) => s.empty);
  const unread = sheets.filter((s) => !s.empty && s.documents.length === 0);
  if (hidden.length) out.push(`  隐藏工作表 ${hidden.length} 个（已读取）：${hidden.map((s) => `“${s.name}”`).join("、")}`);
  if (empty.length) out.push(`  空白工作表 ${empty.length} 个：${empty.map((s) => `“${s.name}”`).join("、")}`);
  if (unread.length) out.push(`  未识别出表格的工作表 ${unread.length} 个：${unread.map((s) => `“${s.name}”`).join("、")}`);
  return out;
}

const v = (x: number | string | null | undefined) => (x === null || x === undefined ? "（空）" : String(x));

function summarizeDoc(d: PerfDoc, i: number): string[] {
  const lines = d.kind === "自评表" ? summarizeSelfEval(d, i) : d.kind === "目标申报表" ? summarizeTargetForm(d, i) : summarizeDept(d, i);
  if (!d.complete) lines.push("      （表格不完整：原文到此为止或缺少结尾部分）");
  for (const u of d.unread) lines.push(`      未能读取：${u.part}（${u.reason}）`);
  return lines;
}

function summarizeDept(d: DeptDoc, i: number): string[] {
  const t = d.funds.total;
  return [
    `  [${i + 1}] 部门整体${d.form === "自评表" ? "支出绩效自评表" : "绩效目标表"} · ${v(d.name)}（${d.year !== null ? `${d.year}年度` : "年度未知"}；部门编码 ${v(d.code)}）`,
    `      资金（${d.unit ?? "单位未知"}）：年初预算 ${v(t.initial)}，全年预算 ${v(t.adjusted)}，全年执行 ${v(t.executed)}，执行率 ${v(t.rate)}`,
    `      年度主要任务 ${d.tasks.length} 项；绩效指标 ${d.indicators.length} 项${d.form === "自评表" ? `；自评总分 ${v(d.total.score)}` : ""}`,
  ];
}

function summarizeSelfEval(d: SelfEvalDoc, i: number): string[] {
  const t = d.funds.total;
  const byL1 = new Map<string, number>();
  for (const ind of d.indicators) byL1.set(ind.level1 ?? "未分类", (byL1.get(ind.level1 ?? "未分类") ?? 0) + 1);
  const parts = [...byL1].map(([k, n]) => `${k.replace(/指标$/, "")} ${n}`).join("，");
  const out = [
    `  [${i + 1}] 自评表 · ${v(d.name)}（${d.year !== null ? `${d.year}年度` : "年度未知"}；主管部门 ${v(d.department)}；实施单位 ${v(d.implementer)}）`,
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
  const head = [d.year !== null ? `${d.year}年` : "年度未知", d.code ? `项目编码 ${d.code}` : null, `实施单位 ${v(d.implementer)}`, d.department ? `主管部门 ${d.department}` : null];
  const money = [`项目总金额 ${v(d.funds_total)}`, d.funds_year !== null ? `本年度金额 ${d.funds_year}` : null].filter(Boolean).join("，");
  const when = d.period !== null ? `实施期限 ${d.period}` : d.start || d.end ? `期间 ${v(d.start)} 至 ${v(d.end)}` : null;
  const kind = [d.project_type ? `项目类型 ${d.project_type}` : null, d.category ? `项目类别 ${d.category}` : null, d.new_or_continuing].filter(Boolean).join("，");
  const placeholders = d.targets.filter((t) => /^(不适用|无|\/)$/.test((t.value ?? t.level3 ?? "").trim())).length;
  const out = [
    `  [${i + 1}] 绩效目标申报表 · ${v(d.name)}（${head.filter(Boolean).join("；")}）`,
    `      ${money}${d.unit ? `（${d.unit}）` : ""}${when ? `；${when}` : ""}${kind ? `；${kind}` : ""}`,
    `      绩效指标 ${d.targets.length} 项${placeholders ? `（其中“不适用”${placeholders} 项）` : ""}${d.budget_items.length ? `；预算分解 ${d.budget_items.length} 项，金额合计 ${v(d.amount_total)}` : ""}`,
  ];
  return out;
}

const SEV: Record<Finding["severity"], string> = { error: "错误", warning: "警告", info: "提示" };

export function summarizeCheck(c: CheckedFile, opts: { all?: boolean } = {}): string {
  if (c.error) return `✗ ${c.error.message}`;
  const places = c.documents.reduce((n, d) => n + d.findings.reduce((m, f) => m + (f.places?.length ?? 1), 0), 0);
  const lines: string[] = [
    `文件：${c.file}（${FORMAT_NAMES[c.format ?? ""] ?? c.format}，${c.documents.length} 份；评分规则 ${c.profile}）`,
    `  合计：错误 ${c.counts.error}，警告 ${c.counts.warning}，提示 ${c.counts.info}（同类问题已合并，共涉及 ${places} 处${opts.all ? "" : "；加 --all 列出每一处"}）`,
  ];
  c.documents.forEach((d, i) => {
    const n = { error: 0, warning: 0, info: 0 };
    for (const f of d.findings) n[f.severity]++;
    lines.push("", `  [${i + 1}] ${d.kind} · ${v(d.name)}：错误 ${n.error}，警告 ${n.warning}，提示 ${n.info}`);
    if (d.scoring) {
      const s = d.scoring;
      lines.push(`      预算执行率：填报 ${v(s.execution.printed)} 分，重算 ${v(s.execution.computed)} 分（${s.execution.formula}）`);
      lines.push(`      总分：填报 ${v(s.total.printed)}，各项得分之和 ${fmt(s.total.sumOfPrinted)}，按公式重算 ${fmt(s.total.recomputed)}（${s.total.grade}）`);
      for (const l of s.lines) {
        if (l.computed !== null && l.printed !== null && Math.abs(l.computed - l.printed) > 0.01) {
          const ind = d.kind === "自评表" ? d.indicators[l.index] : undefined;
          lines.push(`      · ${ind?.level3 ?? ind?.level2 ?? ""}：填报 ${l.printed}，重算 ${l.computed}（${l.formula}）`);
        }
      }
    }
    // Errors first (findings are sorted by severity); a group shows its places, all of them with --all.
    for (const f of d.findings) {
      const n = f.places?.length ?? 1;
      const codes = [f.code, ...(f.also ?? [])].join("+");
      lines.push(`    ${SEV[f.severity]} ${codes}｜${n > 1 ? `${n} 处` : f.where.label}`);
      lines.push(`        ${f.message}`);
      if (f.places && opts.all) {
        for (const p of f.places) {
          lines.push(`        · ${p.where.label}：${p.message}`);
          if (p.suggestion) lines.push(`          建议改为“${p.suggestion.text}”（${p.suggestion.basis}）`);
        }
      }
      lines.push(`        修改：${f.suggestion ? `建议改为“${f.suggestion.text}”（${f.suggestion.basis}）${n > 1 ? "等" : ""}` : f.fix}`);
    }
  });
  return lines.join("\n");
}

/**
 * The LLM layer, loaded only when a command needs it: the SDK and the SQLite cache are not part of a plain
 * extract/check.
 */
const llmLayer = () => import("./llm/index.ts");

/** extract/check --llm: the grounded LLM fallback for tables the recognizer cannot map completely. */
async function optionalLlm(p: Parsed, io: CliIO): Promise<{ llm: Llm; close: () => Promise<void> } | null | "error"> {
  if (p.drafter !== "llm") return null;
  const { llmFromEnv } = await llmLayer();
  try {
    const made = await llmFromEnv();
    if (!made) {
      io.err("错误：未配置大模型（需要设置 OPENAI_BASE_URL 和 OPENAI_API_KEY，可选 JIXIAO_MODEL）");
      return "error";
    }
    return made;
  } catch (e) {
    io.err(`错误：大模型配置有误：${(e as Error).message}`);
    return "error";
  }
}

async function draftCommand(p: Parsed, io: CliIO): Promise<number> {
  if (p.files.length === 0) {
    io.err(`错误：请至少给出一个文件\n\n${USAGE}`);
    return 2;
  }
  const profile = getProfile(p.profile)!;
  let llm: Llm | null = null;
  let closeLlm: (() => Promise<void>) | null = null;
  const layer = p.drafter === "template" ? null : await llmLayer();
  if (layer) {
    let made;
    try {
      made = await layer.llmFromEnv();
    } catch (e) {
      io.err(`错误：大模型配置有误：${(e as Error).message}`);
      return 2;
    }
    if (!made && p.drafter === "llm") {
      io.err("错误：未配置大模型（需要设置 OPENAI_BASE_URL 和 OPENAI_API_KEY，可选 JIXIAO_MODEL）；可改用 --template");
      return 2;
    }
    llm = made?.llm ?? null;
    closeLlm = made?.close ?? null;
  }
  try {
    const results = await extractFiles(p.files, p.maxBytes, null, barOf(io, "读取"));
    const out: unknown[] = [];
    let errors = 0;
    // A model draft takes minutes: the bar counts the projects drafted, whichever file they are in.
    const bar = barOf(io, "起草");
    const total = results.reduce((n, r) => n + r.documents.filter((d) => d.kind === "自评表").length, 0);
    let drafted = 0;
    const print = (s: string) => {
      bar.clear();
      io.out(s);
    };
    for (const r of results) {
      if (r.error) {
        out.push({ file: r.file, documents: [], error: r.error });
        if (!p.json) print(`✗ ${r.error.message}`);
        continue;
      }
      const docs: unknown[] = [];
      if (!p.json) print(`文件：${r.file}`);
      for (const [i, d] of r.documents.entries()) {
        if (d.kind !== "自评表") continue;
        bar.update(drafted, total, d.name ?? `${r.file} 第 ${i + 1} 个项目`);
        let draft: Draft;
        try {
          draft = await draftReport(d, { llm, profile, index: i });
        } catch (e) {
          if (layer && e instanceof layer.LlmError) {
            bar.clear();
            io.err(`错误：${r.file} 第 ${i + 1} 个项目起草失败：${e.message}`);
            return 2;
          }
          throw e;
        } finally {
          drafted++;
        }
        errors += draft.findings.filter((f) => f.severity === "error").length;
        docs.push({ ...d, draft: { sections: draft.sections, drafter: draft.drafter, prompt_version: draft.promptVersion, usage: draft.usage }, findings: draft.findings });
        if (!p.json) print(summarizeDraft(d.name, draft));
      }
      out.push({ file: r.file, documents: docs, error: null });
    }
    bar.clear();
    if (p.json) io.out(JSON.stringify({ files: out }, null, 2));
    if (results.some((r) => r.error)) return 2;
    return errors > 0 ? 1 : 0;
  } finally {
    await closeLlm?.();
  }
}

async function reviewCommand(p: Parsed, io: CliIO): Promise<number> {
  if (p.files.length === 0) {
    io.err(`错误：请至少给出一个文件\n\n${USAGE}`);
    return 2;
  }
  const { reviewDocuments } = await import("./review/index.ts");
  const { DEFAULT_CHECKLIST, mergeChecklist, ChecklistError } = await import("./review/checklist.ts");
  let checklist = DEFAULT_CHECKLIST;
  if (p.checklist) {
    try {
      checklist = mergeChecklist(JSON.parse(await readFile(p.checklist, "utf8")));
    } catch (e) {
      const why = e instanceof ChecklistError ? e.message : e instanceof SyntaxError ? `不是有效的 JSON（${e.message}）` : `无法读取（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）`;
      io.err(`错误：审核清单 ${p.checklist}：${why}`);
      return 2;
    }
  }
  const results = await extractFiles(p.files, p.maxBytes, null, barOf(io, "审核"));
  const projects = results.flatMap((r) => reviewDocuments(r.documents, r.file, checklist));
  if (p.json) {
    io.out(
      JSON.stringify(
        {
          projects: projects.map((x) => ({
            file: x.file, sheet: x.sheet, code: x.code, name: x.name, unit: x.unit, amount: x.amount, items: x.items,
            opinions: x.opinions.map((o) => ({ dimension: o.dimension, item: o.item, code: o.code, where: o.where, text: o.text, suggestion: o.suggestion })),
          })),
          errors: results.filter((r) => r.error).map((r) => r.error),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of results) {
      if (r.error) {
        io.out(`✗ ${r.error.message}`);
        continue;
      }
      const mine = projects.filter((x) => x.file === r.file);
      io.out(`文件：${r.file}（${mine.length} 个申报表${r.documents.length > mine.length ? `；另有 ${r.documents.length - mine.length} 份不是申报表，未审核` : ""}）`);
      for (const x of mine) io.out(summarizeReview(x));
    }
  }
  for (const r of results) if (r.error && p.json) io.err(r.error.message);
  if (p.xlsx) {
    const { exportReviewXlsx } = await import("./export/reviewXlsx.ts");
    try {
      await writeFile(p.xlsx, await exportReviewXlsx(projects, checklist));
      if (!p.json) io.out(`审核意见表已写入 ${p.xlsx}（${projects.length} 个项目）`);
    } catch (e) {
      io.err(`错误：无法写入 ${p.xlsx}（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）`);
      return 2;
    }
  }
  if (results.some((r) => r.error)) return 2;
  return projects.some((x) => x.opinions.some((o) => o.severity === "error")) ? 1 : 0;
}

function summarizeReview(x: import("./review/index.ts").ProjectReview): string {
  const head = `  【${x.code ? `${x.code} ` : ""}${x.name ?? "未命名项目"}】${x.sheet ? `（工作表“${x.sheet}”）` : ""}${x.complete ? "" : "（原文不完整：指标类别等需要整表的审核项未核对）"}`;
  if (!x.opinions.length) return `${head}\n      审核通过：未发现需要退回修改的问题。`;
  const lines = [head, `      审核项：${x.items.join("、")}`];
  for (const o of x.opinions) {
    lines.push(`    ${o.severity === "error" ? "错误" : "意见"}［${o.dimension}］${o.item}：${o.text}`);
    for (const e of o.evidence.slice(0, 5)) lines.push(`        · ${e.where}：${e.text.trim() === "" ? "（空白）" : `“${e.text.replace(/\s+/g, "").slice(0, 60)}”`}`);
    if (o.evidence.length > 5) lines.push(`        · …共 ${o.evidence.length} 处`);
    if (o.suggestion) lines.push(`        建议：${o.suggestion}`);
  }
  return lines.join("\n");
}

function summarizeDraft(name: string | null, d: Draft): string {
  const lines = [``, `【${name ?? "未命名项目"}】${d.drafter === "llm" ? `大模型起草（${d.promptVersion}）` : "模板起草"}`];
  for (const s of d.sections) lines.push(s.heading, s.text);
  if (d.findings.length) {
    lines.push("", "草稿核对：");
    for (const f of d.findings) lines.push(`  ${SEV[f.severity]} ${f.code}｜${f.message}`);
  } else lines.push("", "草稿核对：所有数字均与自评表一致。");
  return lines.join("\n");
}
