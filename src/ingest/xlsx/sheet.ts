// Worksheet: one sheet's XML → its cells (displayed text and style), its merged ranges and the rows
// that hold bordered blank cells; cell references ("C7") and column names.
import { formatIsoDate, formatNumber, numFmtCode } from "./numfmt.ts";
import { attrOf, readTextNode } from "./ooxml.ts";
import type { Styles } from "./styles.ts";

interface RawCell {
  row: number;
  col: number;
  text: string;
  style: number;
}

export interface Range {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export interface SheetData {
  /** Cells present in the XML with non-blank displayed text. */
  cells: RawCell[];
  /** Text/style of every cell present in the XML, keyed by row → col. */
  present: Map<number, Map<number, RawCell>>;
  merges: Range[];
  /** Rows that hold a blank cell styled with a border. */
  borderedBlankRows: Set<number>;
}

const SHEET_TAG = /<(\/?)(?:[\w.-]+:)?(row|c|v|is|t|rPh|mergeCell)(?=[\s/>])([^>]*)>/g;

export function parseSheet(xml: string, sst: string[], styles: Styles, date1904: boolean): SheetData {
  const cells: RawCell[] = [];
  const present = new Map<number, Map<number, RawCell>>();
  const merges: Range[] = [];
  const borderedBlankRows = new Set<number>();
  let curRow = -1;
  let nextCol = 0;
  let cell: { row: number; col: number; s: number; t: string; v: string | null; inline: string[] | null } | null = null;
  let rPh = 0;

  const finish = (): void => {
    if (!cell) return;
    let text = "";
    const { t, v } = cell;
    if (t === "inlineStr") text = cell.inline ? cell.inline.join("") : v ?? "";
    else if (v !== null) {
      if (t === "s") text = sst[Number(v)] ?? "";
      else if (t === "str" || t === "e") text = v;
      else if (t === "b") text = v.trim() === "1" || v.trim().toLowerCase() === "true" ? "TRUE" : "FALSE";
      else if (t === "d") text = formatIsoDate(v, styles, cell.s);
      else {
        const n = Number(v);
        text = v.trim() === "" ? "" : Number.isFinite(n) ? formatNumber(n, numFmtCode(styles, cell.s), date1904) : v;
      }
    }
    const rc: RawCell = { row: cell.row, col: cell.col, text, style: cell.s };
    let rowMap = present.get(rc.row);
    if (!rowMap) present.set(rc.row, (rowMap = new Map()));
    rowMap.set(rc.col, rc);
    if (!isBlank(text)) cells.push(rc);
    else if (styles.xfs[rc.style]?.border) borderedBlankRows.add(rc.row);
    cell = null;
  };

  SHEET_TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SHEET_TAG.exec(xml))) {
    const closing = m[1] === "/";
    const attrs = m[3]!;
    const selfClosing = attrs.endsWith("/");
    switch (m[2]) {
      case "row":
        if (!closing) {
          const r = attrOf(attrs, "r");
          curRow = r ? Number(r) - 1 : curRow + 1;
          nextCol = 0;
        }
        break;
      case "c":
        if (closing) {
          finish();
          break;
        }
        {
          const a = cellAttrs(attrs);
          const pos = a.r ? parseRef(a.r) : null;
          const row = pos ? pos.row : Math.max(curRow, 0);
          const col = pos ? pos.col : nextCol;
          nextCol = col + 1;
          cell = { row, col, s: Number(a.s) || 0, t: a.t || "n", v: null, inline: null };
          if (selfClosing) finish();
        }
        break;
      case "v":
        if (cell && !closing && !selfClosing) {
          const start = m.index + m[0].length;
          cell.v = readTextNode(xml, start, xml.indexOf("<", start));
        }
        break;
      case "is":
        if (cell && !closing && !selfClosing) cell.inline = [];
        break;
      case "rPh":
        if (!selfClosing) rPh += closing ? -1 : 1;
        break;
      case "t":
        if (cell?.inline && !closing && !selfClosing && rPh === 0) {
          const start = m.index + m[0].length;
          cell.inline.push(readTextNode(xml, start, xml.indexOf("<", start)));
        }
        break;
      case "mergeCell": {
        if (closing) break;
        const ref = attrOf(attrs, "ref");
        const rg = ref ? parseRange(ref) : null;
        if (rg && (rg.r1 > rg.r0 || rg.c1 > rg.c0)) merges.push(rg);
        break;
      }
    }
  }
  finish();
  return { cells, present, merges, borderedBlankRows };
}

/** The r, s and t attributes of a <c> tag, in one pass without regular expressions (this runs
 * once per cell, and a cold regex is the slowest part of a first read). */
function cellAttrs(attrs: string): { r: string; s: string; t: string } {
  const out = { r: "", s: "", t: "" };
  const n = attrs.length;
  let i = 0;
  while (i < n) {
    const eq = attrs.indexOf("=", i);
    if (eq < 0) break;
    let ne = eq;
    while (ne > i && attrs.charCodeAt(ne - 1) <= 32) ne--;
    let ns = ne;
    while (ns > i && attrs.charCodeAt(ns - 1) > 32) ns--;
    let q = eq + 1;
    while (q < n && attrs.charCodeAt(q) <= 32) q++;
    const quote = attrs[q];
    if (quote !== '"' && quote !== "'") break;
    const end = attrs.indexOf(quote, q + 1);
    if (end < 0) break;
    if (ne - ns === 1 || attrs.charCodeAt(ne - 2) === 58) {
      const name = attrs[ne - 1];
      if (name === "r" || name === "s" || name === "t") out[name] = attrs.slice(q + 1, end);
    }
    i = end + 1;
  }
  return out;
}

export function isBlank(s: string): boolean {
  return s.trim() === "";
}

/** "C7" / "$C$7" → 0-based row/col; null when malformed. */
function parseRef(ref: string): { row: number; col: number } | null {
  let i = 0;
  const n = ref.length;
  if (ref.charCodeAt(i) === 36) i++; // $
  let col = 0;
  let letters = 0;
  for (; i < n; i++, letters++) {
    let c = ref.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  if (letters === 0 || letters > 3) return null;
  if (ref.charCodeAt(i) === 36) i++;
  let row = 0;
  let digits = 0;
  for (; i < n; i++, digits++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) break;
    row = row * 10 + (c - 48);
  }
  if (digits === 0 || digits > 7 || i !== n || row === 0) return null;
  return { row: row - 1, col: col - 1 };
}

function parseRange(ref: string): Range | null {
  const [a, b] = ref.split(":");
  const p = a ? parseRef(a) : null;
  const q = b ? parseRef(b) : p;
  if (!p || !q) return null;
  return { r0: Math.min(p.row, q.row), c0: Math.min(p.col, q.col), r1: Math.max(p.row, q.row), c1: Math.max(p.col, q.col) };
}

export function columnName(col: number): string {
  let s = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
