// Runs the mutation corpus (evals/mutate.ts) through the real path: each variant is written as a
// .docx with exportDocx (the export's writer), read back with extractBuffer and checked with
// checkExtracted. Reports defect recall per code on the defect variants and the false-alarm rate on
// the clean variants; each miss is also checked in memory (validateDocuments on the variant's
// documents) to tell a validator gap from a loss in the round trip.
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { PerfDoc } from "../src/domain/document.ts";
import type { Finding } from "../src/domain/finding.ts";
import { exportDocx } from "../src/export/docx.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { checkExtracted } from "../src/check.ts";
import { validateDocuments } from "../src/validate/index.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { compareDoc, type FieldDiff } from "./compare.ts";
import { INJECTED_CODES, type BaseFile, type Expected, type Variant } from "./mutate.ts";
import { atomsOf } from "../src/validate/group.ts";

export type RoundTripMode = "docx" | "memory";

/** What the checker reported for one variant file, per document (keys only: cheap to pass between threads). */
export interface Processed {
  findings: Keyed[][];
  documents: number;
  error: string | null;
  exportMs: number;
  extractMs: number;
}

export type Keyed = { key: string; code: string; severity: Finding["severity"]; message: string; field: string | undefined };
export const keyed = (fs: Finding[]): Keyed[] =>
  fs.flatMap(atomsOf).map((a) => ({ key: `${a.code}@${a.field ?? a.label}`, code: a.code, severity: a.severity, message: a.message, field: a.field }));

/**
 * "docx": exportDocx → bytes → extractBuffer → checkExtracted, the path a user's exported file takes
 * back into the tool. "memory": the documents validated as they are (isolates the validator).
 */
export async function processVariant(docs: PerfDoc[], name: string, mode: RoundTripMode): Promise<Processed> {
  const profile = defaultProfile();
  if (mode === "memory") return { findings: validateDocuments(docs, profile).map(keyed), documents: docs.length, error: null, exportMs: 0, extractMs: 0 };
  const t0 = performance.now();
  const bytes = await exportDocx(docs);
  const t1 = performance.now();
  const r = await extractBuffer(bytes, `${name}.docx`);
  const c = checkExtracted(r, profile);
  const t2 = performance.now();
  return { findings: c.documents.map((d) => keyed(d.findings)), documents: r.documents.length, error: r.error ? `${r.error.code}: ${r.error.message}` : null, exportMs: t1 - t0, extractMs: t2 - t1 };
}

/** The documents of a variant after the docx round trip (for the fidelity check). */
export async function roundTripDocs(docs: PerfDoc[], name: string): Promise<PerfDoc[]> {
  return (await extractBuffer(await exportDocx(docs), `${name}.docx`)).documents;
}

type Runner = { run(docs: PerfDoc[], name: string): Promise<Processed>; close(): Promise<void> };

/** In this thread, one variant after the other. */
function localRunner(mode: RoundTripMode): Runner {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run: (docs, name) => {
      const p = chain.then(() => processVariant(docs, name, mode));
      chain = p.catch(() => {});
      return p;
    },
    close: async () => {},
  };
}

/** Worker threads (the machine has 2 cores; export dominates the time per variant). */
function workerRunner(mode: RoundTripMode, jobs: number): Runner {
  const boot = new URL("../src/worker-boot.mjs", import.meta.url);
  const entry = new URL("./corpus-worker.ts", import.meta.url).href;
  const workers = Array.from({ length: jobs }, () => new Worker(boot, { workerData: { entry, mode } }));
  const idle: Worker[] = [...workers];
  const queue: { docs: PerfDoc[]; name: string; resolve: (p: Processed) => void; reject: (e: unknown) => void }[] = [];
  const pending = new Map<Worker, { resolve: (p: Processed) => void; reject: (e: unknown) => void }>();
  const pump = () => {
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const t = queue.shift()!;
      pending.set(w, t);
      w.postMessage({ docs: t.docs, name: t.name });
    }
  };
  for (const w of workers) {
    w.on("message", (m: { ok: true; result: Processed } | { ok: false; error: string }) => {
      const p = pending.get(w)!;
      pending.delete(w);
      idle.push(w);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
      pump();
    });
    w.on("error", (e) => {
      const p = pending.get(w);
      pending.delete(w);
      p?.reject(e);
    });
  }
  return {
    run: (docs, name) =>
      new Promise<Processed>((resolve, reject) => {
        queue.push({ docs, name, resolve, reject });
        pump();
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export interface VariantOutcome {
  id: string;
  kind: "defect" | "clean";
  seed: string;
  operator: string;
  description: string;
  expected: (Expected & { hit: boolean; hitInMemory: boolean; elsewhere: string[] })[];
  /** Clean variants: new error findings, or injected-code findings, that the base did not have. */
  falseAlarms: string[];
  /** Defect variants: new error findings besides the expected ones (true side effects, for information). */
  collateral: string[];
  /** Base findings no longer reported (information). */
  lost: string[];
  /** Clean variants: codes the base document had and the variant's document has nowhere, as "baseDoc:CODE". */
  lostCodes: string[];
  error: string | null;
  ms: number;
  /** Time to write the .docx and to read + check it (ms). */
  exportMs: number;
  extractMs: number;
}

export interface CodeRecall {
  expected: number;
  hit: number;
  recall: number;
  hitInMemory: number;
}

export interface MutationResult {
  roundTrip: RoundTripMode;
  jobs: number;
  seed: number;
  defectVariants: number;
  cleanVariants: number;
  expectedFindings: number;
  hits: number;
  recall: number;
  recallInMemory: number;
  byCode: Record<string, CodeRecall>;
  byOperator: Record<string, CodeRecall>;
  falseAlarmVariants: number;
  falseAlarmRate: number;
  falseAlarmsByCode: Record<string, number>;
  misses: VariantOutcome[];
  falseAlarmExamples: VariantOutcome[];
  collateralByCode: Record<string, number>;
  /** Clean variants: base findings no longer reported, by code (information: e.g. a new name fits an indicator). */
  lostByCode: Record<string, number>;
  fidelity: { seed: string; fields: number; diffs: FieldDiff[]; findingKeysDiffer: string[] }[];
  ms: { total: number; export: number; extract: number; perVariant: number };
  outcomes: VariantOutcome[];
}


const INJECTED = new Set<string>(INJECTED_CODES);
const stripProv = (d: PerfDoc) => {
  const { provenance: _p, fields: _f, ...rest } = d as PerfDoc & { fields?: unknown };
  return rest;
};

export interface RunOptions {
  /** "docx" (default): through exportDocx and extractBuffer; "memory": validator only. */
  roundTrip?: RoundTripMode;
  /** Worker threads for the docx round trip (1 = in this thread). */
  jobs?: number;
  seed?: number;
  log?: (s: string) => void;
  /** Progress line every n variants. */
  every?: number;
}

export async function runCorpus(variants: Variant[], bases: BaseFile[], opts: RunOptions = {}): Promise<MutationResult> {
  const mode = opts.roundTrip ?? "docx";
  const log = opts.log ?? (() => {});
  const profile = defaultProfile();
  const t0 = performance.now();
  const jobs = mode === "docx" ? Math.max(1, opts.jobs ?? 1) : 1;
  const runner = jobs > 1 ? workerRunner(mode, jobs) : localRunner(mode);

  try {
    // Baselines: each base file through the same round trip.
    const baseline = new Map<string, Keyed[][]>();
    const fidelity: MutationResult["fidelity"] = [];
    for (const b of bases) {
      const r = await runner.run(b.docs, `base-${b.seed}`);
      if (r.error) throw new Error(`base ${b.seed}: ${r.error}`);
      baseline.set(b.seed, r.findings);
      const mem = validateDocuments(b.docs, profile).map(keyed);
      const differ = r.findings.flatMap((ks, i) => {
        const x = new Set(ks.map((k) => k.key));
        const m = new Set((mem[i] ?? []).map((k) => k.key));
        return [...[...x].filter((k) => !m.has(k)).map((k) => `${i}:+${k}`), ...[...m].filter((k) => !x.has(k)).map((k) => `${i}:-${k}`)];
      });
      const cmp = mode === "docx" ? compareDoc(b.docs.map(stripProv), await roundTripDocs(b.docs, `base-${b.seed}`), "documents") : { fields: 0, diffs: [] };
      fidelity.push({ seed: b.seed, fields: cmp.fields, diffs: cmp.diffs, findingKeysDiffer: differ });
    }

    const every = opts.every ?? 50;
    let done = 0;
    const partial: VariantOutcome[] = [];
    const outcomes = await Promise.all(
      variants.map(async (v) => {
        const r = await runner.run(v.docs, v.id);
        const o = score(v, r, baseline.get(v.seed)!, profile);
        o.ms = r.exportMs + r.extractMs;
        o.exportMs = r.exportMs;
        o.extractMs = r.extractMs;
        partial.push(o);
        if (++done % every === 0 || done === variants.length) {
          const exp = partial.filter((x) => x.kind === "defect").flatMap((x) => x.expected);
          const fa = partial.filter((x) => x.kind === "clean" && x.falseAlarms.length).length;
          const cl = partial.filter((x) => x.kind === "clean").length;
          log(`  变异 ${String(done).padStart(5)}/${variants.length}  召回 ${exp.filter((e) => e.hit).length}/${exp.length}  误报 ${fa}/${cl}  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
        return o;
      }),
    );
    return summarizeOutcomes(outcomes, { mode, seed: opts.seed ?? NaN, fidelity, total: performance.now() - t0, jobs });
  } finally {
    await runner.close();
  }
}

function score(v: Variant, r: Processed, base: Keyed[][], profile: ReturnType<typeof defaultProfile>): VariantOutcome {
  const got = r.error ? [] : r.findings;
  const o: VariantOutcome = { id: v.id, kind: v.kind, seed: v.seed, operator: v.operator, description: v.description, expected: [], falseAlarms: [], collateral: [], lost: [], lostCodes: [], error: r.error, ms: 0, exportMs: 0, extractMs: 0 };
  if (r.documents !== v.docs.length && !r.error) o.error = `documents: wrote ${v.docs.length}, read ${r.documents}`;
  if (v.kind === "defect") {
    let mem: Keyed[][] | null = null;
    for (const e of v.expected) {
      const fs = got[e.document] ?? [];
      const match = (k: Keyed) => k.code === e.code && (e.field === undefined || k.field === e.field);
      const hit = fs.some(match);
      if (!hit) mem ??= validateDocuments(v.docs, profile).map(keyed);
      const hitInMemory = hit || (mem?.[e.document] ?? []).some(match);
      o.expected.push({ ...e, hit, hitInMemory, elsewhere: hit ? [] : fs.filter((k) => k.code === e.code).map((k) => k.key) });
    }
    const expectedCodes = new Set<string>(v.expected.map((e) => e.code));
    got.forEach((fs, i) => {
      const b = new Set((base[v.origin[i] ?? i] ?? []).map((k) => k.key));
      for (const k of fs) if (k.severity === "error" && !b.has(k.key) && !expectedCodes.has(k.code)) o.collateral.push(`${i}:${k.key}`);
    });
  } else {
    got.forEach((fs, i) => {
      const bk = base[v.origin[i] ?? i] ?? [];
      const b = new Set(bk.map((k) => k.key));
      for (const k of fs) {
        if (b.has(k.key)) continue;
        if (k.severity === "error" || INJECTED.has(k.code)) o.falseAlarms.push(`${i}:${k.key} ${k.message}`);
      }
      const g = new Set(fs.map((k) => k.key));
      for (const k of bk) if (!g.has(k.key)) o.lost.push(`${i}:${k.key}`);
      const codes = new Set(fs.map((k) => k.code));
      for (const c of new Set(bk.map((k) => k.code))) if (!codes.has(c)) o.lostCodes.push(`${v.origin[i] ?? i}:${c}`);
    });
    if (o.error) o.falseAlarms.push(`read error: ${o.error}`);
  }
  return o;
}

function summarizeOutcomes(outcomes: VariantOutcome[], m: { mode: RoundTripMode; seed: number; fidelity: MutationResult["fidelity"]; total: number; jobs: number }): MutationResult {
  const defects = outcomes.filter((o) => o.kind === "defect");
  const cleans = outcomes.filter((o) => o.kind === "clean");
  const byCode: Record<string, CodeRecall> = {};
  const byOperator: Record<string, CodeRecall> = {};
  for (const o of defects) {
    for (const e of o.expected) {
      for (const [m, k] of [[byCode, e.code], [byOperator, o.operator]] as const) {
        const x = (m[k] ??= { expected: 0, hit: 0, recall: 0, hitInMemory: 0 });
        x.expected++;
        if (e.hit) x.hit++;
        if (e.hitInMemory) x.hitInMemory++;
      }
    }
  }
  for (const m of [byCode, byOperator]) for (const x of Object.values(m)) x.recall = x.expected ? x.hit / x.expected : 1;
  const exp = defects.flatMap((o) => o.expected);
  const falseAlarmsByCode: Record<string, number> = {};
  for (const o of cleans) for (const f of o.falseAlarms) {
    const code = /^\d+:([A-Z_]+)@/.exec(f)?.[1] ?? "READ_ERROR";
    falseAlarmsByCode[code] = (falseAlarmsByCode[code] ?? 0) + 1;
  }
  const collateralByCode: Record<string, number> = {};
  for (const o of defects) for (const f of o.collateral) {
    const code = /^\d+:([A-Z_]+)@/.exec(f)?.[1] ?? "?";
    collateralByCode[code] = (collateralByCode[code] ?? 0) + 1;
  }
  const lostByCode: Record<string, number> = {};
  for (const o of cleans) for (const f of o.lost) {
    const code = /^\d+:([A-Z_]+)@/.exec(f)?.[1] ?? "?";
    lostByCode[code] = (lostByCode[code] ?? 0) + 1;
  }
  const sortObj = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  return {
    roundTrip: m.mode,
    jobs: m.jobs,
    seed: m.seed,
    defectVariants: defects.length,
    cleanVariants: cleans.length,
    expectedFindings: exp.length,
    hits: exp.filter((e) => e.hit).length,
    recall: exp.length ? exp.filter((e) => e.hit).length / exp.length : 1,
    recallInMemory: exp.length ? exp.filter((e) => e.hitInMemory).length / exp.length : 1,
    byCode: sortObj(byCode),
    byOperator: sortObj(byOperator),
    falseAlarmVariants: cleans.filter((o) => o.falseAlarms.length).length,
    falseAlarmRate: cleans.length ? cleans.filter((o) => o.falseAlarms.length).length / cleans.length : 0,
    falseAlarmsByCode: sortObj(falseAlarmsByCode),
    misses: defects.filter((o) => o.expected.some((e) => !e.hit) || o.error),
    falseAlarmExamples: cleans.filter((o) => o.falseAlarms.length),
    collateralByCode: sortObj(collateralByCode),
    lostByCode: sortObj(lostByCode),
    fidelity: m.fidelity,
    ms: {
      total: m.total,
      export: outcomes.reduce((a, o) => a + o.exportMs, 0),
      extract: outcomes.reduce((a, o) => a + o.extractMs, 0),
      perVariant: outcomes.length ? m.total / outcomes.length : 0,
    },
    outcomes,
  };
}
