// The only place the page talks to the server: JSON calls, SSE over POST (fetch + ReadableStream),
// uploads with progress (XHR), and the access token / user name every request carries.
import type { DocumentSummary, DocumentView, DraftView, FindingView, HealthView, JobView, OpinionView, ProjectReviewView, WorkspaceReview } from "../server/schemas.ts";

export type { DocumentSummary, DocumentView, DraftView, FindingView, HealthView, JobView, OpinionView, ProjectReviewView, WorkspaceReview };

/** What a workspace job is asked to do (POST /api/workspaces/:id/jobs). */
export type WorkspaceJobRequest = { kind: "check"; fileIds?: number[] } | { kind: "review" } | { kind: "export"; format: "docx" | "xlsx" | "json" };

export interface Workspace {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  files: number;
  documents: number;
}

export interface FileEntry {
  id: number;
  name: string;
  size: number;
  format: string | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  documents: DocumentSummary[];
}

export interface UploadEntry {
  id?: number;
  name: string;
  size: number;
  error: { code: string; message: string } | null;
  documents?: DocumentSummary[];
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly findings: FindingView[] = [],
  ) {
    super(message);
  }
}

const TOKEN_KEY = "jixiao.token";
const USER_KEY = "jixiao.user";

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(v: string | null) {
    if (v) sessionStorage.setItem(TOKEN_KEY, v);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  get user(): string {
    return localStorage.getItem(USER_KEY) ?? "";
  },
  set user(v: string) {
    localStorage.setItem(USER_KEY, v.trim());
  },
};

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { ...extra };
  if (session.token) h["Authorization"] = `Bearer ${session.token}`;
  if (session.user) h["X-User"] = encodeURIComponent(session.user);
  return h;
}

/** Called when the server answers 401: the page asks for the token, then the call is retried once. */
let onUnauthorized: (() => Promise<boolean>) | null = null;
export function setUnauthorizedHandler(fn: () => Promise<boolean>): void {
  onUnauthorized = fn;
}

async function failure(res: Response): Promise<ApiFailure> {
  let body: { code?: string; message?: string; findings?: FindingView[] } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's error page): fall through to the generic message
  }
  return new ApiFailure(res.status, body.code ?? `HTTP_${res.status}`, body.message ?? `请求失败（HTTP ${res.status}）`, body.findings ?? []);
}

async function send(method: string, path: string, body?: unknown, retry = true): Promise<Response> {
  const init: RequestInit = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiFailure(0, "NETWORK", "无法连接服务器，请检查服务是否在运行");
  }
  if (res.status === 401 && retry && onUnauthorized && (await onUnauthorized())) return send(method, path, body, false);
  if (!res.ok) throw await failure(res);
  return res;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await (await send(method, path, body)).json()) as T;
}

export const api = {
  health: () => call<HealthView>("GET", "/api/health"),
  workspaces: () => call<{ workspaces: Workspace[] }>("GET", "/api/workspaces"),
  createWorkspace: (name: string) => call<Workspace>("POST", "/api/workspaces", { name }),
  workspace: (id: number) => call<{ workspace: Workspace; files: FileEntry[] }>("GET", `/api/workspaces/${id}`),
  document: (id: number) => call<DocumentView>("GET", `/api/documents/${id}`),
  edit: (id: number, field: string, value: string | number | null, baseVersion: number) =>
    call<DocumentView>("PATCH", `/api/documents/${id}`, { field, value, baseVersion }),
  applySuggestion: (id: number, ref: { findingId?: string; field?: string; value?: string }, baseVersion: number) =>
    call<DocumentView>("POST", `/api/documents/${id}/apply-suggestion`, { ...ref, baseVersion }),
  accept: (id: number, version: number, overrides: { findingId: string; reason: string }[]) =>
    call<DocumentView>("POST", `/api/documents/${id}/accept`, { version, overrides }),
  drafts: (id: number) => call<{ drafts: DraftView[] }>("GET", `/api/documents/${id}/drafts`),
  acceptDraft: (id: number, overrides: { findingId: string; reason: string }[]) =>
    call<DraftView>("POST", `/api/drafts/${id}/accept`, { overrides }),
  review: (workspaceId: number, item: string | null) =>
    call<WorkspaceReview>("GET", `/api/workspaces/${workspaceId}/review${item ? `?item=${encodeURIComponent(item)}` : ""}`),
  documentReview: (id: number) => call<ProjectReviewView>("GET", `/api/documents/${id}/review`),
  waive: (id: number, code: string, reason: string, by: string) => call<ProjectReviewView>("POST", `/api/documents/${id}/review/waive`, { code, reason, by }),
  liftWaiver: (id: number, code: string) => call<ProjectReviewView>("DELETE", `/api/documents/${id}/review/waive?code=${encodeURIComponent(code)}`),
  startJob: (workspaceId: number, body: WorkspaceJobRequest) => call<JobView>("POST", `/api/workspaces/${workspaceId}/jobs`, body),
  jobs: (workspaceId: number) => call<{ jobs: JobView[] }>("GET", `/api/workspaces/${workspaceId}/jobs`),
  cancelJob: (id: number) => call<JobView>("DELETE", `/api/jobs/${id}`),
};

/** A download link (the token, if any, goes in ?token= because a link cannot send headers). */
export function downloadUrl(path: string): string {
  const t = session.token;
  return t ? `${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(t)}` : path;
}

export type StreamEvent =
  | { type: "progress"; message: string }
  | { type: "delta"; section: number; text: string }
  | { type: "section"; index: number; heading: string; text: string }
  | { type: "done"; draft: DraftView }
  | { type: "error"; code: string; message: string };

/** POST + text/event-stream: events are handed to `onEvent` as they arrive. */
export async function postStream(path: string, body: unknown, onEvent: (e: StreamEvent) => void): Promise<void> {
  await readEvents(await send("POST", path, body), onEvent);
}

export type JobEvent = { type: "progress" | "end"; job: JobView } | { type: "error"; code: string; message: string };

/**
 * Follows a job (GET /api/jobs/:id/events) until it ends or `signal` aborts (the page was left).
 * fetch rather than EventSource, which cannot send the access token in a header.
 */
export async function followJob(id: number, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`/api/jobs/${id}/events`, { headers: headers(), signal });
  } catch {
    if (signal.aborted) return;
    throw new ApiFailure(0, "NETWORK", "无法连接服务器，请检查服务是否在运行");
  }
  if (!res.ok) throw await failure(res);
  try {
    await readEvents(res, onEvent);
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

/** Reads a text/event-stream body, handing each event's JSON data to `onEvent`. */
async function readEvents<E>(res: Response, onEvent: (e: E) => void): Promise<void> {
  if (!res.body) throw new ApiFailure(0, "NO_STREAM", "服务器没有返回数据流");
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += value.replace(/\r\n/g, "\n");
    let cut: number;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""))
        .join("\n");
      if (data) onEvent(JSON.parse(data) as E);
    }
    if (done) break;
  }
}

/** Uploads one file with progress (fetch cannot report upload progress; XHR can). */
export function uploadFile(workspaceId: number, file: File, onProgress: (fraction: number) => void): Promise<UploadEntry> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/workspaces/${workspaceId}/files`);
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiFailure(0, "NETWORK", "上传中断：无法连接服务器"));
    xhr.onload = () => {
      let body: { files?: UploadEntry[]; code?: string; message?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.files?.[0]) resolve(body.files[0]);
      else reject(new ApiFailure(xhr.status, body.code ?? `HTTP_${xhr.status}`, body.message ?? `上传失败（HTTP ${xhr.status}）`));
    };
    const form = new FormData();
    form.append("files", file, file.name);
    xhr.send(form);
  });
}
