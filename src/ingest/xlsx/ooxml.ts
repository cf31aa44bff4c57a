// Small XML helpers (prefix-agnostic: some writers emit <x:c>, <x:row>, ...): attribute values,
// and text nodes with XML entities, OOXML's _xHHHH_ escapes and CDATA sections decoded.
import { decodeXmlEntities } from "../xml.ts";

const ATTR_RE = new Map<string, RegExp>();

export function attrOf(attrs: string, name: string): string | undefined {
  // name may be matched with any namespace prefix: "id" matches r:id.
  let re = ATTR_RE.get(name);
  if (!re) ATTR_RE.set(name, (re = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(attrs);
  if (!m) return undefined;
  return decodeXmlEntities(m[1] ?? m[2] ?? "");
}

/** OOXML's own escape for characters XML cannot carry: _x000D_, _x0009_, _x005F_ (underscore). */
function decodeOoxmlEscapes(s: string): string {
  if (!s.includes("_x")) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function decodeText(raw: string): string {
  return decodeOoxmlEscapes(decodeXmlEntities(raw));
}

/** Text between start and the next tag; handles a CDATA section there. */
export function readTextNode(xml: string, start: number, end: number): string {
  if (end < 0) return decodeText(xml.slice(start));
  if (xml.startsWith("<![CDATA[", end)) {
    const close = xml.indexOf("]]>", end);
    const after = close < 0 ? xml.length : close + 3;
    return decodeText(xml.slice(start, end)) + decodeOoxmlEscapes(xml.slice(end + 9, close < 0 ? xml.length : close)) +
      readTextNode(xml, after, xml.indexOf("<", after));
  }
  return decodeText(xml.slice(start, end));
}
