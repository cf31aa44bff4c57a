// The LLM built from the environment (src/llm/fromEnv.ts), one builder for the CLI and the server: where its
// cache goes. JIXIAO_DATA_DIR when set and non-empty, else ./data — the CLI once cached in the working
// directory when JIXIAO_DATA_DIR was set but empty, while the server used ./data.
import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { llmFromEnv, LLM_CACHE_FILE } from "../src/llm/index.ts";
import { serve } from "../server/main.ts";

// Never contacted: building the LLM sends no request.
const ENDPOINT = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "sk-env-test" };

let cwd: string;
let work: string;
beforeEach(() => {
  cwd = process.cwd();
  work = realpathSync(mkdtempSync(join(tmpdir(), "jixiao-llm-env-")));
  process.chdir(work);
});
afterEach(() => process.chdir(cwd));

describe("llmFromEnv: the cache's directory", () => {
  it.each([
    ["JIXIAO_DATA_DIR names a directory", { JIXIAO_DATA_DIR: "srv/jixiao" }, "srv/jixiao"],
    ["JIXIAO_DATA_DIR unset", {}, "data"],
    ["JIXIAO_DATA_DIR set but empty (a blank line in an env file)", { JIXIAO_DATA_DIR: "" }, "data"],
    ["JIXIAO_DATA_DIR only spaces", { JIXIAO_DATA_DIR: "  " }, "data"],
  ])("%s → %s", async (_why, env, dir) => {
    const made = await llmFromEnv({ ...ENDPOINT, ...env });
    try {
      expect(made?.cacheFile).toBe(join(work, dir, LLM_CACHE_FILE));
      expect(existsSync(join(work, dir, LLM_CACHE_FILE))).toBe(true);
    } finally {
      await made?.close();
    }
  });

  it("a data directory given by the caller wins over the environment (the server's store directory)", async () => {
    const made = await llmFromEnv({ ...ENDPOINT, JIXIAO_DATA_DIR: "from-env" }, { dataDir: join(work, "store") });
    await made?.close();
    expect(made?.cacheFile).toBe(join(work, "store", LLM_CACHE_FILE));
    expect(existsSync(join(work, "from-env"))).toBe(false);
  });

  it("without an endpoint there is no LLM and nothing is created", async () => {
    expect(await llmFromEnv({ JIXIAO_DATA_DIR: "" })).toBeNull();
    expect(existsSync(join(work, "data"))).toBe(false);
  });
});

describe("the CLI and the server put the cache in the same place", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("jixiao draft --llm with JIXIAO_DATA_DIR empty caches in ./data", async () => {
    Object.assign(process.env, ENDPOINT, { JIXIAO_DATA_DIR: "" });
    // The file does not exist: the LLM is built before the file is read, and no request is sent.
    const code = await main(["draft", join(work, "missing.docx"), "--llm"], { out: () => {}, err: () => {} });
    expect(code).toBe(2);
    expect(existsSync(join(work, "data", LLM_CACHE_FILE))).toBe(true);
    expect(existsSync(join(work, LLM_CACHE_FILE))).toBe(false);
  });

  it("jixiao serve with JIXIAO_DATA_DIR empty caches in ./data", async () => {
    const s = await serve({ env: { ...ENDPOINT, JIXIAO_DATA_DIR: "" }, port: 0, log: () => {}, handleSignals: false });
    await s.close();
    expect(existsSync(join(work, "data", LLM_CACHE_FILE))).toBe(true);
  });
});
