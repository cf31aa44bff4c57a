// The rules behind the checklist's items (templates.md §3), one function per rule id. Each looks at one
// 申报表 and says whether its item applies, with the evidence (cell text and place) and, where one
// exists, a concrete fix. Pure: a form in, judgements out.
import type { Provenance, Target, TargetFormDoc } from "../domain/document.ts";
import { squash, toHalfWidth } from "../domain/text.ts";
import { isPlaceholderText, level1Of, level2Of } from "../domain/vocabulary.ts";
import { hasDigit } from "../validate/vague.ts";
import { isMeasurable, suggestFormTarget } from "../suggest/index.ts";
import { countsIn, fmtWan, looksLikeYuan, moneyIn, near, productsIn, subsetSums } from "./money.ts";
import classificationData from "./classification.json" with { type: "json" };
import { z } from "zod";
import type { RuleId } from "./checklist.ts";

export interface Evidence {
  /** The cell text the judgement rests on ("" for a blank cell). */
  text: string;
  /** Where it sits, in the form's words ("产出/数量/会计凭证数量/目标值"). */
  where: string;
  /** Interchange path ("targets[3].value", "calc_basis"). */
  field: string;
  provenance: Provenance | null;
}

export interface Judgement {
  evidence: Evidence[];
  /** Values for the opinion's slots ({金额}, {原因} …); {证据} {位置} {建议} are filled from the evidence. */
  slots: Record<string, string>;
  suggestion: string | null;
}

export interface FormRow {
  i: number;
  t: Target;
  /** Canonical 一级/二级 (产出指标, 数量指标 …) from the printed names. */
  l1: string | null;
  l2: string | null;
  /** 不适用 / 无 / / in the name or the value. */
  placeholder: boolean;
  /** Nothing at all in name, value and explanation. */
  blank: boolean;
}

export interface Money {
  /** 本年度项目金额 as printed, and in 万元 after correcting a 元 amount under a 万元 label. */
  year: number | null;
  yearWan: number | null;
  total: number | null;
  /** The printed amounts are 元 under a 万元 label: the reference that shows it. */
  yuan: { reference: string; referenceWan: number } | null;
  costs: { row: FormRow; wan: number; cap: boolean; text: string }[];
  /** Sums named in 测算依据 (万元) and its products. */
  calc: number[];
  products: number[];
}

export interface ReviewForm {
  doc: TargetFormDoc;
  rows: FormRow[];
  money: Money;
}

const blankText = (s: string | null | undefined) => s === null || s === undefined || squash(s) === "";

export function rowPlace(r: FormRow, what?: string): string {
  const parts = [r.t.level1, r.t.level2, r.t.level3].filter((x): x is string => !!x && !blankText(x)).map((x) => squash(x));
  return `${parts.join("/") || `第 ${r.i + 1} 行`}${what ? `/${what}` : ""}`;
}

export function formOf(doc: TargetFormDoc): ReviewForm {
  const rows: FormRow[] = doc.targets.map((t, i) => {
    const l2 = level2Of(t.level2);
    const l1 = level1Of(t.level1) ?? l2?.level1 ?? null;
    const placeholder = isPlaceholderText(t.level3) || isPlaceholderText(t.value);
    return { i, t, l1, l2: l2?.canonical ?? null, placeholder, blank: blankText(t.level3) && blankText(t.value) && blankText(t.description) };
  });
  return { doc, rows, money: moneyOf(doc, rows) };
}

const COST_L2 = new Set(["成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"]);
const isCost = (r: FormRow) => (r.l2 !== null && COST_L2.has(r.l2)) || r.l1 === "成本指标";
const CAP = /[≤<]|不超过|不高于|以内|以下|控制在|小于|低于|最多/;

function moneyOf(doc: TargetFormDoc, rows: FormRow[]): Money {
  const costs: Money["costs"] = [];
  for (const r of rows) {
    if (!isCost(r) || r.placeholder) continue;
    for (const m of moneyIn(r.t.value)) costs.push({ row: r, wan: m.wan, cap: CAP.test(toHalfWidth(r.t.value ?? "")), text: r.t.value ?? "" });
  }
  const calc = moneyIn(doc.calc_basis).map((m) => m.wan);
  const products = productsIn(doc.calc_basis);
  const inWan = (doc.unit ?? "万元") === "万元";
  const year = doc.funds_year;
  let yuan: Money["yuan"] = null;
  const printed = year ?? doc.funds_total;
  if (inWan && printed !== null && printed > 0) {
    const refs: [string, number][] = [
      ...costs.map((c): [string, number] => [`成本指标“${squash(c.text)}”`, c.wan]),
      ...calc.map((w): [string, number] => [`测算依据中的${fmtWan(w)}`, w]),
    ];
    // Itemised 测算依据: the sum of its items is the amount it argues for.
    if (calc.length >= 2) refs.push([`测算依据各项合计${fmtWan(calc.reduce((a, b) => a + b, 0))}`, calc.reduce((a, b) => a + b, 0)]);
    const ref = refs.find(([, w]) => looksLikeYuan(printed, w));
    if (ref && !refs.some(([, w]) => near(printed, w, 0.5))) yuan = { reference: ref[0], referenceWan: ref[1] };
  }
  const yearWan = year === null ? null : yuan ? year / 1e4 : inWan ? year : (doc.unit === "元" ? year / 1e4 : year);
  return { year, yearWan, total: doc.funds_total, yuan, costs, calc, products };
}

const ev = (text: string | null | undefined, where: string, field: string, provenance: Provenance | null | undefined): Evidence => ({
  text: text ?? "",
  where,
  field,
  provenance: provenance ?? null,
});

type Rule = (f: ReviewForm, params: Record<string, string | number>) => Judgement | null;

// --- 政策依据 / 测算依据 / 年度目标 -----------------------------------------------------------------

/** A document cited: 《title》, or a 文号 such as 〔2021〕12号 / [2021]12号 / 第12号令. */
const CITES = /《[^》]{2,}》|[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号|\d{4}\s*年?\s*第\s*\d+\s*号|令第\s*\d+\s*号/;

const policyBasis: Rule = (f) => {
  const v = f.doc.policy_basis;
  if (!blankText(v) && CITES.test(toHalfWidth(v!))) return null;
  return { evidence: [ev(v, "政策依据", "policy_basis", f.doc.provenance.policy_basis)], slots: {}, suggestion: "列明《文件名称》及文号，如“《中华人民共和国预算法》、《XX市XX管理办法》（X府〔2021〕12号）”" };
};

const calcBasis: Rule = (f) => {
  const v = f.doc.calc_basis;
  const m = f.money;
  const amount = m.yearWan;
  const reaches = (x: number) => amount === null || amount === 0 || near(x, amount);
  if (!blankText(v)) {
    // A computation that reaches the amount: a product ("2万×3"), a standard times a count ("9.3万元，
    // 预计1人"; a monthly fee × 12), or items that add up to it.
    if (m.products.length && m.products.some(reaches)) return null;
    const counts = countsIn(v);
    const monthly = /每月|月均|按月|\/月/.test(v!);
    const rated = m.calc.flatMap((w) => [...counts.map((n) => w * n), ...(monthly ? [w * 12] : [])]);
    const cited = /标准|单价|每人|每月|每年|每次|\/人|\/月|\/年|\/次/.test(v!);
    if (cited && rated.some((x) => amount !== null && amount > 0 && near(x, amount, 0.02))) return null;
    const target = amount !== null && amount > 0 ? amount : m.calc.length ? Math.max(...m.calc) : null;
    if (target !== null && subsetSums(m.calc.filter((x) => !near(x, target, 0.001) || m.calc.length <= 2), target)) return null;
  }
  const target = amount !== null && amount > 0 ? fmtWan(amount) : "本年度项目金额";
  return {
    evidence: [ev(v, "测算依据", "calc_basis", f.doc.provenance.calc_basis)],
    slots: {},
    suggestion: `服务费：12个月 × 2.5万元/月 = 30万元；耗材：100件 × 0.05万元/件 = 5万元；合计 35万元（应等于${target}）`,
  };
};

const annualGoalMissing: Rule = (f) => (blankText(f.doc.annual_goal) ? { evidence: [ev(null, "年度目标", "annual_goal", f.doc.provenance.annual_goal)], slots: {}, suggestion: null } : null);

/**
 * An output or effect stated in numbers: digits that are not a year, a date, a list number, a document's
 * title or 文号, a sum of money (an input, not a result) or the pace of spending.
 */
function quantified(text: string): boolean {
  const clauses = toHalfWidth(text)
    .replace(/《[^》]*》|<[^>]*>/g, "")
    .replace(/[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号/g, "")
    .replace(/\d{4}\s*[-—~至到.]\s*\d{1,4}\s*年?/g, "")
    .replace(/\d{4}\s*年度?/g, "")
    .replace(/\d{1,2}\s*月(\s*\d{1,2}\s*日)?(底|末|初|中旬|上旬|下旬)?(前|之前|以前)?/g, "")
    .replace(/(^|[\n；;。，,])\s*[(（]?\d{1,2}[)）]?\s*[、.．]/g, "$1")
    .split(/[；;。，,\n]/);
  let spending = false;
  return clauses.some((c) => {
    const t = squash(c);
    // A clause with no subject of its own ("达到98%") continues the one before it.
    const subjectless = /^(达到|达|为|完成|实现)?\d+(\.\d+)?%$/.test(t);
    spending = subjectless ? spending : /支出|支付|拨付|执行率|资金|经费|预算/.test(t);
    if (spending) return false;
    const rest = t.replace(/\d+(?:,\d{3})*(?:\.\d+)?(亿元|万元|元|亿|万)/g, "");
    // Arabic figures, or Chinese numerals above one with a measure word ("一个新台阶" is an idiom).
    return /\d/.test(rest) || /[二两三四五六七八九十百千]+(个|人|场|次|件|户|项|名|家|所|期|份|批|台|套|万)/.test(rest);
  });
}

const annualGoalVague: Rule = (f) => {
  const v = f.doc.annual_goal;
  if (blankText(v) || quantified(v!)) return null;
  const firstCost = f.money.costs[0];
  const firstQty = f.rows.find((r) => r.l2 === "数量指标" && !r.placeholder && isMeasurable(r.t.value ?? ""));
  const hint = firstQty ? `${squash(firstQty.t.level3 ?? "")}${squash(firstQty.t.value ?? "")}` : "完成XX服务不少于N次";
  return {
    evidence: [ev(v, "年度目标", "annual_goal", f.doc.provenance.annual_goal)],
    slots: {},
    suggestion: `${hint}；${firstCost ? `总成本控制在${fmtWan(firstCost.wan)}以内；` : ""}服务对象满意度≥90%`,
  };
};

// --- the indicator table -------------------------------------------------------------------------

const real = (r: FormRow) => !r.placeholder && !r.blank;

const targetTableEmpty: Rule = (f) => {
  if (f.rows.some(real)) return null;
  const n = f.rows.length;
  return { evidence: [ev(n ? `${n} 行全部为空或“不适用”` : "没有指标行", "绩效指标", "targets", f.doc.provenance.tables[0])], slots: {}, suggestion: null };
};

const DIMENSION_WORDS: Record<string, (r: FormRow) => boolean> = {
  成本指标: isCost,
};

const dimensionMissing: Rule = (f, params) => {
  const dim = String(params.level2 ?? "");
  const inDim = DIMENSION_WORDS[dim] ?? ((r: FormRow) => r.l2 === dim);
  const rows = f.rows.filter(inDim);
  if (rows.some(real)) return null;
  const shown = rows.length
    ? rows.map((r) => ev(r.t.value ?? r.t.level3, rowPlace(r), `targets[${r.i}].value`, f.doc.provenance.targets[r.i]?.value ?? f.doc.provenance.targets[r.i]?.level2))
    : [ev(`表中没有${dim}`, dim, "targets", f.doc.provenance.tables[0])];
  return { evidence: shown, slots: { 维度: dim }, suggestion: null };
};

const rowBlank: Rule = (f) => {
  const rows = f.rows.filter((r) => r.blank);
  if (!rows.length) return null;
  return { evidence: rows.map((r) => ev("", rowPlace(r), `targets[${r.i}]`, f.doc.provenance.targets[r.i]?.level2 ?? f.doc.provenance.targets[r.i]?.level1)), slots: {}, suggestion: null };
};

const valueMissing: Rule = (f) => {
  const rows = f.rows.filter((r) => !blankText(r.t.level3) && !r.placeholder && blankText(r.t.value));
  if (!rows.length) return null;
  return { evidence: rows.map((r) => ev(r.t.level3, rowPlace(r, "目标值"), `targets[${r.i}].value`, f.doc.provenance.targets[r.i]?.level3)), slots: {}, suggestion: null };
};

/** Words that only join a name to its value in an explanation ("会计凭证数量大于50本", "该指标主要考察…是否…"). */
const FILLER = /该指标|本指标|本项目|主要|考察|考核|是否|标准|大于|小于|不少于|不低于|不超过|不高于|超过|达到|高于|低于|控制在|以内|以上|以下|之内|范围内|等于|在|为|的|于|是|完成|得到|实现|≥|≤|≧|≦|>|<|=|[,，。;；:：、\s/]/g;

/** Words that make an explanation real: how the value is computed or where it comes from. */
const EXPLAINS = /根据|依据|按照|计算|公式|=|＝|来源|统计|为准|口径|取值|是指|指的是|包括|含|抽查|调查|问卷|测评|验收|考评/;

/** The explanation says nothing beyond the name and the value: at most 3 of its characters are new. */
function repeatsNameAndValue(r: FormRow): boolean {
  if (EXPLAINS.test(r.t.description!)) return false;
  const known = new Set(squash(toHalfWidth([r.t.level3, r.t.value, r.t.level2].filter(Boolean).join(""))));
  const rest = squash(toHalfWidth(r.t.description!)).replace(FILLER, "");
  return [...rest].filter((ch) => !known.has(ch)).length <= 3;
}

const descriptionMissing: Rule = (f) => {
  const rows = f.rows.filter((r) => {
    if (!real(r) || blankText(r.t.level3)) return false;
    return blankText(r.t.description) || repeatsNameAndValue(r);
  });
  if (!rows.length) return null;
  return { evidence: rows.map((r) => ev(r.t.description, rowPlace(r, "指标解释"), `targets[${r.i}].description`, f.doc.provenance.targets[r.i]?.description)), slots: {}, suggestion: null };
};

/** A sentence starts with a verb; a metric name ends with what it measures. */
const VERB_START = /^(完成|开展|提高|提升|保障|推进|加强|做好|确保|实现|有助于|组织|促进|落实|维护|改善|建立|健全|完善|按照|根据|通过|加快|满足|配合|协助|做到|进行|实行|推动|保证|按时|及时|增加|减少|降低|扩大|推广|提供|增强|防止|解决)/;
const METRIC_END = /(程度|率|度|性|数|量|次数|人数|面积|长度|时间|天数|时长|金额|成本|费用|个数|场次|指数|情况|水平|效果|质量|规模)$/;
const QUANTITY = /\d+(?:\.\d+)?\s*(个|次|场|人|名|户|件|项|%|万元|元|平方米|公里|米|亩|天|小时|份|套|台|株|篇|宗|处)/;

const nameTooLong: Rule = (f) => {
  const rows = f.rows.filter((r) => {
    const n = squash(toHalfWidth(r.t.level3 ?? ""));
    if (!real(r) || n.length < 15) return false;
    const punctuated = /[,，。;；]/.test(n);
    const sentence = VERB_START.test(n) || QUANTITY.test(n) || punctuated;
    return sentence && !(METRIC_END.test(n) && !VERB_START.test(n) && !QUANTITY.test(n) && !punctuated);
  });
  if (!rows.length) return null;
  return { evidence: rows.map((r) => ev(r.t.level3, rowPlace(r), `targets[${r.i}].level3`, f.doc.provenance.targets[r.i]?.level3)), slots: {}, suggestion: null };
};

const unitMissing: Rule = (f) => {
  const rows = f.rows.filter((r) => {
    if (!real(r) || blankText(r.t.value)) return false;
    const v = squash(toHalfWidth(r.t.value!)).replace(/^[≥≤<>=]+/, "");
    return /^\d+(\.\d+)?$/.test(v) && (r.t.parts?.unit ?? null) === null;
  });
  if (!rows.length) return null;
  return {
    evidence: rows.map((r) => ev(r.t.value, rowPlace(r, "目标值"), `targets[${r.i}].value`, f.doc.provenance.targets[r.i]?.value)),
    slots: {},
    suggestion: `请在数值后写明单位，如“${squash(rows[0]!.t.value!)}个”“${squash(rows[0]!.t.value!)}%”`,
  };
};

const TIME_L2 = "时效指标";
const DATE = /\d{4}\s*年|\d{1,2}\s*月|(\d+|[一二两三四五六七八九十百半]+)\s*(个)?(工作)?(日|天|小时|分钟|周|个月|月|年)(内|以内|之内|前|之前)?|\d{4}[-/.]\d{1,2}|月底|年底|季度|上半年|下半年|每年|每月|每季/;

/** A defined grade: 一级/二级, 优/良/中/差, A级, 甲级 … */
const GRADE = /^(一|二|三|四|五|甲|乙|丙|[A-E])(级|等)$|^(优|良|中|差|优秀|良好|合格|不合格)$/;

const notQuantifiable: Rule = (f) => {
  const rows = f.rows.filter((r) => {
    if (!real(r) || r.l2 === TIME_L2 || blankText(r.t.value)) return false;
    const v = squash(toHalfWidth(r.t.value!));
    if (hasDigit(v) || /^\d/.test(v)) return false;
    if (/^(一|二|三|四|五|甲|乙|丙|[A-E])(级|等)/.test(v) || (GRADE.test(v) && !/^(良好|合格)$/.test(v))) return false;
    // A grade word defined by score bands in the explanation ("明显：90分以上") counts as a grade.
    if (r.t.description && /\d+\s*(分|%)/.test(toHalfWidth(r.t.description)) && /以上|以下|至|-|~/.test(r.t.description)) return false;
    return true;
  });
  if (!rows.length) return null;
  const s = suggestFormTarget(f.doc, rows[0]!.i);
  return {
    evidence: rows.map((r) => ev(r.t.value, rowPlace(r, "目标值"), `targets[${r.i}].value`, f.doc.provenance.targets[r.i]?.value)),
    slots: {},
    suggestion: s?.text ?? "≥95%（以验收合格率计）",
  };
};

const timeLimit: Rule = (f) => {
  const rows = f.rows.filter((r) => {
    if (r.l2 !== TIME_L2 || !real(r) || blankText(r.t.value)) return false;
    const v = toHalfWidth(r.t.value!);
    if (DATE.test(v)) return false;
    // A rate with its time base ("及时率≥95%（30日内）") is a deadline too; a bare % is not.
    return !(/%/.test(v) && DATE.test(r.t.description ?? ""));
  });
  if (!rows.length) return null;
  const year = new Date().getFullYear();
  return {
    evidence: rows.map((r) => ev(r.t.value, rowPlace(r, "目标值"), `targets[${r.i}].value`, f.doc.provenance.targets[r.i]?.value)),
    slots: {},
    suggestion: `${year}年12月31日前完成；或 按时完成率=100%（每季度末前）`,
  };
};

const ClassificationSchema = z.object({
  rules: z.array(
    z.object({
      under: z.array(z.string()),
      valueKind: z.enum(["percent", "money", "time"]).optional(),
      nameHas: z.array(z.string()).optional(),
      nameLacks: z.array(z.string()).optional(),
      should: z.string(),
    }),
  ),
});
const CLASSIFICATION = ClassificationSchema.parse(classificationData);

function valueKind(v: string | null): "percent" | "money" | "time" | null {
  if (!v) return null;
  const t = squash(toHalfWidth(v));
  if (/%|％/.test(t) && /\d/.test(t)) return "percent";
  if (moneyIn(t).length) return "money";
  if (!/\d/.test(t) && /^(及时|按时|按期|准时|适时|出具及时|及时完成|按时完成)$/.test(t)) return "time";
  return null;
}

const misclassified: Rule = (f) => {
  const hits: { r: FormRow; should: string }[] = [];
  for (const r of f.rows) {
    if (!real(r) || r.l2 === null) continue;
    const name = squash(r.t.level3 ?? "");
    const kind = valueKind(r.t.value);
    const rule = CLASSIFICATION.rules.find(
      (c) =>
        c.under.includes(r.l2!) &&
        (!c.valueKind || c.valueKind === kind) &&
        (!c.nameHas || c.nameHas.some((w) => name.includes(w))) &&
        (!c.nameLacks || !c.nameLacks.some((w) => name.includes(w))) &&
        (c.valueKind || c.nameHas || c.nameLacks),
    );
    if (rule) hits.push({ r, should: rule.should });
  }
  if (!hits.length) return null;
  return {
    evidence: hits.map(({ r }) => ev(`${squash(r.t.level3 ?? "")}${r.t.value ? `：${squash(r.t.value)}` : ""}`, rowPlace(r), `targets[${r.i}].level3`, f.doc.provenance.targets[r.i]?.level3)),
    slots: { 应归入: hits[0]!.should, 位置: hits[0]!.r.t.level2 ?? "" },
    suggestion: `移到${hits[0]!.should}`,
  };
};

// --- money ----------------------------------------------------------------------------------------

const amountMissing: Rule = (f) => {
  const y = f.doc.funds_year;
  if (y !== null && y !== 0) return null;
  const basis = f.money.calc.length ? `测算依据列有${fmtWan(Math.max(...f.money.calc))}` : f.money.costs.length ? `成本指标为“${squash(f.money.costs[0]!.text)}”` : null;
  if (!basis) return null;
  return { evidence: [ev(y === null ? "" : String(y), "本年度项目金额", "funds_year", f.doc.provenance.funds_year)], slots: { 金额: y === null ? "空白" : "0", 依据: basis }, suggestion: null };
};

const amountUnit: Rule = (f) => {
  const u = f.money.yuan;
  if (!u) return null;
  const printed = f.doc.funds_year ?? f.doc.funds_total!;
  return {
    evidence: [ev(String(printed), f.doc.funds_year !== null ? "本年度项目金额（万元）" : "项目总金额（万元）", f.doc.funds_year !== null ? "funds_year" : "funds_total", f.doc.funds_year !== null ? f.doc.provenance.funds_year : f.doc.provenance.funds_total)],
    slots: { 金额: String(printed), 依据: u.reference },
    suggestion: `本年度项目金额改为 ${Number((printed / 1e4).toFixed(4))}（万元）${f.doc.funds_total ? `，项目总金额改为 ${Number((f.doc.funds_total / 1e4).toFixed(4))}（万元）` : ""}`,
  };
};

const totalBelowYear: Rule = (f) => {
  const t = f.doc.funds_total;
  const y = f.doc.funds_year;
  if (t === null || y === null || t <= 0 || y <= 0 || t >= y) return null;
  return { evidence: [ev(String(t), "项目总金额", "funds_total", f.doc.provenance.funds_total), ev(String(y), "本年度项目金额", "funds_year", f.doc.provenance.funds_year)], slots: { 总金额: String(t), 本年度金额: String(y) }, suggestion: null };
};

const fundsMismatch: Rule = (f) => {
  const amount = f.money.yearWan;
  if (amount === null || amount <= 0) return null;
  const over = f.money.costs.filter((c) => c.wan > amount * 1.01);
  if (over.length) {
    const c = over[0]!;
    return {
      evidence: over.map((x) => ev(x.text, rowPlace(x.row, "目标值"), `targets[${x.row.i}].value`, f.doc.provenance.targets[x.row.i]?.value)),
      slots: { 原因: `成本指标“${squash(c.text)}”（${fmtWan(c.wan)}）高于本年度项目金额（${fmtWan(amount)}），` },
      suggestion: `成本指标不超过本年度项目金额 ${fmtWan(amount)}（多年项目写本年度部分）`,
    };
  }
  const costs = f.money.costs;
  const largest = costs.length ? Math.max(...costs.map((c) => c.wan)) : null;
  if (largest !== null && largest < amount * 0.1) {
    const c = costs.find((x) => x.wan === largest)!;
    return {
      evidence: costs.map((x) => ev(x.text, rowPlace(x.row, "目标值"), `targets[${x.row.i}].value`, f.doc.provenance.targets[x.row.i]?.value)),
      slots: { 原因: `成本指标“${squash(c.text)}”（${fmtWan(largest)}）远低于本年度项目金额（${fmtWan(amount)}），` },
      suggestion: `成本指标写明本年度全部支出的总成本（${fmtWan(amount)}）或各项单位成本`,
    };
  }
  return null;
};

export const RULE_FUNCTIONS: Record<RuleId, Rule> = {
  policyBasis,
  calcBasis,
  annualGoalMissing,
  annualGoalVague,
  targetTableEmpty,
  dimensionMissing,
  rowBlank,
  valueMissing,
  descriptionMissing,
  nameTooLong,
  unitMissing,
  notQuantifiable,
  timeLimit,
  misclassified,
  fundsMismatch,
  amountMissing,
  amountUnit,
  totalBelowYear,
};

