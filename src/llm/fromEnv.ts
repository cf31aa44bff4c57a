// The app's LLM from the environment: config + a SQLite cache under the data dir + the client.
// Returns null when no endpoint is configured (the app then drafts with the template).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { llmConfigFromEnv } from "./config.ts";
import { LlmCache } from "./cache.ts";
import { createLlm, type Llm } from "./client.ts";

export function dataDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.JIXIAO_DATA_DIR ?? "data");
}

export async function llmFromEnv(env: Record<string, string | undefined> = process.env): Promise<{ llm: Llm; cache: LlmCache; close: () => Promise<void> } | null> {
  const cfg = llmConfigFromEnv(env);
  if (!cfg) return null;
  const dir = dataDir(env);
  mkdirSync(dir, { recursive: true });
  const cache = await LlmCache.open(join(dir, "llm-cache.db"));
  return { llm: createLlm(cfg, { cache }), cache, close: () => cache.close() };
}
