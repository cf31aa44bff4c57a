// A reader-thread entry for tests (tests/reader-pool.test.ts): the real reader, except that a file whose
// name starts with 死循环 never finishes (a parser stuck in an endless loop), to exercise the time limit.
import { runReader } from "../../server/extract-worker.ts";
import { extractBuffer } from "../../src/pipeline.ts";

runReader(async (bytes, name, maxBytes) => {
  if (name.startsWith("死循环")) for (;;);
  return extractBuffer(bytes, name, { maxBytes });
});
