// bytes → blocks: detect the format from content (magic bytes, not the file name), enforce the size
// limits, dispatch to the format's reader. Readers are loaded lazily: pdf.js and exceljs are heavy
// and most runs only need one format.
import { IngestError, type IngestResult, type SourceFormat } from "./blocks.ts";
import { containsUtf16, decodeText } from "./encoding.ts";
import { DEFAULT_MAX_UNZIPPED, hasEndOfCentralDirectory } from "./zip.ts";
import { Unzip } from "fflate";

export interface IngestOptions {
  /** Largest accepted input, in bytes (default 50 MB). */
  maxBytes?: number;
  /** Largest total decompressed size of a docx/xlsx container (default 200 MB). */
  maxUnzipped?: number;
}

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export type Sniffed = SourceFormat | "encrypted-ooxml" | "zip-other" | "rtf" | "binary";

const has = (data: Uint8Array, sig: number[], at = 0) => sig.every((b, i) => data[at + i] === b);

export function zipEntryNames(data: Uint8Array): string[] {
  const names: string[] = [];
  const u = new Unzip((f) => names.push(f.name));
  try {
    u.push(data, true);
  } catch {
    // Names read so far are enough to tell the format; corrupt data is reported by the reader.
  }
  return names;
}

export function sniff(data: Uint8Array): Sniffed {
  if (has(data, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(data);
    if (names.includes("word/document.xml")) return "docx";
    if (names.some((n) => n.startsWith("xl/"))) return "xlsx";
    return "zip-other";
  }
  if (has(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    if (containsUtf16(data, "EncryptedPackage")) return "encrypted-ooxml";
    // Other compound files go to the .doc reader, which reads the directory properly and tells a
    // truncated .doc (whose directory sits at the end) from an .xls or .ppt.
    return "doc";
  }
  const head = Buffer.from(data.subarray(0, 1024)).toString("latin1");
  if (head.includes("%PDF-")) return "pdf";
  if (head.startsWith("{\\rtf")) return "rtf";
  return looksLikeText(data) ? "text" : "binary";
}

function looksLikeText(data: Uint8Array): boolean {
  if (has(data, [0xff, 0xfe]) || has(data, [0xfe, 0xff])) return true;
  const n = Math.min(data.length, 8192);
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if (b === 0 || (b < 0x09 && b !== 0x07) || (b > 0x0d && b < 0x20 && b !== 0x1b)) return false;
  }
  return true;
}

export async function ingest(data: Uint8Array, file: string, opts: IngestOptions = {}): Promise<IngestResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (data.length === 0) throw new IngestError("EMPTY_FILE", "文件为空（0 字节）");
  if (data.length > maxBytes) {
    throw new IngestError("TOO_LARGE", `文件大小 ${mb(data.length)} 超过上限 ${mb(maxBytes)}`);
  }
  const kind = sniff(data);
  switch (kind) {
    case "docx":
    case "xlsx":
      if (!hasEndOfCentralDirectory(data)) throw new IngestError("TRUNCATED", "文件不完整（压缩包结尾缺失，可能是下载或复制中断），请重新获取原文件");
      if (kind === "docx") {
        const { ingestDocx } = await import("./docx.ts");
        return ingestDocx(data, file, { maxUnzipped: opts.maxUnzipped ?? DEFAULT_MAX_UNZIPPED });
      } else {
        const { ingestXlsx } = await import("./xlsx/index.ts");
        return ingestXlsx(data, file, { maxUnzipped: opts.maxUnzipped ?? DEFAULT_MAX_UNZIPPED });
      }
    case "doc": {
      const { ingestDoc } = await import("./doc/index.ts");
      return ingestDoc(data, file);
    }
    case "pdf": {
      const { ingestPdf } = await import("./pdf/index.ts");
      return ingestPdf(data, file);
    }
    case "text": {
      const { ingestText } = await import("./text/index.ts");
      return ingestText(decodeText(data), file);
    }
    case "encrypted-ooxml":
      throw new IngestError("ENCRYPTED", "文件设置了打开密码，无法读取；请在 Word/Excel 中取消密码后另存再上传");
    case "zip-other":
      throw new IngestError("UNSUPPORTED_TYPE", "压缩包不是 Word（.docx）或 Excel（.xlsx）文档，无法读取");
    case "rtf":
      throw new IngestError("UNSUPPORTED_TYPE", "暂不支持 RTF 格式；请在 Word 中另存为 .docx 后上传");
    case "binary":
      throw new IngestError("UNSUPPORTED_TYPE", "无法识别的文件类型；支持 .docx、.doc、.pdf、.xlsx 和纯文本");
  }
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}
