// Form families changed as clerks change them (evals/perturb.ts): spaced, starred, colon-ended and
// broken labels, blank spacer rows, an empty column, a note row under the table, the indicator header
// printed again, a title with a note and an 附件 line above it, a table cut in two.
// Every family fixture must read, after each change, to the same documents field by field.
import { describe, expect, it } from "vitest";
import { PERTURBATIONS, runPerturbations, type PerturbResult } from "../evals/perturb.ts";

let results: PerturbResult[] | null = null;
const all = async () => (results ??= await runPerturbations());

describe("form families read the same after a clerk's layout changes", () => {
  it.each(PERTURBATIONS.map((p) => ({ name: p.name, what: p.what })))("$name: $what", async ({ name }) => {
    const r = (await all()).find((x) => x.name === name)!;
    expect(r.files).toBeGreaterThanOrEqual(14);
    // the change really happens (a repeated header needs a header row without vertical merges)
    expect(r.applied).toBeGreaterThanOrEqual(name === "repeatHeader" ? 5 : 10);
    expect(r.fields).toBeGreaterThan(1500);
    expect(r.failures.map((f) => ({ file: f.file, diffs: f.diffs.slice(0, 3) }))).toEqual([]);
  });
});
