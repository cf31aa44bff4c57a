// Reads an uploaded file in a worker thread with a memory cap and a time limit: whatever the file does
// to a parser, the server keeps running and the user gets a clear error naming the file.
//
// Two readers: the ReaderPool (the default), warm worker threads reused across uploads, one per core,
// each replaced after a crash, a blown memory cap, a time limit, a heap grown past a threshold or a
// number of reads; and extractIsolated, one fresh thread per file (JIXIAO_READER_POOL=0, kept to
// compare against: booting a thread costs ~0.65 s of CPU, reading a file ~30 ms).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FileResult } from "../src/domain/document.ts";
import type { ReadRequest, WorkerReply } from "./extract-worker.ts";

export interface IsolateOptions {
  maxBytes: number;
  /** Heap cap of the worker (default 512 MB). */
  memoryMb?: number;
  /** Time limit (default 60 s). */
  timeoutMs?: number;
}

export interface ReadOptions {
  maxBytes: number;
  /** Time limit of this read (default: the reader's). */
  timeoutMs?: number;
}

/** What the upload route reads files with. */
export interface Reader {
  read(bytes: Uint8Array, name: string, o: ReadOptions): Promise<FileResult>;
  /** Starts its threads ahead of the first upload; resolves once each has loaded its modules (or failed to). */
  warm?(): Promise<void>;
  /** Waits for the reads under way and queued, then ends the threads. */
  close(): Promise<void>;
}

const BOOT = new URL("../src/worker-boot.mjs", import.meta.url);
const ENTRY = new URL("./extract-worker.ts", import.meta.url).href;
const DEFAULT_MEMORY_MB = 512;
const DEFAULT_TIMEOUT_MS = 60_000;

const fail = (name: string, code: string, message: string): FileResult => ({ file: name, format: null, documents: [], error: { code, message: `${name}：${message}` } });
const timedOut = (name: string, timeoutMs: number) => fail(name, "READ_TIMEOUT", `读取超过 ${Math.round(timeoutMs / 1000)} 秒仍未完成，已停止（文件结构可能异常）`);
/** How a thread that ended in the middle of a read is reported: its error event (if any) tells why. */
function died(name: string, error: (Error & { code?: string }) | null, memoryMb: number): FileResult {
  if (error?.code === "ERR_WORKER_OUT_OF_MEMORY") return fail(name, "TOO_COMPLEX", `文件结构异常或过于复杂，读取时超出内存上限（${memoryMb} MB），已停止`);
  if (error) return fail(name, "READ_FAILED", "读取失败，文件可能已损坏或格式异常");
  return fail(name, "READ_FAILED", "读取中断，文件可能已损坏或格式异常");
}

/** One fresh worker thread for one file (the path before the pool; JIXIAO_READER_POOL=0). */
export function extractIsolated(bytes: Uint8Array, name: string, o: IsolateOptions): Promise<FileResult> {
  const memoryMb = o.memoryMb ?? DEFAULT_MEMORY_MB;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    let done = false;
    let error: Error | null = null;
    const finish = (r: FileResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY }, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    const timer = setTimeout(() => finish(timedOut(name, timeoutMs)), timeoutMs);
    worker.on("message", (m: WorkerReply) => {
      if (m.type === "result") finish(m.result);
    });
    worker.once("error", (e: Error) => {
      error = e;
      finish(died(name, e, memoryMb));
    });
    worker.once("exit", () => finish(died(name, error, memoryMb)));
    const req: ReadRequest = { id: 1, bytes, name, maxBytes: o.maxBytes };
    worker.postMessage(req);
  });
}

/** The one-thread-per-file path as a Reader. */
export function oneShotReader(o: { memoryMb?: number; timeoutMs?: number } = {}): Reader {
  const pending = new Set<Promise<FileResult>>();
  return {
    read(bytes, name, r) {
      const p = extractIsolated(bytes, name, { maxBytes: r.maxBytes, memoryMb: o.memoryMb, timeoutMs: r.timeoutMs ?? o.timeoutMs });
      pending.add(p);
      void p.finally(() => pending.delete(p));
      return p;
    },
    async close() {
      await Promise.all(pending);
    },
  };
}

export interface ReaderPoolOptions {
  /** Worker threads at most (default os.availableParallelism()); started as reads arrive. */
  size?: number;
  /** Heap cap of each worker (default 512 MB): a read past it ends its worker with TOO_COMPLEX. */
  memoryMb?: number;
  /** Time limit of one read (default 60 s): past it the worker is ended and the file gets READ_TIMEOUT. */
  timeoutMs?: number;
  /** Heap in use after a read past which the worker is replaced (default half of memoryMb). */
  recycleHeapMb?: number;
  /** Reads after which a worker is replaced all the same (default 1,000). */
  maxReads?: number;
  /** Worker entry module (default server/extract-worker.ts; tests pass their own). */
  entry?: string;
}

export type RetireReason = "crash" | "memory" | "timeout" | "heap" | "reads";

export interface ReaderPoolStats {
  size: number;
  /** Threads alive now (booting or ready). */
  workers: number;
  busy: number;
  queued: number;
  /** Threads started since the pool was made. */
  started: number;
  /** Reads answered (results, errors and time-outs alike). */
  served: number;
  /** Threads replaced, by reason. */
  retired: Record<RetireReason, number>;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  name: string;
  maxBytes: number;
  timeoutMs: number;
  resolve: (r: FileResult) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  /** Its modules are loaded: it has posted "ready". */
  ready: boolean;
  job: Job | null;
  reads: number;
  error: (Error & { code?: string }) | null;
  /** Taken out of the pool (time-out, recycling): its exit is expected and no longer concerns a job. */
  retired: boolean;
  /** Resolves when it posts "ready" or ends, whichever comes first. */
  booted: Promise<void>;
}

/**
 * Warm worker threads that read uploads, each reused from one file to the next. Reads are served in
 * arrival order (one queue, first come first served); a read waits only for a free thread, never
 * for another upload's storing. Whatever a file does to its thread, only that file fails.
 */
export class ReaderPool implements Reader {
  readonly size: number;
  readonly memoryMb: number;
  readonly timeoutMs: number;
  readonly recycleHeapMb: number;
  readonly maxReads: number;
  private readonly entry: string;
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private counts = { started: 0, served: 0, retired: { crash: 0, memory: 0, timeout: 0, heap: 0, reads: 0 } as Record<RetireReason, number> };

  constructor(o: ReaderPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(o.size ?? availableParallelism()));
    this.memoryMb = o.memoryMb ?? DEFAULT_MEMORY_MB;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.recycleHeapMb = o.recycleHeapMb ?? this.memoryMb / 2;
    this.maxReads = o.maxReads ?? 1000;
    this.entry = o.entry ?? ENTRY;
  }

  read(bytes: Uint8Array, name: string, o: ReadOptions): Promise<FileResult> {
    if (this.closing) return Promise.reject(new Error("读取线程池已关闭"));
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, bytes, name, maxBytes: o.maxBytes, timeoutMs: o.timeoutMs ?? this.timeoutMs, resolve });
      this.dispatch();
    });
  }

  /**
   * Starts every thread now instead of on the first reads, so that a burst of uploads right after the
   * server starts finds them warm; resolves once each has loaded its modules or ended (at the latest
   * after the time limit of a read: a thread that hangs while booting never holds up a server's start).
   */
  async warm(): Promise<void> {
    while (!this.closing && this.slots.length < this.size) this.spawn();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((r) => (timer = setTimeout(r, this.timeoutMs).unref()));
    await Promise.race([Promise.all(this.slots.map((s) => s.booted)), limit]);
    clearTimeout(timer);
  }

  stats(): ReaderPoolStats {
    return {
      size: this.size,
      workers: this.slots.length,
      busy: this.slots.filter((s) => s.job).length,
      queued: this.queue.length,
      started: this.counts.started,
      served: this.counts.served,
      retired: { ...this.counts.retired },
    };
  }

  /** Refuses new reads, lets the ones under way and queued finish (each within its time limit), then ends every thread. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.queue.length || this.slots.some((s) => s.job)) await new Promise<void>((r) => this.idleWaiters.push(r));
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => this.end(s)));
  }

  private spawn(): Slot {
    // A booting or busy thread keeps the process alive (someone waits for it); an idle one never does.
    const worker = new Worker(BOOT, { workerData: { entry: this.entry }, resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } });
    let booted!: () => void;
    const slot: Slot = { worker, ready: false, job: null, reads: 0, error: null, retired: false, booted: new Promise<void>((r) => (booted = r)) };
    this.counts.started++;
    this.slots.push(slot);
    worker.on("message", (m: WorkerReply) => {
      if (m.type === "ready") booted();
      this.onMessage(slot, m);
    });
    worker.on("error", (e: Error) => (slot.error = e));
    worker.once("exit", () => {
      booted();
      this.onExit(slot);
    });
    return slot;
  }

  /** Hands queued reads to free threads, starting threads up to the pool's size. */
  private dispatch(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => !s.job && !s.retired) ?? (this.slots.length < this.size ? this.spawn() : null);
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      // The limit runs from the hand-over: it covers a thread still booting, so a boot that hangs is caught too.
      job.timer = setTimeout(() => this.onTimeout(slot, job), job.timeoutMs);
      if (slot.ready) this.post(slot, job);
    }
    this.notifyIdle();
  }

  private post(slot: Slot, job: Job): void {
    const req: ReadRequest = { id: job.id, bytes: job.bytes, name: job.name, maxBytes: job.maxBytes };
    slot.worker.postMessage(req);
  }

  private answer(slot: Slot, r: FileResult): void {
    const job = slot.job!;
    clearTimeout(job.timer);
    slot.job = null;
    slot.worker.unref();
    this.counts.served++;
    job.resolve(r);
  }

  private onMessage(slot: Slot, m: WorkerReply): void {
    if (slot.retired) return;
    if (m.type === "ready") {
      slot.ready = true;
      if (slot.job) this.post(slot, slot.job);
      else slot.worker.unref();
      return;
    }
    if (!slot.job || slot.job.id !== m.id) return;
    this.answer(slot, m.result);
    slot.reads++;
    if (m.heapMb > this.recycleHeapMb) this.retire(slot, "heap");
    else if (slot.reads >= this.maxReads) this.retire(slot, "reads");
    this.dispatch();
  }

  private onTimeout(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    this.answer(slot, timedOut(job.name, job.timeoutMs));
    this.retire(slot, "timeout");
    this.dispatch();
  }

  private onExit(slot: Slot): void {
    if (slot.retired) return;
    // Ended on its own: out of memory, an exception, or a crash while booting.
    const wasReady = slot.ready;
    const job = slot.job;
    this.slots = this.slots.filter((s) => s !== slot);
    slot.retired = true;
    if (job) this.answer(slot, died(job.name, slot.error, this.memoryMb));
    this.counts.retired[slot.error?.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "crash"]++;
    // A thread that a file brought down is replaced at once, so the next upload finds it warm. One that
    // never booted, or died idle, is not (no respawn loop when threads cannot start): the next read starts one.
    if (wasReady && job && !this.closing) this.spawn();
    this.dispatch();
  }

  /** Takes a thread out of the pool, ends it, and starts its replacement. */
  private retire(slot: Slot, reason: RetireReason): void {
    slot.retired = true;
    this.slots = this.slots.filter((s) => s !== slot);
    this.counts.retired[reason]++;
    void this.end(slot);
    if (!this.closing) this.spawn();
  }

  private async end(slot: Slot): Promise<void> {
    slot.retired = true;
    await slot.worker.terminate().catch(() => {});
  }

  private notifyIdle(): void {
    if (this.queue.length || this.slots.some((s) => s.job)) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

let shared: ReaderPool | null = null;

/** The process's pool, for apps made without a reader of their own (createApp in tests): its idle threads never hold the process open. */
export function sharedReaderPool(): ReaderPool {
  return (shared ??= new ReaderPool());
}

/**
 * The reader a server uses, from its environment: JIXIAO_READER_POOL=0 reads each file in a fresh
 * thread (the path before the pool); otherwise a pool of JIXIAO_READERS threads (default: one per core).
 */
export function readerFromEnv(env: NodeJS.ProcessEnv): Reader {
  const pool = env.JIXIAO_READER_POOL?.trim();
  if (pool === "0" || pool?.toLowerCase() === "false") return oneShotReader();
  const n = env.JIXIAO_READERS?.trim() ? Number(env.JIXIAO_READERS) : undefined;
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) throw new Error(`JIXIAO_READERS 应为正整数，当前为“${env.JIXIAO_READERS}”`);
  return new ReaderPool(n === undefined ? {} : { size: n });
}
