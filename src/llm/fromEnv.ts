// The app's LLM from the environment, built the same way for the CLI and the server: the config
// (OPENAI_BASE_URL, OPENAI_API_KEY, JIXIAO_MODEL …), a SQLite cache in the data directory, the client.
// Returns null when no endpoint is configured (the app then drafts with the template).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
// The store owns the data directory rule (JIXIAO_DATA_DIR when set and non-empty, else ./data): the cache
// sits in the data directory, so `jixiao draft` and `jixiao serve` share one cache wherever they are started.
import { dataDirFromEnv } from "../store/index.ts";
import { LlmCache } from "./cache.ts";
import { createLlm, type Llm } from "./client.ts";
import { llmConfigFromEnv, type LlmConfig } from "./config.ts";

export const LLM_CACHE_FILE = "llm-cache.db";

export interface EnvLlm {
  llm: Llm;
  /** The settings read, for the start-up summary (model and endpoint; the key never shows). */
  config: LlmConfig;
  cache: LlmCache;
  /** Where the cache lives: `<data dir>/llm-cache.db`. */
  cacheFile: string;
  close: () => Promise<void>;
}

/**
 * Throws LlmConfigError when a setting is wrong. `dataDir` overrides the environment's data directory (the
 * server passes the one its store was opened in).
 */
export async function llmFromEnv(env: Record<string, string | undefined> = process.env, opts: { dataDir?: string } = {}): Promise<EnvLlm | null> {
  const config = llmConfigFromEnv(env);
  if (!config) return null;
  const dir = opts.dataDir ?? dataDirFromEnv(env);
  mkdirSync(dir, { recursive: true });
  const cacheFile = join(dir, LLM_CACHE_FILE);
  const cache = await LlmCache.open(cacheFile);
  return { llm: createLlm(config, { cache }), config, cache, cacheFile, close: () => cache.close() };
}
