// Versioned schema: migration n is MIGRATIONS[n-1]. Append only — never edit a migration that has
// shipped; add the next one. Each migration runs in its own transaction with its schema_migrations row.
import type { Db } from "./db.ts";

export const MIGRATIONS: readonly string[] = [
  // 1 — workspaces, uploaded files (original bytes kept byte for byte), extracted documents with
  // their version history, drafts, and the audit log of acceptances and overrides.
  `
  CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );

  -- The original bytes live in the row (BLOB): the file and its documents commit in one transaction,
  -- so a killed upload leaves neither. sha256 identifies the content.
  CREATE TABLE files (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id   INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    format         TEXT,
    error_code     TEXT,
    error_message  TEXT,
    content        BLOB NOT NULL,
    uploaded_by    TEXT,
    created_at     TEXT NOT NULL,
    CHECK (length(content) = size)
  );
  CREATE INDEX files_workspace ON files(workspace_id);

  CREATE TABLE documents (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id      INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    file_id           INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    idx               INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    name              TEXT,
    year              INTEGER,
    version           INTEGER NOT NULL,
    data              TEXT NOT NULL,
    accepted_version  INTEGER,
    accepted_by       TEXT,
    accepted_at       TEXT,
    updated_at        TEXT NOT NULL,
    UNIQUE (file_id, idx)
  );
  CREATE INDEX documents_workspace ON documents(workspace_id);

  -- Every version of every document: the extraction (version 1) and each edit, with the full
  -- document after it, so any version can be shown or restored.
  CREATE TABLE document_versions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('extract', 'edit', 'suggestion')),
    field        TEXT,
    old_value    TEXT,
    new_value    TEXT,
    data         TEXT NOT NULL,
    user_name    TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (document_id, version)
  );

  CREATE TABLE drafts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id       INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    document_version  INTEGER NOT NULL,
    parent_id         INTEGER REFERENCES drafts(id) ON DELETE SET NULL,
    request           TEXT,
    sections          TEXT NOT NULL,
    drafter           TEXT NOT NULL,
    prompt_version    TEXT,
    findings          TEXT NOT NULL,
    usage             TEXT,
    accepted          INTEGER NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1)),
    accepted_by       TEXT,
    accepted_at       TEXT,
    created_by        TEXT,
    created_at        TEXT NOT NULL
  );
  CREATE INDEX drafts_document ON drafts(document_id);

  -- Kept when a workspace or document is deleted: no foreign keys on purpose.
  CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER,
    document_id   INTEGER,
    draft_id      INTEGER,
    action        TEXT NOT NULL,
    code          TEXT,
    field         TEXT,
    reason        TEXT,
    detail        TEXT,
    user_name     TEXT,
    created_at    TEXT NOT NULL
  );
  CREATE INDEX audit_document ON audit_log(document_id);
  `,
  // 2 — a reviewer's waivers of 审核意见 (jixiao review), one per document and item code. Tied to the
  // document, not a version: an edit keeps them, and a waiver whose item no longer applies simply has
  // nothing to hide. The reasons are also in audit_log (which outlives a deleted document).
  `
  CREATE TABLE review_waivers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    reason        TEXT NOT NULL,
    user_name     TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (document_id, code)
  );
  CREATE INDEX review_waivers_workspace ON review_waivers(workspace_id);
  `,
];

export async function migrate(db: Db): Promise<number> {
  await db.tx((x) => x.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
  const row = await db.get<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
  let current = row?.v ?? 0;
  for (let v = current + 1; v <= MIGRATIONS.length; v++) {
    await db.tx(async (x) => {
      await x.exec(MIGRATIONS[v - 1]!);
      await x.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [v, new Date().toISOString()]);
    });
    current = v;
  }
  return current;
}
