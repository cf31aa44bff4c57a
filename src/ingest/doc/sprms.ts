// Sprms: walking a grpprl (a list of property modifiers), with the operand length of each.
import { Bytes } from "./bytes.ts";

/** Calls `fn(sprm, operandStart, operandLength)` for each sprm of grpprl `b[start, end)`. */
export function eachSprm(b: Bytes, start: number, end: number, fn: (sprm: number, op: number, len: number) => void): void {
  let p = start;
  end = Math.min(end, b.length);
  while (p + 2 <= end) {
    const sprm = b.u16(p);
    p += 2;
    let op = p;
    let len: number;
    switch (sprm >>> 13) {
      case 0:
      case 1:
        len = 1;
        break;
      case 2:
      case 4:
      case 5:
        len = 2;
        break;
      case 3:
        len = 4;
        break;
      case 7:
        len = 3;
        break;
      default: {
        // Variable length.
        if (p >= end) return;
        if (sprm === 0xd608 || sprm === 0xd606) {
          if (p + 2 > end) return;
          len = b.u16(p) + 1; // cb counts the rest plus one; the 2-byte cb itself is in the operand
        } else if (sprm === 0xc615) {
          const cb = b.u8(p);
          if (cb === 255) {
            // PChgTabsOperand with cb = 255: compute from the deletions/additions.
            let q = p + 1;
            const nDel = q < end ? b.u8(q) : 0;
            q += 1 + nDel * 4;
            const nAdd = q < end ? b.u8(q) : 0;
            q += 1 + nAdd * 3;
            len = q - p;
          } else len = cb + 1;
        } else len = b.u8(p) + 1;
      }
    }
    if (op + len > end) return;
    fn(sprm, op, len);
    p = op + len;
  }
}
