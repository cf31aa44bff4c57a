// Container checks, before unzipping: an encrypted workbook or an .xls (OLE compound file), not a
// ZIP, or a ZIP cut short; and which parts of the package are worth inflating.
import { IngestError } from "../blocks.ts";
import { containsUtf16 } from "../encoding.ts";
import { hasEndOfCentralDirectory } from "../zip.ts";

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function checkContainer(data: Uint8Array): void {
  if (data.length === 0) throw new IngestError("EMPTY_FILE", "文件是空的（0 字节）");
  if (data.length >= 8 && OLE_MAGIC.every((b, i) => data[i] === b)) {
    if (containsUtf16(data, "EncryptionInfo") || containsUtf16(data, "EncryptedPackage")) {
      throw new IngestError("ENCRYPTED", "工作簿设置了打开密码（已加密），请在 Excel 中取消密码后重新上传");
    }
    throw new IngestError("UNSUPPORTED_TYPE", "这是旧版 Excel 97-2003（.xls）或其他 OLE 格式文件，请另存为 .xlsx 后再上传");
  }
  if (data.length < 4 || data[0] !== 0x50 || data[1] !== 0x4b || data[2] !== 0x03 || data[3] !== 0x04) {
    throw new IngestError("CORRUPT", "不是有效的 Excel 工作簿（.xlsx 应为 ZIP 压缩包）");
  }
  if (!hasEndOfCentralDirectory(data)) {
    if (plausibleLocalHeader(data)) {
      throw new IngestError("TRUNCATED", "工作簿文件不完整（ZIP 结尾缺失），可能在下载或复制时被截断");
    }
    throw new IngestError("CORRUPT", "文件已损坏，无法按 Excel 工作簿（ZIP）格式读取");
  }
}

/** A real (if truncated) ZIP starts with a sane local header: known method, printable name. */
function plausibleLocalHeader(data: Uint8Array): boolean {
  if (data.length < 30) return false;
  const method = data[8]! | (data[9]! << 8);
  const nameLen = data[26]! | (data[27]! << 8);
  if (method !== 0 && method !== 8) return false;
  if (nameLen === 0 || nameLen > 512) return false;
  for (let i = 30; i < Math.min(30 + nameLen, data.length); i++) if (data[i]! < 0x20 || data[i]! > 0x7e) return false;
  return true;
}

export function wantedPart(name: string): boolean {
  if (!/\.(xml|rels)$/i.test(name)) return false;
  return !/^(xl\/(media|drawings|charts|theme|pivotCache|pivotTables|externalLinks|printerSettings|customXml|tables|queryTables|slicers|ctrlProps|activeX)\/|customXml\/|docProps\/)/i.test(name);
}
