// Every seed fixture, in every format, extracts to its hand-checked gold file, field by field.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareDoc } from "../evals/compare.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { SEEDS, seedFiles } from "./fixtures.ts";

describe.each(SEEDS)("seed $id", (seed) => {
  const gold = JSON.parse(readFileSync(seed.gold, "utf8"));
  it.each(seedFiles(seed))("$format extracts to the gold ($path)", async ({ path, format }) => {
    expect(existsSync(path)).toBe(true);
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    expect(r.error).toBeNull();
    expect(r.format).toBe(format);
    const cmp = compareDoc(gold.documents, r.documents, "documents");
    expect(cmp.diffs).toEqual([]);
    expect(cmp.fields).toBeGreaterThan(100);
  });
});
