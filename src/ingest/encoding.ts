// Character encodings of raw bytes: the UTF-16 probe that finds names in an OLE compound file
// without parsing it (format sniffing, the .xlsx reader), and the decoding of plain-text files.

/** Does `data` hold `s` (ASCII) as UTF-16LE bytes? Finds OLE directory entries (EncryptedPackage,
 * EncryptionInfo, ...) without parsing the container. */
export function containsUtf16(data: Uint8Array, s: string): boolean {
  const needle = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) needle[i * 2] = s.charCodeAt(i);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(needle) >= 0;
}

/** Bytes → text: UTF-8 (BOM stripped), UTF-16LE/BE (with BOM, or ASCII-heavy without), otherwise
 * GB18030 (a superset of GBK/GB2312) when the bytes are not valid UTF-8. Line ends become LF. */
export function decodeText(data: Uint8Array): string {
  let text: string;
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(data.subarray(3));
  } else if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) {
    text = decodeUtf16(data.subarray(2), true);
  } else if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) {
    text = decodeUtf16(data.subarray(2), false);
  } else {
    const u16 = guessUtf16(data);
    if (u16) text = decodeUtf16(data, u16 === "le");
    else {
      try {
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
      } catch {
        text = decodeLegacyChinese(data);
      }
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, "\n");
}

function decodeUtf16(data: Uint8Array, littleEndian: boolean): string {
  const n = data.length - (data.length % 2);
  if (littleEndian) return new TextDecoder("utf-16le", { ignoreBOM: true }).decode(data.subarray(0, n));
  const swapped = new Uint8Array(n);
  for (let i = 0; i < n; i += 2) {
    swapped[i] = data[i + 1]!;
    swapped[i + 1] = data[i]!;
  }
  return new TextDecoder("utf-16le", { ignoreBOM: true }).decode(swapped);
}

/** UTF-16 without BOM can only be told apart when it holds mostly ASCII (every other byte is 0). */
function guessUtf16(data: Uint8Array): "le" | "be" | null {
  const n = Math.min(data.length - (data.length % 2), 4096);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (data[i] === 0) evenZero++;
    if (data[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return "le";
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return "be";
  return null;
}

function decodeLegacyChinese(data: Uint8Array): string {
  for (const label of ["gb18030", "gbk"]) {
    try {
      return new TextDecoder(label).decode(data);
    } catch {
      // label unsupported by this runtime (Node built without ICU): try the next one
    }
  }
  return new TextDecoder("utf-8").decode(data);
}
