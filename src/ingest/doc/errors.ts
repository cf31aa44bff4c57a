// Errors: the messages a .doc that cannot be read gets (wrong format, encrypted, truncated, corrupt).
import { IngestError } from "../blocks.ts";

export const MSG = {
  empty: "文件为空（0 字节）。",
  notDoc: "不是有效的 Word 97-2003（.doc）文件：缺少复合文档文件头。",
  isZip: "文件内容是 ZIP/.docx 格式而非 Word 97-2003（.doc）格式，请按 .docx 读取或更正扩展名。",
  isRtf: "文件内容是 RTF 格式而非 Word 97-2003（.doc）格式，请在 Word 中另存为 .docx 后重试。",
  isHtml: "文件内容是网页（HTML/MHT）格式而非 Word 97-2003（.doc）格式，请在 Word 中另存为 .docx 后重试。",
  isXls: "文件内容是 Excel 97-2003（.xls）工作簿而非 Word 文档。",
  word95: "不支持 Word 6.0/95 格式的 .doc 文件，请在 Word 中另存为 .docx 后重试。",
  encrypted: "文件已设置打开密码（已加密），无法读取。请在 Word 中取消密码后重试。",
  truncated: "文件不完整（已被截断），内容比文件头声明的短，可能下载或复制未完成。",
  corrupt: "文件已损坏，无法解析 Word 97-2003（.doc）结构。",
} as const;

export function corrupt(detail?: string): IngestError {
  return new IngestError("CORRUPT", detail ? `${MSG.corrupt}（${detail}）` : MSG.corrupt);
}
export function truncated(): IngestError {
  return new IngestError("TRUNCATED", MSG.truncated);
}
