// Paths of the shared seed fixtures and their gold files, for the evals (same layout as
// tests/fixtures.ts: ../shared next to the repository).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SEEDS_DIR = resolve(ROOT, "../shared/fixtures/seeds");
export const RESULTS_DIR = join(ROOT, "evals/results");

export interface GoldDefect {
  code: string;
  severity: "error" | "warning";
  document: number;
  where: string;
  why: string;
}

export interface Gold {
  seed: string;
  codes: Record<string, string>;
  documents: Record<string, unknown>[];
  defects: GoldDefect[];
  must_not_flag?: { check: string; why: string }[];
}

export interface SeedInfo {
  id: string;
  base: string;
  goldPath: string;
  gold: Gold;
}

/** Every seed that has a gold file (../shared/fixtures/**\/gold/*.json), in id order. */
export function loadSeeds(): SeedInfo[] {
  const goldDir = join(SEEDS_DIR, "gold");
  const ids = readdirSync(goldDir).filter((f) => /^\d{3}\.json$/.test(f)).map((f) => f.slice(0, 3)).sort();
  const bases = readdirSync(SEEDS_DIR).filter((f) => f.endsWith(".docx"));
  return ids.map((id) => {
    const docx = bases.find((f) => f.startsWith(`${id}-`));
    if (!docx) throw new Error(`seed ${id}: no .docx in ${SEEDS_DIR}`);
    const goldPath = join(goldDir, `${id}.json`);
    return { id, base: docx.replace(/\.docx$/, ""), goldPath, gold: JSON.parse(readFileSync(goldPath, "utf8")) as Gold };
  });
}

export const FORMATS = ["docx", "doc", "pdf", "xlsx", "text"] as const;
export type Format = (typeof FORMATS)[number];

/** Every file of a seed: the .docx/.doc/.pdf/.xlsx renderings and the seed text (../src/00N_*.txt). */
export function seedFiles(seed: SeedInfo): { path: string; format: Format }[] {
  const out: { path: string; format: Format }[] = [];
  for (const ext of ["docx", "doc", "pdf", "xlsx"] as const) {
    const p = join(SEEDS_DIR, `${seed.base}.${ext}`);
    if (existsSync(p)) out.push({ path: p, format: ext });
  }
  const txt = readdirSync(join(SEEDS_DIR, "src")).find((f) => f.startsWith(`${seed.id}_`) && f.endsWith(".txt"));
  if (txt) out.push({ path: join(SEEDS_DIR, "src", txt), format: "text" });
  return out;
}
