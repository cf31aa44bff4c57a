// The 审核意见表 a finance bureau sends back (templates.md §3): one row per project — 项目编码, 项目名称,
// 申请单位, 本年度金额 — then one column per review dimension with its numbered opinions, and 小结 listing
// the review items. Pure over its input.
import ExcelJS from "exceljs";
import type { ProjectReview } from "../review/index.ts";
import type { Checklist } from "../review/checklist.ts";

const THIN = { style: "thin" as const, color: { argb: "FF000000" } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Opinions of one dimension, numbered "1. …" one per line; "无" when there is none. */
export function dimensionText(p: ProjectReview, dimension: string): string {
  const xs = p.opinions.filter((o) => o.dimension === dimension && !o.waived);
  return xs.length ? xs.map((o, i) => `${i + 1}. ${o.text}`).join("\n") : "无";
}

/** Item names, in the order of the opinions, without the waived ones. */
export function summaryText(p: ProjectReview): string {
  const names = p.opinions.filter((o) => !o.waived).map((o) => o.item);
  return names.length ? names.join("、") : "审核通过";
}

export async function exportReviewXlsx(projects: ProjectReview[], checklist: Checklist, title = "绩效目标审核意见表"): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "jixiao";
  const ws = wb.addWorksheet("审核意见", {
    pageSetup: { paperSize: 9 as ExcelJS.PaperSize, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: "frozen", ySplit: 2 }],
  });
  const dims = checklist.dimensions;
  const head = ["序号", "项目编码", "项目名称", "申请单位", "本年度金额（万元）", ...dims.map((d) => `${d}审核意见`), "小结"];
  ws.columns = head.map((_, i) => ({ width: i === 0 ? 6 : i === 1 ? 24 : i === 2 ? 30 : i === 3 ? 24 : i === 4 ? 14 : i === head.length - 1 ? 30 : 48 }));
  ws.mergeCells(1, 1, 1, head.length);
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { name: "SimSun", size: 16, bold: true };
  t.alignment = { horizontal: "center", vertical: "middle" };
  ws.getRow(1).height = 28;
  const hr = ws.getRow(2);
  head.forEach((h, i) => {
    const c = hr.getCell(i + 1);
    c.value = h;
    c.font = { name: "SimSun", size: 11, bold: true };
    c.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    c.border = BORDER;
  });
  projects.forEach((p, k) => {
    const r = ws.getRow(k + 3);
    const values: (string | number | null)[] = [k + 1, p.code ?? "", p.name ?? "", p.unit ?? "", p.amount, ...dims.map((d) => dimensionText(p, d)), summaryText(p)];
    values.forEach((v, i) => {
      const c = r.getCell(i + 1);
      c.value = v;
      c.font = { name: "SimSun", size: 10.5 };
      c.alignment = { vertical: "top", horizontal: i === 0 || i === 4 ? "center" : "left", wrapText: true };
      c.border = BORDER;
      if (i === 4 && typeof v === "number") c.numFmt = "#,##0.00##";
    });
    const lines = Math.max(1, ...dims.map((d) => dimensionText(p, d).length / 24));
    r.height = Math.min(400, 15 * Math.ceil(lines));
  });
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
