// The store on both engines — SQLite (the embedded default) and PostgreSQL (a real server: see
// tests/helpers/pg.ts; skipped with its reason when none is configured): migrations, one transaction
// per user action, bytes kept byte for byte, version history of edits, stale edits refused under
// concurrency, acceptance with overrides in the audit log, jobs committed once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import sqlite3 from "sqlite3";
import { applyEdit } from "../src/domain/edit.ts";
import { numberPlaceholders } from "../src/store/engine.ts";
import { MIGRATIONS, migrationSql } from "../src/store/migrations.ts";
import { Store, StoreError, dataDirFromEnv, storeOptionsFromEnv, type Dialect, type StoredDocument, type StoreOptions } from "../src/store/index.ts";
import { selfEval } from "./helpers/docs.ts";
import { pgSkipReason, startTestPg, type TestPg } from "./helpers/pg.ts";

const ENGINES: { engine: Dialect; skip: string | null }[] = [
  { engine: "sqlite", skip: null },
  { engine: "postgres", skip: pgSkipReason() },
];

describe("store options", () => {
  it("JIXIAO_DATA_DIR chooses the data directory, ./data by default", () => {
    expect(dataDirFromEnv({ JIXIAO_DATA_DIR: "/srv/jixiao" })).toBe("/srv/jixiao");
    expect(dataDirFromEnv({})).toMatch(/[/\\]data$/);
  });

  it("JIXIAO_DATABASE_URL selects PostgreSQL; without it, SQLite", () => {
    expect(storeOptionsFromEnv({})).toEqual({ databaseUrl: null });
    expect(storeOptionsFromEnv({ JIXIAO_DATABASE_URL: " postgres://u@db/jixiao ", JIXIAO_DATABASE_POOL: "20" })).toEqual({ databaseUrl: "postgres://u@db/jixiao", poolSize: 20 });
    expect(() => storeOptionsFromEnv({ JIXIAO_DATABASE_POOL: "0" })).toThrow(/JIXIAO_DATABASE_POOL/);
  });

  it("SQLite's migrations are byte for byte the text that shipped (existing databases keep their schema)", () => {
    // sha256 of migrations 1 and 2 as they stood before the PostgreSQL engine (commit 7e5b92d).
    const shipped = ["9b653d19bec814737b0e23282de320bd0a7a05a61de28df89e0db9e45d4541b0", "c7bf0dc4fa6fbe39022bc0956bcb24571f8728c575817d993f8409a538a54fc9"];
    expect(shipped.map((_, i) => createHash("sha256").update(migrationSql("sqlite", i + 1)).digest("hex"))).toEqual(shipped);
    expect(migrationSql("postgres", 1)).toContain("BYTEA");
    expect(migrationSql("postgres", 1)).not.toMatch(/AUTOINCREMENT|\bBLOB NOT NULL/);
  });

  it("a URL that is not PostgreSQL's is refused, not taken for a file", async () => {
    await expect(Store.open("/nonexistent", { databaseUrl: "mysql://u@db/x" })).rejects.toThrow(/postgres:\/\//);
  });
});

describe.each(ENGINES)("store on $engine", ({ engine, skip }) => {
describe.skipIf(skip !== null)(skip ? `skipped: ${skip}` : "", () => {
let dir: string;
let store: Store;
let pg: TestPg | null = null;
/** What Store.open gets for this test: a fresh database on PostgreSQL, the temp dir's file on SQLite. */
let opts: StoreOptions = {};
const others: Store[] = [];
const extraDirs: string[] = [];

beforeAll(async () => {
  if (engine === "postgres") pg = await startTestPg();
});
afterAll(async () => {
  await pg?.stop();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "jixiao-store-"));
  opts = pg ? { databaseUrl: await pg.freshUrl() } : {};
  store = await Store.open(dir, opts);
});
afterEach(async () => {
  await store.close();
  for (const s of others.splice(0)) await s.close();
  for (const d of [dir, ...extraDirs.splice(0)]) rmSync(d, { recursive: true, force: true });
});

/** A second store on the same database: another server process, as far as the database can tell. */
async function another(): Promise<Store> {
  const s = await Store.open(dir, opts);
  others.push(s);
  return s;
}

/** A query straight on the database, past the store. */
function rawQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  if (pg) return pg.query<T>(opts.databaseUrl!, numberPlaceholders(sql), params);
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(join(dir, "jixiao.db"), sqlite3.OPEN_READWRITE, (e) => {
      if (e) return reject(e);
      db.all(sql, params, (err, rows) => {
        db.close();
        if (err) reject(err);
        else resolve(rows as T[]);
      });
    });
  });
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function fileWith(docs = [selfEval(), selfEval({ name: "第二个项目" })], content = bytes("PK\u0003\u0004 binary \u0000\u00ff data")) {
  const ws = await store.createWorkspace("测试", "张三");
  const saved = await store.addFile({ workspaceId: ws.id, name: "自评表.docx", bytes: content, sha256: sha(content), format: "docx", error: null, documents: docs, user: "张三" });
  return { ws, ...saved, content };
}

describe("schema", () => {
  it("applies every migration once and records it", async () => {
    expect(store.dialect).toBe(engine);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    await store.close();
    store = await Store.open(dir, opts); // reopening applies nothing twice
    const rows = await rawQuery<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it("servers starting at once against one new database apply each migration once", async () => {
    const d = mkdtempSync(join(tmpdir(), "jixiao-store-"));
    extraDirs.push(d);
    const fresh = pg ? { databaseUrl: await pg.freshUrl() } : {};
    // Without the migration lock, PostgreSQL fails one of these with "relation already exists" or a
    // duplicate schema_migrations key (the version's primary key).
    const opened = await Promise.all([1, 2, 3].map(() => Store.open(d, fresh)));
    others.push(...opened);
    expect(await Promise.all(opened.map((s) => s.schemaVersion()))).toEqual([MIGRATIONS.length, MIGRATIONS.length, MIGRATIONS.length]);
  });

  it("a sound database (SQLite: WAL, integrity_check)", async () => {
    if (engine === "sqlite") expect((await rawQuery<{ journal_mode: string }>("PRAGMA journal_mode"))[0]!.journal_mode).toBe("wal");
    expect(await store.integrityCheck()).toBe("ok");
  });

  it("has the tables the app needs", async () => {
    const sql = engine === "sqlite" ? "SELECT name FROM sqlite_master WHERE type = 'table'" : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()";
    const names = (await rawQuery<{ name: string }>(sql)).map((r) => r.name);
    for (const t of ["workspaces", "files", "documents", "document_versions", "drafts", "audit_log", "review_waivers", "jobs", "schema_migrations"]) expect(names).toContain(t);
  });
});

describe("files and documents", () => {
  it("keeps the uploaded bytes byte for byte, with size and sha256", async () => {
    const { file, content } = await fileWith();
    expect(file.size).toBe(content.byteLength);
    expect(file.sha256).toBe(sha(content));
    expect(Buffer.from((await store.getFileContent(file.id))!).equals(Buffer.from(content))).toBe(true);
  });

  it("stores every extracted document with version 1 in the history", async () => {
    const { documents } = await fileWith();
    expect(documents.map((d) => [d.index, d.name, d.version])).toEqual([[0, "禁毒宣传专项经费", 1], [1, "第二个项目", 1]]);
    const v = await store.listVersions(documents[0]!.id);
    expect(v).toMatchObject([{ version: 1, source: "extract", user: "张三" }]);
  });

  it("an unreadable file is stored with its error and no documents", async () => {
    const ws = await store.createWorkspace("w", null);
    const b = bytes("not a document");
    const { file, documents } = await store.addFile({ workspaceId: ws.id, name: "坏.docx", bytes: b, sha256: sha(b), format: null, error: { code: "UNSUPPORTED_TYPE", message: "坏.docx：不支持" }, documents: [], user: null });
    expect(file.error).toEqual({ code: "UNSUPPORTED_TYPE", message: "坏.docx：不支持" });
    expect(documents).toEqual([]);
  });

  it("an upload that fails half way leaves nothing behind (one transaction)", async () => {
    const ws = await store.createWorkspace("w", null);
    const b = bytes("x");
    // A document the schema's NOT NULL refuses: the insert fails after the file row was written.
    const broken = { ...selfEval(), kind: null } as unknown as ReturnType<typeof selfEval>;
    await expect(store.addFile({ workspaceId: ws.id, name: "a.docx", bytes: b, sha256: sha(b), format: "docx", error: null, documents: [selfEval(), broken], user: null })).rejects.toThrow();
    expect(await store.listFiles(ws.id)).toEqual([]);
    expect(await store.listDocuments(ws.id)).toEqual([]);
    expect(await rawQuery("SELECT * FROM document_versions")).toEqual([]);
  });

  it("refuses a file for a workspace that does not exist", async () => {
    const b = bytes("x");
    await expect(store.addFile({ workspaceId: 999, name: "a", bytes: b, sha256: sha(b), format: null, error: null, documents: [], user: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deleting a workspace removes its files, documents and drafts (foreign keys) but keeps the audit log", async () => {
    const { ws, documents } = await fileWith();
    await store.addDraft({ documentId: documents[0]!.id, documentVersion: 1, parentId: null, request: null, draft: { sections: [{ heading: "一", text: "x" }], drafter: "template", promptVersion: null, findings: [], usage: null }, user: null });
    expect(await store.deleteWorkspace(ws.id, "张三")).toBe(true);
    for (const t of ["files", "documents", "document_versions", "drafts"]) expect(await rawQuery(`SELECT * FROM ${t}`)).toEqual([]);
    const audit = await store.listAudit({ workspaceId: ws.id });
    expect(audit.map((a) => a.action)).toEqual(["create_workspace", "delete_workspace"]);
  });
});

describe("edits are versions", () => {
  it("records who changed which field from what to what, and keeps each version's data", async () => {
    const { documents } = await fileWith();
    const d = documents[0]!;
    const data = applyEdit(d.data, "indicators[0].actual", "4场");
    const saved = await store.saveEdit({ documentId: d.id, baseVersion: 1, source: "edit", field: "indicators[0].actual", oldValue: "6场", newValue: "4场", data, user: "李四" });
    expect(saved.version).toBe(2);
    expect(saved.data).toEqual(data);
    const versions = await store.listVersions(d.id);
    expect(versions[1]).toMatchObject({ version: 2, source: "edit", field: "indicators[0].actual", oldValue: "6场", newValue: "4场", user: "李四" });
    expect(await store.getVersionData(d.id, 1)).toEqual(d.data);
  });

  it("an edit based on an old version is refused (no lost update)", async () => {
    const { documents } = await fileWith();
    const d = documents[0]!;
    const e = { documentId: d.id, baseVersion: 1, source: "edit" as const, field: "name", oldValue: null, newValue: "x", data: applyEdit(d.data, "name", "x"), user: null };
    await store.saveEdit(e);
    await expect(store.saveEdit(e)).rejects.toBeInstanceOf(StoreError);
    await expect(store.saveEdit(e)).rejects.toMatchObject({ code: "VERSION_CONFLICT" });
    expect((await store.getDocument(d.id))!.version).toBe(2);
  });

  it("concurrent edits are serialised: each commits whole, the loser gets a conflict", async () => {
    const { documents } = await fileWith();
    const d = documents[0]!;
    const edits = ["甲", "乙", "丙"].map((v) => store.saveEdit({ documentId: d.id, baseVersion: 1, source: "edit", field: "name", oldValue: null, newValue: v, data: applyEdit(d.data, "name", v), user: null }));
    const results = await Promise.allSettled(edits);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await store.listVersions(d.id)).toHaveLength(2);
  });
});

describe("acceptance and the audit log", () => {
  it("accepting a table logs the acceptance and each override with its reason, user and time", async () => {
    const { documents } = await fileWith();
    const d = documents[0]!;
    const accepted = await store.acceptDocument({
      documentId: d.id, version: 1, user: "王五",
      overrides: [{ findingId: "SCORE_MISSING@indicators[3].score", code: "SCORE_MISSING", field: "indicators[3].score", reason: "原表如此，已与财政局核对" }],
    });
    expect(accepted).toMatchObject({ acceptedVersion: 1, acceptedBy: "王五" });
    const audit = await store.listAudit({ documentId: d.id });
    expect(audit.map((a) => a.action)).toEqual(["override", "accept_document"]);
    expect(audit[0]).toMatchObject({ code: "SCORE_MISSING", field: "indicators[3].score", reason: "原表如此，已与财政局核对", user: "王五" });
    expect(audit[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("accepting a stale version is refused", async () => {
    const { documents } = await fileWith();
    await expect(store.acceptDocument({ documentId: documents[0]!.id, version: 7, overrides: [], user: null })).rejects.toMatchObject({ code: "VERSION_CONFLICT" });
  });

  it("drafts: stored with their findings; the accepted one is the current one", async () => {
    const { documents } = await fileWith();
    const id = documents[0]!.id;
    const mk = (text: string, parentId: number | null) =>
      store.addDraft({ documentId: id, documentVersion: 1, parentId, request: "起草", user: "张三", draft: { sections: [{ heading: "一、项目基本情况", text }], drafter: "template", promptVersion: null, findings: [], usage: null } });
    const a = await mk("甲", null);
    const b = await mk("乙", a.id);
    expect((await store.currentDraft(id))!.id).toBe(b.id);
    await store.acceptDraft({ draftId: a.id, overrides: [], user: "张三" });
    expect((await store.currentDraft(id))!.id).toBe(a.id);
    expect((await store.getDraft(b.id))!.parentId).toBe(a.id);
    expect((await store.listAudit({ documentId: id })).map((x) => x.action)).toEqual(["accept_draft"]);
  });
});

describe("concurrent writers", () => {
  const edit = (d: StoredDocument, v: string, baseVersion = 1) =>
    ({ documentId: d.id, baseVersion, source: "edit" as const, field: "name", oldValue: null, newValue: v, data: applyEdit(d.data, "name", v), user: v });

  it("two servers editing the same version at once: one wins, the other is refused as stale", async () => {
    const { documents } = await fileWith();
    const d = documents[0]!;
    const second = await another();
    for (let round = 0; round < 5; round++) {
      const base = (await store.getDocument(d.id))!.version;
      const results = await Promise.allSettled([store.saveEdit(edit(d, `甲${round}`, base)), second.saveEdit(edit(d, `乙${round}`, base))]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: "VERSION_CONFLICT" });
      // The winner's edit is the stored document, whole: its version row, its data, its user.
      const now = (await store.getDocument(d.id))!;
      expect(now.version).toBe(base + 1);
      const winner = (won[0] as PromiseFulfilledResult<{ data: { name: string } }>).value.data.name;
      expect(now.data.name).toBe(winner);
      expect((await store.listVersions(d.id)).at(-1)).toMatchObject({ version: base + 1, newValue: winner, user: winner });
    }
    expect(await store.listVersions(d.id)).toHaveLength(6);
  });

  it("edits of different documents from two servers all commit", async () => {
    const { documents } = await fileWith();
    const second = await another();
    const saved = await Promise.all([store.saveEdit(edit(documents[0]!, "甲")), second.saveEdit(edit(documents[1]!, "乙"))]);
    expect(saved.map((d) => [d.version, d.data.name])).toEqual([[2, "甲"], [2, "乙"]]);
  });

  it("accepting a table while it is being edited: the acceptance names a version that existed, or is refused", async () => {
    const { documents } = await fileWith();
    const d = documents[0]!;
    const second = await another();
    const [accepted, edited] = await Promise.allSettled([
      store.acceptDocument({ documentId: d.id, version: 1, overrides: [], user: "王五" }),
      second.saveEdit(edit(d, "改", 1)),
    ]);
    expect(edited.status).toBe("fulfilled");
    const doc = (await store.getDocument(d.id))!;
    if (accepted.status === "fulfilled") expect(doc.acceptedVersion).toBe(1);
    else expect(accepted.reason).toMatchObject({ code: "VERSION_CONFLICT" });
    expect(doc.version).toBe(2);
  });

  it("a waiver given twice at once is stored once, the second replacing the first in the audit log", async () => {
    const { documents } = await fileWith();
    const d = documents[0]!;
    const second = await another();
    await Promise.all([
      store.waiveOpinion({ documentId: d.id, code: "R01", reason: "理由甲甲甲", field: null, user: "甲", detail: {} }),
      second.waiveOpinion({ documentId: d.id, code: "R01", reason: "理由乙乙乙", field: null, user: "乙", detail: {} }),
    ]);
    expect(await store.listWaivers({ documentId: d.id })).toHaveLength(1);
    const audit = (await store.listAudit({ documentId: d.id })).filter((a) => a.action === "waive_opinion");
    expect(audit.map((a) => (a.detail as { replaced: unknown }).replaced === null)).toEqual([true, false]);
  });
});

describe("originals as blobs", () => {
  it("every byte value survives the round trip, and an empty file too", async () => {
    const all = new Uint8Array(256 * 4).map((_, i) => i % 256);
    for (const content of [all, new Uint8Array(0)]) {
      const { file } = await fileWith([], content);
      expect(file.size).toBe(content.byteLength);
      expect(Buffer.from((await store.getFileContent(file.id))!).equals(Buffer.from(content))).toBe(true);
    }
  });

  it("the schema refuses content whose length is not the recorded size", async () => {
    const { file } = await fileWith();
    await expect(rawQuery("UPDATE files SET size = size + 1 WHERE id = ?", [file.id])).rejects.toThrow();
  });

  it("a NUL character in a name is kept by SQLite and stored as U+FFFD by PostgreSQL (its text cannot hold it)", async () => {
    const ws = await store.createWorkspace("w", null);
    const b = bytes("x");
    const { file } = await store.addFile({ workspaceId: ws.id, name: "a\u0000b.docx", bytes: b, sha256: sha(b), format: null, error: null, documents: [], user: null });
    expect(file.name).toBe(engine === "sqlite" ? "a\u0000b.docx" : "a\uFFFDb.docx");
  });
});

describe("jobs", () => {
  const newJob = async () => {
    const ws = await store.createWorkspace("批量", "张三");
    return store.createJob({ kind: "check", payload: { fileIds: [1, 2, 3] }, workspaceId: ws.id, total: 3, user: "张三" });
  };

  it("queued with its payload and total; who asked is in the audit log", async () => {
    const job = await newJob();
    expect(job).toMatchObject({ kind: "check", state: "queued", payload: { fileIds: [1, 2, 3] }, progress: { done: 0, total: 3, current: null }, result: null, resultKey: null, attempts: 0, createdBy: "张三" });
    expect((await store.listAudit({ workspaceId: job.workspaceId! })).map((a) => [a.action, a.code])).toContainEqual(["create_job", "check"]);
    expect((await store.listJobs({ workspaceId: job.workspaceId!, state: "queued" })).map((j) => j.id)).toEqual([job.id]);
  });

  it("runs with progress; its result commits once however often it is completed", async () => {
    const job = await newJob();
    expect(await store.startJob(job.id)).toMatchObject({ state: "running", attempts: 1 });
    expect(await store.reportJobProgress(job.id, { done: 1, current: "a.docx" })).toBe(true);
    expect((await store.getJob(job.id))!.progress).toEqual({ done: 1, total: 3, current: "a.docx" });
    // A worker killed here: the job is delivered again and restarted (a second attempt).
    expect(await store.startJob(job.id)).toMatchObject({ state: "running", attempts: 2 });
    const first = await store.completeJob(job.id, { checked: 3, by: "first" });
    expect(first.committed).toBe(true);
    expect(first.job).toMatchObject({ state: "succeeded", result: { checked: 3, by: "first" }, resultKey: `job:${job.id}`, progress: { done: 3, total: 3, current: null } });
    // The other delivery finishes too: nothing changes.
    const again = await store.completeJob(job.id, { checked: 3, by: "second" });
    expect(again.committed).toBe(false);
    expect(again.job!.result).toEqual({ checked: 3, by: "first" });
    expect(await store.startJob(job.id)).toBeNull();
    expect(await store.failJob(job.id, "late", { retry: true })).toBe(false);
  });

  it("completed by several workers at once: exactly one result is committed", async () => {
    const job = await newJob();
    await store.startJob(job.id);
    const second = await another();
    const outcomes = await Promise.all([1, 2, 3, 4].map((n) => (n % 2 ? store : second).completeJob(job.id, { by: n })));
    expect(outcomes.filter((o) => o.committed)).toHaveLength(1);
    const winner = outcomes.findIndex((o) => o.committed) + 1;
    expect((await store.getJob(job.id))!.result).toEqual({ by: winner });
  });

  it("two pollers never take the same job", async () => {
    const jobs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => newJob()));
    const second = await another();
    const taken: number[] = [];
    await Promise.all(
      [store, second].map(async (s) => {
        for (let j = await s.claimNextJob(["check"]); j; j = await s.claimNextJob(["check"])) taken.push(j.id);
      }),
    );
    expect(taken.sort((a, b) => a - b)).toEqual(jobs.map((j) => j.id).sort((a, b) => a - b));
    expect(await store.claimNextJob()).toBeNull();
    expect(await store.claimNextJob(["draft"])).toBeNull();
  });

  it("retry puts a failed attempt back in the queue; a final failure stays failed", async () => {
    const job = await newJob();
    await store.startJob(job.id);
    expect(await store.failJob(job.id, "HTTP 429", { retry: true })).toBe(true);
    expect(await store.getJob(job.id)).toMatchObject({ state: "queued", error: "HTTP 429", attempts: 1 });
    await store.startJob(job.id);
    expect(await store.failJob(job.id, "HTTP 500", { retry: false })).toBe(true);
    expect(await store.getJob(job.id)).toMatchObject({ state: "failed", error: "HTTP 500", attempts: 2 });
    expect((await store.completeJob(job.id, {})).committed).toBe(false);
  });

  it("a cancelled job takes no more progress and no result; the cancellation is logged", async () => {
    const job = await newJob();
    await store.startJob(job.id);
    expect(await store.cancelJob(job.id, "李四")).toMatchObject({ state: "cancelled" });
    expect(await store.reportJobProgress(job.id, { done: 2 })).toBe(false);
    expect((await store.completeJob(job.id, { late: true })).committed).toBe(false);
    expect((await store.getJob(job.id))!.result).toBeNull();
    expect((await store.listAudit({ workspaceId: job.workspaceId! })).map((a) => [a.action, a.user])).toContainEqual(["cancel_job", "李四"]);
    expect(await store.cancelJob(9999, null)).toBeNull();
  });

  it("the schema itself keeps a result key unique and 'succeeded' tied to a committed result", async () => {
    const [a, b] = [await newJob(), await newJob()];
    await store.completeJob(a.id, 1);
    await expect(rawQuery("UPDATE jobs SET state = 'succeeded', result_key = ? WHERE id = ?", [`job:${a.id}`, b.id])).rejects.toThrow();
    await expect(rawQuery("UPDATE jobs SET state = 'succeeded' WHERE id = ?", [b.id])).rejects.toThrow();
  });

  it("a job for a workspace that does not exist is refused; deleting a workspace deletes its jobs", async () => {
    await expect(store.createJob({ kind: "check", payload: {}, workspaceId: 999, user: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const job = await newJob();
    await store.deleteWorkspace(job.workspaceId!, null);
    expect(await store.getJob(job.id)).toBeNull();
  });
});
});
});
