// The model's measurable-value proposals in the web app: only checked proposals are offered, and an
// applied one is re-checked by the server before it is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlm, forgetEndpointCapabilities, LlmConfig } from "../src/llm/index.ts";
import { startFakeOpenAI, type FakeOpenAI } from "./helpers/fakeOpenAI.ts";
import { jsonReq, seedBytes, testApp, uploadReq, type TestApp } from "./helpers/server.ts";

let fake: FakeOpenAI;
let t: TestApp;
let noLlm: TestApp;

async function json(p: Response | Promise<Response>) {
  const r = await p;
  return { status: r.status, body: (await r.json()) as any };
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  forgetEndpointCapabilities();
  const llm = createLlm(new LlmConfig({ baseURL: fake.url, apiKey: "sk-web-secret", model: "fake", maxRetries: 0 }));
  t = await testApp({ llm });
  noLlm = await testApp();
  for (const a of [t, noLlm]) {
    await a.app.request("/api/workspaces", jsonReq("POST", { name: "测试" }));
    await a.app.request("/api/workspaces/1/files", uploadReq([{ name: "001.docx", data: seedBytes() }]));
  }
});
afterAll(async () => {
  await t.close();
  await noLlm.close();
  await fake.close();
});

describe("POST /api/documents/:id/llm-suggestions", () => {
  it("returns the checked proposals and lists the discarded ones", async () => {
    const view = (await json(t.app.request("/api/documents/1"))).body;
    // VAGUE_TARGET is one grouped finding; its places are the vague cells.
    const vague = view.findings
      .filter((f: any) => f.code === "VAGUE_TARGET")
      .flatMap((f: any) => f.places ?? [f])
      .map((p: any) => Number(/indicators\[(\d+)\]/.exec(p.where.field)![1]));
    expect(vague.length).toBeGreaterThanOrEqual(2);
    fake.script({
      content: JSON.stringify({
        suggestions: [
          { index: vague[0], target: "≥5场", basis: "计划标准" },
          { index: vague[1], target: "持续发挥作用", basis: "仍含糊" },
        ],
      }),
    });
    const r = await json(t.app.request("/api/documents/1/llm-suggestions", jsonReq("POST")));
    expect(r.status).toBe(200);
    expect(r.body.suggestions).toEqual([{ index: vague[0], field: `indicators[${vague[0]}].target`, suggestion: expect.objectContaining({ text: "≥5场", source: "llm" }) }]);
    expect(r.body.discarded).toEqual([expect.objectContaining({ index: vague[1], reason: expect.stringContaining("不可衡量") })]);
    expect(r.body.promptVersion).toBe("suggest-targets@v1");
  });

  it("applying a proposal re-checks it: a vague value or a non-vague field is refused", async () => {
    const view = (await json(t.app.request("/api/documents/1"))).body;
    const f = view.findings.find((x: any) => x.code === "VAGUE_TARGET");
    const bad = await json(t.app.request("/api/documents/1/apply-suggestion", jsonReq("POST", { field: f.where.field, value: "明显提高" })));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/仍不可衡量/);
    const notVague = await json(t.app.request("/api/documents/1/apply-suggestion", jsonReq("POST", { field: "funds.total.executed", value: "≥5场" })));
    expect(notVague.status).toBe(422);
    const ok = await json(t.app.request("/api/documents/1/apply-suggestion", jsonReq("POST", { field: f.where.field, value: "≥5场" })));
    expect(ok.status).toBe(200);
    const path = /indicators\[(\d+)\]/.exec(f.where.field)![1];
    expect(ok.body.data.indicators[Number(path)].target).toBe("≥5场");
  });

  it("without a model: 409 with a plain Chinese message", async () => {
    const r = await json(noLlm.app.request("/api/documents/1/llm-suggestions", jsonReq("POST")));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: "LLM_NOT_CONFIGURED", message: expect.stringContaining("未配置大模型") });
  });

  it("a failing endpoint is a 502 with the LLM error's message, never the key", async () => {
    fake.script({ status: 500, body: { error: { message: "boom sk-web-secret" } } });
    const r = await json(t.app.request("/api/documents/1/llm-suggestions", jsonReq("POST")));
    expect(r.status).toBe(502);
    expect(JSON.stringify(r.body)).not.toContain("sk-web-secret");
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
