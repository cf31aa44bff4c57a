// Repositories over the database: SQLite under the data directory (the default), or PostgreSQL when
// JIXIAO_DATABASE_URL names one. The only module that knows SQL; the server calls these. Every method
// that writes is one transaction: one user action commits whole or not at all. The SQL is written once
// for both engines (engine.ts); where PostgreSQL's concurrent writers need a row lock, `this.lock()`
// adds it and SQLite's single writer needs nothing.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PerfDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import { lockClause, type Dialect, type Engine, type Executor } from "./engine.ts";
import { migrate } from "./migrations.ts";
import { PostgresEngine } from "./postgres.ts";
import { SqliteEngine } from "./sqlite.ts";

export type StoreErrorCode = "NOT_FOUND" | "VERSION_CONFLICT";
export type { Dialect } from "./engine.ts";

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = "StoreError";
    this.code = code;
  }
}

export interface Workspace {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  files: number;
  documents: number;
}

export interface StoredFile {
  id: number;
  workspaceId: number;
  name: string;
  size: number;
  sha256: string;
  format: string | null;
  error: { code: string; message: string } | null;
  uploadedBy: string | null;
  createdAt: string;
}

export interface StoredDocument {
  id: number;
  workspaceId: number;
  fileId: number;
  /** Index of the document in its file. */
  index: number;
  kind: PerfDoc["kind"];
  name: string | null;
  year: number | null;
  version: number;
  acceptedVersion: number | null;
  acceptedBy: string | null;
  acceptedAt: string | null;
  updatedAt: string;
  data: PerfDoc;
}

export interface DocumentVersion {
  version: number;
  source: "extract" | "edit" | "suggestion";
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  user: string | null;
  createdAt: string;
}

export interface DraftSection {
  heading: string;
  text: string;
}

export interface DraftContent {
  sections: DraftSection[];
  drafter: "template" | "llm";
  promptVersion: string | null;
  findings: Finding[];
  usage: { totalTokens: number } | null;
}

export interface StoredDraft extends DraftContent {
  id: number;
  documentId: number;
  documentVersion: number;
  parentId: number | null;
  request: string | null;
  accepted: boolean;
  acceptedBy: string | null;
  acceptedAt: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface Override {
  findingId: string;
  code: string;
  field: string | null;
  reason: string;
}

export interface AuditEntry {
  id: number;
  workspaceId: number | null;
  documentId: number | null;
  draftId: number | null;
  action: string;
  code: string | null;
  field: string | null;
  reason: string | null;
  detail: unknown;
  user: string | null;
  createdAt: string;
}

/** A reviewer's waiver of one 审核意见 (item `code`) of a document. */
export interface ReviewWaiver {
  id: number;
  workspaceId: number;
  documentId: number;
  code: string;
  reason: string;
  user: string | null;
  createdAt: string;
}

export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** Long work (a batch check, a model draft, a workspace export) with its progress and result. */
export interface Job {
  id: number;
  kind: string;
  state: JobState;
  workspaceId: number | null;
  payload: unknown;
  progress: { done: number; total: number | null; current: string | null };
  result: unknown;
  /** Set once, when the result commits (`job:<id>`); null until then. */
  resultKey: string | null;
  error: string | null;
  /** How many times a worker started it. */
  attempts: number;
  /** After a transient failure: not to be started again before this time (ISO-8601); null otherwise. */
  runAfter: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A draft to store: by a user's request (addDraft) or by a draft job (completeJob). */
export interface NewDraft {
  documentId: number;
  documentVersion: number;
  parentId: number | null;
  request: string | null;
  draft: DraftContent;
  user: string | null;
}

/** The file a job made (a whole-workspace export), stored with the job's result. */
export interface JobOutput {
  name: string;
  mediaType: string;
  content: Uint8Array;
}

export interface StoredJobOutput extends JobOutput {
  jobId: number;
  size: number;
  createdAt: string;
}

/**
 * What a job writes beside its result, in the same transaction: committed with the result or not
 * at all, so a job run twice leaves one of each.
 */
export interface JobEffects {
  /** Stored as a new draft; its id goes into the result as `draftId`. */
  draft?: NewDraft;
  output?: JobOutput;
}

export interface NewFile {
  workspaceId: number;
  name: string;
  bytes: Uint8Array;
  sha256: string;
  format: string | null;
  error: { code: string; message: string } | null;
  documents: PerfDoc[];
  user: string | null;
}

export interface NewEdit {
  documentId: number;
  /** The version the edit was computed from; the save fails with VERSION_CONFLICT if it moved on. */
  baseVersion: number;
  source: "edit" | "suggestion";
  field: string;
  oldValue: unknown;
  newValue: unknown;
  data: PerfDoc;
  user: string | null;
}

export const DEFAULT_DATA_DIR = "./data";

/** The data directory: `JIXIAO_DATA_DIR` or ./data. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.JIXIAO_DATA_DIR?.trim() || DEFAULT_DATA_DIR);
}

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; absent or empty, SQLite under the data directory. */
  databaseUrl?: string | null;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/** `JIXIAO_DATABASE_URL` (PostgreSQL) and `JIXIAO_DATABASE_POOL` (its pool size), if set. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const databaseUrl = env.JIXIAO_DATABASE_URL?.trim() || null;
  const pool = env.JIXIAO_DATABASE_POOL?.trim();
  const poolSize = pool ? Number(pool) : undefined;
  if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize > 0)) {
    throw new Error(`JIXIAO_DATABASE_POOL 应为正整数，当前为“${pool}”`);
  }
  return { databaseUrl, ...(poolSize ? { poolSize } : {}) };
}

const now = () => new Date().toISOString();
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parse = <T>(s: unknown): T => (typeof s === "string" ? (JSON.parse(s) as T) : (null as T));

type R = Record<string, unknown>;
const num = (v: unknown) => v as number;
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toWorkspace(r: R): Workspace {
  return {
    id: num(r.id), name: String(r.name), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
    files: num(r.files ?? 0), documents: num(r.documents ?? 0),
  };
}

function toFile(r: R): StoredFile {
  return {
    id: num(r.id), workspaceId: num(r.workspace_id), name: String(r.name), size: num(r.size), sha256: String(r.sha256),
    format: strOrNull(r.format),
    error: r.error_code ? { code: String(r.error_code), message: String(r.error_message ?? "") } : null,
    uploadedBy: strOrNull(r.uploaded_by), createdAt: String(r.created_at),
  };
}

function toDocument(r: R): StoredDocument {
  return {
    id: num(r.id), workspaceId: num(r.workspace_id), fileId: num(r.file_id), index: num(r.idx),
    kind: r.kind as PerfDoc["kind"], name: strOrNull(r.name), year: (r.year as number | null) ?? null,
    version: num(r.version), acceptedVersion: (r.accepted_version as number | null) ?? null,
    acceptedBy: strOrNull(r.accepted_by), acceptedAt: strOrNull(r.accepted_at), updatedAt: String(r.updated_at),
    data: parse<PerfDoc>(r.data),
  };
}

function toDraft(r: R): StoredDraft {
  return {
    id: num(r.id), documentId: num(r.document_id), documentVersion: num(r.document_version),
    parentId: (r.parent_id as number | null) ?? null, request: strOrNull(r.request),
    sections: parse<DraftSection[]>(r.sections), drafter: r.drafter as DraftContent["drafter"],
    promptVersion: strOrNull(r.prompt_version), findings: parse<Finding[]>(r.findings),
    usage: parse<DraftContent["usage"]>(r.usage), accepted: r.accepted === 1,
    acceptedBy: strOrNull(r.accepted_by), acceptedAt: strOrNull(r.accepted_at),
    createdBy: strOrNull(r.created_by), createdAt: String(r.created_at),
  };
}

function toWaiver(r: R): ReviewWaiver {
  return {
    id: num(r.id), workspaceId: num(r.workspace_id), documentId: num(r.document_id), code: String(r.code),
    reason: String(r.reason), user: strOrNull(r.user_name), createdAt: String(r.created_at),
  };
}

function toJob(r: R): Job {
  return {
    id: num(r.id), kind: String(r.kind), state: r.state as JobState, workspaceId: (r.workspace_id as number | null) ?? null,
    payload: parse<unknown>(r.payload),
    progress: { done: num(r.progress_done), total: (r.progress_total as number | null) ?? null, current: strOrNull(r.progress_current) },
    result: parse<unknown>(r.result), resultKey: strOrNull(r.result_key), error: strOrNull(r.error), attempts: num(r.attempts),
    runAfter: strOrNull(r.run_after),
    createdBy: strOrNull(r.created_by), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

/** States a worker may still move a job out of; the others are final. */
const OPEN_STATES = "('queued', 'running')";

function toAudit(r: R): AuditEntry {
  return {
    id: num(r.id), workspaceId: (r.workspace_id as number | null) ?? null, documentId: (r.document_id as number | null) ?? null,
    draftId: (r.draft_id as number | null) ?? null, action: String(r.action), code: strOrNull(r.code), field: strOrNull(r.field),
    reason: strOrNull(r.reason), detail: parse<unknown>(r.detail), user: strOrNull(r.user_name), createdAt: String(r.created_at),
  };
}

const WORKSPACE_SELECT = `SELECT w.*, (SELECT count(*) FROM files f WHERE f.workspace_id = w.id) AS files,
  (SELECT count(*) FROM documents d WHERE d.workspace_id = w.id) AS documents FROM workspaces w`;
const FILE_COLUMNS = "id, workspace_id, name, size, sha256, format, error_code, error_message, uploaded_by, created_at";

async function insertAudit(x: Executor, a: Omit<AuditEntry, "id" | "createdAt">, at: string): Promise<void> {
  await x.run(
    "INSERT INTO audit_log (workspace_id, document_id, draft_id, action, code, field, reason, detail, user_name, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
    [a.workspaceId, a.documentId, a.draftId, a.action, a.code, a.field, a.reason, json(a.detail), a.user, at],
  );
}

export class Store {
  private constructor(private readonly db: Engine) {}

  /**
   * With `databaseUrl`, connects to that PostgreSQL database; otherwise opens (creating if needed)
   * `<dataDir>/jixiao.db`. Either way applies pending migrations before returning.
   */
  static async open(dataDir: string, opts: StoreOptions = {}): Promise<Store> {
    let db: Engine;
    if (opts.databaseUrl && !/^postgres(ql)?:\/\//i.test(opts.databaseUrl)) throw new Error("JIXIAO_DATABASE_URL 应以 postgres:// 开头");
    // The data directory is made with PostgreSQL too: the server keeps its local LLM cache there.
    mkdirSync(dataDir, { recursive: true });
    if (opts.databaseUrl) {
      db = await PostgresEngine.open(opts.databaseUrl, { ...(opts.poolSize ? { max: opts.poolSize } : {}) });
    } else {
      db = await SqliteEngine.open(join(dataDir, "jixiao.db"));
    }
    try {
      await migrate(db);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
    return new Store(db);
  }

  /** The SQLite file, or the PostgreSQL URL without its password. */
  get file(): string {
    return this.db.location;
  }

  get dialect(): Dialect {
    return this.db.dialect;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private lock(kind: Parameters<typeof lockClause>[1]): string {
    return lockClause(this.db.dialect, kind);
  }

  async schemaVersion(): Promise<number> {
    const r = await this.db.get<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    return r?.v ?? 0;
  }

  /** "ok" when the engine finds the stored data sound (SQLite: `PRAGMA integrity_check`). */
  integrityCheck(): Promise<string> {
    return this.db.integrityCheck();
  }

  // ── workspaces ───────────────────────────────────────────────────────────────────────────

  async createWorkspace(name: string, user: string | null): Promise<Workspace> {
    const at = now();
    const id = await this.db.tx(async (x) => {
      const id = await x.insert("INSERT INTO workspaces (name, created_at, updated_at) VALUES (?, ?, ?)", [name, at, at]);
      await insertAudit(x, { workspaceId: id, documentId: null, draftId: null, action: "create_workspace", code: null, field: null, reason: null, detail: { name }, user }, at);
      return id;
    });
    return (await this.getWorkspace(id))!;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.db.all<R>(`${WORKSPACE_SELECT} ORDER BY w.updated_at DESC, w.id DESC`)).map(toWorkspace);
  }

  async getWorkspace(id: number): Promise<Workspace | null> {
    const r = await this.db.get<R>(`${WORKSPACE_SELECT} WHERE w.id = ?`, [id]);
    return r ? toWorkspace(r) : null;
  }

  async renameWorkspace(id: number, name: string, user: string | null): Promise<Workspace | null> {
    const at = now();
    const changed = await this.db.tx(async (x) => {
      const { changes } = await x.run("UPDATE workspaces SET name = ?, updated_at = ? WHERE id = ?", [name, at, id]);
      if (changes) await insertAudit(x, { workspaceId: id, documentId: null, draftId: null, action: "rename_workspace", code: null, field: null, reason: null, detail: { name }, user }, at);
      return changes > 0;
    });
    return changed ? this.getWorkspace(id) : null;
  }

  async deleteWorkspace(id: number, user: string | null): Promise<boolean> {
    const at = now();
    return this.db.tx(async (x) => {
      const { changes } = await x.run("DELETE FROM workspaces WHERE id = ?", [id]);
      if (changes) await insertAudit(x, { workspaceId: id, documentId: null, draftId: null, action: "delete_workspace", code: null, field: null, reason: null, detail: null, user }, at);
      return changes > 0;
    });
  }

  // ── files and documents ──────────────────────────────────────────────────────────────────

  /** Stores one uploaded file, its extracted documents and their version 1, in one transaction. */
  async addFile(f: NewFile): Promise<{ file: StoredFile; documents: StoredDocument[] }> {
    const at = now();
    const fileId = await this.db.tx(async (x) => {
      // KEY SHARE: a concurrent delete of the workspace waits for this upload (uploads to one
      // workspace do not wait for each other).
      const ws = await x.get(`SELECT id FROM workspaces WHERE id = ?${this.lock("key share")}`, [f.workspaceId]);
      if (!ws) throw new StoreError("NOT_FOUND", `工作区 ${f.workspaceId} 不存在`);
      const fileId = await x.insert(
        `INSERT INTO files (workspace_id, name, size, sha256, format, error_code, error_message, content, uploaded_by, created_at)
         VALUES (?,?,?,?,?,?,?,?,?,?)`,
        [f.workspaceId, f.name, f.bytes.byteLength, f.sha256, f.format, f.error?.code ?? null, f.error?.message ?? null,
          Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), f.user, at],
      );
      for (const [i, d] of f.documents.entries()) {
        const data = JSON.stringify(d);
        const docId = await x.insert(
          `INSERT INTO documents (workspace_id, file_id, idx, kind, name, year, version, data, updated_at) VALUES (?,?,?,?,?,?,1,?,?)`,
          [f.workspaceId, fileId, i, d.kind, d.name, d.year, data, at],
        );
        await x.run(
          `INSERT INTO document_versions (document_id, version, source, data, user_name, created_at) VALUES (?, 1, 'extract', ?, ?, ?)`,
          [docId, data, f.user, at],
        );
      }
      await x.run("UPDATE workspaces SET updated_at = ? WHERE id = ?", [at, f.workspaceId]);
      return fileId;
    });
    return { file: (await this.getFile(fileId))!, documents: await this.documentsOfFile(fileId) };
  }

  async listFiles(workspaceId: number): Promise<StoredFile[]> {
    return (await this.db.all<R>(`SELECT ${FILE_COLUMNS} FROM files WHERE workspace_id = ? ORDER BY id`, [workspaceId])).map(toFile);
  }

  async getFile(id: number): Promise<StoredFile | null> {
    const r = await this.db.get<R>(`SELECT ${FILE_COLUMNS} FROM files WHERE id = ?`, [id]);
    return r ? toFile(r) : null;
  }

  /** The original bytes of an uploaded file, exactly as received. */
  async getFileContent(id: number): Promise<Uint8Array | null> {
    const r = await this.db.get<{ content: Buffer }>("SELECT content FROM files WHERE id = ?", [id]);
    return r ? new Uint8Array(r.content) : null;
  }

  /**
   * A workspace's documents; `kind`, `name` and `yearBefore` (years before it) narrow them in SQL: a
   * workspace of thousands of documents is not read whole to find a few.
   */
  async listDocuments(workspaceId: number, filter: { kind?: PerfDoc["kind"]; name?: string; yearBefore?: number } = {}): Promise<StoredDocument[]> {
    let sql = "SELECT * FROM documents WHERE workspace_id = ?";
    const params: (string | number)[] = [workspaceId];
    if (filter.kind !== undefined) (sql += " AND kind = ?"), params.push(filter.kind);
    if (filter.name !== undefined) (sql += " AND name = ?"), params.push(filter.name);
    if (filter.yearBefore !== undefined) (sql += " AND year < ?"), params.push(filter.yearBefore);
    return (await this.db.all<R>(`${sql} ORDER BY file_id, idx`, params)).map(toDocument);
  }

  async documentsOfFile(fileId: number): Promise<StoredDocument[]> {
    return (await this.db.all<R>("SELECT * FROM documents WHERE file_id = ? ORDER BY idx", [fileId])).map(toDocument);
  }

  async getDocument(id: number): Promise<StoredDocument | null> {
    const r = await this.db.get<R>("SELECT * FROM documents WHERE id = ?", [id]);
    return r ? toDocument(r) : null;
  }

  /** Saves an edited document as the next version (with what changed, who and when), in one transaction. */
  async saveEdit(e: NewEdit): Promise<StoredDocument> {
    const at = now();
    await this.db.tx(async (x) => {
      const version = e.baseVersion + 1;
      const data = JSON.stringify(e.data);
      // The version check is the UPDATE's own condition, so it holds with concurrent writers: in
      // PostgreSQL a second edit of the row waits for the first to commit, re-reads the row, finds
      // the version moved on and changes nothing.
      const { changes } = await x.run("UPDATE documents SET version = ?, data = ?, name = ?, year = ?, updated_at = ? WHERE id = ? AND version = ?", [
        version, data, e.data.name, e.data.year, at, e.documentId, e.baseVersion,
      ]);
      if (!changes) {
        const cur = await x.get<{ version: number }>("SELECT version FROM documents WHERE id = ?", [e.documentId]);
        if (!cur) throw new StoreError("NOT_FOUND", `文档 ${e.documentId} 不存在`);
        throw new StoreError("VERSION_CONFLICT", `文档已被修改（当前第 ${cur.version} 版，本次修改基于第 ${e.baseVersion} 版），请刷新后重试`);
      }
      await x.run(
        `INSERT INTO document_versions (document_id, version, source, field, old_value, new_value, data, user_name, created_at)
         VALUES (?,?,?,?,?,?,?,?,?)`,
        [e.documentId, version, e.source, e.field, json(e.oldValue ?? null), json(e.newValue ?? null), data, e.user, at],
      );
    });
    return (await this.getDocument(e.documentId))!;
  }

  async listVersions(documentId: number): Promise<DocumentVersion[]> {
    const rows = await this.db.all<R>(
      "SELECT version, source, field, old_value, new_value, user_name, created_at FROM document_versions WHERE document_id = ? ORDER BY version",
      [documentId],
    );
    return rows.map((r) => ({
      version: num(r.version), source: r.source as DocumentVersion["source"], field: strOrNull(r.field),
      oldValue: parse<unknown>(r.old_value), newValue: parse<unknown>(r.new_value), user: strOrNull(r.user_name), createdAt: String(r.created_at),
    }));
  }

  async getVersionData(documentId: number, version: number): Promise<PerfDoc | null> {
    const r = await this.db.get<{ data: string }>("SELECT data FROM document_versions WHERE document_id = ? AND version = ?", [documentId, version]);
    return r ? parse<PerfDoc>(r.data) : null;
  }

  /** Marks a version of the table accepted and logs the acceptance and each override, in one transaction. */
  async acceptDocument(a: { documentId: number; version: number; overrides: Override[]; user: string | null }): Promise<StoredDocument> {
    const at = now();
    await this.db.tx(async (x) => {
      const cur = await x.get<{ version: number; workspace_id: number }>(`SELECT version, workspace_id FROM documents WHERE id = ?${this.lock("update")}`, [a.documentId]);
      if (!cur) throw new StoreError("NOT_FOUND", `文档 ${a.documentId} 不存在`);
      if (cur.version !== a.version) {
        throw new StoreError("VERSION_CONFLICT", `文档已被修改（当前第 ${cur.version} 版），请复核后再确认`);
      }
      await x.run("UPDATE documents SET accepted_version = ?, accepted_by = ?, accepted_at = ? WHERE id = ?", [a.version, a.user, at, a.documentId]);
      const base = { workspaceId: cur.workspace_id, documentId: a.documentId, draftId: null, user: a.user };
      for (const o of a.overrides) {
        await insertAudit(x, { ...base, action: "override", code: o.code, field: o.field, reason: o.reason, detail: { findingId: o.findingId, version: a.version } }, at);
      }
      await insertAudit(x, { ...base, action: "accept_document", code: null, field: null, reason: null, detail: { version: a.version, overrides: a.overrides.length } }, at);
    });
    return (await this.getDocument(a.documentId))!;
  }

  // ── drafts ───────────────────────────────────────────────────────────────────────────────

  async addDraft(d: NewDraft): Promise<StoredDraft> {
    const at = now();
    const id = await this.db.tx((x) => this.insertDraft(x, d, at));
    return (await this.getDraft(id))!;
  }

  private async insertDraft(x: Executor, d: NewDraft, at: string): Promise<number> {
    const doc = await x.get(`SELECT id FROM documents WHERE id = ?${this.lock("key share")}`, [d.documentId]);
    if (!doc) throw new StoreError("NOT_FOUND", `文档 ${d.documentId} 不存在`);
    return x.insert(
      `INSERT INTO drafts (document_id, document_version, parent_id, request, sections, drafter, prompt_version, findings, usage, created_by, created_at)
       VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
      [d.documentId, d.documentVersion, d.parentId, d.request, JSON.stringify(d.draft.sections), d.draft.drafter, d.draft.promptVersion,
        JSON.stringify(d.draft.findings), json(d.draft.usage), d.user, at],
    );
  }

  async getDraft(id: number): Promise<StoredDraft | null> {
    const r = await this.db.get<R>("SELECT * FROM drafts WHERE id = ?", [id]);
    return r ? toDraft(r) : null;
  }

  async listDrafts(documentId: number): Promise<StoredDraft[]> {
    return (await this.db.all<R>("SELECT * FROM drafts WHERE document_id = ? ORDER BY id", [documentId])).map(toDraft);
  }

  /** The draft an export uses: the newest accepted one, else the newest. */
  async currentDraft(documentId: number): Promise<StoredDraft | null> {
    const r = await this.db.get<R>("SELECT * FROM drafts WHERE document_id = ? ORDER BY accepted DESC, id DESC LIMIT 1", [documentId]);
    return r ? toDraft(r) : null;
  }

  /** `documentVersion`: the table version the draft was checked against; a newer table refuses the acceptance. */
  async acceptDraft(a: { draftId: number; overrides: Override[]; user: string | null; documentVersion?: number }): Promise<StoredDraft> {
    const at = now();
    await this.db.tx(async (x) => {
      const cur = await x.get<{ document_id: number; workspace_id: number; version: number }>(
        // Locks the draft and its document: an edit cannot slip in between the version check and the acceptance.
        `SELECT d.document_id, doc.workspace_id, doc.version FROM drafts d JOIN documents doc ON doc.id = d.document_id WHERE d.id = ?${this.lock("update")}`,
        [a.draftId],
      );
      if (!cur) throw new StoreError("NOT_FOUND", `草稿 ${a.draftId} 不存在`);
      if (a.documentVersion !== undefined && cur.version !== a.documentVersion) {
        throw new StoreError("VERSION_CONFLICT", `自评表已被修改（当前第 ${cur.version} 版），草稿需按新数据重新核对后再确认`);
      }
      await x.run("UPDATE drafts SET accepted = 1, accepted_by = ?, accepted_at = ? WHERE id = ?", [a.user, at, a.draftId]);
      const base = { workspaceId: cur.workspace_id, documentId: cur.document_id, draftId: a.draftId, user: a.user };
      for (const o of a.overrides) {
        await insertAudit(x, { ...base, action: "override", code: o.code, field: o.field, reason: o.reason, detail: { findingId: o.findingId } }, at);
      }
      await insertAudit(x, { ...base, action: "accept_draft", code: null, field: null, reason: null, detail: { overrides: a.overrides.length } }, at);
    });
    return (await this.getDraft(a.draftId))!;
  }

  // ── review waivers ───────────────────────────────────────────────────────────────────────

  async listWaivers(filter: { documentId: number } | { workspaceId: number }): Promise<ReviewWaiver[]> {
    const [col, id] = "documentId" in filter ? ["document_id", filter.documentId] : ["workspace_id", filter.workspaceId];
    return (await this.db.all<R>(`SELECT * FROM review_waivers WHERE ${col} = ? ORDER BY document_id, code`, [id])).map(toWaiver);
  }

  /**
   * Waives the opinion `code` of a document (a second waiver replaces the first) and logs it, in one
   * transaction. `detail` goes to the audit entry (the opinion's text as it stood, the version).
   */
  async waiveOpinion(w: { documentId: number; code: string; reason: string; field: string | null; user: string | null; detail: Record<string, unknown> }): Promise<ReviewWaiver> {
    const at = now();
    await this.db.tx(async (x) => {
      // The document's row lock orders waivers of one document, so `replaced` names the waiver it replaced.
      const doc = await x.get<{ workspace_id: number }>(`SELECT workspace_id FROM documents WHERE id = ?${this.lock("update")}`, [w.documentId]);
      if (!doc) throw new StoreError("NOT_FOUND", `文档 ${w.documentId} 不存在`);
      const prev = await x.get<R>("SELECT reason, user_name FROM review_waivers WHERE document_id = ? AND code = ?", [w.documentId, w.code]);
      await x.run(
        `INSERT INTO review_waivers (workspace_id, document_id, code, reason, user_name, created_at) VALUES (?,?,?,?,?,?)
         ON CONFLICT (document_id, code) DO UPDATE SET reason = excluded.reason, user_name = excluded.user_name, created_at = excluded.created_at`,
        [doc.workspace_id, w.documentId, w.code, w.reason, w.user, at],
      );
      const replaced = prev ? { reason: strOrNull(prev.reason), user: strOrNull(prev.user_name) } : null;
      await insertAudit(x, { workspaceId: doc.workspace_id, documentId: w.documentId, draftId: null, action: "waive_opinion", code: w.code, field: w.field, reason: w.reason, detail: { ...w.detail, replaced }, user: w.user }, at);
    });
    return (await this.listWaivers({ documentId: w.documentId })).find((x) => x.code === w.code)!;
  }

  /** Lifts the waiver of `code` on a document and logs it; false when there was none. */
  async liftWaiver(w: { documentId: number; code: string; user: string | null; detail?: Record<string, unknown> }): Promise<boolean> {
    const at = now();
    return this.db.tx(async (x) => {
      const prev = await x.get<R>(`SELECT * FROM review_waivers WHERE document_id = ? AND code = ?${this.lock("update")}`, [w.documentId, w.code]);
      if (!prev) return false;
      await x.run("DELETE FROM review_waivers WHERE id = ?", [num(prev.id)]);
      await insertAudit(
        x,
        { workspaceId: num(prev.workspace_id), documentId: w.documentId, draftId: null, action: "lift_waiver", code: w.code, field: null, reason: null, detail: { ...w.detail, waived: { reason: String(prev.reason), user: strOrNull(prev.user_name), at: String(prev.created_at) } }, user: w.user },
        at,
      );
      return true;
    });
  }

  // ── jobs ─────────────────────────────────────────────────────────────────────────────────
  // Workers deliver at least once (a worker killed mid-job leaves it to another), so every state
  // change is conditional on the job still being open, and the result commits by a claim on its
  // unique result_key: running a job twice, or completing it twice, commits one result.

  /** Queues a job; the audit log records who asked for it. */
  async createJob(j: { kind: string; payload: unknown; workspaceId?: number | null; total?: number | null; user: string | null }): Promise<Job> {
    const at = now();
    const id = await this.db.tx(async (x) => {
      if (j.workspaceId != null) {
        const ws = await x.get(`SELECT id FROM workspaces WHERE id = ?${this.lock("key share")}`, [j.workspaceId]);
        if (!ws) throw new StoreError("NOT_FOUND", `工作区 ${j.workspaceId} 不存在`);
      }
      const id = await x.insert(
        "INSERT INTO jobs (kind, state, workspace_id, payload, progress_total, created_by, created_at, updated_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)",
        [j.kind, j.workspaceId ?? null, JSON.stringify(j.payload ?? null), j.total ?? null, j.user, at, at],
      );
      await insertAudit(x, { workspaceId: j.workspaceId ?? null, documentId: null, draftId: null, action: "create_job", code: j.kind, field: null, reason: null, detail: { jobId: id }, user: j.user }, at);
      return id;
    });
    return (await this.getJob(id))!;
  }

  async getJob(id: number): Promise<Job | null> {
    const r = await this.db.get<R>("SELECT * FROM jobs WHERE id = ?", [id]);
    return r ? toJob(r) : null;
  }

  /** Newest first. */
  async listJobs(filter: { workspaceId?: number; state?: JobState; limit?: number } = {}): Promise<Job[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.workspaceId !== undefined) (where.push("workspace_id = ?"), params.push(filter.workspaceId));
    if (filter.state !== undefined) (where.push("state = ?"), params.push(filter.state));
    params.push(filter.limit ?? 100);
    const sql = `SELECT * FROM jobs${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
    return (await this.db.all<R>(sql, params)).map(toJob);
  }

  /**
   * A worker starts (or, after a crash, restarts) a job: running, one more attempt. Null when the
   * job is gone or already final (succeeded, failed, cancelled): the delivery has nothing to do.
   */
  async startJob(id: number): Promise<Job | null> {
    const at = now();
    const { changes } = await this.db.tx((x) =>
      x.run(`UPDATE jobs SET state = 'running', attempts = attempts + 1, error = NULL, run_after = NULL, updated_at = ? WHERE id = ? AND state IN ${OPEN_STATES}`, [at, id]),
    );
    return changes ? this.getJob(id) : null;
  }

  /**
   * Takes the oldest queued job (of one of `kinds`, if given) whose backoff is over and starts it:
   * the in-process queue's poll. Concurrent pollers on PostgreSQL skip each other's locked rows, so
   * no job is taken twice.
   */
  async claimNextJob(kinds?: readonly string[]): Promise<Job | null> {
    const at = now();
    const id = await this.db.tx(async (x) => {
      const only = kinds?.length ? ` AND kind IN (${kinds.map(() => "?").join(", ")})` : "";
      const row = await x.get<{ id: number }>(
        `SELECT id FROM jobs WHERE state = 'queued' AND (run_after IS NULL OR run_after <= ?)${only} ORDER BY id LIMIT 1${this.lock("update skip locked")}`,
        [at, ...(kinds ?? [])],
      );
      if (!row) return null;
      await x.run("UPDATE jobs SET state = 'running', attempts = attempts + 1, error = NULL, run_after = NULL, updated_at = ? WHERE id = ?", [at, row.id]);
      return row.id;
    });
    return id === null ? null : this.getJob(id);
  }

  /**
   * Puts back every running job: for the in-process runner at start, when it is the only runner of
   * this database, so a job found running was left by a process that died. Returns how many.
   */
  async requeueInterruptedJobs(): Promise<number> {
    const at = now();
    const { changes } = await this.db.tx((x) => x.run("UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = 'running'", [at]));
    return changes;
  }

  /** Records progress; false when the job is no longer running (cancelled, or gone): the worker stops. */
  async reportJobProgress(id: number, p: { done: number; total?: number | null; current?: string | null }): Promise<boolean> {
    const at = now();
    const { changes } = await this.db.tx((x) =>
      x.run(
        "UPDATE jobs SET progress_done = ?, progress_total = COALESCE(?, progress_total), progress_current = ?, updated_at = ? WHERE id = ? AND state = 'running'",
        [p.done, p.total ?? null, p.current ?? null, at, id],
      ),
    );
    return changes > 0;
  }

  /**
   * Commits a job's result, once, with its side writes (`effects`: a draft, an output file) in the
   * same transaction: `committed` is false when the result was already committed (a second delivery)
   * or the job was cancelled or failed meanwhile, and then nothing of `effects` is written either.
   * With a draft, the result (an object) gets its id as `draftId`. The stored job is returned either way.
   */
  async completeJob(id: number, result: unknown, effects: JobEffects = {}): Promise<{ committed: boolean; job: Job | null }> {
    const at = now();
    const committed = await this.db.tx(async (x) => {
      // The claim comes first: on PostgreSQL a concurrent completion of the same job waits for this
      // row lock, then finds result_key set and writes nothing.
      const { changes } = await x.run(
        `UPDATE jobs SET state = 'succeeded', result = ?, result_key = ?, error = NULL, run_after = NULL, progress_done = COALESCE(progress_total, progress_done),
           progress_current = NULL, updated_at = ? WHERE id = ? AND result_key IS NULL AND state IN ${OPEN_STATES}`,
        [JSON.stringify(result ?? null), `job:${id}`, at, id],
      );
      if (!changes) return false;
      if (effects.draft) {
        const draftId = await this.insertDraft(x, effects.draft, at);
        await x.run("UPDATE jobs SET result = ? WHERE id = ?", [JSON.stringify({ ...(result as object), draftId }), id]);
      }
      if (effects.output) {
        const o = effects.output;
        await x.run("INSERT INTO job_outputs (job_id, name, media_type, size, content, created_at) VALUES (?,?,?,?,?,?)", [
          id, o.name, o.mediaType, o.content.byteLength, Buffer.from(o.content.buffer, o.content.byteOffset, o.content.byteLength), at,
        ]);
      }
      return true;
    });
    return { committed, job: await this.getJob(id) };
  }

  /** The file a job made, if any. */
  async getJobOutput(jobId: number): Promise<StoredJobOutput | null> {
    const r = await this.db.get<R>("SELECT * FROM job_outputs WHERE job_id = ?", [jobId]);
    if (!r) return null;
    return {
      jobId: num(r.job_id), name: String(r.name), mediaType: String(r.media_type), size: num(r.size),
      content: new Uint8Array(r.content as Buffer), createdAt: String(r.created_at),
    };
  }

  /**
   * A failed attempt: back to the queue when `retry` (not to be started before `runAfter`, when
   * given), else failed for good. False when the job was no longer open.
   */
  async failJob(id: number, error: string, opts: { retry: boolean; runAfter?: Date | null }): Promise<boolean> {
    const at = now();
    const runAfter = opts.retry && opts.runAfter ? opts.runAfter.toISOString() : null;
    const { changes } = await this.db.tx((x) =>
      x.run(`UPDATE jobs SET state = ?, error = ?, run_after = ?, updated_at = ? WHERE id = ? AND state IN ${OPEN_STATES}`, [
        opts.retry ? "queued" : "failed", error, runAfter, at, id,
      ]),
    );
    return changes > 0;
  }

  /** Cancels a queued or running job (logged); null when there is no such job. A final job stays as it is. */
  async cancelJob(id: number, user: string | null): Promise<Job | null> {
    const at = now();
    await this.db.tx(async (x) => {
      const job = await x.get<{ workspace_id: number | null; kind: string }>(`SELECT workspace_id, kind FROM jobs WHERE id = ? AND state IN ${OPEN_STATES}${this.lock("update")}`, [id]);
      if (!job) return;
      await x.run("UPDATE jobs SET state = 'cancelled', updated_at = ? WHERE id = ?", [at, id]);
      await insertAudit(x, { workspaceId: job.workspace_id, documentId: null, draftId: null, action: "cancel_job", code: job.kind, field: null, reason: null, detail: { jobId: id }, user }, at);
    });
    return this.getJob(id);
  }

  // ── audit ────────────────────────────────────────────────────────────────────────────────

  async listAudit(filter: { documentId?: number; workspaceId?: number } = {}): Promise<AuditEntry[]> {
    if (filter.documentId !== undefined) {
      return (await this.db.all<R>("SELECT * FROM audit_log WHERE document_id = ? ORDER BY id", [filter.documentId])).map(toAudit);
    }
    if (filter.workspaceId !== undefined) {
      return (await this.db.all<R>("SELECT * FROM audit_log WHERE workspace_id = ? ORDER BY id", [filter.workspaceId])).map(toAudit);
    }
    return (await this.db.all<R>("SELECT * FROM audit_log ORDER BY id")).map(toAudit);
  }
}

/** Opens the store the environment names: PostgreSQL with `JIXIAO_DATABASE_URL`, else SQLite in `dataDir` (default: `JIXIAO_DATA_DIR` or ./data). */
export function openStore(dataDir: string = dataDirFromEnv(), env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  return Store.open(dataDir, storeOptionsFromEnv(env));
}
