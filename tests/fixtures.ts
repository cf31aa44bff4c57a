// Paths of the shared seed fixtures (../shared next to the repository).
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), "../../shared");
export const SEEDS_DIR = join(SHARED, "fixtures/seeds");

export interface Seed {
  id: string;
  base: string;
  gold: string;
}

export const SEEDS: Seed[] = [
  { id: "001", base: "001-jingzhou-2023" },
  { id: "002", base: "002-xinhong-2020-target" },
  { id: "003", base: "003-xiqu-2020" },
].map((s) => ({ ...s, gold: join(SEEDS_DIR, "gold", `${s.id}.json`) }));

/** Every file of a seed: the .docx/.doc/.pdf/.xlsx renderings and the seed text. */
export function seedFiles(seed: Seed): { path: string; format: string }[] {
  const out: { path: string; format: string }[] = [];
  for (const [ext, format] of [["docx", "docx"], ["doc", "doc"], ["pdf", "pdf"], ["xlsx", "xlsx"]] as const) {
    const p = join(SEEDS_DIR, `${seed.base}.${ext}`);
    if (existsSync(p)) out.push({ path: p, format });
  }
  const txt = readdirSync(join(SEEDS_DIR, "src")).find((f) => f.startsWith(`${seed.id}_`) && f.endsWith(".txt"));
  if (txt) out.push({ path: join(SEEDS_DIR, "src", txt), format: "text" });
  return out;
}
