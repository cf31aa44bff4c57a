// Validation accuracy on the seeds: recall and precision per finding code against the gold defects,
// matched by code + document, on every format of every seed. Precision counts only the codes the
// gold catalogues for that seed (other true warnings are allowed; they are listed as extra codes).
// Error-severity findings the gold does not list are false alarms (target 0); must_not_flag holds.
import { readFileSync } from "node:fs";
import { extractBuffer } from "../src/pipeline.ts";
import { checkExtracted } from "../src/check.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { loadSeeds, seedFiles, type Format } from "./seeds.ts";
import { prf, type Counts, type PRF } from "./extraction.ts";
import { atomsOf } from "../src/validate/group.ts";

export interface ValidationRun {
  seed: string;
  format: Format;
  file: string;
  missed: string[];
  wrong: string[];
  errorFalseAlarms: string[];
  mustNotFlag: string[];
  extra: string[];
  error: string | null;
}

export interface ValidationResult {
  runs: ValidationRun[];
  byCode: Record<string, PRF>;
  bySeed: Record<string, PRF & { runs: number }>;
  overall: PRF;
  extraCodes: Record<string, number>;
  errorFalseAlarms: number;
  mustNotFlagViolations: number;
}

const add = (m: Record<string, Counts>, k: string, f: keyof Counts) => {
  (m[k] ??= { tp: 0, fp: 0, fn: 0 })[f]++;
};

export async function runValidationEval(log: (s: string) => void = () => {}): Promise<ValidationResult> {
  const profile = defaultProfile();
  const runs: ValidationRun[] = [];
  const byCode: Record<string, Counts> = {};
  const bySeed: Record<string, Counts & { runs: number }> = {};
  const extraCodes: Record<string, number> = {};
  for (const seed of loadSeeds()) {
    const gold = new Set(seed.gold.defects.map((d) => `${d.document}:${d.code}`));
    const catalogued = new Set(Object.keys(seed.gold.codes));
    const forbidden = new Set((seed.gold.must_not_flag ?? []).map((m) => m.check));
    const s = (bySeed[seed.id] ??= { tp: 0, fp: 0, fn: 0, runs: 0 });
    for (const f of seedFiles(seed)) {
      const r = await extractBuffer(new Uint8Array(readFileSync(f.path)), f.path);
      const c = checkExtracted(r, profile);
      const ours = new Set<string>();
      const run: ValidationRun = { seed: seed.id, format: f.format, file: f.path.split("/").pop()!, missed: [], wrong: [], errorFalseAlarms: [], mustNotFlag: [], extra: [], error: r.error?.code ?? null };
      c.documents.forEach((d, i) => {
        for (const x of d.findings.flatMap(atomsOf)) {
          ours.add(`${i}:${x.code}`);
          if (x.severity === "error" && !gold.has(`${i}:${x.code}`)) run.errorFalseAlarms.push(`${i}:${x.code} ${x.message}`);
          if (forbidden.has(x.code)) run.mustNotFlag.push(`${i}:${x.code} ${x.message}`);
        }
      });
      for (const k of gold) {
        const code = k.split(":")[1]!;
        if (ours.has(k)) (add(byCode, code, "tp"), s.tp++);
        else (add(byCode, code, "fn"), s.fn++, run.missed.push(k));
      }
      for (const k of ours) {
        const code = k.split(":")[1]!;
        if (gold.has(k)) continue;
        if (catalogued.has(code)) (add(byCode, code, "fp"), s.fp++, run.wrong.push(k));
        else run.extra.push(k);
      }
      for (const k of new Set(run.extra)) {
        const code = k.split(":")[1]!;
        extraCodes[code] = (extraCodes[code] ?? 0) + 1;
      }
      s.runs++;
      runs.push(run);
      log(`  核验 ${run.file.padEnd(34)} 漏报 ${run.missed.length}  误报 ${run.wrong.length}  错误级误报 ${run.errorFalseAlarms.length}${run.mustNotFlag.length ? `  must_not_flag ${run.mustNotFlag.length}` : ""}`);
    }
  }
  const total = Object.values(bySeed).reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }), { tp: 0, fp: 0, fn: 0 });
  return {
    runs,
    byCode: Object.fromEntries(Object.entries(byCode).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, prf(v)])),
    bySeed: Object.fromEntries(Object.entries(bySeed).map(([k, v]) => [k, { ...prf(v), runs: v.runs }])),
    overall: prf(total),
    extraCodes: Object.fromEntries(Object.entries(extraCodes).sort(([, a], [, b]) => b - a)),
    errorFalseAlarms: runs.reduce((n, r) => n + r.errorFalseAlarms.length, 0),
    mustNotFlagViolations: runs.reduce((n, r) => n + r.mustNotFlag.length, 0),
  };
}
