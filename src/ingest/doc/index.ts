// Word 97-2003 binary (.doc) reader.
//
// Reads the compound file (CFB) itself, then the FIB, the piece table (CLX) and the paragraph
// property FKPs (PlcBtePapx), so that table structure survives: every cell ends with \x07, every
// row ends with an extra \x07 paragraph carrying sprmPFTtp, and that row-end paragraph's PAPX holds
// the row's table properties (sprmTDefTable: cell boundaries in twips + TC80 merge flags;
// sprmTVertMerge, sprmTMerge/Split, sprmTInsert/Delete/DxaCol). Cell boundaries of all rows are
// unioned into the table's grid columns (like Word's tblGrid); vertically merged cells collapse
// into their restart cell's rowSpan.
//
// References: [MS-CFB] and [MS-DOC] (FibBase, FibRgLw97, FibRgFcLcb97, Clx/Pcdt/PlcPcd, PlcBtePapx,
// PapxFkp, ChpxFkp, Sprm, TDefTableOperand, TC80, VertMergeOperand).
//
// This file is the entry point. The stages, in order: fib.ts reads the document model (through
// cfb.ts for the container's streams and fkp.ts for the property runs); paragraphs.ts cuts the text
// into paragraphs with their properties (papx.ts applies the paragraph and table sprms, which
// sprms.ts walks); assemble.ts turns paragraphs into paragraph and table blocks. bytes.ts reads
// little-endian numbers; errors.ts holds the messages.
import { IngestError, type IngestResult } from "../blocks.ts";
import { assemble } from "./assemble.ts";
import { corrupt } from "./errors.ts";
import { readDoc } from "./fib.ts";
import { splitParagraphs } from "./paragraphs.ts";

/** Reads a Word 97-2003 binary document into paragraphs and tables (with grid spans). */
export async function ingestDoc(data: Uint8Array, _file: string): Promise<IngestResult> {
  try {
    const doc = readDoc(data);
    return { format: "doc", blocks: assemble(splitParagraphs(doc)) };
  } catch (e) {
    if (e instanceof IngestError) throw e;
    // Any other failure (out-of-range read on a malformed structure, etc.) is a broken file.
    throw corrupt();
  }
}
