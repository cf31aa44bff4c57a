// Reads an uploaded file in a worker thread with a memory cap and a time limit: whatever the file does
// to a parser, the server keeps running and the user gets a clear error naming the file.
import { Worker } from "node:worker_threads";
import type { FileResult } from "../src/domain/document.ts";

export interface IsolateOptions {
  maxBytes: number;
  /** Heap cap of the worker (default 512 MB). */
  memoryMb?: number;
  /** Time limit (default 60 s). */
  timeoutMs?: number;
}

const BOOT = new URL("../src/worker-boot.mjs", import.meta.url);
const ENTRY = new URL("./extract-worker.ts", import.meta.url).href;

export function extractIsolated(bytes: Uint8Array, name: string, o: IsolateOptions): Promise<FileResult> {
  const memoryMb = o.memoryMb ?? 512;
  const timeoutMs = o.timeoutMs ?? 60_000;
  const fail = (code: string, message: string): FileResult => ({ file: name, format: null, documents: [], error: { code, message: `${name}：${message}` } });
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: FileResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY }, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    const timer = setTimeout(() => finish(fail("READ_TIMEOUT", `读取超过 ${Math.round(timeoutMs / 1000)} 秒仍未完成，已停止（文件结构可能异常）`)), timeoutMs);
    worker.once("message", (r: FileResult) => finish(r));
    worker.once("error", (e: Error & { code?: string }) =>
      finish(
        e.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? fail("TOO_COMPLEX", `文件结构异常或过于复杂，读取时超出内存上限（${memoryMb} MB），已停止`)
          : fail("READ_FAILED", "读取失败，文件可能已损坏或格式异常"),
      ),
    );
    worker.once("exit", () => finish(fail("READ_FAILED", "读取中断，文件可能已损坏或格式异常")));
    worker.postMessage({ bytes, name, maxBytes: o.maxBytes });
  });
}
