// The deterministic drafter: the six sections of the 自评报告 (domain.md §5 B) written only from the
// verified table and the scorer's results. Where the data lacks something a reviewer expects (survey
// method, reasons), it leaves a visible 【请补充…】 marker instead of inventing it.
import type { Indicator, SelfEvalDoc } from "../domain/document.ts";
import type { Profile } from "../score/profile.ts";
import { scoreDocument } from "../score/index.ts";
import { fmt, pct, sub, within } from "../score/decimal.ts";
import { gradeOf } from "../score/profile.ts";
import { isPlaceholder } from "../domain/text.ts";
import { level1Group } from "../validate/context.ts";
import { vagueTarget } from "../validate/vague.ts";
import type { DraftSection } from "./checker.ts";

const num = (v: number | null, unit = "万元") => (v === null ? "【未填写】" : `${fmt(v, 6)}${unit}`);
const clean = (s: string | null) => (s ?? "").replace(/\s+/g, "").replace(/[。；;]+$/, "");

export const SECTION_HEADINGS = [
  "一、项目基本情况",
  "二、绩效评价工作情况",
  "三、综合评价情况及评价结论",
  "四、项目主要绩效情况分析",
  "五、存在的问题",
  "六、有关建议",
] as const;

export function templateDraft(doc: SelfEvalDoc, profile: Profile): DraftSection[] {
  const sc = scoreDocument(doc, profile);
  const t = doc.funds.total;
  const name = doc.name ?? "本项目";
  const lines = sc.lines.map((l) => ({ l, ind: doc.indicators[l.index]! }));
  const deducted = lines.filter(({ l }) => l.weight !== null && l.printed !== null && l.printed < l.weight - 0.005);
  const vague = doc.indicators.filter((i) => vagueTarget(i.target).vague);
  const s: DraftSection[] = [];

  // 一、项目基本情况
  const parts = (["fiscal", "carryover", "other"] as const)
    .map((k) => ({ k, v: doc.funds[k].adjusted }))
    .filter((x) => x.v !== null && x.v !== 0)
    .map((x) => `${{ fiscal: "当年财政拨款", carryover: "上年结转资金", other: "其他资金" }[x.k]}${num(x.v)}`);
  const rate = sc.execution.rate;
  const funds = [
    `${name}${doc.department ? `由${doc.department}主管` : ""}${doc.implementer ? `，${doc.implementer}实施` : ""}。`,
    `${doc.year ? `${doc.year}年度` : "本年度"}年初预算数${num(t.initial)}，全年预算数${num(t.adjusted)}${parts.length ? `（其中：${parts.join("，")}）` : ""}，全年执行数${num(t.executed)}，`,
    rate === null ? "全年预算数为零或未填写，预算执行率无法计算，需补正预算数据。" : `预算执行率${pct(rate)}。`,
  ].join("");
  const targets = doc.indicators.filter((i) => i.level3 || i.target).map((i) => `${clean(i.level3) || clean(i.level2)}：${clean(i.target) || "【指标值未填写】"}`);
  s.push({
    heading: SECTION_HEADINGS[0],
    text: [
      "（一）项目概况",
      funds,
      "（二）项目绩效目标",
      `年度总体目标：${clean(doc.goals.expected) || "【请补充年度总体目标】"}。`,
      targets.length ? `主要绩效指标：${targets.join("；")}。` : "",
      "（三）项目实施情况",
      doc.goals.actual && !isPlaceholder(doc.goals.actual) && clean(doc.goals.actual) !== "完成" ? `${clean(doc.goals.actual)}。` : "【请补充年度总体目标的实际完成情况，写明完成的具体工作和数量】",
    ].filter(Boolean).join("\n"),
  });

  // 二、绩效评价工作情况
  const sat = doc.indicators.filter((i) => level1Group(i.level1, i.level2) === "satisfaction");
  s.push({
    heading: SECTION_HEADINGS[1],
    text: [
      "（一）绩效评价目的",
      "通过自评，全面了解项目资金使用和绩效目标完成情况，发现项目管理中存在的问题，为改进管理、编制以后年度预算提供依据。",
      "（二）绩效评价工作过程",
      "对照预算批复时确定的绩效目标，逐项核对预算执行数据和各项指标的完成情况，按项目支出绩效自评表评分，形成自评报告。",
      sat.length ? `满意度指标（${sat.map((i) => clean(i.level3) || "服务对象满意度").join("、")}）的数据来源：【请补充调查方式、样本量和调查时间】。` : "",
    ].filter(Boolean).join("\n"),
  });

  // 三、综合评价情况及评价结论
  const printed = doc.total.score;
  const sumPrinted = sc.total.sumOfPrinted;
  const consistent = printed !== null && within(printed, sumPrinted, profile.tolerance.total);
  const total = consistent ? printed! : sumPrinted;
  const indSum = sub(sumPrinted, doc.funds.total.score ?? 0);
  s.push({
    heading: SECTION_HEADINGS[2],
    text: [
      consistent || printed === null
        ? `经自评，预算执行率得分${fmt(doc.funds.total.score ?? 0)}分，各项绩效指标得分合计${fmt(indSum)}分，自评总分${fmt(total)}分，评价等级为“${gradeOf(total, profile)}”。`
        : // The table contradicts itself: state both figures and claim neither as the result.
          `经核对，预算执行率得分${fmt(doc.funds.total.score ?? 0)}分与各项绩效指标得分合计${fmt(sumPrinted)}分，与自评表总分栏所填${fmt(printed!)}分不一致，需核对后确定自评总分和评价等级。`,
      "自评表附后。",
    ].join("\n"),
  });

  // 四、项目主要绩效情况分析
  const groupText = (label: string, g: ReturnType<typeof level1Group>[]) => {
    const items = doc.indicators.map((ind, i) => ({ ind, i })).filter(({ ind }) => g.includes(level1Group(ind.level1, ind.level2)));
    if (!items.length) return "";
    return `${label}：` + items.map(({ ind, i }) => indicatorSentence(ind, lines.find((x) => x.l.group.includes(i))?.l.index === i)).join("；") + "。";
  };
  s.push({
    heading: SECTION_HEADINGS[3],
    text: [groupText("1.产出指标完成情况", ["output", "cost"]), groupText("2.效益指标完成情况", ["benefit"]), groupText("3.满意度指标完成情况", ["satisfaction"])]
      .filter(Boolean)
      .join("\n"),
  });

  // 五、存在的问题
  const problems: string[] = [];
  for (const { l, ind } of deducted) {
    problems.push(`${clean(ind.level3) || clean(ind.level2)}得分${fmt(l.printed!)}分，扣${fmt(sub(l.weight!, l.printed!))}分，原因：${isPlaceholder(ind.deviation) ? "【请补充扣分原因】" : clean(ind.deviation)}`);
  }
  if (rate !== null && rate < 1) problems.push(`预算执行率${pct(rate)}，资金未全部支出，原因：【请补充】`);
  if (rate === null) problems.push("全年预算数为零或未填写，预算执行率无法计算");
  if (vague.length) problems.push(`部分绩效指标的指标值不够量化（如“${clean(vague[0]!.level3) || clean(vague[0]!.level2)}”的指标值为“${clean(vague[0]!.target)}”），难以客观衡量完成情况`);
  s.push({
    heading: SECTION_HEADINGS[4],
    text: problems.length ? problems.map((p, i) => `（${"一二三四五六七八九十"[i] ?? i + 1}）${p}。`).join("\n") : "本年度各项指标均按计划完成，未发现需要说明的问题。",
  });

  // 六、有关建议
  const advice: string[] = [];
  if (deducted.length) advice.push("针对扣分指标查找原因，制定整改措施，下一年度加强过程管理和跟踪");
  if (rate !== null && rate < 1) advice.push("加快预算执行进度，合理安排支出计划");
  if (vague.length) advice.push("下一年度设置绩效目标时，将指标值细化为“指标性质 + 数值 + 单位”的可衡量形式，并与预算金额相匹配");
  if (sat.length) advice.push("规范满意度调查，保留问卷和样本记录");
  advice.push("加强绩效运行监控，及时收集整理绩效佐证资料");
  s.push({ heading: SECTION_HEADINGS[5], text: advice.map((a, i) => `（${"一二三四五六七八九十"[i] ?? i + 1}）${a}。`).join("\n") });
  return s;
}

function indicatorSentence(ind: Indicator, carriesScore: boolean): string {
  const name = clean(ind.level3) || clean(ind.level2);
  const parts = [`${name}：指标值为${clean(ind.target) || "【未填写】"}，完成值为${clean(ind.actual) || "【未填写】"}`];
  if (carriesScore && ind.weight !== null) parts.push(`得分${ind.score === null ? "【未填写】" : fmt(ind.score)}分（分值${fmt(ind.weight)}分）`);
  if (!isPlaceholder(ind.deviation)) parts.push(`偏差原因：${clean(ind.deviation)}`);
  return parts.join("，");
}
