// A defect corpus made by mutation: seeded and reproducible. It takes the documents extracted from the
// seed .docx files (which equal the gold) and makes
//   - defect variants: ONE known defect injected into one document of a file, with the finding it
//     must produce (code + document index + field), checked to be a defect by the rule's own
//     definition (domain.md §4) before it is kept;
//   - clean variants: the same documents with harmless changes (project names, amounts rescaled so
//     every sum still holds, cost targets rewritten from 万元 to 元, projects reordered).
// Each variant is a list of documents; evals/corpus.ts writes it as a real .docx with exportDocx and
// reads it back with extractBuffer.
//
// CLI: tsx evals/mutate.ts [--seed 1] [--count 500] [--clean 500] [--out DIR]
//   prints a summary; with --out, writes every variant as DIR/<id>.docx plus DIR/manifest.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Indicator, PerfDoc, Provenance, SelfEvalDoc, TargetFormDoc } from "../src/domain/document.ts";
import type { Finding } from "../src/domain/finding.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { validateDocuments } from "../src/validate/index.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { scoredLines } from "../src/score/lines.ts";
import { roundHalfUp, sum } from "../src/score/decimal.ts";
import { parseNumber, squash, toHalfWidth } from "../src/domain/text.ts";
import { loadSeeds, SEEDS_DIR } from "./seeds.ts";

// ---------------------------------------------------------------------------------------------
// Types

/** The codes the generator injects (one operator family each). */
export const INJECTED_CODES = [
  "SCORE_SUM_MISMATCH",
  "RATE_MISMATCH",
  "VAGUE_TARGET",
  "TEXT_COPIED_ACROSS_PROJECTS",
  "COST_BUDGET_MISMATCH",
  "MISSING_DEVIATION",
  "SCORE_MISSING",
  "SCORE_EXCEEDS_WEIGHT",
  "FUNDS_SUM_MISMATCH",
  "ITEM_SUM_MISMATCH",
  "ITEM_PRODUCT_MISMATCH",
] as const;
export type InjectedCode = (typeof INJECTED_CODES)[number];

export interface Expected {
  code: InjectedCode;
  /** Index of the document in the variant's file. */
  document: number;
  /** where.field the finding must carry; absent = any finding of the code on the document. */
  field?: string;
}

export interface Variant {
  id: string;
  kind: "defect" | "clean";
  /** Seed the base file comes from ("001"). */
  seed: string;
  /** Operator name, e.g. "score-sum/indicator". */
  operator: string;
  /** What was changed, in plain words (with the values). */
  description: string;
  docs: PerfDoc[];
  /** Findings the defect must produce ([] for clean variants). */
  expected: Expected[];
  /** For each document of the variant, the index of the base document it comes from. */
  origin: number[];
}

export interface BaseFile {
  seed: string;
  file: string;
  docs: PerfDoc[];
}

export interface CorpusOptions {
  seed: number;
  /** Defect variants. */
  count: number;
  /** Clean variants. */
  clean: number;
}

export const DEFAULT_OPTIONS: CorpusOptions = { seed: 1, count: 500, clean: 500 };

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32): same seed → same corpus.

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    if (!xs.length) throw new Error("pick from empty list");
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

// ---------------------------------------------------------------------------------------------
// Base files

/** The documents of every seed .docx, as extracted (they equal the gold). */
export async function loadBases(): Promise<BaseFile[]> {
  const out: BaseFile[] = [];
  for (const s of loadSeeds()) {
    const path = join(SEEDS_DIR, `${s.base}.docx`);
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    if (r.error) throw new Error(`${path}: ${r.error.code} ${r.error.message}`);
    out.push({ seed: s.id, file: `${s.base}.docx`, docs: r.documents });
  }
  return out;
}

/** Key of a finding for comparisons between variants: code + field (or label). */
export const findingKey = (f: Finding) => `${f.code}@${f.where.field ?? f.where.label}`;

// ---------------------------------------------------------------------------------------------
// Helpers: the rules' definitions (domain.md §4), written independently of src/validate.

const TOL_LINE = 0.01;
const TOL_TOTAL = 0.05;
const clone = <T>(x: T): T => structuredClone(x);
const r2 = (x: number) => roundHalfUp(x, 2);
const r6 = (x: number) => roundHalfUp(x, 6);
const shortest = (v: number) => String(Number(v.toPrecision(15)));
const HAN = /[\u4e00-\u9fff]/g;
const hanCount = (s: string) => (s.match(HAN) ?? []).length;

function setProv(p: Provenance | null | undefined, text: string): void {
  if (p) p.text = text;
}

const FULL = "０１２３４５６７８９";
const fullWidth = (t: string) => t.replace(/[0-9]/g, (d) => FULL[Number(d)]!).replace(/\./g, "．").replace(/%/g, "％");

/** The value printed in one of the ways the forms print numbers ("9.5", "9.50", "９．５", "9.5分",
 * "1,234.50"); the exporter writes this text when it still reads as the value. */
function printed(rng: Rng, v: number, kind: "score" | "amount" | "plain"): string {
  const s = shortest(v);
  const forms = kind === "plain" ? [s, s, fullWidth(s)] : [s, s, v.toFixed(2), fullWidth(s)];
  if (kind === "score") forms.push(`${s}分`);
  if (kind === "amount" && Math.abs(v) >= 1000) forms.push(v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const t = rng.pick(forms);
  return parseNumber(t) === v ? t : s;
}

const selfEvals = (docs: PerfDoc[]) => docs.map((d, i) => ({ d, i })).filter((x): x is { d: SelfEvalDoc; i: number } => x.d.kind === "自评表");

/** Σ 得分 (execution score included, blanks as 0) − printed 总分. */
function scoreSumGap(doc: SelfEvalDoc): number | null {
  if (doc.total.score === null) return null;
  const scores = scoredLines(doc.indicators).map((l) => doc.indicators[l.i]!.score ?? 0);
  return sum([doc.funds.total.score ?? 0, ...scores]) - doc.total.score;
}

/** A number in the text (Arabic digits, or a Chinese numeral with a measure word). */
function hasNumber(t: string | null): boolean {
  return t !== null && /[0-9０-９]|[一二三四五六七八九十百千万两]+(个|人|场|次|件|户|项|部|名|家|所|期|份|批|台|套)/.test(t);
}

/** Money amounts (万元) written in a cost text: "6万元每年", "66.44万", "60000元". */
function moneyAmounts(text: string | null): { value: number; unit: string; raw: string; index: number }[] {
  if (!text) return [];
  const t = toHalfWidth(text);
  return [...t.matchAll(/(\d+(?:\.\d+)?)\s*(万元|万|元)/g)].map((m) => ({ value: Number(m[1]), unit: m[2]!, raw: m[0], index: m.index }));
}
const toWan = (a: { value: number; unit: string }) => (a.unit === "元" ? a.value / 1e4 : a.value);
const isUnitCost = (t: string) => /\/(人|次|个|户|场|件)|每(人|次|个|户|场|件)|单价|人均|户均/.test(t);

/** The project cost a cost text states (万元): its single amount, or the one labelled 合计/总计/共计. */
function statedCost(text: string | null): number | null {
  if (!text || isUnitCost(text)) return null;
  const ms = moneyAmounts(text);
  if (ms.length === 1) return toWan(ms[0]!);
  if (ms.length > 1) {
    const t = toHalfWidth(text);
    const total = ms.find((m) => /(合计|总计|共计|总成本|总额)[为是:：]?\s*$/.test(t.slice(0, m.index)));
    if (total) return toWan(total);
  }
  return null;
}

const isCost = (ind: Indicator) => /成本/.test(`${ind.level1 ?? ""}${ind.level2 ?? ""}`);

/** Σ stated costs of the document's cost indicators, or null when none states one. */
function costTotal(doc: SelfEvalDoc): number | null {
  const xs = doc.indicators.filter(isCost).map((i) => statedCost(i.target)).filter((x): x is number => x !== null);
  return xs.length ? sum(xs) : null;
}

/** The cost total matches none of the project's amounts (年初预算数, 全年预算数, 全年执行数). */
function costMismatch(doc: SelfEvalDoc): boolean {
  const c = costTotal(doc);
  if (c === null) return false;
  const t = doc.funds.total;
  const budgets = [t.initial, t.adjusted, t.executed].filter((x): x is number => x !== null && x > 0);
  return budgets.length > 0 && budgets.every((b) => Math.abs(b - c) > TOL_LINE + 1e-9);
}

function fundsGap(doc: SelfEvalDoc, col: "initial" | "adjusted" | "executed"): number | null {
  const parts = (["fiscal", "carryover", "other"] as const).map((k) => doc.funds[k][col]);
  if (parts.every((p) => p === null)) return null;
  return (doc.funds.total[col] ?? 0) - sum(parts.map((p) => p ?? 0));
}

/** Decimals printed in a number's text (at least 2: amounts are printed to 0.01万元). */
function printedDecimals(text: string | undefined, min = 2): number {
  const m = /\d+\.(\d+)/.exec(text ?? "");
  return Math.max(min, m ? m[1]!.length : 0);
}

function itemSumBroken(doc: TargetFormDoc): boolean {
  const items = doc.budget_items.map((it, i) => ({ it, i })).filter(({ it }) => it.amount !== null);
  if (!items.length || doc.amount_total === null) return false;
  const s = sum(items.map(({ it }) => it.amount!));
  const slack = items.reduce((a, { i }) => a + 0.5 * 10 ** -printedDecimals(doc.provenance.budget_items[i]?.amount?.text), 0) + 0.5 * 10 ** -printedDecimals(doc.provenance.amount_total?.text, 4);
  return Math.abs(s - doc.amount_total) > slack + 1e-9;
}

function itemProductBroken(doc: TargetFormDoc, k: number): boolean {
  const it = doc.budget_items[k]!;
  if (it.amount === null || it.unit_price === null || !it.quantity) return false;
  const d = printedDecimals(doc.provenance.budget_items[k]?.unit_price?.text);
  return Math.abs(roundHalfUp(it.amount / it.quantity, d) - it.unit_price) > 10 ** -d / 2 + 1e-12;
}

/** Bigram share of a text found in a context (the copy rule's notion of "fits the project"). */
function fit(text: string, context: string): number {
  const h = (text.match(HAN) ?? []).join("");
  const bg: string[] = [];
  for (let i = 0; i + 1 < h.length; i++) bg.push(h.slice(i, i + 2));
  if (!bg.length) return 1;
  return bg.filter((b) => context.includes(b)).length / bg.length;
}

/** A project's own words: name, goals, indicator names, report (not its targets). */
function ownWords(d: SelfEvalDoc): string {
  return squash([d.name, d.goals.expected, d.goals.actual, ...d.indicators.map((i) => i.level3), ...(d.report?.sections.map((s) => s.text) ?? [])].filter(Boolean).join(" "));
}

const isPlaceholderReason = (s: string | null) => s === null || ["", "无", "暂无", "没有", "无偏差", "/", "—", "-"].includes(squash(toHalfWidth(s)).replace(/[。.]+$/, ""));

// ---------------------------------------------------------------------------------------------
// Defect operators. Each returns null when it does not apply to the base it drew.

interface Ctx {
  rng: Rng;
  base: BaseFile;
  /** Finding keys of each base document (validator, in memory). */
  baseKeys: Set<string>[];
}

type Made = { operator: string; description: string; docs: PerfDoc[]; expected: Expected[] };
type Operator = (c: Ctx) => Made | null;

const hasKey = (c: Ctx, doc: number, code: string, field?: string) =>
  [...c.baseKeys[doc]!].some((k) => k.startsWith(`${code}@`) && (field === undefined || k === `${code}@${field}`));

const MAGNITUDES = [0.5, 1, 1.5, 2, 3, 4, 5, 8, 10];

const opScoreSum: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cands = selfEvals(docs).filter(({ d, i }) => !hasKey(c, i, "SCORE_SUM_MISMATCH") && d.total.score !== null && Math.abs(scoreSumGap(d) ?? 1) <= TOL_TOTAL);
  if (!cands.length) return null;
  const { d, i } = c.rng.pick(cands);
  if (c.rng.chance(0.65)) {
    const lines = scoredLines(d.indicators).filter((l) => d.indicators[l.i]!.weight !== null && d.indicators[l.i]!.score !== null);
    const l = c.rng.pick(lines);
    const ind = d.indicators[l.i]!;
    const w = ind.weight!;
    const s = ind.score!;
    const deltas = [...MAGNITUDES, w / 2, w].flatMap((m) => [m, -m]).map(r2).filter((x) => s + x >= 0 && s + x <= w && Math.abs(x) > TOL_TOTAL);
    if (!deltas.length) return null;
    const delta = c.rng.pick(deltas);
    ind.score = r2(s + delta);
    setProv(d.provenance.indicators[l.i]?.score, printed(c.rng, ind.score, "score"));
    if (Math.abs(scoreSumGap(d)!) <= TOL_TOTAL) return null;
    return { operator: "score-sum/indicator", description: `doc ${i} indicator ${l.i} 得分 ${s} → ${ind.score}; 总分 stays ${d.total.score}`, docs, expected: [{ code: "SCORE_SUM_MISMATCH", document: i, field: "total.score" }] };
  }
  const old = d.total.score!;
  const delta = c.rng.pick([...MAGNITUDES, 0.06, 0.1, 0.2, 15, 20].flatMap((m) => [m, -m]).filter((x) => old + x >= 0 && old + x <= (d.total.weight ?? 100)));
  d.total.score = r2(old + delta);
  setProv(d.provenance.total.score, printed(c.rng, d.total.score, "score"));
  if (Math.abs(scoreSumGap(d)!) <= TOL_TOTAL) return null;
  return { operator: "score-sum/total", description: `doc ${i} 总分 ${old} → ${d.total.score}`, docs, expected: [{ code: "SCORE_SUM_MISMATCH", document: i, field: "total.score" }] };
};

const opRate: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cands = selfEvals(docs).filter(({ d, i }) => {
    const t = d.funds.total;
    return t.adjusted !== null && t.adjusted > 0 && t.executed !== null && !hasKey(c, i, "RATE_MISMATCH");
  });
  if (!cands.length) return null;
  const { d, i } = c.rng.pick(cands);
  const t = d.funds.total;
  const ratio = t.executed! / t.adjusted!;
  const truePct = ratio * 100;
  if (c.rng.chance(0.7) || t.weight === null) {
    // The printed 执行率 differs from B/A by more than 0.01 percentage points.
    const off = c.rng.pick([0.02, 0.03, 0.05, 0.1, 0.5, 1, 2, 3, 5, 10, 15, 20, 40, 50].flatMap((m) => [m, -m]).filter((x) => truePct + x >= 0 && truePct + x <= 200));
    const v = truePct + off;
    const text = c.rng.pick([`${v.toFixed(2)}%`, `${v.toFixed(2)}%`, `${shortest(r2(v))}%`, `${Math.round(v)}%`, fullWidth(`${v.toFixed(2)}%`), `${v.toFixed(2)} %`]);
    const printed = Number(toHalfWidth(text).replace(/[%\s]/g, ""));
    if (Math.abs(printed - truePct) <= TOL_LINE + 0.005) return null;
    const old = t.rate;
    t.rate = text;
    setProv(d.provenance.funds.total.rate, text);
    return { operator: "rate/printed", description: `doc ${i} 执行率 ${old ?? "（空）"} → ${text} (B/A = ${truePct.toFixed(4)}%)`, docs, expected: [{ code: "RATE_MISMATCH", document: i, field: "funds.total.rate" }] };
  }
  // The execution points differ from 分值 × min(B/A, 1); the total follows so only this is wrong.
  const w = t.weight;
  const right = r2(w * Math.min(ratio, 1));
  const s = c.rng.pick([0.5, 1, 2, 3, 5, w].flatMap((m) => [right + m, right - m]).map(r2).filter((x) => x >= 0 && x <= w && Math.abs(x - right) > TOL_LINE));
  if (s === undefined) return null;
  const old = t.score;
  t.score = s;
  setProv(d.provenance.funds.total.score, printed(c.rng, s, "score"));
  if (d.total.score !== null && old !== null) {
    d.total.score = r2(d.total.score + s - old);
    setProv(d.provenance.total.score, printed(c.rng, d.total.score, "score"));
  }
  return { operator: "rate/score", description: `doc ${i} 执行率得分 ${old} → ${s} (should be ${right}); 总分 adjusted`, docs, expected: [{ code: "RATE_MISMATCH", document: i, field: "funds.total.score" }] };
};

const VAGUE_WHOLE = ["完成", "已完成", "达标", "合格", "及时", "按时", "按期完成", "明显提高", "显著提升", "有效", "持续", "良好", "较好", "满意", "改善", "逐步提高", "进一步加强", "保障到位", "正常开展", "稳步推进", "大幅提升", "全覆盖", "到位", "按要求完成", "工作质量明显提升", "群众满意度进一步提高", "按计划推进", "效果良好", "全面完成年度任务", "基本满意", "达到预期效果", "确保资金安全"];
const VAGUE_NUMBER = ["若干", "多", "较多", "一定数量的", "相应", "适量"];

const opVague: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cands = selfEvals(docs).flatMap(({ d, i }) => d.indicators.map((ind, k) => ({ d, i, k, ind })).filter(({ ind, k }) => hasNumber(ind.target) && !hasKey(c, i, "VAGUE_TARGET", `indicators[${k}].target`)));
  if (!cands.length) return null;
  const { d, i, k, ind } = c.rng.pick(cands);
  const old = ind.target!;
  let text: string;
  let how: string;
  if (c.rng.chance(0.55)) {
    text = c.rng.pick(VAGUE_WHOLE);
    how = "whole";
  } else {
    // The number (with its operator and unit) replaced inside the text: "开展活动5场" → "开展活动若干场".
    const w = c.rng.pick(VAGUE_NUMBER);
    // Quantities only: a year or a date ("2020年全年") is not the target's number.
    text = toHalfWidth(old)
      .replace(/[≥≤><=]?\s*\d+(?:\.\d+)?\s*(%|万元|万|元)?(?![\d.年月日])/g, (_m, unit: string | undefined) => (unit === "%" ? "较高比例" : unit ? `${w}资金` : w))
      .replace(/[一二三四五六七八九十百千万两]+(?=个|人|场|次|件|户|项|部|名|家|所|期|份|批|台|套)/g, w);
    how = "in-text";
  }
  if (hasNumber(text) || squash(text) === "" || squash(text) === squash(old)) return null;
  ind.target = text;
  return { operator: `vague/${how}`, description: `doc ${i} indicator ${k} 指标值 “${old}” → “${text}”`, docs, expected: [{ code: "VAGUE_TARGET", document: i, field: `indicators[${k}].target` }] };
};

/** Sentences of a project's own texts that could be copied: ≥ 10 Han characters. */
function ownPieces(d: SelfEvalDoc): string[] {
  const texts = [d.goals.expected, d.goals.actual, ...d.indicators.map((i) => i.level3), ...(d.report?.sections.map((s) => s.text) ?? [])].filter((x): x is string => !!x);
  const out = new Set<string>();
  for (const t of texts) {
    for (const p of t.split(/[。；;！!？?\n]/)) {
      const s = squash(p).replace(/^[（(]?[一二三四五六七八九十\d]+[)）、.．]/, "").replace(/[，,、：:]+$/, "");
      if (hanCount(s) >= 10 && hanCount(s) <= 40) out.add(s);
    }
  }
  return [...out];
}

const opCopy: Operator = (c) => {
  const docs = clone(c.base.docs);
  const se = selfEvals(docs);
  if (se.length < 2) return null;
  const a = c.rng.pick(se);
  const others = se.filter((x) => x.i !== a.i);
  const b = c.rng.pick(others);
  const ownA = ownWords(a.d);
  const ownB = ownWords(b.d);
  // Real by the definition: the piece is the other project's own words, verbatim, and not this one's.
  const pieces = ownPieces(b.d).filter((p) => ownB.includes(p) && fit(p, ownA) < 0.5 && !ownA.includes(p));
  if (!pieces.length) return null;
  const targets = a.d.indicators.map((ind, k) => ({ ind, k })).filter(({ ind, k }) => ind.target !== null && !hasKey(c, a.i, "TEXT_COPIED_ACROSS_PROJECTS", `indicators[${k}].target`));
  if (!targets.length) return null;
  const { ind, k } = c.rng.pick(targets);
  const piece = c.rng.pick(pieces);
  const old = ind.target!;
  const append = c.rng.chance(0.4);
  ind.target = append ? `${old.replace(/[。；;]+$/, "")}；${piece}` : c.rng.chance(0.5) ? piece : `${piece}。`;
  return {
    operator: `copy/${append ? "append" : "replace"}`,
    description: `doc ${a.i} indicator ${k} 指标值 “${old}” → “${ind.target}” (words of doc ${b.i})`,
    docs,
    expected: [{ code: "TEXT_COPIED_ACROSS_PROJECTS", document: a.i, field: `indicators[${k}].target` }],
  };
};

function switchUnit(text: string, a: { value: number; unit: string; raw: string; index: number }, to: "万元" | "元"): string {
  const t = toHalfWidth(text);
  const num = a.raw.replace(/\s*(万元|万|元)$/, "");
  return t.slice(0, a.index) + num + to + t.slice(a.index + a.raw.length);
}

const opUnit: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cands = selfEvals(docs).filter(({ d, i }) => !hasKey(c, i, "COST_BUDGET_MISMATCH") && costTotal(d) !== null && !costMismatch(d));
  if (!cands.length) return null;
  const { d, i } = c.rng.pick(cands);
  const mode = c.rng.pick(["target", "target", "target-yuan", "funds"] as const);
  let description: string;
  if (mode === "funds") {
    // The funds written in 元 (or the 元 figures taken as 万元): every amount ×10⁴ or ÷10⁴, so the
    // funds block still adds up, while the cost target keeps its 万元.
    const up = c.rng.chance(0.6);
    for (const row of ["total", "fiscal", "carryover", "other"] as const) {
      for (const col of ["initial", "adjusted", "executed"] as const) {
        const v = d.funds[row][col];
        if (v === null) continue;
        const nv = r6(up ? v * 1e4 : v / 1e4);
        d.funds[row][col] = nv;
        setProv(d.provenance.funds[row][col], printed(c.rng, nv, "amount"));
      }
    }
    description = `doc ${i} funds ${up ? "×" : "÷"}10000 (万元 ↔ 元), cost target unchanged`;
  } else {
    const inds = d.indicators.map((ind, k) => ({ ind, k })).filter(({ ind }) => isCost(ind) && ind.target && !isUnitCost(ind.target) && moneyAmounts(ind.target).length === 1);
    if (!inds.length) return null;
    const { ind, k } = c.rng.pick(inds);
    const old = ind.target!;
    const a = moneyAmounts(old)[0]!;
    if (mode === "target-yuan" && a.unit !== "元") {
      // "6万元" first written as "60000元" (harmless, see the clean variants), then 元 → 万元.
      const yuan = r6(a.value * 1e4);
      if (!Number.isInteger(yuan * 100)) return null;
      ind.target = `${toHalfWidth(old).slice(0, a.index)}${shortest(yuan)}万元${toHalfWidth(old).slice(a.index + a.raw.length)}`;
    } else {
      ind.target = switchUnit(old, a, a.unit === "元" ? "万元" : "元");
    }
    description = `doc ${i} indicator ${k} 成本 指标值 “${old}” → “${ind.target}”`;
  }
  if (!costMismatch(d)) return null;
  return { operator: `unit/${mode}`, description, docs, expected: [{ code: "COST_BUDGET_MISMATCH", document: i }] };
};

const REASONS = [
  "受疫情影响，部分活动延期开展，下一步将加强计划管理。",
  "部分工作未按期完成，明年将提前部署、加快进度。",
  "宣传覆盖面不足；将拓展宣传渠道，增加入户宣传。",
  "资金拨付滞后影响进度，将加快资金拨付。",
  "个别指标完成值略低于目标值，已制定整改措施。",
  "服务对象反馈意见尚未全部落实，将建立回访机制。",
];
const BLANK_REASONS: (string | null)[] = [null, "无", "暂无", "/", "—", "无。"];

const opDeviation: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cands = selfEvals(docs).flatMap(({ d, i }) =>
    scoredLines(d.indicators)
      .filter((l) => {
        const ind = d.indicators[l.i]!;
        return ind.weight !== null && ind.score !== null && ind.weight > 0 && !hasKey(c, i, "MISSING_DEVIATION", `indicators[${l.i}].deviation`);
      })
      .map((l) => ({ d, i, k: l.i })),
  );
  if (!cands.length) return null;
  const { d, i, k } = c.rng.pick(cands);
  const ind = d.indicators[k]!;
  const w = ind.weight!;
  const oldScore = ind.score!;
  const oldReason = ind.deviation;
  // Precondition: a deducted indicator (得分 < 分值, the total following) …
  if (oldScore >= w - TOL_LINE) {
    const d0 = c.rng.pick([0.05, 0.1, 0.5, 1, 1, 2, 2, 3, w * 0.2, w * 0.5].map(r2).filter((x) => x > TOL_LINE && x <= w));
    ind.score = r2(w - d0);
    setProv(d.provenance.indicators[k]?.score, printed(c.rng, ind.score, "score"));
    if (d.total.score !== null) {
      d.total.score = r2(d.total.score - (oldScore - ind.score));
      setProv(d.provenance.total.score, printed(c.rng, d.total.score, "score"));
    }
  }
  // … whose 偏差原因 is deleted (blank or a placeholder).
  ind.deviation = c.rng.pick(BLANK_REASONS);
  if (!(ind.score! < w - TOL_LINE) || !isPlaceholderReason(ind.deviation)) return null;
  return {
    operator: "deviation/deleted",
    description: `doc ${i} indicator ${k} 得分 ${oldScore} → ${ind.score}/${w}, 偏差原因 “${oldReason ?? ""}” → ${ind.deviation === null ? "blank" : `“${ind.deviation}”`} (a reason such as “${REASONS[0]}” was due)`,
    docs,
    expected: [{ code: "MISSING_DEVIATION", document: i, field: `indicators[${k}].deviation` }],
  };
};

const opBlankScore: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cands = selfEvals(docs).flatMap(({ d, i }) =>
    scoredLines(d.indicators)
      .filter((l) => d.indicators[l.i]!.weight !== null && d.indicators[l.i]!.score !== null && !hasKey(c, i, "SCORE_MISSING", `indicators[${l.i}].score`))
      .map((l) => ({ d, i, k: l.i })),
  );
  if (!cands.length) return null;
  const { d, i, k } = c.rng.pick(cands);
  const ind = d.indicators[k]!;
  const old = ind.score!;
  ind.score = null;
  const dash = c.rng.chance(0.3);
  setProv(d.provenance.indicators[k]?.score, dash ? "—" : "");
  const adjust = c.rng.chance(0.5) && d.total.score !== null;
  if (adjust) {
    d.total.score = r2(d.total.score! - old);
    setProv(d.provenance.total.score, printed(c.rng, d.total.score, "score"));
  }
  return {
    operator: `blank-score/${dash ? "dash" : "empty"}`,
    description: `doc ${i} indicator ${k} 得分 ${old} → ${dash ? "“—”" : "blank"} (分值 ${ind.weight})${adjust ? "; 总分 follows" : ""}`,
    docs,
    expected: [{ code: "SCORE_MISSING", document: i, field: `indicators[${k}].score` }],
  };
};

const opExceed: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cands = selfEvals(docs).flatMap(({ d, i }) =>
    scoredLines(d.indicators)
      .filter((l) => d.indicators[l.i]!.weight !== null && d.indicators[l.i]!.score !== null && !hasKey(c, i, "SCORE_EXCEEDS_WEIGHT", `indicators[${l.i}].score`))
      .map((l) => ({ d, i, k: l.i })),
  );
  if (!cands.length) return null;
  const { d, i, k } = c.rng.pick(cands);
  const ind = d.indicators[k]!;
  const w = ind.weight!;
  const old = ind.score!;
  ind.score = r2(w + c.rng.pick([0.02, 0.1, 0.5, 1, 2, 3, 5, w, 2 * w].map(r2)));
  setProv(d.provenance.indicators[k]?.score, printed(c.rng, ind.score, "score"));
  const adjust = c.rng.chance(0.5) && d.total.score !== null;
  if (adjust) {
    d.total.score = r2(d.total.score! + ind.score - old);
    setProv(d.provenance.total.score, printed(c.rng, d.total.score, "score"));
  }
  if (!(ind.score > w + TOL_LINE)) return null;
  return {
    operator: "exceed/score",
    description: `doc ${i} indicator ${k} 得分 ${old} → ${ind.score} > 分值 ${w}${adjust ? "; 总分 follows" : ""}`,
    docs,
    expected: [{ code: "SCORE_EXCEEDS_WEIGHT", document: i, field: `indicators[${k}].score` }],
  };
};

const opFunds: Operator = (c) => {
  const docs = clone(c.base.docs);
  const cols = ["initial", "adjusted", "executed"] as const;
  const cands = selfEvals(docs).flatMap(({ d, i }) =>
    cols.filter((col) => !hasKey(c, i, "FUNDS_SUM_MISMATCH", `funds.total.${col}`) && d.funds.total[col] !== null).map((col) => ({ d, i, col })),
  );
  if (!cands.length) return null;
  const { d, i, col } = c.rng.pick(cands);
  const row = c.rng.pick(["fiscal", "fiscal", "carryover", "other"] as const);
  const old = d.funds[row][col];
  const total = d.funds.total[col]!;
  const deltas = [0.02, 0.03, 0.05, 0.1, 0.5, 1, 2, 5, 10, r2(total * 0.1), r2(total * 0.5)].flatMap((m) => [m, -m]).filter((x) => (old ?? 0) + x >= 0 && Math.abs(x) > TOL_LINE * 2);
  if (!deltas.length) return null;
  const nv = r2((old ?? 0) + c.rng.pick(deltas));
  d.funds[row][col] = nv;
  setProv(d.provenance.funds[row][col], printed(c.rng, nv, "amount"));
  const gap = fundsGap(d, col);
  if (gap === null || Math.abs(gap) <= TOL_LINE + 1e-9) return null;
  return {
    operator: `funds/${row}`,
    description: `doc ${i} ${row}.${col} ${old ?? "（空）"} → ${nv}; 年度资金总额 ${total} no longer the sum`,
    docs,
    expected: [{ code: "FUNDS_SUM_MISMATCH", document: i, field: `funds.total.${col}` }],
  };
};

const opItem: Operator = (c) => {
  const docs = clone(c.base.docs);
  const forms = docs.map((d, i) => ({ d, i })).filter((x): x is { d: TargetFormDoc; i: number } => x.d.kind === "目标申报表" && x.d.budget_items.some((b) => b.amount !== null));
  if (!forms.length) return null;
  const { d, i } = c.rng.pick(forms);
  if (itemSumBroken(d) || hasKey(c, i, "ITEM_SUM_MISMATCH") || hasKey(c, i, "ITEM_PRODUCT_MISMATCH")) return null;
  const k = c.rng.pick(d.budget_items.map((b, k) => ({ b, k })).filter(({ b }) => b.amount !== null && b.unit_price !== null && b.quantity)).k;
  const it = d.budget_items[k]!;
  const pv = d.provenance.budget_items[k]!;
  const a0 = it.amount!;
  const mode = c.rng.pick(["sum", "sum", "sum-total", "product", "product-price", "product-qty", "both"] as const);
  const delta = c.rng.pick([0.11, 0.12, 0.2, 0.3, 0.5, 1, 2, 5, 10, 20, 50, 100, r2(a0 * 0.1)].filter((x) => x >= 0.11).flatMap((m) => [m, -m]).filter((x) => a0 + x > 0));
  const setAmount = (v: number) => {
    it.amount = r2(v);
    setProv(pv.amount, printed(c.rng, it.amount, "amount"));
  };
  const setTotal = (v: number) => {
    d.amount_total = roundHalfUp(v, 4);
    setProv(d.provenance.amount_total, shortest(d.amount_total));
    if (d.funds_total !== null) {
      d.funds_total = d.amount_total;
      setProv(d.provenance.funds_total, shortest(d.amount_total));
    }
  };
  let description: string;
  if (mode === "sum") {
    // Amount and unit price change together (the product holds); the items no longer add up.
    setAmount(a0 + delta);
    const u = roundHalfUp(it.amount! / it.quantity!, 2);
    description = `budget item ${k} 金额 ${a0} → ${it.amount}, 单价 ${it.unit_price} → ${u}`;
    it.unit_price = u;
    setProv(pv.unit_price, printed(c.rng, u, "amount"));
  } else if (mode === "sum-total") {
    const old = d.amount_total!;
    setTotal(old + delta);
    description = `金额合计 ${old} → ${d.amount_total}`;
  } else if (mode === "product") {
    // The amount changes and the total follows (the sum holds); the unit price no longer fits.
    setAmount(a0 + delta);
    setTotal(d.amount_total! + (it.amount! - a0));
    description = `budget item ${k} 金额 ${a0} → ${it.amount} (金额合计 follows), 单价 ${it.unit_price} × 数量 ${it.quantity} unchanged`;
  } else if (mode === "product-price") {
    const old = it.unit_price!;
    const nu = r2(old + c.rng.pick([0.01, 0.02, 0.05, 0.1, 0.5, 1, 2, r2(old * 0.2)].filter((x) => x >= 0.01).flatMap((m) => [m, -m]).filter((x) => old + x > 0)));
    it.unit_price = nu;
    setProv(pv.unit_price, printed(c.rng, nu, "amount"));
    description = `budget item ${k} 单价 ${old} → ${nu} (金额 ${a0}, 数量 ${it.quantity})`;
  } else if (mode === "product-qty") {
    const old = it.quantity!;
    const nq = c.rng.pick([1, 2, 3, 5, 10].flatMap((m) => [old + m, old - m]).filter((x) => x > 0 && x !== old));
    it.quantity = nq;
    setProv(pv.quantity, printed(c.rng, nq, "plain"));
    description = `budget item ${k} 数量 ${old} → ${nq} (金额 ${a0}, 单价 ${it.unit_price})`;
  } else {
    setAmount(a0 + delta);
    description = `budget item ${k} 金额 ${a0} → ${it.amount} alone`;
  }
  const expected: Expected[] = [];
  if (itemSumBroken(d)) expected.push({ code: "ITEM_SUM_MISMATCH", document: i, field: "amount_total" });
  if (itemProductBroken(d, k)) expected.push({ code: "ITEM_PRODUCT_MISMATCH", document: i, field: `budget_items[${k}].unit_price` });
  // Other items must still be consistent (only this one was touched).
  if (d.budget_items.some((_b, j) => j !== k && itemProductBroken(d, j))) return null;
  const wanted = { sum: ["ITEM_SUM_MISMATCH"], "sum-total": ["ITEM_SUM_MISMATCH"], product: ["ITEM_PRODUCT_MISMATCH"], "product-price": ["ITEM_PRODUCT_MISMATCH"], "product-qty": ["ITEM_PRODUCT_MISMATCH"], both: ["ITEM_SUM_MISMATCH", "ITEM_PRODUCT_MISMATCH"] }[mode];
  if (expected.map((e) => e.code).join() !== wanted.join()) return null;
  return { operator: `item/${mode}`, description, docs, expected };
};

/** One family per injected code (ITEM_SUM / ITEM_PRODUCT share the item family). */
export const OPERATORS: { name: string; codes: InjectedCode[]; op: Operator }[] = [
  { name: "score-sum", codes: ["SCORE_SUM_MISMATCH"], op: opScoreSum },
  { name: "rate", codes: ["RATE_MISMATCH"], op: opRate },
  { name: "vague", codes: ["VAGUE_TARGET"], op: opVague },
  { name: "copy", codes: ["TEXT_COPIED_ACROSS_PROJECTS"], op: opCopy },
  { name: "unit", codes: ["COST_BUDGET_MISMATCH"], op: opUnit },
  { name: "deviation", codes: ["MISSING_DEVIATION"], op: opDeviation },
  { name: "blank-score", codes: ["SCORE_MISSING"], op: opBlankScore },
  { name: "exceed", codes: ["SCORE_EXCEEDS_WEIGHT"], op: opExceed },
  { name: "funds", codes: ["FUNDS_SUM_MISMATCH"], op: opFunds },
  { name: "item", codes: ["ITEM_SUM_MISMATCH", "ITEM_PRODUCT_MISMATCH"], op: opItem },
];

// ---------------------------------------------------------------------------------------------
// Clean variants: harmless changes only.

// Names of the same policy field as the seeds (公共安全与政法), so a rename does not change what the
// project is about (INDICATOR_IRRELEVANT judges an indicator against the project's field).
const NAME_POOL = [
  "社区矫正工作经费",
  "综治中心运行维护经费",
  "人民调解专项经费",
  "网格化服务管理经费",
  "治安巡防专项经费",
  "平安创建宣传经费",
  "反恐防范工作经费",
  "维稳信息化建设经费",
  "政法队伍建设经费",
  "矛盾纠纷排查调处经费",
  "邪教防范宣传经费",
  "治安防控体系建设经费",
  "辅警队伍保障经费",
  "派出所运行保障经费",
  "禁毒社会化工作经费",
  "综治网格员补助经费",
];

function replaceAllText(d: SelfEvalDoc, from: string, to: string): void {
  const rep = (s: string | null) => (s === null ? s : s.split(from).join(to));
  d.name = rep(d.name);
  d.goals.expected = rep(d.goals.expected);
  d.goals.actual = rep(d.goals.actual);
  for (const ind of d.indicators) {
    ind.level3 = rep(ind.level3);
    ind.target = rep(ind.target);
    ind.actual = rep(ind.actual);
    ind.deviation = rep(ind.deviation);
  }
  if (d.report) {
    d.report.title = rep(d.report.title)!;
    for (const s of d.report.sections) s.text = rep(s.text)!;
  }
  setProv(d.provenance.name, d.name ?? "");
}

/** Every money amount in a text scaled by k ("6万元" → "12万元"). */
function scaleMoney(s: string | null, k: number): string | null {
  if (s === null) return s;
  return toHalfWidth(s).replace(/(\d+(?:\.\d+)?)(\s*)(万元|万|元)/g, (_m, n: string, sp: string, u: string) => `${shortest(r6(Number(n) * k))}${sp}${u}`);
}

function rescale(rng: Rng, docs: PerfDoc[], k: number): void {
  for (const d of docs) {
    if (d.kind === "自评表") {
      for (const row of ["total", "fiscal", "carryover", "other"] as const) {
        for (const col of ["initial", "adjusted", "executed"] as const) {
          const v = d.funds[row][col];
          if (v === null) continue;
          d.funds[row][col] = r6(v * k);
          setProv(d.provenance.funds[row][col], printed(rng, d.funds[row][col]!, "amount"));
        }
      }
      d.goals.expected = scaleMoney(d.goals.expected, k);
      d.goals.actual = scaleMoney(d.goals.actual, k);
      for (const ind of d.indicators) {
        ind.level3 = scaleMoney(ind.level3, k);
        ind.target = scaleMoney(ind.target, k);
        ind.actual = scaleMoney(ind.actual, k);
        ind.deviation = scaleMoney(ind.deviation, k);
      }
      if (d.report) for (const s of d.report.sections) s.text = scaleMoney(s.text, k)!;
    } else if (d.kind === "目标申报表") {
      for (const [j, it] of d.budget_items.entries()) {
        if (it.amount === null) continue;
        it.amount = r2(it.amount * k);
        setProv(d.provenance.budget_items[j]?.amount, printed(rng, it.amount, "amount"));
        if (it.quantity) {
          it.unit_price = roundHalfUp(it.amount / it.quantity, 2);
          setProv(d.provenance.budget_items[j]?.unit_price, printed(rng, it.unit_price, "amount"));
        }
      }
      if (d.amount_total !== null) d.amount_total = roundHalfUp(d.amount_total * k, 4);
      if (d.funds_total !== null) d.funds_total = roundHalfUp(d.funds_total * k, 4);
      setProv(d.provenance.amount_total, shortest(d.amount_total ?? 0));
    }
  }
}

/** Cost texts rewritten from 万元 to 元 with the same value ("6万元" → "60000元"). */
function costToYuan(d: SelfEvalDoc): boolean {
  let changed = false;
  for (const ind of d.indicators) {
    if (!isCost(ind)) continue;
    // The name too when it carries the amount (西区: 三级指标 = 指标值 = "财政拨款5万元").
    for (const key of ["level3", "target", "actual"] as const) {
      const s = ind[key];
      if (!s) continue;
      const t = toHalfWidth(s).replace(/(\d+(?:\.\d+)?)(\s*)(万元|万)(?!人)/g, (_m, n: string, sp: string) => {
        changed = true;
        return `${shortest(r6(Number(n) * 1e4))}${sp}元`;
      });
      ind[key] = t;
    }
  }
  return changed;
}

/** Numbers reprinted in other forms with the same value ("6" → "6.00" / "６", "100%" → "100.00%"). */
function reformat(rng: Rng, docs: PerfDoc[]): number {
  let n = 0;
  for (const d of docs) {
    if (d.kind === "自评表") {
      for (const row of ["total", "fiscal", "carryover", "other"] as const) {
        for (const col of ["initial", "adjusted", "executed", "weight", "score"] as const) {
          const v = d.funds[row][col];
          if (v === null || !rng.chance(0.5)) continue;
          setProv(d.provenance.funds[row][col], printed(rng, v, col === "weight" || col === "score" ? "score" : "amount"));
          n++;
        }
        const r = d.funds[row].rate;
        const m = r === null ? null : /^(\d+(?:\.\d+)?)%$/.exec(squash(toHalfWidth(r)));
        if (m && rng.chance(0.5)) {
          const v = Number(m[1]);
          d.funds[row].rate = rng.pick([`${v.toFixed(2)}%`, fullWidth(`${shortest(v)}%`), `${shortest(v)} %`]);
          setProv(d.provenance.funds[row].rate, d.funds[row].rate!);
          n++;
        }
      }
      d.indicators.forEach((ind, k) => {
        for (const key of ["weight", "score"] as const) {
          const v = ind[key];
          if (v === null || !rng.chance(0.3)) continue;
          setProv(d.provenance.indicators[k]?.[key], printed(rng, v, "score"));
          n++;
        }
      });
      for (const key of ["weight", "score"] as const) {
        const v = d.total[key];
        if (v !== null && rng.chance(0.5)) (setProv(d.provenance.total[key], printed(rng, v, "score")), n++);
      }
    } else if (d.kind === "目标申报表") {
      d.budget_items.forEach((it, j) => {
        for (const key of ["amount", "unit_price"] as const) {
          const v = it[key];
          if (v === null || !rng.chance(0.3)) continue;
          setProv(d.provenance.budget_items[j]?.[key], printed(rng, v, "amount"));
          n++;
        }
      });
    }
  }
  return n;
}

function makeClean(rng: Rng, base: BaseFile): Made & { origin: number[] } {
  let docs = clone(base.docs);
  let origin = docs.map((_d, i) => i);
  const done: string[] = [];
  const se = selfEvals(docs);
  const wants = {
    rename: rng.chance(0.5),
    rescale: rng.chance(0.5),
    yuan: se.length > 0 && rng.chance(0.35),
    reorder: se.length > 1 && rng.chance(0.5),
    format: rng.chance(0.4),
  };
  if (!Object.values(wants).some(Boolean)) wants[rng.pick(se.length > 1 ? (["rename", "rescale", "reorder"] as const) : (["rename", "rescale"] as const))] = true;
  if (wants.rename) {
    const names = rng.shuffle(NAME_POOL);
    let n = 0;
    for (const { d } of se) {
      if (!d.name || !rng.chance(0.7)) continue;
      const to = names[n++]!;
      replaceAllText(d, d.name, to);
    }
    for (const d of docs) {
      if (d.kind === "目标申报表" && d.name) {
        d.name = names[n++]!;
        setProv(d.provenance.name, d.name);
      }
    }
    if (n) done.push(`renamed ${n} project(s)`);
  }
  if (wants.rescale) {
    // Integer factors keep a 申报表's items exact at 0.01; a 自评表 also takes ×1.5 / ×2.5 (0.001万元 amounts).
    const k = rng.pick(docs.some((d) => d.kind === "目标申报表") ? [2, 3, 4, 5, 10] : [1.5, 2, 2.5, 3, 4, 5, 10]);
    rescale(rng, docs, k);
    done.push(`amounts ×${k}`);
  }
  if (wants.yuan) {
    const picked = se.filter(() => rng.chance(0.6));
    const n = picked.filter(({ d }) => costToYuan(d)).length;
    if (n) done.push(`cost targets of ${n} project(s) in 元`);
  }
  if (wants.format) {
    const n = reformat(rng, docs);
    if (n) done.push(`reprinted ${n} number(s)`);
  }
  if (wants.reorder) {
    const perm = rng.shuffle(docs.map((_d, i) => i));
    if (perm.some((p, i) => p !== i)) {
      docs = perm.map((p) => docs[p]!);
      origin = perm;
      done.push(`reordered ${perm.join(",")}`);
    }
  }
  if (!done.length) {
    rescale(rng, docs, 2);
    done.push("amounts ×2");
  }
  return { operator: `clean/${done.map((x) => x.split(" ")[0]).join("+")}`, description: done.join("; "), docs, expected: [], origin };
}

// ---------------------------------------------------------------------------------------------
// The corpus

export function generateCorpus(bases: BaseFile[], opts: Partial<CorpusOptions> = {}): Variant[] {
  const o = { ...DEFAULT_OPTIONS, ...opts };
  const profile = defaultProfile();
  const ctxBase = bases.map((b) => ({ base: b, baseKeys: validateDocuments(b.docs, profile).map((fs) => new Set(fs.map(findingKey))) }));
  const rng = new Rng(o.seed);
  const out: Variant[] = [];
  let attempts = 0;
  while (out.filter((v) => v.kind === "defect").length < o.count) {
    if (++attempts > o.count * 200) throw new Error("mutation generator: too many rejected attempts");
    const n = out.length;
    const fam = OPERATORS[n % OPERATORS.length]!;
    const cb = rng.pick(ctxBase);
    const made = fam.op({ rng, base: cb.base, baseKeys: cb.baseKeys });
    if (!made) continue;
    out.push({ id: `d${String(n + 1).padStart(4, "0")}`, kind: "defect", seed: cb.base.seed, ...made, origin: made.docs.map((_d, i) => i) });
  }
  for (let k = 0; k < o.clean; k++) {
    const base = rng.pick(bases);
    const made = makeClean(rng, base);
    out.push({ id: `c${String(k + 1).padStart(4, "0")}`, kind: "clean", seed: base.seed, ...made });
  }
  return out;
}

export function summarize(vs: Variant[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const v of vs) m[v.operator] = (m[v.operator] ?? 0) + 1;
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}

export function parseCorpusArgs(argv: string[]): CorpusOptions & { out: string | null } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, def: number) => {
    const v = get(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer, got ${v}`);
    return n;
  };
  return { seed: num("seed", DEFAULT_OPTIONS.seed), count: num("count", DEFAULT_OPTIONS.count), clean: num("clean", DEFAULT_OPTIONS.clean), out: get("out") ?? null };
}

async function cli(): Promise<void> {
  const args = parseCorpusArgs(process.argv.slice(2));
  const bases = await loadBases();
  const vs = generateCorpus(bases, args);
  console.log(`seed ${args.seed}: ${vs.filter((v) => v.kind === "defect").length} defect variants, ${vs.filter((v) => v.kind === "clean").length} clean variants`);
  for (const [k, n] of Object.entries(summarize(vs))) console.log(`  ${k.padEnd(28)} ${n}`);
  if (args.out) {
    const { exportDocx } = await import("../src/export/docx.ts");
    mkdirSync(args.out, { recursive: true });
    for (const [n, v] of vs.entries()) {
      writeFileSync(join(args.out, `${v.id}.docx`), await exportDocx(v.docs));
      if ((n + 1) % 100 === 0) console.log(`  written ${n + 1}/${vs.length}`);
    }
    const manifest = vs.map(({ docs: _docs, ...rest }) => ({ ...rest, file: `${rest.id}.docx` }));
    writeFileSync(join(args.out, "manifest.json"), JSON.stringify({ seed: args.seed, count: args.count, clean: args.clean, variants: manifest }, null, 1) + "\n");
    console.log(`wrote ${vs.length} .docx and manifest.json to ${args.out}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await cli();
