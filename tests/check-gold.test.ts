// On every seed fixture, in every format, `check` reports every defect of the gold file (matched by
// code and document) and no error-severity finding the gold does not list; must_not_flag holds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractBuffer } from "../src/pipeline.ts";
import { checkExtracted } from "../src/check.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { main } from "../src/cli.ts";
import { atomsOf } from "../src/validate/group.ts";
import { SEEDS, SEEDS_DIR, seedFiles } from "./fixtures.ts";

interface GoldDefect { code: string; severity: string; document: number }

describe.each(SEEDS)("seed $id", (seed) => {
  const gold = JSON.parse(readFileSync(seed.gold, "utf8")) as { defects: GoldDefect[]; must_not_flag?: { check: string }[] };
  const want = new Set(gold.defects.map((d) => `${d.document}:${d.code}`));
  it.each(seedFiles(seed))("$format: gold defects found, no false errors", async ({ path }) => {
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    expect(r.error).toBeNull();
    const c = checkExtracted(r, defaultProfile());
    // Grouped findings stand for every code and place they hold (atomsOf).
    const atoms = c.documents.map((d) => d.findings.flatMap(atomsOf));
    const got = new Set(atoms.flatMap((xs, i) => xs.map((f) => `${i}:${f.code}`)));
    expect([...want].filter((k) => !got.has(k))).toEqual([]);
    const falseErrors = atoms.flatMap((xs, i) => xs.filter((f) => f.severity === "error" && !want.has(`${i}:${f.code}`)).map((f) => `${i}:${f.code} ${f.message}`));
    expect(falseErrors).toEqual([]);
    for (const m of gold.must_not_flag ?? []) expect(atoms.flat().map((f) => f.code)).not.toContain(m.check);
    // Every finding speaks Chinese and says how to fix it.
    for (const d of c.documents) for (const f of d.findings) {
      expect(f.message).toMatch(/[\u4e00-\u9fff]/);
      expect(f.fix).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe("jixiao check exit codes", () => {
  const io = () => {
    const out: string[] = [];
    return { out, io: { out: (s: string) => out.push(s), err: () => {} } };
  };
  it("exits 1 when an error-severity finding exists (003 has RATE_MISMATCH)", async () => {
    const o = io();
    expect(await main(["check", `${SEEDS_DIR}/003-xiqu-2020.docx`, "--json"], o.io)).toBe(1);
    const json = JSON.parse(o.out.join("\n"));
    const doc1 = json.files[0].documents[1];
    expect(doc1.findings.map((f: { code: string }) => f.code)).toContain("RATE_MISMATCH");
    expect(doc1.scoring.execution.formula).toMatch(/全年预算数为 0/);
    for (const f of doc1.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(["code", "severity", "where", "message", "suggestion", "provenance"]));
  });
  it("exits 0 when only warnings exist (002 申报表)", async () => {
    const o = io();
    expect(await main(["check", `${SEEDS_DIR}/002-xinhong-2020-target.docx`], o.io)).toBe(0);
    expect(o.out.join("\n")).toMatch(/警告 VAGUE_TARGET/);
  });
  it("exits 2 for unreadable input and names the profile error", async () => {
    expect(await main(["check", "/nonexistent.docx"], io().io)).toBe(2);
    expect(await main(["check", `${SEEDS_DIR}/002-xinhong-2020-target.docx`, "--profile", "nope"], io().io)).toBe(2);
  });
  it("--profile changes the weights the check expects", async () => {
    const a = io();
    await main(["check", `${SEEDS_DIR}/003-xiqu-2020.docx`, "--json", "--profile", "hb-2017"], a.io);
    const codes = JSON.parse(a.out.join("\n")).files[0].documents[0].findings.map((f: { code: string }) => f.code);
    // 003 uses 10/50/30/10: standard under the central profile, non-standard under the 20/40/30/10 one.
    expect(codes).toContain("WEIGHTS_NONSTANDARD");
    const b = io();
    await main(["check", `${SEEDS_DIR}/003-xiqu-2020.docx`, "--json"], b.io);
    expect(JSON.parse(b.out.join("\n")).files[0].documents[0].findings.map((f: { code: string }) => f.code)).not.toContain("WEIGHTS_NONSTANDARD");
  });
});
