// What each job kind stores as its result (the job's `result` JSON): written by the handlers, read by
// the web page that shows a finished job. Types only, with no imports, so the front end can use them.

export type Counts = { error: number; warning: number; info: number };

/** Batch check: the counts per file and document. */
export interface CheckResult {
  [k: string]: unknown;
  workspaceId: number;
  profile: string;
  files: {
    fileId: number;
    name: string;
    /** The file could not be read when it was uploaded: nothing to check. */
    error: string | null;
    documents: { documentId: number; index: number; kind: string; name: string | null; version: number; counts: Counts }[];
  }[];
  totals: { files: number; documents: number } & Counts;
}

/** Batch review: per project its open items, per checklist item how many projects carry it. */
export interface ReviewResult {
  [k: string]: unknown;
  workspaceId: number;
  checklist: string;
  total: number;
  projects: {
    documentId: number;
    fileId: number;
    fileName: string;
    sheet: string | null;
    code: string | null;
    name: string | null;
    version: number;
    counts: { error: number; warning: number; waived: number };
    items: string[];
  }[];
  /** In the checklist's order, only the items that occur. */
  items: { code: string; item: string; projects: number; open: number }[];
}

/** Export of a workspace: the file is the job's output (GET /api/jobs/:id/output). */
export interface ExportResult {
  [k: string]: unknown;
  workspaceId: number;
  format: "docx" | "xlsx" | "json";
  documents: number;
  drafts: number;
  name: string;
  size: number;
}

/** Draft of one 自评表: the draft is stored with the document. */
export interface DraftResult {
  [k: string]: unknown;
  documentId: number;
  documentVersion: number;
  drafter: string;
  promptVersion: string | null;
  counts: Counts;
}
