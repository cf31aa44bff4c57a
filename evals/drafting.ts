// Template drafts (no model): for every 自评表 of every seed (.docx), the share of numbers in the draft
// that the verified data supports (1 − DRAFT_NUMBER_UNSUPPORTED / numbers written, both as counted by
// checkDraft through numbersIn) and the draft's size in tokens (estimateTokens on the section texts).
import { readFileSync } from "node:fs";
import { extractBuffer } from "../src/pipeline.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { draftReport } from "../src/draft/index.ts";
import { numbersIn } from "../src/draft/numbers.ts";
import { estimateTokens } from "../src/draft/data.ts";
import { loadSeeds, SEEDS_DIR } from "./seeds.ts";
import { join } from "node:path";

export interface DraftRow {
  seed: string;
  document: number;
  project: string | null;
  numbers: number;
  unsupported: number;
  unsupportedRaw: string[];
  supportedShare: number;
  tokens: number;
  otherFindings: string[];
}

export interface DraftingResult {
  drafts: DraftRow[];
  numbers: number;
  unsupported: number;
  supportedShare: number;
  tokensMean: number;
  tokensMax: number;
}

export async function runDraftingEval(log: (s: string) => void = () => {}): Promise<DraftingResult> {
  const profile = defaultProfile();
  const drafts: DraftRow[] = [];
  for (const seed of loadSeeds()) {
    const path = join(SEEDS_DIR, `${seed.base}.docx`);
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    for (const [i, doc] of r.documents.entries()) {
      if (doc.kind !== "自评表") continue;
      const d = await draftReport(doc, { llm: null, profile, index: i });
      // checkDraft reads the heading and the text of each section separately; count the same way.
      const numbers = d.sections.reduce((n, s) => n + numbersIn(s.heading).length + numbersIn(s.text).length, 0);
      const uns = d.findings.filter((f) => f.code === "DRAFT_NUMBER_UNSUPPORTED");
      const row: DraftRow = {
        seed: seed.id,
        document: i,
        project: doc.name,
        numbers,
        unsupported: uns.length,
        unsupportedRaw: uns.map((f) => f.message),
        supportedShare: numbers ? 1 - uns.length / numbers : 1,
        tokens: estimateTokens(d.sections.map((s) => `${s.heading}\n${s.text}`).join("\n")),
        otherFindings: d.findings.filter((f) => f.code !== "DRAFT_NUMBER_UNSUPPORTED").map((f) => `${f.code} ${f.message}`),
      };
      drafts.push(row);
      log(`  起草 ${seed.id}#${i} ${(doc.name ?? "").slice(0, 16).padEnd(16, "　")} 数字 ${row.numbers}  无依据 ${row.unsupported}  ${row.tokens} tokens`);
    }
  }
  const numbers = drafts.reduce((a, b) => a + b.numbers, 0);
  const unsupported = drafts.reduce((a, b) => a + b.unsupported, 0);
  const tokens = drafts.map((d) => d.tokens);
  return {
    drafts,
    numbers,
    unsupported,
    supportedShare: numbers ? 1 - unsupported / numbers : 1,
    tokensMean: tokens.length ? Math.round(tokens.reduce((a, b) => a + b, 0) / tokens.length) : 0,
    tokensMax: tokens.length ? Math.max(...tokens) : 0,
  };
}
