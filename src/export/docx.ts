// Documents → a real .docx (the `docx` package writes w:gridSpan and w:vMerge restart/continue for
// the layout's spans): each 自评表 as its 自评报告 followed by the table in the official layout, each
// 申报表 as its two tables. Pure over its input; the caller writes the bytes.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IParagraphOptions,
} from "docx";
import type { PerfDoc, SelfEvalDoc } from "../domain/document.ts";
import { docLayout, PAGE, TEXT_WIDTH, type LayoutBlock, type LayoutCell, type LayoutOptions, type LayoutParagraph, type LayoutTable } from "./layout.ts";

export interface DocxOptions extends LayoutOptions {
  /** Shown at the top of the file and stored as the document title. */
  title?: string;
  /** Drafted 自评报告 per document index; it replaces the document's own report. */
  drafts?: Map<number, { sections: { heading: string; text: string }[] }>;
}

// 仿宋_GB2312 for running text and 宋体 for tables (the fonts of the official forms); Latin text and
// digits in Times New Roman.
const FANGSONG = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "FangSong_GB2312", cs: "Times New Roman" };
const SONGTI = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "SimSun", cs: "Times New Roman" };

/** Half-points. 三号 = 16 pt for body text (党政机关公文格式), 五号 = 10.5 pt in tables. */
const SIZE = { title: 36, heading: 32, body: 32, caption: 32, subcaption: 28, label: 28, cell: 21 } as const;

export async function exportDocx(docs: PerfDoc[], opts: DocxOptions = {}): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [];
  if (opts.title) children.push(paragraph({ kind: "paragraph", text: opts.title, style: "title", pageBreakBefore: false }));
  (docs as PerfDoc[]).forEach((doc, i) => {
    const layout = docLayout(doc, opts.drafts?.get(i), opts);
    layout.blocks.forEach((b, k) => {
      // Each document starts on a new page.
      const first = k === 0 && i > 0;
      children.push(block(first && b.kind === "paragraph" ? { ...b, pageBreakBefore: true } : b));
    });
  });

  const document = new Document({
    creator: "jixiao",
    ...(opts.title ? { title: opts.title } : {}),
    styles: {
      default: {
        document: { run: { font: FANGSONG, size: SIZE.body } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.marginY, bottom: PAGE.marginY, left: PAGE.marginX, right: PAGE.marginX },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ["— ", PageNumber.CURRENT, " —"], font: SONGTI, size: 28 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  const buf = await Packer.toBuffer(document);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function block(b: LayoutBlock): Paragraph | Table {
  return b.kind === "paragraph" ? paragraph(b) : table(b);
}

function paragraph(p: LayoutParagraph): Paragraph {
  const base: IParagraphOptions = { pageBreakBefore: p.pageBreakBefore };
  switch (p.style) {
    case "title":
      return new Paragraph({
        ...base,
        alignment: AlignmentType.CENTER,
        spacing: { before: 240, after: 360, line: 360 },
        children: [new TextRun({ text: p.text, bold: true, font: SONGTI, size: SIZE.title })],
      });
    case "heading":
      return new Paragraph({
        ...base,
        spacing: { before: 120, line: 360 },
        indent: { firstLine: 640 },
        keepNext: true,
        children: [new TextRun({ text: p.text, bold: true, font: FANGSONG, size: SIZE.heading })],
      });
    case "body":
      return new Paragraph({
        ...base,
        alignment: AlignmentType.JUSTIFIED,
        spacing: { line: 360 },
        indent: { firstLine: 640 },
        children: [new TextRun({ text: p.text, font: FANGSONG, size: SIZE.body })],
      });
    case "caption":
      return new Paragraph({
        ...base,
        alignment: AlignmentType.CENTER,
        spacing: { after: 120 },
        keepNext: true,
        children: [new TextRun({ text: p.text, bold: true, font: SONGTI, size: SIZE.caption })],
      });
    case "subcaption":
      return new Paragraph({
        ...base,
        alignment: AlignmentType.CENTER,
        spacing: { after: 120 },
        keepNext: true,
        children: [new TextRun({ text: p.text, font: FANGSONG, size: SIZE.subcaption })],
      });
    case "label":
      return new Paragraph({
        ...base,
        spacing: { before: 60, after: 60 },
        children: [new TextRun({ text: p.text, font: FANGSONG, size: SIZE.label })],
      });
  }
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;

function table(t: LayoutTable): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: t.widths,
    layout: TableLayoutType.FIXED,
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER },
    rows: t.rows.map(
      (r) =>
        new TableRow({
          // A row of a table that would otherwise break mid-cell stays whole on its page.
          cantSplit: true,
          children: r.cells.map((c) => cell(c, t.widths)),
        }),
    ),
  });
}

function cell(c: LayoutCell, widths: number[]): TableCell {
  const width = widths.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
  // One paragraph per line; the vertical label gets one per character (as the source forms do).
  const lines = c.vertical ? [...c.lines.join("")] : c.lines;
  const paragraphs = (lines.length ? lines : [""]).map(
    (line) =>
      new Paragraph({
        alignment: c.align === "left" ? AlignmentType.LEFT : AlignmentType.CENTER,
        spacing: { line: 280 },
        children: line === "" ? [] : [new TextRun({ text: line, ...(c.bold ? { bold: true } : {}), font: SONGTI, size: SIZE.cell })],
      }),
  );
  return new TableCell({
    children: paragraphs,
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { left: 60, right: 60, top: 30, bottom: 30 },
    ...(c.colSpan > 1 ? { columnSpan: c.colSpan } : {}),
    ...(c.rowSpan > 1 ? { rowSpan: c.rowSpan } : {}),
  });
}
