// ZIP containers (docx/xlsx): the end-record check that tells a truncated download, and bounded
// reading: entries are inflated in streaming mode and the total decompressed size is capped, so a
// zip bomb fails fast instead of exhausting memory.
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";
import { IngestError } from "./blocks.ts";

export const DEFAULT_MAX_UNZIPPED = 200 * 1024 * 1024;

/** The end-of-central-directory record sits in the last 22 + 65535 bytes. */
export function hasEndOfCentralDirectory(data: Uint8Array): boolean {
  const stop = Math.max(0, data.length - 22 - 0xffff);
  for (let i = data.length - 22; i >= stop; i--) {
    if (data[i] === 0x50 && data[i + 1] === 0x4b && data[i + 2] === 0x05 && data[i + 3] === 0x06) return true;
  }
  return false;
}

/** Reads the named entries (others are skipped without inflating). */
export function readZipEntries(
  data: Uint8Array,
  wanted: (name: string) => boolean,
  maxTotal = DEFAULT_MAX_UNZIPPED,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let total = 0;
  let failure: IngestError | null = null;
  const unz = new Unzip((file) => {
    if (failure || !wanted(file.name)) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = new IngestError("CORRUPT", `压缩包内的 ${file.name} 无法解压（${err.message}）`);
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (total > maxTotal) {
        failure = new IngestError(
          "ZIP_BOMB",
          `解压后的内容超过 ${Math.round(maxTotal / 1024 / 1024)} MB 上限，疑似压缩炸弹，已停止读取`,
        );
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) out.set(file.name, concat(chunks, size));
    };
    file.start();
  });
  unz.register(UnzipInflate);
  unz.register(UnzipPassThrough);
  try {
    unz.push(data, true);
  } catch (e) {
    if (failure) throw failure;
    throw new IngestError("CORRUPT", `文件已损坏，无法按 ZIP 格式解压（${(e as Error).message}）`);
  }
  if (failure) throw failure;
  return out;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const buf = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    buf.set(c, o);
    o += c.length;
  }
  return buf;
}
