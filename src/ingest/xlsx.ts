// .xlsx → blocks, reading the SpreadsheetML parts directly (workbook.xml, sharedStrings.xml,
// styles.xml, worksheets/*.xml) with fflate (via zip.ts) and a small tag scan. On the 002 fixture
// exceljs's load alone takes ~7–12 ms warm and 50–170 ms cold; this whole ingester takes ~2 ms warm
// and 40–85 ms cold (first call, JIT included), and it also sees the cell styles (borders, vertical
// alignment) used to tell titles from table rows.
//
// Model:
// - One origin cell per merged range (rowSpan/colSpan); values stored in covered cells are ignored.
// - Cell text is the displayed text: shared/inline strings (rich runs concatenated, phonetic runs
//   skipped), numbers through their number format (General → shortest form, "0.00" → fixed
//   decimals, dates → yyyy年m月d日 when the format is Chinese, else ISO), cached formula results.
// - Empty cells: blank unmerged cells are omitted, except interior gaps of a table row (a <c> that
//   exists in the XML between two cells of the row), so "label | (blank) | next label" keeps its
//   blank slot; blank merged ranges inside a table are kept (they are deliberate form fields).
// - Rows become blocks as a reader sees them: a row whose only content is one cell becomes a
//   paragraph (title, "（2020年）", "填表人：" lines), unless its style says it belongs to the
//   table next to it (it has borders like the table body, or — in a sheet without any borders —
//   the same vertical alignment as the table body while other such rows differ). Contiguous table
//   rows form one TableBlock; paragraph rows and fully empty rows separate tables.
import { IngestError, type Block, type IngestResult, type ParagraphBlock, type TableBlock, type TableCell } from "./blocks.ts";
import { containsUtf16 } from "./encoding.ts";
import { hasEndOfCentralDirectory, readZipEntries } from "./zip.ts";
import { decodeXmlEntities } from "./xml.ts";

/** A paragraph read from a sheet: ParagraphBlock plus where it sits. */
export interface XlsxParagraphBlock extends ParagraphBlock {
  sheet: string;
  /** Address of the cell the paragraph was read from, e.g. "A1". */
  address: string;
}

export interface XlsxOptions {
  maxUnzipped?: number;
}

export async function ingestXlsx(data: Uint8Array, file: string, opts: XlsxOptions = {}): Promise<IngestResult> {
  void file;
  const { blocks, sheets } = readXlsx(data, opts);
  return { format: "xlsx", blocks, sheets };
}

/** Synchronous core of ingestXlsx: the blocks only. */
export function readXlsxBlocks(data: Uint8Array, opts: XlsxOptions = {}): Block[] {
  return readXlsx(data, opts).blocks;
}

type SheetState = NonNullable<IngestResult["sheets"]>[number];

function readXlsx(data: Uint8Array, opts: XlsxOptions): { blocks: Block[]; sheets: SheetState[] } {
  checkContainer(data);
  try {
    return readWorkbook(data, opts);
  } catch (e) {
    if (e instanceof IngestError) throw e;
    // Whatever malformed content trips over, the caller gets a stable code, not a stack trace.
    throw new IngestError("CORRUPT", "工作簿内容格式异常，无法解析");
  }
}

function readWorkbook(data: Uint8Array, opts: XlsxOptions): { blocks: Block[]; sheets: SheetState[] } {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZipEntries(data, wantedPart, opts.maxUnzipped);
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError("CORRUPT", "文件已损坏，无法按 Excel 工作簿（ZIP）格式读取");
  }
  const dec = new TextDecoder("utf-8");
  const text = (name: string): string | undefined => {
    const u = entries.get(name);
    return u ? dec.decode(u) : undefined;
  };

  const wbPath = officeDocumentPath(text("_rels/.rels")) ?? "xl/workbook.xml";
  const wbXml = text(wbPath);
  if (wbXml === undefined) {
    if (entries.has("word/document.xml")) throw new IngestError("CORRUPT", "这不是 Excel 工作簿，而是 Word 文档（.docx）");
    throw new IngestError("CORRUPT", "不是有效的 Excel 工作簿：缺少 workbook.xml");
  }
  const wbDir = wbPath.slice(0, wbPath.lastIndexOf("/") + 1);
  const rels = parseRels(text(relsPathOf(wbPath)) ?? "", wbDir);
  const workbook = parseWorkbook(wbXml);

  const relOfType = (suffix: string): string | undefined => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
  const sst = parseSharedStrings(text(relOfType("/sharedStrings") ?? wbDir + "sharedStrings.xml") ?? "");
  const styles = parseStyles(text(relOfType("/styles") ?? wbDir + "styles.xml") ?? "");

  if (workbook.sheets.length === 0) throw new IngestError("CORRUPT", "不是有效的 Excel 工作簿：没有工作表");
  const out: Block[] = [];
  const sheets: SheetState[] = [];
  const counters = { table: 0, paragraph: 0 };
  for (const sh of workbook.sheets) {
    const rel = rels.get(sh.rid);
    if (rel && !rel.type.endsWith("/worksheet")) continue; // chartsheet, dialogsheet, macro sheet
    const path = rel?.target ?? `${wbDir}worksheets/sheet${workbook.sheets.indexOf(sh) + 1}.xml`;
    const xml = text(path);
    if (xml === undefined) {
      throw new IngestError("CORRUPT", `工作簿结构不完整：找不到工作表“${sh.name}”的内容`);
    }
    const sheet = parseSheet(xml, sst, styles, workbook.date1904);
    const before = out.length;
    sheetToBlocks(sheet, sh.name, styles, out, counters);
    sheets.push({ name: sh.name, state: sh.state, empty: out.length === before });
  }
  if (out.length === 0) throw new IngestError("EMPTY_FILE", "工作簿中没有任何文字内容");
  return { blocks: out, sheets };
}

// ---------------------------------------------------------------------------------------------
// Container checks

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function checkContainer(data: Uint8Array): void {
  if (data.length === 0) throw new IngestError("EMPTY_FILE", "文件是空的（0 字节）");
  if (data.length >= 8 && OLE_MAGIC.every((b, i) => data[i] === b)) {
    if (containsUtf16(data, "EncryptionInfo") || containsUtf16(data, "EncryptedPackage")) {
      throw new IngestError("ENCRYPTED", "工作簿设置了打开密码（已加密），请在 Excel 中取消密码后重新上传");
    }
    throw new IngestError("UNSUPPORTED_TYPE", "这是旧版 Excel 97-2003（.xls）或其他 OLE 格式文件，请另存为 .xlsx 后再上传");
  }
  if (data.length < 4 || data[0] !== 0x50 || data[1] !== 0x4b || data[2] !== 0x03 || data[3] !== 0x04) {
    throw new IngestError("CORRUPT", "不是有效的 Excel 工作簿（.xlsx 应为 ZIP 压缩包）");
  }
  if (!hasEndOfCentralDirectory(data)) {
    if (plausibleLocalHeader(data)) {
      throw new IngestError("TRUNCATED", "工作簿文件不完整（ZIP 结尾缺失），可能在下载或复制时被截断");
    }
    throw new IngestError("CORRUPT", "文件已损坏，无法按 Excel 工作簿（ZIP）格式读取");
  }
}

/** A real (if truncated) ZIP starts with a sane local header: known method, printable name. */
function plausibleLocalHeader(data: Uint8Array): boolean {
  if (data.length < 30) return false;
  const method = data[8]! | (data[9]! << 8);
  const nameLen = data[26]! | (data[27]! << 8);
  if (method !== 0 && method !== 8) return false;
  if (nameLen === 0 || nameLen > 512) return false;
  for (let i = 30; i < Math.min(30 + nameLen, data.length); i++) if (data[i]! < 0x20 || data[i]! > 0x7e) return false;
  return true;
}

function wantedPart(name: string): boolean {
  if (!/\.(xml|rels)$/i.test(name)) return false;
  return !/^(xl\/(media|drawings|charts|theme|pivotCache|pivotTables|externalLinks|printerSettings|customXml|tables|queryTables|slicers|ctrlProps|activeX)\/|customXml\/|docProps\/)/i.test(name);
}

// ---------------------------------------------------------------------------------------------
// Small XML helpers (prefix-agnostic: some writers emit <x:c>, <x:row>, ...)

const ATTR_RE = new Map<string, RegExp>();

function attrOf(attrs: string, name: string): string | undefined {
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

function officeDocumentPath(relsXml: string | undefined): string | undefined {
  if (!relsXml) return undefined;
  for (const m of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const type = attrOf(m[1]!, "Type") ?? "";
    if (type.endsWith("/officeDocument")) {
      const t = attrOf(m[1]!, "Target");
      if (t) return resolvePath("", t);
    }
  }
  return undefined;
}

function relsPathOf(part: string): string {
  const i = part.lastIndexOf("/");
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}

function resolvePath(baseDir: string, target: string): string {
  const t = target.replace(/\\/g, "/");
  const parts = (t.startsWith("/") ? t.slice(1) : baseDir + t).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

interface Rel {
  type: string;
  target: string;
}

function parseRels(xml: string, baseDir: string): Map<string, Rel> {
  const rels = new Map<string, Rel>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const id = attrOf(m[1]!, "Id");
    const target = attrOf(m[1]!, "Target");
    if (!id || target === undefined) continue;
    if ((attrOf(m[1]!, "TargetMode") ?? "") === "External") continue;
    rels.set(id, { type: attrOf(m[1]!, "Type") ?? "", target: resolvePath(baseDir, target) });
  }
  return rels;
}

interface WorkbookInfo {
  sheets: { name: string; rid: string; state: "visible" | "hidden" | "veryHidden" }[];
  date1904: boolean;
}

function parseWorkbook(xml: string): WorkbookInfo {
  const sheets: WorkbookInfo["sheets"] = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
    const st = attrOf(m[1]!, "state");
    const state = st === "hidden" ? "hidden" : st === "veryHidden" ? "veryHidden" : "visible";
    sheets.push({ name: attrOf(m[1]!, "name") ?? `Sheet${sheets.length + 1}`, rid: attrOf(m[1]!, "id") ?? "", state });
  }
  const pr = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(xml);
  const d = pr ? attrOf(pr[1]!, "date1904") : undefined;
  return { sheets, date1904: d === "1" || d === "true" };
}

// ---------------------------------------------------------------------------------------------
// Shared strings and styles

const SST_TAG = /<(\/?)(?:[\w.-]+:)?(si|t|rPh)(?=[\s/>])([^>]*)>/g;

function parseSharedStrings(xml: string): string[] {
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

/** Text between start and the next tag; handles a CDATA section there. */
function readTextNode(xml: string, start: number, end: number): string {
  if (end < 0) return decodeText(xml.slice(start));
  if (xml.startsWith("<![CDATA[", end)) {
    const close = xml.indexOf("]]>", end);
    const after = close < 0 ? xml.length : close + 3;
    return decodeText(xml.slice(start, end)) + decodeOoxmlEscapes(xml.slice(end + 9, close < 0 ? xml.length : close)) +
      readTextNode(xml, after, xml.indexOf("<", after));
  }
  return decodeText(xml.slice(start, end));
}

interface CellStyle {
  numFmtId: number;
  border: boolean;
  vAlign: string;
}

interface Styles {
  xfs: CellStyle[];
  numFmts: Map<number, string>;
}

function sectionOf(xml: string, tag: string): string {
  const open = new RegExp(`<(?:[\\w.-]+:)?${tag}\\b[^>]*?(/?)>`).exec(xml);
  if (!open || open[1] === "/") return "";
  const close = new RegExp(`</(?:[\\w.-]+:)?${tag}>`).exec(xml.slice(open.index));
  return close ? xml.slice(open.index + open[0].length, open.index + close.index) : "";
}

function parseStyles(xml: string): Styles {
  const numFmts = new Map<number, string>();
  for (const m of sectionOf(xml, "numFmts").matchAll(/<(?:[\w.-]+:)?numFmt\b([^>]*)>/g)) {
    const id = Number(attrOf(m[1]!, "numFmtId"));
    const code = attrOf(m[1]!, "formatCode");
    if (Number.isFinite(id) && code !== undefined) numFmts.set(id, code);
  }
  const borders: boolean[] = [];
  for (const m of sectionOf(xml, "borders").matchAll(/<(?:[\w.-]+:)?border\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?border>)/g)) {
    const inner = m[1] ?? "";
    borders.push(/<(?:[\w.-]+:)?(?:left|right|top|bottom|start|end)\b[^>]*\bstyle\s*=\s*["'](?!none["'])/.test(inner));
  }
  const xfs: CellStyle[] = [];
  for (const m of sectionOf(xml, "cellXfs").matchAll(/<(?:[\w.-]+:)?xf\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?xf>)/g)) {
    const attrs = m[1]!;
    const align = m[2] ? /<(?:[\w.-]+:)?alignment\b([^>]*)>/.exec(m[2]) : null;
    xfs.push({
      numFmtId: Number(attrOf(attrs, "numFmtId") ?? 0) || 0,
      border: borders[Number(attrOf(attrs, "borderId") ?? 0) || 0] ?? false,
      vAlign: (align && attrOf(align[1]!, "vertical")) || "bottom",
    });
  }
  return { xfs, numFmts };
}

// ---------------------------------------------------------------------------------------------
// Worksheet

interface RawCell {
  row: number;
  col: number;
  text: string;
  style: number;
}

interface Range {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

interface SheetData {
  /** Cells present in the XML with non-blank displayed text. */
  cells: RawCell[];
  /** Text/style of every cell present in the XML, keyed by row → col. */
  present: Map<number, Map<number, RawCell>>;
  merges: Range[];
  /** Rows that hold a blank cell styled with a border. */
  borderedBlankRows: Set<number>;
}

const SHEET_TAG = /<(\/?)(?:[\w.-]+:)?(row|c|v|is|t|rPh|mergeCell)(?=[\s/>])([^>]*)>/g;

function parseSheet(xml: string, sst: string[], styles: Styles, date1904: boolean): SheetData {
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

function isBlank(s: string): boolean {
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

// ---------------------------------------------------------------------------------------------
// Sheet → blocks

interface GridCell {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
  text: string;
  style: number;
  blank: boolean;
}

function sheetToBlocks(
  sheet: SheetData,
  sheetName: string,
  styles: Styles,
  out: Block[],
  counters: { table: number; paragraph: number },
): void {
  if (sheet.cells.length === 0) return;

  // Merges indexed by row, clipped to the rows present in the XML (a merge may name whole
  // columns) and to a sane width (a merge may name whole rows).
  let maxRow = 0;
  let maxCol = 0;
  for (const [r, rowMap] of sheet.present) {
    if (r > maxRow) maxRow = r;
    for (const c of rowMap.keys()) if (c > maxCol) maxCol = c;
  }
  const merges = sheet.merges
    .filter((g) => g.r0 <= maxRow && g.c0 <= maxCol)
    .map((g) => ({ ...g, r1: Math.min(g.r1, maxRow), c1: Math.min(g.c1, Math.max(maxCol, 255)) }));
  const mergesByRow = new Map<number, Range[]>();
  for (const g of merges) {
    for (let r = g.r0; r <= g.r1; r++) {
      let l = mergesByRow.get(r);
      if (!l) mergesByRow.set(r, (l = []));
      l.push(g);
    }
  }
  const mergeAt = (r: number, c: number): Range | undefined => mergesByRow.get(r)?.find((g) => c >= g.c0 && c <= g.c1);

  // Origin cells with text.
  const gridCells: GridCell[] = [];
  const originOf = new Set<Range>();
  for (const c of sheet.cells) {
    const g = mergeAt(c.row, c.col);
    if (g && (g.r0 !== c.row || g.c0 !== c.col)) continue; // a value repeated inside a merge
    if (g) originOf.add(g);
    gridCells.push({ r0: c.row, c0: c.col, r1: g ? g.r1 : c.row, c1: g ? g.c1 : c.col, text: c.text, style: c.style, blank: false });
  }
  if (gridCells.length === 0) return;
  const bbox: Range = { r0: Infinity, c0: Infinity, r1: -1, c1: -1 };
  for (const g of gridCells) {
    bbox.r0 = Math.min(bbox.r0, g.r0);
    bbox.c0 = Math.min(bbox.c0, g.c0);
    bbox.r1 = Math.max(bbox.r1, g.r1);
    bbox.c1 = Math.max(bbox.c1, g.c1);
  }
  // Blank merged ranges inside the used range.
  for (const g of merges) {
    if (originOf.has(g) || g.r0 < bbox.r0 || g.c0 < bbox.c0 || g.r0 > bbox.r1 || g.c0 > bbox.c1) continue;
    const raw = sheet.present.get(g.r0)?.get(g.c0);
    gridCells.push({
      r0: g.r0, c0: g.c0, r1: Math.min(g.r1, bbox.r1), c1: Math.min(g.c1, bbox.c1),
      text: raw?.text ?? "", style: raw?.style ?? 0, blank: true,
    });
  }

  // Cells intersecting each row.
  const nRows = bbox.r1 - bbox.r0 + 1;
  const byRow: GridCell[][] = Array.from({ length: nRows }, () => []);
  for (const g of gridCells) for (let r = g.r0; r <= g.r1; r++) byRow[r - bbox.r0]!.push(g);
  const nonBlank = (r: number): number => byRow[r]!.reduce((n, g) => n + (g.blank ? 0 : 1), 0);

  // Which style property tells table cells from free text in this sheet.
  const multiRows: number[] = [];
  for (let i = 0; i < nRows; i++) if (byRow[i]!.length >= 2) multiRows.push(i);
  const styleOf = (g: GridCell): CellStyle | undefined => styles.xfs[g.style];
  let tableLike: ((g: GridCell) => boolean) | null = null;
  const borderMode = gridCells.some((g) => !g.blank && styleOf(g)?.border);
  if (borderMode) {
    tableLike = (g) => styleOf(g)?.border ?? false;
  } else {
    const counts = new Map<string, number>();
    for (const i of multiRows) for (const g of byRow[i]!) if (!g.blank && g.r0 === i + bbox.r0) {
      const va = styleOf(g)?.vAlign ?? "bottom";
      counts.set(va, (counts.get(va) ?? 0) + 1);
    }
    const body = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (body !== undefined) {
      const singles = byRow.filter((l) => l.length === 1 && !l[0]!.blank).map((l) => l[0]!);
      if (singles.some((g) => (styleOf(g)?.vAlign ?? "bottom") !== body)) {
        tableLike = (g) => (styleOf(g)?.vAlign ?? "bottom") === body;
      }
    }
  }

  // Row kinds.
  type Kind = "empty" | "emptyBordered" | "para" | "table" | "tableSingle";
  const kind: Kind[] = new Array<Kind>(nRows);
  for (let i = 0; i < nRows; i++) {
    const l = byRow[i]!;
    if (nonBlank(i) === 0) {
      const bordered = borderMode &&
        (sheet.borderedBlankRows.has(i + bbox.r0) || l.some((g) => styleOf(g)?.border));
      kind[i] = bordered ? "emptyBordered" : "empty";
    } else if (l.length === 1) {
      const g = l[0]!;
      let alone = true;
      for (let r = g.r0; r <= g.r1; r++) if (byRow[r - bbox.r0]!.length !== 1) alone = false;
      kind[i] = !alone ? "table" : tableLike?.(g) ? "tableSingle" : "para";
    } else kind[i] = "table";
  }
  // Empty bordered rows stay inside a table only between table rows.
  const isTab = (k: Kind | undefined): boolean => k === "table" || k === "tableSingle";
  for (let i = 0; i < nRows; i++) {
    if (kind[i] !== "emptyBordered") continue;
    let a = i - 1;
    while (a >= 0 && kind[a] === "emptyBordered") a--;
    let b = i + 1;
    while (b < nRows && kind[b] === "emptyBordered") b++;
    if (!(isTab(kind[a]) && isTab(kind[b]))) kind[i] = "empty";
  }
  const inTable = (k: Kind | undefined): boolean => isTab(k) || k === "emptyBordered";
  // A run of single-cell rows with no real table row is text, not a table.
  for (let i = 0; i < nRows; ) {
    if (!inTable(kind[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < nRows && inTable(kind[j])) j++;
    if (!kind.slice(i, j).includes("table")) for (let k = i; k < j; k++) kind[k] = kind[k] === "tableSingle" ? "para" : "empty";
    i = j;
  }

  // Emit.
  for (let i = 0; i < nRows; ) {
    const k = kind[i]!;
    if (k === "empty") {
      i++;
      continue;
    }
    if (k === "para") {
      const g = byRow[i]!.find((c) => !c.blank)!;
      if (g.r0 === i + bbox.r0) {
        for (const line of splitLines(g.text)) {
          if (isBlank(line)) continue;
          const p: XlsxParagraphBlock = {
            kind: "paragraph", index: counters.paragraph++, text: line, sheet: sheetName, address: columnName(g.c0) + (g.r0 + 1),
          };
          out.push(p);
        }
      }
      i++;
      continue;
    }
    let j = i;
    while (j < nRows && inTable(kind[j])) j++;
    out.push(buildTable(i + bbox.r0, j - 1 + bbox.r0, bbox.c0, gridCells, sheet, sheetName, counters.table++));
    i = j;
  }
}

function buildTable(
  r0: number,
  r1: number,
  colBase: number,
  gridCells: GridCell[],
  sheet: SheetData,
  sheetName: string,
  index: number,
): TableBlock {
  const nRows = r1 - r0 + 1;
  const rows: TableCell[][] = Array.from({ length: nRows }, () => []);
  const occupied: [number, number][][] = Array.from({ length: nRows }, () => []);
  let nCols = 0;
  const add = (g: GridCell): void => {
    const rowEnd = Math.min(g.r1, r1);
    const paragraphs = g.text === "" ? [""] : splitLines(g.text);
    rows[g.r0 - r0]!.push({
      text: paragraphs.join("\n"),
      paragraphs,
      row: g.r0 - r0,
      col: g.c0 - colBase,
      rowSpan: rowEnd - g.r0 + 1,
      colSpan: g.c1 - g.c0 + 1,
      address: columnName(g.c0) + (g.r0 + 1),
    });
    nCols = Math.max(nCols, g.c1 - colBase + 1);
    for (let r = g.r0; r <= rowEnd; r++) occupied[r - r0]!.push([g.c0, g.c1]);
  };
  for (const g of gridCells) if (g.r0 >= r0 && g.r0 <= r1) add(g);
  // Interior gaps: blank cells present in the XML between two cells of the row.
  for (let i = 0; i < nRows; i++) {
    const occ = occupied[i]!;
    if (occ.length < 2) continue;
    const lo = Math.min(...occ.map((o) => o[0]));
    const hi = Math.max(...occ.map((o) => o[1]));
    const present = sheet.present.get(r0 + i);
    if (!present) continue;
    for (const [c, raw] of present) {
      if (c <= lo || c >= hi || c < colBase) continue;
      if (occ.some((o) => c >= o[0] && c <= o[1])) continue;
      if (!isBlank(raw.text)) continue;
      if (sheet.merges.some((g) => r0 + i >= g.r0 && r0 + i <= g.r1 && c >= g.c0 && c <= g.c1)) continue;
      add({ r0: r0 + i, c0: c, r1: r0 + i, c1: c, text: raw.text, style: raw.style, blank: true });
    }
  }
  for (const r of rows) r.sort((a, b) => a.col - b.col);
  return { kind: "table", index, nCols, rows, sheet: sheetName };
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

// ---------------------------------------------------------------------------------------------
// Number formats

const BUILTIN_FORMATS: Record<number, string> = {
  0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?",
  13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
  20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy",
  31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"', 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
  40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
  50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

function numFmtCode(styles: Styles, s: number): string {
  const id = styles.xfs[s]?.numFmtId ?? 0;
  return styles.numFmts.get(id) ?? BUILTIN_FORMATS[id] ?? "General";
}

type Tok =
  | { k: "lit"; s: string }
  | { k: "y" | "M" | "d" | "h" | "m" | "s" | "H" | "S" | "Mi"; n: number } // H/Mi/S: elapsed [h] [m] [s]
  | { k: "ampm"; s: string }
  | { k: "frac"; n: number }
  | { k: "ph"; s: string } // number placeholder chars 0 # ? . , E+ etc.
  | { k: "general" }
  | { k: "at" };

function splitSections(code: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '"') {
      const j = code.indexOf('"', i + 1);
      const end = j < 0 ? code.length : j;
      cur += code.slice(i, end + 1);
      i = end;
    } else if (ch === "\\" || ch === "_" || ch === "*") {
      cur += code.slice(i, i + 2);
      i++;
    } else if (ch === "[") {
      const j = code.indexOf("]", i);
      const end = j < 0 ? code.length : j;
      cur += code.slice(i, end + 1);
      i = end;
    } else if (ch === ";") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function tokenize(sec: string): Tok[] {
  const toks: Tok[] = [];
  const lit = (s: string): void => {
    const last = toks[toks.length - 1];
    if (last?.k === "lit") last.s += s;
    else toks.push({ k: "lit", s });
  };
  for (let i = 0; i < sec.length; i++) {
    const ch = sec[i]!;
    const rest = sec.slice(i);
    if (ch === '"') {
      const j = sec.indexOf('"', i + 1);
      const end = j < 0 ? sec.length : j;
      lit(sec.slice(i + 1, end));
      i = end;
    } else if (ch === "\\") {
      if (i + 1 < sec.length) lit(sec[i + 1]!);
      i++;
    } else if (ch === "_" || ch === "*") {
      i++; // padding / fill: no visible character
    } else if (ch === "[") {
      const j = sec.indexOf("]", i);
      const inner = sec.slice(i + 1, j < 0 ? sec.length : j);
      if (/^h+$/i.test(inner)) toks.push({ k: "H", n: inner.length });
      else if (/^m+$/i.test(inner)) toks.push({ k: "Mi", n: inner.length });
      else if (/^s+$/i.test(inner)) toks.push({ k: "S", n: inner.length });
      i = j < 0 ? sec.length : j; // colours, locales, conditions, DBNum: dropped
    } else if (/^general/i.test(rest)) {
      toks.push({ k: "general" });
      i += 6;
    } else if (/^(AM\/PM|A\/P|上午\/下午)/i.test(rest)) {
      const m = /^(AM\/PM|A\/P|上午\/下午)/i.exec(rest)!;
      toks.push({ k: "ampm", s: m[1]! });
      i += m[1]!.length - 1;
    } else if (/[yYmMdDhHsSeE]/.test(ch) && !(/[eE]/.test(ch) && /^[eE][+-]/.test(rest))) {
      let j = i;
      while (j < sec.length && sec[j]!.toLowerCase() === ch.toLowerCase()) j++;
      const n = j - i;
      const c = ch.toLowerCase();
      toks.push({ k: c === "y" || c === "e" ? "y" : c === "m" ? "M" : c === "d" ? "d" : c === "h" ? "h" : "s", n: c === "e" ? 4 : n });
      i = j - 1;
    } else if (ch === "." && toks.length && (toks[toks.length - 1]!.k === "s" || toks[toks.length - 1]!.k === "S") && sec[i + 1] === "0") {
      let j = i + 1;
      while (sec[j] === "0") j++;
      toks.push({ k: "frac", n: j - i - 1 });
      i = j - 1;
    } else if (/[0#?.,%]/.test(ch) || (/[eE]/.test(ch) && /^[eE][+-]/.test(rest))) {
      if (/[eE]/.test(ch)) {
        toks.push({ k: "ph", s: "E" + sec[i + 1] });
        i++;
      } else if (ch === "%") {
        toks.push({ k: "ph", s: "%" });
      } else toks.push({ k: "ph", s: ch });
    } else if (ch === "@") {
      toks.push({ k: "at" });
    } else if (ch === "/" && /^\/\s*[0-9?#]/.test(rest) && toks.some((t) => t.k === "ph")) {
      toks.push({ k: "ph", s: "/" });
    } else lit(ch);
  }
  // Month vs minute: m right after an hour, or right before seconds, is minutes.
  const timeish = (t: Tok | undefined): boolean => !!t && (t.k === "h" || t.k === "H");
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k !== "M") continue;
    let p = i - 1;
    while (p >= 0 && toks[p]!.k === "lit") p--;
    let q = i + 1;
    while (q < toks.length && toks[q]!.k === "lit") q++;
    if (timeish(toks[p]) || toks[q]?.k === "s" || toks[q]?.k === "S") toks[i] = { k: "m", n: t.n };
  }
  return toks;
}

const DATE_TOKS = new Set(["y", "M", "d", "h", "m", "s", "H", "Mi", "S", "ampm"]);

/** Displayed text of a number under an Excel number format (the common cases; never adds digits
 * beyond what the format asks for). */
export function formatNumber(v: number, code: string, date1904 = false): string {
  const sections = splitSections(code);
  let sec = sections[0] ?? "";
  let val = v;
  let autoMinus = true;
  if (sections.length >= 2 && v < 0) {
    sec = sections[1]!;
    val = -v;
    autoMinus = false;
  } else if (sections.length >= 3 && v === 0) {
    sec = sections[2]!;
  }
  const toks = tokenize(sec);
  if (toks.some((t) => DATE_TOKS.has(t.k))) return formatDate(val, toks, date1904);
  const phs = toks.filter((t) => t.k === "ph").map((t) => (t as { s: string }).s).join("");
  const firstNum = toks.findIndex((t) => t.k === "ph" || t.k === "general");
  const prefix = toks.slice(0, firstNum < 0 ? toks.length : firstNum).map(litText).join("");
  const suffix = firstNum < 0 ? "" : toks.slice(firstNum).map(litText).join("");
  let body: string;
  if (toks.some((t) => t.k === "general") || (phs === "" && toks.some((t) => t.k === "at"))) {
    body = general(autoMinus ? Math.abs(val) : val);
  } else if (!/[0#?]/.test(phs) || phs.includes("/")) {
    if (phs.includes("/")) body = general(Math.abs(val));
    else return prefix + suffix; // text-only section, e.g. "-" for zero
  } else {
    body = formatPlaceholders(Math.abs(val), phs);
  }
  const minus = autoMinus && val < 0 && /[1-9]/.test(body) ? "-" : "";
  return minus + prefix + body + suffix;
}

function litText(t: Tok): string {
  if (t.k === "lit") return t.s;
  if (t.k === "ph" && t.s === "%") return "%";
  return "";
}

function general(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  return String(Number(v.toPrecision(15))).replace("e", "E");
}

function roundTo(x: number, dec: number): number {
  const r = Number(Math.round(Number(`${x}e${dec}`)) + `e-${dec}`);
  return Number.isFinite(r) ? r : x;
}

function formatPlaceholders(x: number, phs: string): string {
  const pct = (phs.match(/%/g) ?? []).length;
  let val = x * 100 ** pct;
  const p = phs.replace(/%/g, "");
  const eIdx = p.search(/E[+-]/);
  const mant = eIdx >= 0 ? p.slice(0, eIdx) : p;
  const dot = mant.indexOf(".");
  let intPart = dot >= 0 ? mant.slice(0, dot) : mant;
  const decPart = dot >= 0 ? mant.slice(dot + 1).replace(/,/g, "") : "";
  // Trailing commas scale by 1000 each.
  const trail = /,+$/.exec(intPart);
  if (trail && dot < 0) {
    val /= 1000 ** trail[0].length;
    intPart = intPart.slice(0, -trail[0].length);
  } else if (trail && dot >= 0) {
    val /= 1000 ** trail[0].length;
    intPart = intPart.slice(0, -trail[0].length);
  }
  const group = intPart.includes(",");
  const minInt = (intPart.match(/0/g) ?? []).length;
  const maxDec = (decPart.match(/[0#?]/g) ?? []).length;
  const minDec = (decPart.match(/[0?]/g) ?? []).length;
  if (eIdx >= 0) {
    const expDigits = Math.max(1, (p.slice(eIdx + 2).match(/[0#?]/g) ?? []).length);
    const [m, e] = val.toExponential(maxDec).split("e");
    const en = Number(e);
    return `${trimDecimals(m!, minDec, dot >= 0)}E${en < 0 ? "-" : p[eIdx + 1] === "+" ? "+" : ""}${String(Math.abs(en)).padStart(expDigits, "0")}`;
  }
  let s = roundTo(val, maxDec).toFixed(maxDec);
  let [ip, fp] = s.split(".") as [string, string | undefined];
  if (ip === "0" && minInt === 0) ip = "";
  ip = ip.padStart(minInt, "0");
  if (group) ip = ip.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  s = ip + (dot >= 0 ? "." + (fp ?? "") : "");
  return dot >= 0 ? trimDecimals(s, minDec, true) : s;
}

function trimDecimals(s: string, minDec: number, hasDot: boolean): string {
  if (!hasDot || !s.includes(".")) return s;
  const [ip, fp = ""] = s.split(".");
  let f = fp;
  while (f.length > minDec && f.endsWith("0")) f = f.slice(0, -1);
  return `${ip}.${f}`;
}

interface DateParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  wd: number;
  serial: number;
}

function serialParts(serial: number, date1904: boolean): DateParts {
  let days = serial;
  if (date1904) days += 1462;
  else if (days < 60) days += 1; // Excel's phantom 1900-02-29
  const ms = Math.round((days - 25569) * 86400000);
  const dt = new Date(ms);
  return {
    y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate(), h: dt.getUTCHours(), mi: dt.getUTCMinutes(),
    s: dt.getUTCSeconds(), ms: dt.getUTCMilliseconds(), wd: dt.getUTCDay(), serial,
  };
}

const WEEKDAYS = "日一二三四五六";
const pad2 = (n: number): string => String(n).padStart(2, "0");

function formatDate(v: number, toks: Tok[], date1904: boolean): string {
  if (!Number.isFinite(v) || v < 0 || v > 2958465) return general(v);
  const p = serialParts(v, date1904);
  const literal = toks.filter((t) => t.k === "lit").map((t) => (t as { s: string }).s).join("");
  const cjk = /[年月日时時分秒]/.test(literal) || toks.some((t) => t.k === "ampm" && t.s.startsWith("上"));
  if (!cjk) {
    const has = (k: string): boolean => toks.some((t) => t.k === k);
    const hasDate = has("y") || has("M") || has("d");
    const hasTime = has("h") || has("m") || has("s") || has("H") || has("Mi") || has("S");
    const date = has("d") || !has("y") ? `${p.y}-${pad2(p.mo)}-${pad2(p.d)}` : `${p.y}-${pad2(p.mo)}`;
    const hours = has("H") ? Math.floor(v * 24) : p.h;
    const time = `${pad2(hours)}:${pad2(p.mi)}` + (has("s") || has("S") || p.s ? `:${pad2(p.s)}` : "");
    if (hasDate && hasTime) return `${date} ${time}`;
    return hasDate ? date : time;
  }
  const ampm = toks.some((t) => t.k === "ampm");
  let out = "";
  for (const t of toks) {
    switch (t.k) {
      case "lit":
        out += t.s;
        break;
      case "y":
        out += t.n <= 2 ? pad2(p.y % 100) : String(p.y);
        break;
      case "M":
        out += t.n === 1 ? String(p.mo) : t.n === 2 ? pad2(p.mo) : `${p.mo}月`;
        break;
      case "d":
        out += t.n === 1 ? String(p.d) : t.n === 2 ? pad2(p.d) : t.n === 3 ? `周${WEEKDAYS[p.wd]}` : `星期${WEEKDAYS[p.wd]}`;
        break;
      case "h": {
        const h = ampm ? (p.h % 12 || 12) : p.h;
        out += t.n >= 2 ? pad2(h) : String(h);
        break;
      }
      case "H":
        out += String(Math.floor(v * 24));
        break;
      case "m":
        out += t.n >= 2 ? pad2(p.mi) : String(p.mi);
        break;
      case "Mi":
        out += String(Math.floor(v * 1440));
        break;
      case "s":
        out += t.n >= 2 ? pad2(p.s) : String(p.s);
        break;
      case "S":
        out += String(Math.floor(v * 86400));
        break;
      case "frac":
        out += "." + String(p.ms).padStart(3, "0").slice(0, t.n);
        break;
      case "ampm":
        out += t.s.startsWith("上") ? (p.h < 12 ? "上午" : "下午") : p.h < 12 ? "AM" : "PM";
        break;
      default:
        break;
    }
  }
  return out;
}

/** t="d" cells carry an ISO 8601 date; show it through a date format if one is set. */
function formatIsoDate(v: string, styles: Styles, s: number): string {
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : v + (v.includes("T") ? "Z" : "T00:00:00Z"));
  if (!Number.isFinite(ms)) return v;
  const serial = ms / 86400000 + 25569;
  const code = numFmtCode(styles, s);
  const toks = tokenize(splitSections(code)[0] ?? "");
  if (toks.some((t) => DATE_TOKS.has(t.k))) return formatDate(serial, toks, false);
  return v.endsWith("T00:00:00") || v.endsWith("T00:00:00Z") ? v.slice(0, 10) : v;
}
