// Every form family of tests/families.test.ts, saved as Word 97-2003 (.doc), printed to PDF and opened
// and saved again by LibreOffice (tests/fixtures/families/README.md): each twin must read to the same
// documents as the original, field by field — kinds, header fields, funds, goals, every indicator with its split target,
// totals and completeness. The PDFs break tables over pages inside merged cells and long rows.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareDoc } from "../evals/compare.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { FAMILY_DIR as DIR, familyOriginals, withoutProvenance } from "../evals/families.ts";


// Each original (.docx, .xlsx as the builders write them) and its twins: .doc and .pdf of a .docx, and
// the file opened and saved again by LibreOffice (X.lo.docx, X.lo.xlsx: another writer's XML).
const originals = familyOriginals();
const cases = originals
  .flatMap((docx) => {
    const ext = docx.endsWith(".docx") ? "docx" : "xlsx";
    const base = docx.slice(0, -ext.length - 1);
    const twins = [{ twin: `${base}.lo.${ext}`, format: ext }];
    if (ext === "docx") twins.push({ twin: `${base}.doc`, format: "doc" }, { twin: `${base}.pdf`, format: "pdf" });
    return twins.map((t) => ({ docx, ...t }));
  })
  .filter((c) => existsSync(join(DIR, c.twin)));

async function read(name: string) {
  const r = await extractBuffer(new Uint8Array(readFileSync(join(DIR, name))), name);
  expect(r.error).toBeNull();
  return r;
}

describe("form families as .doc and .pdf read as their .docx", () => {
  it("has a .doc, a .pdf and a resaved copy of every Word family, and a resaved copy of every workbook", () => {
    const words = originals.filter((f) => f.endsWith(".docx")).length;
    expect(words).toBeGreaterThanOrEqual(11);
    expect(originals.length - words).toBeGreaterThanOrEqual(3);
    expect(cases.length).toBe(3 * words + (originals.length - words));
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
