// Line and cell shapes shared by the table readers: blank lines, TAB lines, one-cell TAB lines, and a
// cell's paragraphs (pasted HTML-ish text split at <p>/<br>, checkboxes as □/☑).

export interface RawCell {
  paragraphs: string[];
  /** 1-based line of the cell's first line. */
  line: number;
}
export type RawRow = RawCell[];

export const TAB = "\t";
export const isBlank = (s: string) => !s.includes(TAB) && /^[\s\u3000]*$/.test(s);
export const hasTab = (s: string) => s.includes(TAB);

export const cellText = (c: RawCell) => c.paragraphs.join("\n");
export const isEmptyCell = (c: RawCell | undefined) => !c || c.paragraphs.every((p) => p.trim() === "");
export const emptyCell = (line: number): RawCell => ({ paragraphs: [""], line });

/** A line holding cell separators: a TAB other than trailing ones, or nothing but TABs ("\t" is an
 * empty cell). "text\t" is text with a stray trailing TAB. */
export function isCellLine(s: string): boolean {
  if (!s.includes(TAB)) return false;
  const t = s.replace(/\t+$/, "");
  return t === "" || t.includes(TAB);
}

/** A TAB line whose only TAB is the leading one (trailing TABs ignored): one cell per line. */
export function isSingleCellTabLine(s: string): boolean {
  const t = s.replace(/\t+$/, "");
  return t === "" || (t.startsWith(TAB) && !t.slice(1).includes(TAB));
}

/** Cells of pasted HTML-ish text: `<p>` / `<br>` split paragraphs, checkboxes become □ / ☑. */
export function cellParagraphs(raw: string): string[] {
  if (!/<\s*(p|br|input|\/p)\b/i.test(raw) && !/&(nbsp|amp|lt|gt|quot|#\d+);/.test(raw)) return [raw];
  let s = raw.replace(/<input\b[^>]*>/gi, (m) => (/type\s*=\s*["']?checkbox/i.test(m) ? (/\bchecked\b/i.test(m) ? "☑" : "□") : ""));
  s = s.replace(/<\/p>\s*<p\b[^>]*>/gi, "\n").replace(/<br\s*\/?>/gi, "\n").replace(/<\/?p\b[^>]*>/gi, "");
  s = s
    .replace(/&nbsp;/g, "\u00a0")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
  return s.split("\n");
}
