// The job interface the server and the CLI use, whichever engine runs the jobs: enqueue, get, list,
// cancel, the output file, and a stream of progress events. The store's jobs table is the one place
// for a job's state, progress and result, so everything but enqueue and cancel reads the store, and
// `watch` works the same over both engines (polling the row; the in-process engine also wakes its
// watchers at once when it writes progress).
import { EventEmitter } from "node:events";
import type { Job, JobState, Store, StoredJobOutput } from "../store/index.ts";
import { JobError } from "./errors.ts";
import { KIND_NAMES, PAYLOADS, type JobKind, type PayloadOf } from "./kinds.ts";

export interface JobEvent {
  /** progress: the job changed (state, done/total, current file); end: it is final (succeeded, failed, cancelled). */
  type: "progress" | "end";
  job: Job;
}

export interface EnqueueOptions {
  /** Who asked (the audit log records it; a draft job's draft is theirs). */
  user?: string | null;
}

export interface WatchOptions {
  /** How often the store is read (default 500 ms). */
  intervalMs?: number;
  /** Ends the stream (the browser closed the SSE connection). */
  signal?: AbortSignal;
}

export interface JobQueue {
  /** "local": run inside this process over the store (SQLite); "pg-boss": PostgreSQL queue, run by `jixiao worker`. */
  readonly engine: "local" | "pg-boss";
  enqueue<K extends JobKind>(kind: K, payload: PayloadOf<K>, opts?: EnqueueOptions): Promise<Job>;
  get(id: number): Promise<Job | null>;
  list(filter?: { workspaceId?: number; state?: JobState; limit?: number }): Promise<Job[]>;
  /** Stops a queued job before it starts, or a running one at its next progress report; null when there is no such job. */
  cancel(id: number, user?: string | null): Promise<Job | null>;
  /** The file a job made (an export), once it succeeded. */
  output(id: number): Promise<StoredJobOutput | null>;
  /** The job's changes until it is final: one event per change seen, then `end`. */
  watch(id: number, opts?: WatchOptions): AsyncGenerator<JobEvent, void, undefined>;
  close(): Promise<void>;
}

export const FINAL_STATES: readonly JobState[] = ["succeeded", "failed", "cancelled"];
export const isFinal = (j: Job) => FINAL_STATES.includes(j.state);

/**
 * Checks a payload and finds what the job is about, before anything is queued: a job for a workspace
 * or document that does not exist, or a draft of a 申报表, is refused here rather than failing later.
 */
export async function prepareJob<K extends JobKind>(store: Store, kind: K, payload: PayloadOf<K>): Promise<{ payload: PayloadOf<K>; workspaceId: number; total: number | null }> {
  const parsed = PAYLOADS[kind].safeParse(payload);
  if (!parsed.success) {
    throw new JobError("BAD_PAYLOAD", `${KIND_NAMES[kind]}的参数有误：${parsed.error.issues.map((i) => `${i.path.join(".") || "参数"} ${i.message}`).join("；")}`);
  }
  const p = parsed.data as PayloadOf<K> & Record<string, unknown>;
  if (kind === "draft") {
    const doc = await store.getDocument(p.documentId as number);
    if (!doc) throw new JobError("NOT_FOUND", `文档 ${String(p.documentId)} 不存在`);
    if (doc.kind !== "自评表") throw new JobError("NOT_SELF_EVAL", "绩效目标申报表没有自评报告，不能起草；请选择自评表");
    return { payload: p, workspaceId: doc.workspaceId, total: 1 };
  }
  const workspaceId = p.workspaceId as number;
  if (!(await store.getWorkspace(workspaceId))) throw new JobError("NOT_FOUND", `工作区 ${workspaceId} 不存在`);
  const total = kind === "check" ? ((p.fileIds as number[] | undefined)?.length ?? (await store.listFiles(workspaceId)).length) : null;
  return { payload: p, workspaceId, total };
}

/** Polls the store for one job's changes; `changed` (the in-process engine's) cuts a wait short. */
export async function* watchJob(store: Store, id: number, opts: WatchOptions = {}, changed?: EventEmitter): AsyncGenerator<JobEvent, void, undefined> {
  const interval = opts.intervalMs ?? 500;
  let seen = "";
  while (!opts.signal?.aborted) {
    const job = await store.getJob(id);
    if (!job) throw new JobError("NOT_FOUND", `任务 ${id} 不存在`);
    const stamp = `${job.state}|${job.updatedAt}|${job.progress.done}|${job.progress.total}|${job.progress.current}|${job.attempts}`;
    if (isFinal(job)) {
      yield { type: "end", job };
      return;
    }
    if (stamp !== seen) {
      seen = stamp;
      yield { type: "progress", job };
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        changed?.off(String(id), done);
        opts.signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, interval);
      changed?.on(String(id), done);
      opts.signal?.addEventListener("abort", done);
    });
  }
}
