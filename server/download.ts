// File download answers: the export modules loaded on first use, their media types, and the headers every
// download carries (a Chinese file name that survives every browser, never cached).
import type { Context } from "hono";
import { ApiError } from "./errors.ts";
import { contentDisposition } from "./names.ts";

export const MIME = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
} as const;

export type ExportFormat = keyof typeof MIME;

/** The real export modules are loaded on first use (docx/exceljs are heavy); absent → 501. */
export async function loadModule<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || /Cannot find module|Failed to load url|Does the file exist/.test(msg)) {
      throw new ApiError(501, "NOT_AVAILABLE", `${what}功能尚未安装（缺少模块）`);
    }
    throw e;
  }
}

/** An export as a download named `fileName` (with its extension). */
export function download(c: Context, format: ExportFormat, out: Uint8Array | string, fileName: string): Response {
  c.header("Content-Type", MIME[format]);
  c.header("Content-Disposition", contentDisposition(fileName));
  c.header("Cache-Control", "no-store");
  return c.body(typeof out === "string" ? out : (out as Uint8Array<ArrayBuffer>));
}
