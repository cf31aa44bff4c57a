// Worker thread of evals/corpus.ts: writes each variant as a .docx, reads it back and checks it.
import { parentPort, workerData } from "node:worker_threads";
import type { PerfDoc } from "../src/domain/document.ts";
import { processVariant, type RoundTripMode } from "./corpus.ts";

const mode = (workerData as { mode: RoundTripMode }).mode;
parentPort!.on("message", async (m: { docs: PerfDoc[]; name: string }) => {
  try {
    parentPort!.postMessage({ ok: true, result: await processVariant(m.docs, m.name, mode) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
