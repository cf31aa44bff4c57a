// LLM evals for `npm run eval`. With OPENAI_BASE_URL set: the real endpoint drafts every 自评表 of the
// seeds and we measure how many of its numbers the verified data supports, tokens and latency. Without
// it (the default, offline): the same pipeline through the real openai client against the local fake
// server, scripted with drafts that carry injected wrong numbers, measuring the prompt budget against
// the naive whole-file prompt and the checker's recall on the injected numbers. Never another host.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLlm, forgetEndpointCapabilities, LlmConfig, llmConfigFromEnv, loadPrompt, renderPrompt, type Llm } from "../src/llm/index.ts";
import { draftReport, templateDraft } from "../src/draft/index.ts";
import { draftData, estimateTokens, styleExample } from "../src/draft/data.ts";
import { numbersIn } from "../src/draft/numbers.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { ingest } from "../src/ingest/index.ts";
import type { SelfEvalDoc } from "../src/domain/document.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../tests/helpers/fakeOpenAI.ts";
import { fillWithLlm, unresolvedPaths } from "../src/llmFallback.ts";
import type { TableBlock } from "../src/ingest/blocks.ts";
import { SEEDS_DIR } from "./seeds.ts";

export interface LlmEvalResult {
  /** Model name as configured ("fake (scripted)" offline). */
  model: string;
  /** Drafts evaluated. */
  drafts: number;
  /** Share of numbers in LLM drafts that the verified data supports (1 − unsupported / total). */
  supportedShare: number;
  /** Mean total tokens (prompt + completion) per draft, as reported by the endpoint. */
  tokensMean: number;
  /** Free-form further figures, shown as a table. */
  details?: Record<string, number | string>;
}

export const LLM_NOT_RUN_REASON = "OPENAI_BASE_URL 未设置时使用本地模拟服务；此处不应出现";

const SEED_FILES = ["001-jingzhou-2023.docx", "003-xiqu-2020.docx"];

async function seedDocs(): Promise<{ file: string; docs: SelfEvalDoc[]; wholeTokens: number }[]> {
  const out = [];
  for (const f of SEED_FILES) {
    const p = join(SEEDS_DIR, f);
    const bytes = new Uint8Array(readFileSync(p));
    const ing = await ingest(bytes, p);
    const whole = ing.blocks.map((b) => (b.kind === "paragraph" ? b.text : b.rows.map((r) => r.map((c) => c.text).join("\t")).join("\n"))).join("\n");
    const docs = (await extractBuffer(bytes, p)).documents.filter((d): d is SelfEvalDoc => d.kind === "自评表");
    out.push({ file: f, docs, wholeTokens: estimateTokens(whole) });
  }
  return out;
}

/** Prompt tokens of the draft-report prompt for a document, and its ratio to the naive whole-file prompt. */
async function promptBudget(doc: SelfEvalDoc, wholeTokens: number): Promise<{ tokens: number; ratio: number }> {
  const p = await loadPrompt("draft-report");
  const msgs = renderPrompt(p, { data: draftData(doc, defaultProfile()), example: styleExample(doc) });
  const tokens = estimateTokens(msgs.map((m) => m.content).join("\n"));
  return { tokens, ratio: tokens / wholeTokens };
}

/** Deterministic "wrong number" injection: bumps the n-th supported number of a section. */
function inject(text: string, k: number): { text: string; injected: string | null } {
  const nums = numbersIn(text).filter((n) => n.kind !== "year");
  const n = nums[k % Math.max(1, nums.length)];
  if (!n) return { text, injected: null };
  const wrong = n.raw.replace(/\d+(\.\d+)?/, (m) => String(Number(m) + 7));
  return { text: text.slice(0, n.start) + wrong + text.slice(n.end), injected: wrong };
}

async function runDrafts(llm: Llm, scripted: ((doc: SelfEvalDoc, i: number) => string) | null) {
  const profile = defaultProfile();
  let numbers = 0;
  let unsupported = 0;
  let tokens = 0;
  let drafts = 0;
  let injected = 0;
  let caught = 0;
  const maxRatio: Record<string, number> = {};
  let ms = 0;
  const errors: string[] = [];
  const missed: string[] = [];
  for (const { file, docs, wholeTokens } of await seedDocs()) {
    for (const [i, doc] of docs.entries()) {
      const budget = await promptBudget(doc, wholeTokens);
      maxRatio[file] = Math.max(maxRatio[file] ?? 0, budget.ratio);
      let expectedWrong: string[] = [];
      if (scripted) {
        const raw = scripted(doc, drafts);
        expectedWrong = JSON.parse(raw).injected as string[];
        injected += expectedWrong.length;
      }
      const t0 = performance.now();
      try {
        const d = await draftReport(doc, { llm, profile, index: i });
        ms += performance.now() - t0;
        drafts++;
        tokens += d.usage?.totalTokens ?? 0;
        const all = d.sections.flatMap((s) => numbersIn(s.text));
        const bad = d.findings.filter((f) => f.code === "DRAFT_NUMBER_UNSUPPORTED");
        numbers += all.length;
        unsupported += bad.length;
        for (const w of expectedWrong) {
          if (bad.some((f) => f.message.includes(`“${w}”`))) caught++;
          else missed.push(`${doc.name}：${w}`);
        }
      } catch (e) {
        errors.push(`${doc.name}: ${(e as Error).message}`);
      }
    }
  }
  return { numbers, unsupported, tokens, drafts, injected, caught, missed, maxRatio, ms, errors };
}

/**
 * The grounded extraction fallback, offline: for every 自评表 of the seeds, the department and the
 * funds are blanked as if the recognizer had missed them; the scripted model answers the true values
 * for half of the documents and invented ones for the other half. Grounding must keep every true value
 * and drop every invented one.
 */
async function extractionFallbackEval(fake: FakeOpenAI, llm: Llm): Promise<Record<string, string | number>> {
  let kept = 0, keptTrue = 0, dropped = 0, droppedInvented = 0, invented = 0, truths = 0;
  let k = 0;
  for (const f of SEED_FILES) {
    const p = join(SEEDS_DIR, f);
    const bytes = new Uint8Array(readFileSync(p));
    const ing = await ingest(bytes, p);
    const docs = (await extractBuffer(bytes, p)).documents;
    for (const [i, d] of docs.entries()) {
      if (d.kind !== "自评表" || d.department === null || d.funds.total.initial === null) continue;
      const table = ing.blocks.find((b): b is TableBlock => b.kind === "table" && b.index === d.provenance.table?.table);
      if (!table) continue;
      const blank: SelfEvalDoc = structuredClone(d);
      blank.department = null;
      blank.funds.total.initial = blank.funds.total.adjusted = blank.funds.total.executed = null;
      const paths = unresolvedPaths(blank);
      const honest = k++ % 2 === 0;
      const fields = paths.map((path) => {
        const truth = path === "department" ? d.department : d.funds.total[path.split(".")[2] as "initial" | "adjusted" | "executed"];
        const text = path === "department" ? d.provenance.department?.text ?? null : d.provenance.funds.total[path.split(".")[2] as "initial"]?.text ?? null;
        if (honest) return { path, value: truth, text };
        return { path, value: typeof truth === "number" ? truth + 11.5 : `${truth}（市级）`, text: typeof truth === "number" ? `${truth + 11.5}` : `${truth}（市级）` };
      });
      fake.script({ content: JSON.stringify({ fields }) });
      const r = await fillWithLlm(blank, i, table, llm);
      const sent = fields.filter((x) => x.value !== null);
      if (honest) truths += sent.length;
      else invented += sent.length;
      kept += r.filled.length;
      dropped += r.findings.length;
      if (honest) keptTrue += r.filled.length;
      else droppedInvented += r.findings.length;
    }
  }
  return {
    "fallback: true values answered / kept": `${truths} / ${keptTrue}`,
    "fallback: invented values answered / dropped (LLM_UNGROUNDED)": `${invented} / ${droppedInvented}`,
    "fallback: invented values kept": kept - keptTrue,
    "fallback: true values dropped": dropped - droppedInvented,
  };
}

function result(model: string, r: Awaited<ReturnType<typeof runDrafts>>, details: Record<string, number | string>): LlmEvalResult {
  return {
    model,
    drafts: r.drafts,
    supportedShare: r.numbers ? 1 - r.unsupported / r.numbers : 1,
    tokensMean: r.drafts ? Math.round(r.tokens / r.drafts) : 0,
    details,
  };
}

function ratios(m: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([f, v]) => [`max draft prompt / whole-file text tokens, ${f}`, v.toFixed(3)]));
}

export async function llmEvals(): Promise<LlmEvalResult | null> {
  forgetEndpointCapabilities();
  const real = llmConfigFromEnv();
  if (real) {
    const llm = createLlm(real);
    const r = await runDrafts(llm, null);
    return result(`${real.model} @ ${real.endpoint}`, r, {
        "numbers in drafts": r.numbers,
        "unsupported numbers": r.unsupported,
        ...ratios(r.maxRatio),
        "mean latency (s)": r.drafts ? (r.ms / r.drafts / 1000).toFixed(1) : "—",
        errors: r.errors.length ? r.errors.join("；") : "0",
    });
  }
  // Offline: a scripted model that writes the template draft with three wrong numbers per draft.
  const fake = await startFakeOpenAI();
  try {
    const profile = defaultProfile();
    const llm = createLlm(new LlmConfig({ baseURL: fake.url, apiKey: "eval", model: "fake-scripted", timeoutMs: 5000, maxRetries: 0 }));
    const r = await runDrafts(llm, (doc, k) => {
      const sections = templateDraft(doc, profile);
      const injected: string[] = [];
      for (const [j, si] of [0, 2, 3].entries()) {
        const x = inject(sections[si]!.text, k + j);
        if (x.injected) {
          sections[si] = { ...sections[si]!, text: x.text };
          injected.push(x.injected);
        }
      }
      fake.script({ content: JSON.stringify({ sections }), usage: { prompt_tokens: 900, completion_tokens: 1400 } });
      return JSON.stringify({ injected });
    });
    return result("fake-scripted（本地模拟服务，真实 openai 客户端）", r, {
        "injected wrong numbers": r.injected,
        "caught by the draft checker": r.caught,
        "checker recall on injected numbers": r.injected ? (r.caught / r.injected).toFixed(4) : "—",
        ...ratios(r.maxRatio),
        "injected numbers the data happens to hold (not catchable)": r.missed.length ? r.missed.join("；") : "0",
        errors: r.errors.length ? r.errors.join("；") : "0",
        ...(await extractionFallbackEval(fake, llm)),
    });
  } finally {
    await fake.close();
  }
}
