// Every reader against every twin of the same seed (the .docx, .doc, .pdf, .xlsx renderings and the
// seed text): the readers must agree on the tables, so the recognizer sees one form whatever the format.
// The .docx is the reference. What is compared depends on what the format can carry:
//  - .doc and .pdf carry the grid: the canonical grid (tests/helpers/grid.ts) is the same.
//  - .xlsx carries the grid, but the workbook stores amounts as numbers shown with the General format
//    ("5" where the Word table reads "5.00"): same grid shape, texts equal or the same number.
//  - text carries no merges (`layout: "rows"`): each row holds the same non-empty cell texts, in order.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Block, TableBlock } from "../src/ingest/blocks.ts";
import { ingest } from "../src/ingest/index.ts";
import { canonicalGrid, type CanonCell } from "./helpers/grid.ts";
import { SEEDS, seedFiles } from "./fixtures.ts";

const squash = (s: string): string => s.replace(/\s+/g, "");
const tablesOf = (blocks: Block[]): TableBlock[] => blocks.filter((b): b is TableBlock => b.kind === "table");
const shape = (c: CanonCell): string => `${c.row},${c.col},${c.rowSpan},${c.colSpan}`;
const asNumber = (s: string): number | null => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null);
/** Per row: the non-empty cell texts in reading order. */
const rowTexts = (t: TableBlock): string[][] => t.rows.map((r) => r.map((c) => squash(c.text)).filter((s) => s !== ""));

async function read(path: string): Promise<TableBlock[]> {
  return tablesOf((await ingest(new Uint8Array(readFileSync(path)), path)).blocks);
}

describe("readers agree on every seed's twins", () => {
  for (const seed of SEEDS) {
    const files = seedFiles(seed);
    const docx = files.find((f) => f.format === "docx");
    if (!docx) continue;
    for (const twin of files.filter((f) => f.format !== "docx")) {
      it(`${seed.base}: ${twin.format} tables match the .docx`, async () => {
        const ref = await read(docx.path);
        const got = await read(twin.path);
        expect(ref.length).toBeGreaterThan(0);
        expect(got.length).toBe(ref.length);
        ref.forEach((r, i) => {
          const t = got[i]!;
          if (twin.format === "text") {
            expect(t.layout).toBe("rows");
            expect(rowTexts(t)).toEqual(rowTexts(r));
            return;
          }
          const a = canonicalGrid(r, squash);
          const b = canonicalGrid(t, squash);
          if (twin.format !== "xlsx") {
            expect(b).toEqual(a);
            return;
          }
          expect(b.nCols).toBe(a.nCols);
          expect(b.cells.map(shape)).toEqual(a.cells.map(shape));
          a.cells.forEach((c, k) => {
            const d = b.cells[k]!.text;
            if (d === c.text) return;
            expect({ at: shape(c), value: asNumber(d) }).toEqual({ at: shape(c), value: asNumber(c.text) });
            expect(asNumber(d)).not.toBeNull();
          });
        });
      });
    }
  }
});
