// The 项目支出绩效自评表's rows and columns as the official template names them (domain.md §2.1): one
// definition for the exporters, the web table, the edit paths, the checks and the drafter.
import type { FundColKey, FundRowKey } from "./document.ts";

/** Funds rows: the label in messages, and as printed in the form (其中：… for the first source row). */
export const FUND_ROW_LABELS: Record<FundRowKey, { name: string; printed: string }> = {
  total: { name: "年度资金总额", printed: "年度资金总额" },
  fiscal: { name: "当年财政拨款", printed: "其中：当年财政拨款" },
  carryover: { name: "上年结转资金", printed: "上年结转资金" },
  other: { name: "其他资金", printed: "其他资金" },
};

export const FUND_ROW_ORDER: FundRowKey[] = ["total", "fiscal", "carryover", "other"];
export const SOURCE_ROWS: Exclude<FundRowKey, "total">[] = ["fiscal", "carryover", "other"];

export type CellKind = "text" | "number" | "integer";

/** Funds columns: label and the type a cell holds (执行率 is kept as printed text). */
export const FUND_COL_LABELS: Record<FundColKey, { name: string; kind: CellKind }> = {
  initial: { name: "年初预算数", kind: "number" },
  adjusted: { name: "全年预算数", kind: "number" },
  executed: { name: "全年执行数", kind: "number" },
  weight: { name: "分值", kind: "number" },
  rate: { name: "执行率", kind: "text" },
  score: { name: "得分", kind: "number" },
};

export type IndicatorColumn = "level1" | "level2" | "level3" | "target" | "actual" | "weight" | "score" | "deviation";

/** Indicator columns in the template's order. */
export const INDICATOR_COLUMNS: Record<IndicatorColumn, { name: string; kind: CellKind }> = {
  level1: { name: "一级指标", kind: "text" },
  level2: { name: "二级指标", kind: "text" },
  level3: { name: "三级指标", kind: "text" },
  target: { name: "年度指标值", kind: "text" },
  actual: { name: "实际完成值", kind: "text" },
  weight: { name: "分值", kind: "number" },
  score: { name: "得分", kind: "number" },
  deviation: { name: "偏差原因分析及改进措施", kind: "text" },
};
