// The IngestError code a reader throws for some bytes, checking what every reader error must be:
// an IngestError with a Chinese message that does not carry the path (the caller prefixes the file).
import { expect } from "vitest";
import { IngestError } from "../../src/ingest/blocks.ts";

export async function ingestErrorCode(read: (file: string) => Promise<unknown>, file: string): Promise<string> {
  try {
    await read(file);
  } catch (e) {
    expect(e).toBeInstanceOf(IngestError);
    const err = e as IngestError;
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    expect(err.message).not.toContain(file);
    return err.code;
  }
  return "OK";
}
