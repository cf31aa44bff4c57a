// The pool of reader threads (server/isolate.ts): a file that blows the heap or never finishes fails
// alone, with the same codes and messages as before the pool, while other uploads are read beside it;
// the thread it took is replaced; reads are served in arrival order; nothing queued is lost, not even
// at close; and 20 uploads sent at once to a real server are all stored.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { ReaderPool, readerFromEnv } from "../server/isolate.ts";
import { serve } from "../server/main.ts";
import { jsonReq, seedBytes, testApp, uploadReq } from "./helpers/server.ts";

const MAX = 50 * 1024 * 1024;
const SEED = seedBytes("003-xiqu-2020.docx");
const TEST_ENTRY = new URL("./helpers/readerWorker.ts", import.meta.url).href;
const BROKEN_ENTRY = new URL("./helpers/brokenReaderWorker.ts", import.meta.url).href;

/** Seed 003 with a million one-character paragraphs (124 KB zipped, 36 MB of XML): past a 64 MB heap in a few seconds. */
function heapBomb(): Uint8Array {
  const files = unzipSync(SEED);
  const xml = strFromU8(files["word/document.xml"]!);
  files["word/document.xml"] = strToU8(xml.replace("<w:body>", "<w:body>" + "<w:p><w:r><w:t>段</w:t></w:r></w:p>".repeat(1_000_000)));
  return zipSync(files, { level: 9 });
}

const pools: ReaderPool[] = [];
function pool(o: ConstructorParameters<typeof ReaderPool>[0]): ReaderPool {
  const p = new ReaderPool(o);
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close().catch(() => {})));
});

describe("reader pool", () => {
  it("a file that blows the heap fails alone with TOO_COMPLEX; good reads beside it succeed; its thread is replaced", async () => {
    const p = pool({ size: 2, memoryMb: 64 });
    // Both threads warm and used once, so the bomb lands on a thread that has read before.
    await Promise.all([p.read(SEED, "a.docx", { maxBytes: MAX }), p.read(SEED, "b.docx", { maxBytes: MAX })]);
    const bomb = p.read(heapBomb(), "炸弹.docx", { maxBytes: MAX });
    const good = Array.from({ length: 6 }, (_, i) => p.read(SEED, `好${i}.docx`, { maxBytes: MAX }));
    const [b, ...g] = await Promise.all([bomb, ...good]);
    expect(b).toEqual({
      file: "炸弹.docx",
      format: null,
      documents: [],
      error: { code: "TOO_COMPLEX", message: "炸弹.docx：文件结构异常或过于复杂，读取时超出内存上限（64 MB），已停止" },
    });
    for (const [i, r] of g.entries()) {
      expect(r.file).toBe(`好${i}.docx`);
      expect(r.error).toBeNull();
      expect(r.documents).toHaveLength(5);
    }
    const s = p.stats();
    expect(s.retired.memory).toBe(1);
    expect(s.workers).toBe(2); // the lost thread was replaced at once
    expect(s.started).toBe(3);
    const after = await Promise.all([p.read(SEED, "c.docx", { maxBytes: MAX }), p.read(SEED, "d.docx", { maxBytes: MAX })]);
    expect(after.map((r) => r.documents.length)).toEqual([5, 5]);
  }, 120_000);

  it("a reader stuck in a loop is ended at the time limit (READ_TIMEOUT); the upload queued behind it is served", async () => {
    const p = pool({ size: 1, timeoutMs: 3000, entry: TEST_ENTRY });
    expect((await p.read(SEED, "热身.docx", { maxBytes: MAX })).documents).toHaveLength(5);
    const t0 = performance.now();
    const hung = p.read(SEED, "死循环.docx", { maxBytes: MAX });
    const next = p.read(SEED, "下一个.docx", { maxBytes: MAX });
    const h = await hung;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2900);
    expect(h).toEqual({
      file: "死循环.docx",
      format: null,
      documents: [],
      error: { code: "READ_TIMEOUT", message: "死循环.docx：读取超过 3 秒仍未完成，已停止（文件结构可能异常）" },
    });
    const n = await next;
    expect(n.error).toBeNull();
    expect(n.documents).toHaveLength(5);
    expect(p.stats()).toMatchObject({ workers: 1, started: 2, retired: { timeout: 1 } });
  }, 120_000);

  it("a hung reader holds one thread only: reads beside it go on in the other", async () => {
    const p = pool({ size: 2, timeoutMs: 4000, entry: TEST_ENTRY });
    await Promise.all([p.read(SEED, "a.docx", { maxBytes: MAX }), p.read(SEED, "b.docx", { maxBytes: MAX })]);
    const hung = p.read(SEED, "死循环.docx", { maxBytes: MAX });
    const t0 = performance.now();
    const good = await Promise.all(Array.from({ length: 4 }, (_, i) => p.read(SEED, `好${i}.docx`, { maxBytes: MAX })));
    const goodMs = performance.now() - t0;
    expect(good.map((r) => r.documents.length)).toEqual([5, 5, 5, 5]);
    expect((await hung).error?.code).toBe("READ_TIMEOUT");
    // The good reads did not wait for the hung one's time limit.
    expect(goodMs).toBeLessThan(4000);
  }, 120_000);

  it("replaces a thread whose heap grew past the threshold, and one that has served its number of reads", async () => {
    const heap = pool({ size: 1, recycleHeapMb: 1 });
    for (const name of ["1.docx", "2.docx"]) expect((await heap.read(SEED, name, { maxBytes: MAX })).documents).toHaveLength(5);
    expect(heap.stats()).toMatchObject({ started: 3, workers: 1, retired: { heap: 2 } });
    const reads = pool({ size: 1, maxReads: 2 });
    for (const name of ["1.docx", "2.docx", "3.docx"]) expect((await reads.read(SEED, name, { maxBytes: MAX })).documents).toHaveLength(5);
    expect(reads.stats()).toMatchObject({ started: 2, retired: { reads: 1 } });
  }, 120_000);

  it("serves reads in arrival order when every thread is busy", async () => {
    const p = pool({ size: 1 });
    const order: string[] = [];
    const names = Array.from({ length: 6 }, (_, i) => `${i}.docx`);
    await Promise.all(names.map((n) => p.read(SEED, n, { maxBytes: MAX }).then((r) => order.push(r.file))));
    expect(order).toEqual(names);
  }, 120_000);

  it("a thread that cannot start fails the read it was given (READ_FAILED) without a respawn loop", async () => {
    const p = pool({ size: 2, entry: BROKEN_ENTRY });
    const rs = await Promise.all([p.read(SEED, "a.docx", { maxBytes: MAX }), p.read(SEED, "b.docx", { maxBytes: MAX })]);
    for (const r of rs) expect(r.error).toEqual({ code: "READ_FAILED", message: `${r.file}：读取失败，文件可能已损坏或格式异常` });
    await new Promise((r) => setTimeout(r, 300));
    expect(p.stats()).toMatchObject({ started: 2, workers: 0, retired: { crash: 2 } });
  }, 60_000);

  it("close lets the queued reads finish, ends every thread, and refuses reads after", async () => {
    const p = pool({ size: 1 });
    const reads = ["1.docx", "2.docx", "3.docx"].map((n) => p.read(SEED, n, { maxBytes: MAX }));
    await p.close();
    expect((await Promise.all(reads)).map((r) => r.documents.length)).toEqual([5, 5, 5]);
    expect(p.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0, served: 3 });
    await expect(p.read(SEED, "4.docx", { maxBytes: MAX })).rejects.toThrow(/已关闭/);
  }, 120_000);

  it("is chosen from the environment: JIXIAO_READERS sets its size, JIXIAO_READER_POOL=0 the thread-per-file path", async () => {
    expect((readerFromEnv({ JIXIAO_READERS: "3" }) as ReaderPool).size).toBe(3);
    expect(readerFromEnv({})).toBeInstanceOf(ReaderPool);
    expect(readerFromEnv({ JIXIAO_READER_POOL: "0" })).not.toBeInstanceOf(ReaderPool);
    expect(() => readerFromEnv({ JIXIAO_READERS: "0" })).toThrow(/JIXIAO_READERS 应为正整数/);
  });
});

describe("uploads through the pool", () => {
  it("a heap-blowing upload fails alone while concurrent good uploads are stored", async () => {
    const p = pool({ size: 2, memoryMb: 64 });
    const t = await testApp({ reader: p });
    try {
      await t.app.request("/api/workspaces", jsonReq("POST", { name: "甲单位" }));
      const up = async (name: string, data: Uint8Array) => {
        const r = await t.app.request("/api/workspaces/1/files", uploadReq([{ name, data }]));
        return { status: r.status, body: (await r.json()) as any };
      };
      const [bomb, ...good] = await Promise.all([up("炸弹.docx", heapBomb()), ...Array.from({ length: 5 }, (_, i) => up(`好${i}.docx`, SEED))]);
      expect(bomb.status).toBe(200);
      expect(bomb.body.files[0]).toMatchObject({ name: "炸弹.docx", error: { code: "TOO_COMPLEX" }, documents: [] });
      for (const g of good) {
        expect(g.status).toBe(200);
        expect(g.body.files[0].documents).toHaveLength(5);
      }
      expect(p.stats()).toMatchObject({ workers: 2, retired: { memory: 1 } });
    } finally {
      await t.close();
    }
  }, 120_000);

  it.each([
    { mode: "the pool", env: {}, n: 20 },
    { mode: "one thread per file (JIXIAO_READER_POOL=0)", env: { JIXIAO_READER_POOL: "0" }, n: 3 },
  ])("$n uploads sent at once to a real server are all stored ($mode); the server closes cleanly", async ({ env, n }) => {
    const dataDir = mkdtempSync(join(tmpdir(), "jixiao-pool-"));
    const s = await serve({ env: { JIXIAO_DATA_DIR: dataDir, ...env }, port: 0, log: () => {}, handleSignals: false });
    try {
      const ws = (await (await fetch(`${s.url}/api/workspaces`, jsonReq("POST", { name: "并发" }))).json()) as { id: number };
      const res = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const r = await fetch(`${s.url}/api/workspaces/${ws.id}/files`, uploadReq([{ name: `003-${i}.docx`, data: SEED }]));
          return { status: r.status, body: (await r.json()) as any };
        }),
      );
      for (const r of res) {
        expect(r.status).toBe(200);
        expect(r.body.files[0].error ?? null).toBeNull();
        expect(r.body.files[0].documents).toHaveLength(5);
      }
      const files = ((await (await fetch(`${s.url}/api/workspaces/${ws.id}/files`)).json()) as any).files as any[];
      expect(files).toHaveLength(n);
      expect(files.reduce((k, f) => k + f.documents.length, 0)).toBe(5 * n);
    } finally {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
