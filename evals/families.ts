// The form-family fixtures (tests/fixtures/families: the forms of tests/families.test.ts as files),
// read once: the blocks the reader gives and the documents the recognizer makes of them. The variant
// measures (perturb.ts, pasted.ts) and tests/families-formats.test.ts start from here.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PerfDoc } from "../src/domain/document.ts";
import type { Block } from "../src/ingest/blocks.ts";
import { ingest } from "../src/ingest/index.ts";
import { recognize } from "../src/extract/index.ts";

export const FAMILY_DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "tests/fixtures/families");

/** The originals (.docx, .xlsx as the builders wrote them), not their converted or resaved twins (X.lo.docx). */
export function familyOriginals(): string[] {
  return readdirSync(FAMILY_DIR).filter((f) => /\.(docx|xlsx)$/.test(f) && !/\.lo\.(docx|xlsx)$/.test(f));
}

export interface FamilyRead {
  file: string;
  blocks: Block[];
  docs: PerfDoc[];
}

/** Every original read: its blocks and its documents. */
export async function readFamilies(): Promise<FamilyRead[]> {
  const out: FamilyRead[] = [];
  for (const file of familyOriginals()) {
    const r = await ingest(new Uint8Array(readFileSync(join(FAMILY_DIR, file))), file);
    out.push({ file, blocks: r.blocks, docs: recognize(r.blocks, file) });
  }
  return out;
}

/** Documents without their provenance (a variant's cells sit elsewhere; their values must not). */
export const withoutProvenance = (docs: PerfDoc[]) => docs.map(({ provenance: _p, ...rest }) => rest);
