// Shared strings (sharedStrings.xml): one string per <si>, rich runs concatenated, phonetic runs
// skipped.
import { readTextNode } from "./ooxml.ts";

const SST_TAG = /<(\/?)(?:[\w.-]+:)?(si|t|rPh)(?=[\s/>])([^>]*)>/g;

export function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  let cur: string[] | null = null;
  let rPh = 0;
  SST_TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SST_TAG.exec(xml))) {
    const closing = m[1] === "/";
    const selfClosing = m[3]!.endsWith("/");
    switch (m[2]) {
      case "si":
        if (selfClosing) out.push("");
        else if (!closing) cur = [];
        else {
          out.push(cur ? cur.join("") : "");
          cur = null;
        }
        break;
      case "rPh":
        if (!selfClosing) rPh += closing ? -1 : 1;
        break;
      case "t":
        if (!closing && !selfClosing && cur && rPh === 0) {
          const start = m.index + m[0].length;
          const end = xml.indexOf("<", start);
          cur.push(readTextNode(xml, start, end));
        }
        break;
    }
  }
  return out;
}
