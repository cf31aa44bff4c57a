// File names from the outside world (uploads) and for it (downloads).

const MAX_NAME = 120;

/**
 * An uploaded file's name made safe to store and show: the last path component only, no control
 * characters or characters Windows forbids, no leading dots, at most 120 characters (extension kept).
 */
export function sanitizeFileName(raw: string | null | undefined, fallback = "未命名文件"): string {
  let s = (raw ?? "").normalize("NFC");
  s = s.split(/[/\\]/).pop() ?? "";
  s = s
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  if (s === "") return fallback;
  if ([...s].length > MAX_NAME) {
    const m = /(\.[A-Za-z0-9]{1,8})$/.exec(s);
    const ext = m ? m[1]! : "";
    s = [...s.slice(0, s.length - ext.length)].slice(0, MAX_NAME - ext.length).join("") + ext;
  }
  return s;
}

/**
 * `attachment` with an ASCII fallback name and the real (Chinese) name per RFC 5987/6266:
 * filename*=UTF-8''%E8%87%AA%E8%AF%84%E8%A1%A8.docx
 */
export function contentDisposition(name: string): string {
  const safe = sanitizeFileName(name, "export");
  const ext = /(\.[A-Za-z0-9]{1,8})$/.exec(safe)?.[1] ?? "";
  // The fallback is for old clients only: the non-ASCII characters are dropped, and a name left without
  // letters becomes jixiao-export.<ext>.
  let ascii = safe.replace(/[^\x20-\x7e]/g, "").replace(/["\\%;]/g, "_").replace(/\s+/g, " ").trim();
  if (!/[A-Za-z]/.test(ascii.slice(0, ascii.length - ext.length))) ascii = `jixiao-export${ext}`;
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The acting user's name from the X-User header (URI-encoded so Chinese names survive HTTP headers). */
export function userFromHeader(raw: string | undefined): string | null {
  if (!raw) return null;
  let s: string;
  try {
    s = decodeURIComponent(raw);
  } catch {
    s = raw;
  }
  return personName(s);
}

/** A person's name as given (header or body): no control characters, trimmed, at most 40 characters; null when empty. */
export function personName(raw: string | null | undefined): string | null {
  const s = (raw ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 40);
  return s === "" ? null : s;
}
