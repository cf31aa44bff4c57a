// .docx → blocks, reading the OOXML table structure directly (w:tbl/w:tr/w:tc, w:gridSpan,
// w:vMerge, w:gridBefore). mammoth keeps spans too but is 10–100× slower on LibreOffice's verbose
// XML, and the benchmark target is "faster than mammoth's plain-text read" (docs/decisions.md).
import { IngestError, type Block, type IngestResult, type ParagraphBlock, type TableBlock, type TableCell } from "./blocks.ts";
import { readZipEntries } from "./zip.ts";
import { decodeXmlEntities } from "./xml.ts";
import { symbolChar } from "./symbolFont.ts";

export async function ingestDocx(data: Uint8Array, file: string, opts: { maxUnzipped?: number } = {}): Promise<IngestResult> {
  void file;
  const entries = readZipEntries(data, (n) => n === "word/document.xml", opts.maxUnzipped);
  const xml = entries.get("word/document.xml");
  if (!xml) {
    throw new IngestError("CORRUPT", "不是有效的 Word 文档：压缩包中缺少 word/document.xml");
  }
  return { format: "docx", blocks: parseDocumentXml(new TextDecoder("utf-8").decode(xml)) };
}

const MAX_COLS = 64;

interface TableState {
  block: TableBlock;
  gridCols: number;
  rowIndex: number;
  col: number;
  rowCells: TableCell[];
  /** Origin cell covering each column from above (for vMerge continue). */
  colOrigin: (TableCell | null)[];
  cell: { paragraphs: string[]; span: number; vMerge: "restart" | "continue" | null } | null;
  gridBefore: number;
}

const TAG = /<(\/?)(w:tbl|w:tr|w:tc|w:p|w:t|w:tab|w:br|w:cr|w:gridSpan|w:vMerge|w:gridCol|w:gridBefore|w:noBreakHyphen|w:sym|mc:Fallback|w:txbxContent)(?=[\s/>])([^>]*?)(\/?)>/g;

/** Parses word/document.xml into blocks, in document order. Text boxes and mc:Fallback copies are skipped. */
export function parseDocumentXml(xml: string): Block[] {
  const blocks: Block[] = [];
  const tables: TableState[] = [];
  let tableCount = 0;
  let paraCount = 0;
  let para: string[] | null = null;
  let skipDepth = 0; // inside mc:Fallback or w:txbxContent
  let inText = false;
  let textStart = 0;

  TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG.exec(xml))) {
    const closing = m[1] === "/";
    const name = m[2]!;
    const attrs = m[3]!;
    const selfClosing = m[4] === "/";
    if (name === "mc:Fallback" || name === "w:txbxContent") {
      if (!selfClosing) skipDepth += closing ? -1 : 1;
      continue;
    }
    if (skipDepth > 0) continue;
    if (inText) {
      if (name === "w:t" && closing) {
        para?.push(decodeXmlEntities(xml.slice(textStart, m.index)));
        inText = false;
      }
      continue;
    }
    const t = tables[tables.length - 1];
    switch (name) {
      case "w:t":
        if (!closing && !selfClosing) {
          inText = true;
          textStart = m.index + m[0].length;
        }
        break;
      case "w:tab":
        if (!closing && para && !attrs.includes("w:val")) para.push("\t");
        break;
      case "w:br":
      case "w:cr":
        if (!closing && para) para.push("\n");
        break;
      case "w:noBreakHyphen":
        if (!closing && para) para.push("-");
        break;
      case "w:sym":
        if (!closing && para) {
          const ch = /w:char="([0-9A-Fa-f]+)"/.exec(attrs);
          if (ch) para.push(symbolChar(parseInt(ch[1]!, 16)));
        }
        break;
      case "w:p":
        if (selfClosing) {
          if (t?.cell) t.cell.paragraphs.push("");
          break;
        }
        if (!closing) {
          para = [];
        } else if (para) {
          const text = para.join("");
          if (t?.cell) t.cell.paragraphs.push(text);
          else if (!t && text.trim() !== "") {
            const p: ParagraphBlock = { kind: "paragraph", index: paraCount++, text };
            blocks.push(p);
          }
          para = null;
        }
        break;
      case "w:tbl":
        if (!closing) {
          const block: TableBlock = { kind: "table", index: tableCount++, nCols: 0, rows: [] };
          tables.push({ block, gridCols: 0, rowIndex: -1, col: 0, rowCells: [], colOrigin: [], cell: null, gridBefore: 0 });
          if (tables.length === 1) blocks.push(block);
        } else if (t) {
          tables.pop();
          t.block.nCols = Math.max(t.gridCols, t.block.nCols);
          // A nested table's text is folded into the enclosing cell, row by row.
          const outer = tables[tables.length - 1];
          if (outer?.cell) {
            for (const row of t.block.rows) outer.cell.paragraphs.push(row.map((c) => c.text).join("\t"));
            tableCount--;
          }
        }
        break;
      case "w:gridCol":
        if (t && !closing) t.gridCols++;
        break;
      case "w:tr":
        if (!t) break;
        if (!closing) {
          t.rowIndex++;
          t.col = 0;
          t.gridBefore = 0;
          t.rowCells = [];
        } else {
          t.block.rows.push(t.rowCells);
          t.block.nCols = Math.max(t.block.nCols, t.col);
        }
        break;
      case "w:gridBefore":
        if (t && !closing) {
          const v = /w:val="(\d+)"/.exec(attrs);
          t.gridBefore = v ? Math.min(MAX_COLS, parseInt(v[1]!, 10)) : 0;
          if (t.col === 0) t.col = t.gridBefore;
        }
        break;
      case "w:tc":
        if (!t) break;
        if (!closing) {
          t.cell = { paragraphs: [], span: 1, vMerge: null };
        } else if (t.cell) {
          finishCell(t);
        }
        break;
      case "w:gridSpan":
        if (t?.cell && !closing) {
          const v = /w:val="(\d+)"/.exec(attrs);
          // Word allows at most 63 columns: a crafted huge span must not allocate millions of slots.
          if (v) t.cell.span = Math.min(MAX_COLS, Math.max(1, parseInt(v[1]!, 10)));
        }
        break;
      case "w:vMerge":
        if (t?.cell && !closing) {
          const v = /w:val="(\w+)"/.exec(attrs);
          t.cell.vMerge = v && v[1] === "restart" ? "restart" : "continue";
        }
        break;
    }
  }
  return blocks;
}

function finishCell(t: TableState): void {
  const c = t.cell!;
  const col = t.col;
  t.col += c.span;
  t.cell = null;
  if (c.vMerge === "continue") {
    const origin = t.colOrigin[col];
    if (origin && origin.col === col && origin.colSpan === c.span) {
      origin.rowSpan = t.rowIndex - origin.row + 1;
      const extra = c.paragraphs.filter((p) => p.trim() !== "");
      if (extra.length) {
        origin.paragraphs.push(...extra);
        origin.text = origin.paragraphs.join("\n");
      }
      return;
    }
  }
  const paragraphs = c.paragraphs;
  const cell: TableCell = { text: paragraphs.join("\n"), paragraphs, row: t.rowIndex, col, rowSpan: 1, colSpan: c.span };
  t.rowCells.push(cell);
  for (let k = col; k < col + c.span; k++) t.colOrigin[k] = cell;
}
