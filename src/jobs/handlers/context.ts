// What a handler is given and returns. A handler does the work of one job kind and returns its result
// and side writes; it never commits them itself: the runner commits both in one transaction, once.
import type { Llm } from "../../llm/index.ts";
import type { Job, JobEffects, Store } from "../../store/index.ts";

export interface Progress {
  done: number;
  total?: number | null;
  /** What is being worked on now (a file name), for the progress bar. */
  current?: string | null;
}

export interface HandlerContext {
  store: Store;
  /** The configured model, or null (drafts then use the template). */
  llm: Llm | null;
  /** The job as started (state running, this attempt counted). */
  job: Job;
  /** Aborted when the attempt must stop (cancelled, over its time limit, runner stopping): pass it to the model. */
  signal: AbortSignal;
  /** Records progress (writes are throttled); throws JobStopped once the attempt must stop. */
  progress(p: Progress): Promise<void>;
}

export interface HandlerResult {
  /** JSON: stored as the job's result. */
  result: Record<string, unknown>;
  /** Written in the transaction that commits the result. */
  effects?: JobEffects;
}

export type Handler<P> = (payload: P, ctx: HandlerContext) => Promise<HandlerResult>;

/** Lets the event loop serve other work (the web server's requests, in the in-process runner) between two pieces of CPU work. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
