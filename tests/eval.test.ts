// The mutation corpus of `npm run eval` (evals/mutate.ts, evals/corpus.ts): reproducible for a seed,
// expecting only catalogued codes, and a small corpus passes through the real .docx round trip with
// full recall and no false alarm. Plus the validator change the corpus proved necessary.
import { beforeAll, describe, expect, it } from "vitest";
import { generateCorpus, INJECTED_CODES, loadBases, OPERATORS, type BaseFile } from "../evals/mutate.ts";
import { runCorpus } from "../evals/corpus.ts";
import { scoreExtraction } from "../evals/extraction.ts";
import { CATALOGUE } from "../src/validate/catalogue.ts";
import { validateDocuments } from "../src/validate/index.ts";
import { defaultProfile } from "../src/score/profile.ts";
import type { SelfEvalDoc } from "../src/domain/document.ts";

let bases: BaseFile[];
beforeAll(async () => {
  bases = await loadBases();
});

describe("mutation generator", () => {
  it("is deterministic for a seed, and another seed gives another corpus", () => {
    const a = generateCorpus(bases, { seed: 7, count: 60, clean: 20 });
    const b = generateCorpus(bases, { seed: 7, count: 60, clean: 20 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = generateCorpus(bases, { seed: 8, count: 60, clean: 20 });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it("expects only codes the catalogue knows, one defect family per variant, every family used", () => {
    const vs = generateCorpus(bases, { seed: 7, count: 100, clean: 20 });
    const defects = vs.filter((v) => v.kind === "defect");
    expect(defects).toHaveLength(100);
    for (const v of defects) {
      expect(v.expected.length).toBeGreaterThan(0);
      for (const e of v.expected) {
        expect(CATALOGUE[e.code], e.code).toBeDefined();
        expect(INJECTED_CODES).toContain(e.code);
        expect(e.document).toBeLessThan(v.docs.length);
      }
      // One injected defect: all expected findings belong to the operator's family.
      const fam = OPERATORS.find((o) => v.operator.startsWith(`${o.name}/`))!;
      for (const e of v.expected) expect(fam.codes).toContain(e.code);
    }
    for (const v of vs.filter((x) => x.kind === "clean")) expect(v.expected).toEqual([]);
    const codes = new Set(defects.flatMap((v) => v.expected.map((e) => e.code)));
    expect([...codes].sort()).toEqual([...INJECTED_CODES].sort());
  });

  it("leaves the base documents untouched", () => {
    const before = JSON.stringify(bases);
    generateCorpus(bases, { seed: 7, count: 30, clean: 10 });
    expect(JSON.stringify(bases)).toBe(before);
  });
});

describe("small corpus through exportDocx → .docx → extractBuffer → checkExtracted", () => {
  it("seed 7, 30 defect + 10 clean variants: recall 1.0, no false alarm", async () => {
    const vs = generateCorpus(bases, { seed: 7, count: 30, clean: 10 });
    const r = await runCorpus(vs, bases, { roundTrip: "docx", jobs: 1, seed: 7 });
    expect(r.defectVariants).toBe(30);
    expect(r.misses.map((m) => `${m.id} ${m.operator} ${m.description}`)).toEqual([]);
    expect(r.recall).toBe(1);
    expect(r.falseAlarmExamples.map((m) => `${m.id} ${m.description}: ${m.falseAlarms.join("; ")}`)).toEqual([]);
    expect(r.falseAlarmVariants).toBe(0);
    // The unmodified base files survive the round trip field for field.
    for (const f of r.fidelity) expect(f.diffs, f.seed).toEqual([]);
  }, 300_000); // 40 .docx round trips: about 17 s on an idle machine, over 30 s under two test runs at once
});

describe("extraction scoring", () => {
  it("counts TP / FP / FN per gold leaf as defined", () => {
    const gold = [{ a: 1, b: null, c: "x", d: "y", e: [1, 2] }];
    const ours = [{ a: 1, b: 5, c: null, d: "z", e: [1, 2, 3] }];
    const s = scoreExtraction(gold, ours);
    // a: TP; b: FP; c: FN; d: FP + FN; e[0], e[1]: TP; extra e[2]: FP.
    expect({ tp: s.tp, fp: s.fp, fn: s.fn }).toEqual({ tp: 3, fp: 3, fn: 2 });
  });
});

describe("validator change proven by the corpus", () => {
  const codesOf = (docs: SelfEvalDoc[], i: number) => validateDocuments(docs, defaultProfile())[i]!.map((f) => `${f.code}@${f.where.field ?? ""}`);

  it("a clause of another project appended to this project's own target is a copy", () => {
    const docs = structuredClone(bases.find((b) => b.seed === "001")!.docs) as SelfEvalDoc[];
    // 购买禁毒社工服务: its 环境效益 target fits the project; the appended clause is the 禁毒办专项 project's.
    docs[2]!.indicators[6]!.target = "现有吸毒人员减少；禁毒办专项及社区戒毒社区康复经费工作经费";
    expect(codesOf(docs, 2)).toContain("TEXT_COPIED_ACROSS_PROJECTS@indicators[6].target");
  });

  it("a full execution rate printed in full-width or with a space still counts for ALL_FULL_MARKS", () => {
    // 003 table 2: 全年预算数 0, so only the printed 执行率 says 100%.
    for (const rate of ["100%", "１００％", "100 %", "100.00%"]) {
      const docs = structuredClone(bases.find((b) => b.seed === "003")!.docs) as SelfEvalDoc[];
      docs[1]!.funds.total.rate = rate;
      expect(codesOf(docs, 1), rate).toContain("ALL_FULL_MARKS@total.score");
    }
  });

  it("does not flag the seeds' own targets (001: none; 003: only the two gold copies)", () => {
    const copied = (seed: string) =>
      validateDocuments(bases.find((b) => b.seed === seed)!.docs, defaultProfile()).flatMap((fs, i) => fs.filter((f) => f.code === "TEXT_COPIED_ACROSS_PROJECTS").map(() => i));
    expect(copied("001")).toEqual([]);
    expect(copied("003")).toEqual([1, 4]);
  });
});
