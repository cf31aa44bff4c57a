// Every form family written out as pasted text in the shapes clerks paste (evals/pasted.ts) and read as
// a .txt: never refused, and at least as many fields read as the family's own read as measured when
// this test was written (a floor per shape, so a change that loses fields fails here).
import { describe, expect, it } from "vitest";
import { runPasted, SHAPES, type PastedResult } from "../evals/pasted.ts";

/** Fields read the same, per shape, out of ~1,650 (measured 2026-12-02). */
const FLOOR: Record<string, number> = { tabs: 0.99, spaces: 0.977, space: 0.975, pipes: 0.99, markdown: 0.99, cellPerLine: 0.925, runTogether: 0.28 };

let results: PastedResult[] | null = null;
const all = async () => (results ??= await runPasted());

describe("form families pasted as text", () => {
  it.each(SHAPES.map((s) => ({ name: s.name, what: s.what })))("$name ($what): never refused, fields read as the original at or above the floor", async ({ name }) => {
    const r = (await all()).find((x) => x.name === name)!;
    expect(r.files).toBeGreaterThanOrEqual(14);
    expect(r.refused).toBe(0);
    expect((r.fields - r.diffs) / r.fields).toBeGreaterThanOrEqual(FLOOR[name]!);
  });
});
