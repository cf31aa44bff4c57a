// Word's symbol-font characters (w:sym in .docx, sprmCSymbol in .doc): the ticks and boxes of a
// form's check boxes. One mapping for both Word readers, so a form reads the same from either format.

/** Symbol-font characters used for ticks and boxes in forms. */
export function symbolChar(code: number): string {
  const cp = code >= 0xf000 ? code - 0xf000 : code;
  if (cp === 0xfe || cp === 0x52) return "☑";
  if (cp === 0xa8 || cp === 0x6f) return "□";
  return String.fromCodePoint(code);
}
