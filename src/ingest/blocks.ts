// The common shape every ingester produces: an ordered list of paragraphs and tables.
// Tables are grids: each row lists the cells that START in that row (origin cells), each with its
// grid column and spans. A format that knows merges (docx, xlsx, doc) reports spans; a format
// that does not (pdf, pasted text) may instead emit span-1 cells with empty text for covered slots.
// The recognizer accepts both.

/** Where a piece of text came from. `table`/`row`/`col` are 0-based grid positions;
 * `page`/`line` are 1-based (PDF and text input). */
export interface Provenance {
  file: string;
  table?: number;
  row?: number;
  col?: number;
  paragraph?: number;
  page?: number;
  line?: number;
  sheet?: string;
  /** Spreadsheet address such as "C7", for xlsx. */
  address?: string;
}

export interface TableCell {
  /** Paragraphs of the cell joined with "\n" (verbatim, no trimming beyond what the format forces). */
  text: string;
  paragraphs: string[];
  /** Top-left grid position (0-based). */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** For pdf/text: where the cell's first text sits. */
  page?: number;
  line?: number;
  address?: string;
  /** The cell's column (or its boundaries) was inferred, not read: text without cell separators, or a
   * row with dropped cells placed under the header by the rebuilder (src/extract/rebuild.ts). */
  inferred?: boolean;
}

/** Text the reader or the rebuilder saw but could not place into a cell with confidence. */
export interface UnplacedText {
  /** Which part of the form, in Chinese (e.g. "绩效指标", "资金情况"). */
  part: string;
  /** Why, in Chinese. */
  reason: string;
  text: string;
  line?: number;
  page?: number;
}

export interface TableBlock {
  kind: "table";
  /** 0-based index of the table in the file. */
  index: number;
  /** Number of grid columns. */
  nCols: number;
  /** rows[r] = origin cells of grid row r, ordered by `col`. */
  rows: TableCell[][];
  page?: number;
  sheet?: string;
  /**
   * "grid" (default): columns are real grid positions (docx, doc, xlsx, pdf from ruling lines, Word's
   * plain-text export). "rows": each row's cells are in reading order but not aligned to a grid — pasted
   * text whose merged cells were dropped; the recognizer aligns them under the form's header rows.
   */
  layout?: "grid" | "rows";
  /** Pieces the rebuilder could not place (attached to the document read from this table). */
  unplaced?: UnplacedText[];
}

export interface ParagraphBlock {
  kind: "paragraph";
  /** 0-based index among the file's paragraphs outside tables. */
  index: number;
  text: string;
  page?: number;
  line?: number;
}

export type Block = TableBlock | ParagraphBlock;

export interface IngestResult {
  format: SourceFormat;
  blocks: Block[];
  /** Workbooks: every sheet in order, with its visibility, and whether it holds any text. */
  sheets?: { name: string; state: "visible" | "hidden" | "veryHidden"; empty: boolean }[];
}

export type SourceFormat = "docx" | "doc" | "pdf" | "xlsx" | "text";

/** Expected failures of reading a file: stable code + Chinese message. */
export class IngestError extends Error {
  constructor(
    public readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "IngestError";
  }
}

export type IngestErrorCode =
  | "EMPTY_FILE"
  | "TOO_LARGE"
  | "CORRUPT"
  | "ENCRYPTED"
  | "TRUNCATED"
  | "UNSUPPORTED_TYPE"
  | "ZIP_BOMB"
  | "NOT_PERFORMANCE_DOC"
  | "NOT_FOUND"
  | "READ_FAILED";

/** Grid view: slot (r, c) -> the origin cell covering it, or null when nothing covers it. */
export function gridOf(t: TableBlock): (TableCell | null)[][] {
  const nRows = t.rows.length;
  const g: (TableCell | null)[][] = Array.from({ length: nRows }, () => new Array<TableCell | null>(t.nCols).fill(null));
  for (const row of t.rows) {
    for (const cell of row) {
      for (let r = cell.row; r < Math.min(nRows, cell.row + cell.rowSpan); r++) {
        const gr = g[r]!;
        for (let c = cell.col; c < Math.min(t.nCols, cell.col + cell.colSpan); c++) gr[c] = cell;
      }
    }
  }
  return g;
}

/** Plain-text rendering of a table (tab-separated origin cells, one row per line); for debugging and tests. */
export function tableToText(t: TableBlock): string {
  return t.rows.map((r) => r.map((c) => c.text.replace(/\s+/g, " ").trim()).join("\t")).join("\n");
}
