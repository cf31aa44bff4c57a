// The CLI's --llm paths with the real openai client against the local fake server (configured through
// the same environment variables a user sets).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "./helpers/fakeOpenAI.ts";
import { main } from "../src/cli.ts";
import { exportDocx } from "../src/export/docx.ts";
import { templateDraft } from "../src/draft/index.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { forgetEndpointCapabilities } from "../src/llm/index.ts";
import { selfEval } from "./helpers/docs.ts";

let fake: FakeOpenAI;
const dir = mkdtempSync(join(tmpdir(), "jixiao-cli-llm-"));
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startFakeOpenAI();
  Object.assign(process.env, { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "sk-cli-secret", JIXIAO_MODEL: "fake", JIXIAO_LLM_RETRIES: "0", JIXIAO_DATA_DIR: dir });
});
afterAll(async () => {
  process.env = saved;
  await fake.close();
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("jixiao with --llm", () => {
  it("check --llm fills a field the table holds elsewhere and reports an invented one", async () => {
    forgetEndpointCapabilities();
    // 主管部门 left blank in its cell, but the unit's name is written in the goals.
    const doc = selfEval({ department: null, goals: { expected: "主管部门某县禁毒办组织开展禁毒宣传活动5场", actual: "开展6场" } });
    const file = join(dir, "no-dept.docx");
    writeFileSync(file, await exportDocx([doc]));
    fake.script({
      content: JSON.stringify({
        fields: [{ path: "department", value: "某县禁毒办", text: "主管部门某县禁毒办组织开展禁毒宣传活动5场" }],
      }),
    });
    const r = await run(["check", file, "--json", "--llm"]);
    const d = JSON.parse(r.out).files[0].documents[0];
    expect(d.department).toBe("某县禁毒办");
    // Another file (the same request would be answered from the cache): the model invents a value.
    const file2 = join(dir, "no-dept-2.docx");
    writeFileSync(file2, await exportDocx([selfEval({ name: "禁毒宣传三期", department: null })]));
    fake.script({ content: JSON.stringify({ fields: [{ path: "department", value: "市禁毒委员会", text: "市禁毒委员会" }] }) });
    const r2 = await run(["check", file2, "--json", "--llm"]);
    const d2 = JSON.parse(r2.out).files[0].documents[0];
    expect(d2.department).toBeNull();
    expect(d2.findings.map((f: { code: string }) => f.code)).toContain("LLM_UNGROUNDED");
    // Only the unresolved table went to the model, and the key never reached the output.
    expect(r.out + r.err + r2.out + r2.err).not.toContain("sk-cli-secret");
  });

  it("draft --llm prints the draft with the prompt version; a wrong number gives exit 1", async () => {
    forgetEndpointCapabilities();
    const doc = selfEval();
    const file = join(dir, "ok.docx");
    writeFileSync(file, await exportDocx([doc]));
    const good = templateDraft(doc, defaultProfile());
    fake.script({ content: JSON.stringify({ sections: good }) });
    const ok = await run(["draft", file, "--llm"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/大模型起草（draft-report@v2）/);
    // A different project (an identical request would be answered from the cache).
    const doc2 = selfEval({ name: "禁毒宣传二期经费" });
    const file2 = join(dir, "ok-2.docx");
    writeFileSync(file2, await exportDocx([doc2]));
    const bad = templateDraft(doc2, defaultProfile()).map((s, i) => (i === 0 ? { ...s, text: s.text.replace("全年执行数6万元", "全年执行数8万元") } : s));
    fake.script({ content: JSON.stringify({ sections: bad }) });
    const r = await run(["draft", file2, "--llm", "--json"]);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.out).files[0].documents[0].findings.map((f: { code: string }) => f.code);
    expect(findings).toContain("DRAFT_NUMBER_UNSUPPORTED");
  });

  it("an unreachable endpoint gives a clear Chinese error and exit 2, never a stack", async () => {
    forgetEndpointCapabilities();
    const file = join(dir, "ok2.docx");
    writeFileSync(file, await exportDocx([selfEval({ name: "未缓存的项目" })]));
    process.env.OPENAI_BASE_URL = "http://127.0.0.1:9/v1";
    try {
      const r = await run(["draft", file, "--llm"]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/起草失败：.*大模型/);
      expect(r.err).not.toMatch(/\n\s+at /);
    } finally {
      process.env.OPENAI_BASE_URL = fake.url;
    }
  });

  it("--llm without configuration is refused with a clear message", async () => {
    const url = process.env.OPENAI_BASE_URL;
    const key = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_API_KEY;
    try {
      const r = await run(["draft", join(dir, "ok.docx"), "--llm"]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/未配置大模型/);
    } finally {
      process.env.OPENAI_BASE_URL = url;
      process.env.OPENAI_API_KEY = key;
    }
  });
});
