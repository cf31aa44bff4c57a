// Fixes from a security/robustness review, each with the input that used to break the server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { extractBuffer } from "../src/pipeline.ts";
import { serve } from "../server/main.ts";
import { jsonReq, seedBytes, testApp, uploadReq, type TestApp } from "./helpers/server.ts";

async function json(p: Response | Promise<Response>) {
  const r = await p;
  return { status: r.status, body: (await r.json()) as any };
}

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await t.app.request("/api/workspaces", jsonReq("POST", { name: "甲单位" }));
  await t.app.request("/api/workspaces/1/files", uploadReq([{ name: "003.docx", data: seedBytes("003-xiqu-2020.docx") }]));
});
afterAll(() => t.close());

describe("hardening", () => {
  it("a .docx with gridSpan 99999999 is read without exhausting memory", async () => {
    const files = unzipSync(seedBytes("003-xiqu-2020.docx"));
    files["word/document.xml"] = strToU8(strFromU8(files["word/document.xml"]!).replace(/w:gridSpan w:val="\d+"/g, 'w:gridSpan w:val="99999999"').replace(/<w:trPr>/g, '<w:trPr><w:gridBefore w:val="99999999"/>'));
    const r = await extractBuffer(zipSync(files), "huge-span.docx");
    expect(r.file).toBe("huge-span.docx"); // returned at all: no crash; documents or a clear error
    const up = await json(t.app.request("/api/workspaces/1/files", uploadReq([{ name: "huge-span.docx", data: zipSync(files) }])));
    expect(up.status).toBeLessThan(500);
  });

  it("a 20,000-character cell edit is refused; the report's long texts are not", async () => {
    const r = await json(t.app.request("/api/documents/1", jsonReq("PATCH", { field: "indicators[0].target", value: "1%".repeat(10_000) })));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "VALUE_TOO_LONG", message: expect.stringContaining("单元格内容过长") });
  });

  it("zero-width or punctuation-only override reasons are not written reasons", async () => {
    const view = (await json(t.app.request("/api/documents/2"))).body;
    const errors = view.findings.filter((f: any) => f.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    for (const reason of ["\u200b\u200b\u200b\u200b\u200b", "。。。。。", "    "]) {
      const r = await json(t.app.request("/api/documents/2/accept", jsonReq("POST", { version: view.document.version, overrides: errors.map((f: any) => ({ findingId: f.id, reason })) })));
      expect(r.status).toBe(409);
    }
  });

  it("a draft checked against an older table cannot be accepted", async () => {
    const view = (await json(t.app.request("/api/documents/3"))).body;
    await (await t.app.request("/api/documents/3/drafts", jsonReq("POST", {}))).text();
    const draft = (await json(t.app.request("/api/documents/3/drafts"))).body.drafts[0];
    // The table changes after the draft was made and before it is accepted.
    await t.app.request("/api/documents/3", jsonReq("PATCH", { field: "funds.total.executed", value: 9, baseVersion: view.document.version }));
    const stale = await t.store.acceptDraft({ draftId: draft.id, overrides: [], user: "张三", documentVersion: view.document.version }).catch((e: Error) => e);
    expect(stale).toBeInstanceOf(Error);
    expect((stale as Error).message).toMatch(/已被修改/);
  });

  it("ids are never reused after a delete (audit entries stay with their documents)", async () => {
    const before = (await json(t.app.request("/api/workspaces"))).body.workspaces.map((w: any) => w.id);
    const created = (await json(t.app.request("/api/workspaces", jsonReq("POST", { name: "临时" })))).body;
    await t.app.request(`/api/workspaces/${created.id}`, { method: "DELETE" });
    const again = (await json(t.app.request("/api/workspaces", jsonReq("POST", { name: "乙单位" })))).body;
    expect(again.id).toBeGreaterThan(created.id);
    expect(before).not.toContain(again.id);
  });

  it("a path with an encoded newline cannot forge a log line", async () => {
    await t.app.request("/api/x%0A2026-01-01T00:00:00Z%20GET%20/api/fake%20200%200ms");
    expect(t.logs.some((l) => l.startsWith("2026-01-01T00:00:00Z GET /api/fake"))).toBe(false);
    expect(t.logs.every((l) => !l.includes("\n"))).toBe(true);
  });

  it("an oversized JSON body is refused with 413; validation messages are Chinese", async () => {
    const big = await json(t.app.request("/api/workspaces", jsonReq("POST", { name: "w", pad: "x".repeat(2 * 1024 * 1024) })));
    expect(big.status).toBe(413);
    const bad = await json(t.app.request("/api/documents/1", jsonReq("PATCH", { field: "x".repeat(200), value: 1 })));
    expect(bad.status).toBe(400);
    expect(bad.body.message).not.toMatch(/Too big|expected/);
    expect(bad.body.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("an empty HOST= listens on 127.0.0.1, not on every interface", async () => {
    const s = await serve({ env: { HOST: "", JIXIAO_DATA_DIR: t.dataDir + "-host" }, port: 0, log: () => {}, handleSignals: false });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await s.close();
    }
  });
});

describe("uploads are read in an isolated worker", () => {
  it("a worker that runs out of memory or time gives the file a clear error; the caller keeps running", async () => {
    const { extractIsolated } = await import("../server/isolate.ts");
    const oom = await extractIsolated(seedBytes("003-xiqu-2020.docx"), "大文件.docx", { maxBytes: 50 * 1024 * 1024, memoryMb: 2 });
    expect(oom.error?.code).toMatch(/TOO_COMPLEX|READ_FAILED/);
    expect(oom.error?.message).toMatch(/^大文件\.docx：/);
    const slow = await extractIsolated(seedBytes("003-xiqu-2020.docx"), "慢.docx", { maxBytes: 50 * 1024 * 1024, timeoutMs: 1 });
    expect(slow.error).toMatchObject({ code: "READ_TIMEOUT", message: expect.stringContaining("慢.docx：读取超过") });
    const ok = await extractIsolated(seedBytes("003-xiqu-2020.docx"), "003.docx", { maxBytes: 50 * 1024 * 1024 });
    expect(ok.error).toBeNull();
    expect(ok.documents).toHaveLength(5);
  });
});

describe("jixiao serve", () => {
  it("a port already in use gives a clear Chinese error and exit 2, not a stack trace", async () => {
    const { main } = await import("../src/cli.ts");
    const first = await serve({ env: { JIXIAO_DATA_DIR: t.dataDir + "-p1" }, port: 0, log: () => {}, handleSignals: false });
    const saved = { PORT: process.env.PORT, JIXIAO_DATA_DIR: process.env.JIXIAO_DATA_DIR };
    process.env.PORT = String(first.port);
    process.env.JIXIAO_DATA_DIR = t.dataDir + "-p2";
    const err: string[] = [];
    try {
      const code = await main(["serve"], { out: () => {}, err: (s) => err.push(s) });
      expect(code).toBe(2);
      expect(err.join("\n")).toMatch(/无法启动服务：端口已被占用/);
      expect(err.join("\n")).not.toMatch(/\n\s+at /);
    } finally {
      process.env.PORT = saved.PORT;
      process.env.JIXIAO_DATA_DIR = saved.JIXIAO_DATA_DIR;
      if (saved.PORT === undefined) delete process.env.PORT;
      if (saved.JIXIAO_DATA_DIR === undefined) delete process.env.JIXIAO_DATA_DIR;
      await first.close();
    }
  });
});
