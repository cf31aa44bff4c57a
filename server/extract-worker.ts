// Worker-thread entry: reads uploaded files, one at a time, for as long as the thread lives. Run by
// server/isolate.ts (a warm pool of these, or one fresh thread per file) so that a pathological file
// (memory blow-up, endless loop in a parser) ends this thread, never the server.
//
// The protocol: the thread posts { type: "ready" } once its modules are loaded; for each
// { id, bytes, name, maxBytes } it posts { type: "result", id, result, heapMb }, heapMb being the V8
// heap in use just after the read, from which the pool decides whether to replace the thread.
import { parentPort, workerData } from "node:worker_threads";
import { getHeapStatistics } from "node:v8";
import type { FileResult } from "../src/domain/document.ts";
import { extractBuffer } from "../src/pipeline.ts";

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  name: string;
  maxBytes: number;
}

export type WorkerReply = { type: "ready" } | { type: "result"; id: number; result: FileResult; heapMb: number };

export type ReadFn = (bytes: Uint8Array, name: string, maxBytes: number) => Promise<FileResult>;

const extract: ReadFn = (bytes, name, maxBytes) => extractBuffer(bytes, name, { maxBytes });

/** Serves read requests on this thread's port. Exported for test entries that wrap the read. */
export function runReader(read: ReadFn = extract): void {
  const port = parentPort!;
  const reply = (m: WorkerReply) => port.postMessage(m);
  port.on("message", async (m: ReadRequest) => {
    // A read that throws ends the thread (unhandled rejection): the pool reports READ_FAILED and replaces it.
    const result = await read(m.bytes, m.name, m.maxBytes);
    reply({ type: "result", id: m.id, result, heapMb: getHeapStatistics().used_heap_size / 1024 / 1024 });
  });
  reply({ type: "ready" });
}

// Started as the entry (src/worker-boot.mjs imports workerData.entry), not when imported by another entry.
if (workerData?.entry === import.meta.url) runReader();
