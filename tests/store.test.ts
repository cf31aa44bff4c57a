// The SQLite store: migrations, pragmas, one transaction per user action, bytes kept byte for byte,
// version history of edits, acceptance with overrides in the audit log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import sqlite3 from "sqlite3";
import { applyEdit } from "../src/domain/edit.ts";
import { MIGRATIONS } from "../src/store/migrations.ts";
import { Store, StoreError, dataDirFromEnv } from "../src/store/index.ts";
import { selfEval } from "./helpers/docs.ts";

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "jixiao-store-"));
  store = await Store.open(dir);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function rawQuery<T>(sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(join(dir, "jixiao.db"), sqlite3.OPEN_READONLY, (e) => {
      if (e) return reject(e);
      db.all(sql, (err, rows) => {
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

describe("store: schema and pragmas", () => {
  it("applies every migration once and records it", async () => {
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    await store.close();
    store = await Store.open(dir); // reopening applies nothing twice
    const rows = await rawQuery<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it("uses WAL and a sound file", async () => {
    expect((await rawQuery<{ journal_mode: string }>("PRAGMA journal_mode"))[0]!.journal_mode).toBe("wal");
    expect(await store.integrityCheck()).toBe("ok");
  });

  it("has the tables the app needs", async () => {
    const names = (await rawQuery<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name);
    for (const t of ["workspaces", "files", "documents", "document_versions", "drafts", "audit_log", "schema_migrations"]) expect(names).toContain(t);
  });

  it("JIXIAO_DATA_DIR chooses the data directory, ./data by default", () => {
    expect(dataDirFromEnv({ JIXIAO_DATA_DIR: "/srv/jixiao" })).toBe("/srv/jixiao");
    expect(dataDirFromEnv({})).toMatch(/[/\\]data$/);
  });
});

describe("store: files and documents", () => {
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

describe("store: edits are versions", () => {
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

describe("store: acceptance and the audit log", () => {
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
