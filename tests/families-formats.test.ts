// Every Word form family of tests/families.test.ts, saved as Word 97-2003 (.doc) and printed to PDF by
// LibreOffice (tests/fixtures/families/README.md): each twin must read to the same documents as the
// .docx, field by field — kinds, header fields, funds, goals, every indicator with its split target,
// totals and completeness. The PDFs break tables over pages inside merged cells and long rows.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareDoc } from "../evals/compare.ts";
import type { PerfDoc } from "../src/domain/document.ts";
import { extractBuffer } from "../src/pipeline.ts";

const DIR = join(import.meta.dirname, "fixtures/families");
const withoutProvenance = (docs: PerfDoc[]) => docs.map(({ provenance: _p, ...rest }) => rest);

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".docx"))
  .flatMap((docx) => (["doc", "pdf"] as const).map((format) => ({ docx, format, twin: docx.replace(/\.docx$/, `.${format}`) })))
  .filter((c) => existsSync(join(DIR, c.twin)));

async function read(name: string) {
  const r = await extractBuffer(new Uint8Array(readFileSync(join(DIR, name))), name);
  expect(r.error).toBeNull();
  return r;
}

describe("form families as .doc and .pdf read as their .docx", () => {
  it("has a .doc and a .pdf for every Word family", () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith(".docx")).length).toBeGreaterThanOrEqual(11);
    expect(cases.length).toBe(2 * readdirSync(DIR).filter((f) => f.endsWith(".docx")).length);
  });

  it.each(cases)("$twin", async ({ docx, twin, format }) => {
    const ref = await read(docx);
    const got = await read(twin);
    expect(got.format).toBe(format);
    expect(got.documents.map((d) => d.kind)).toEqual(ref.documents.map((d) => d.kind));
    const cmp = compareDoc(withoutProvenance(ref.documents), withoutProvenance(got.documents), "documents");
    expect(cmp.fields).toBeGreaterThan(50);
    expect(cmp.diffs).toEqual([]);
  });
});
