// Worker-thread entry: reads one uploaded file. Run by server/isolate.ts so that a pathological file
// (memory blow-up, endless loop in a parser) ends this thread, never the server.
import { parentPort } from "node:worker_threads";
import { extractBuffer } from "../src/pipeline.ts";

parentPort!.on("message", async (m: { bytes: Uint8Array; name: string; maxBytes: number }) => {
  const r = await extractBuffer(m.bytes, m.name, { maxBytes: m.maxBytes });
  parentPort!.postMessage(r);
});
