// Where a measurable 指标值 can come from, one function per source, each returning candidates best first.
// The order in which index.ts asks them is the order of trust (domain.md §3.2 取值依据): the indicator's own
// words, the document's plans, last year's results, this year's result, then the library.
import type { SelfEvalDoc } from "../domain/document.ts";
import { LIBRARY, entriesFor, normalizeCategory, type Category, type LibraryEntry } from "./library.ts";
import { VAGUE } from "../validate/vague.ts";
import { findMentions, nameUnitHint, normText, type Mention, type Op, type UnitKind } from "./mentions.ts";

/** The indicator being rewritten. */
export interface Subject {
  category: Category | null;
  /** 三级指标 ("" when blank). */
  name: string;
  /** The vague 指标值. */
  target: string;
  actual: string | null;
  /** 申报表 描述 column. */
  description: string | null;
}

/** What the document around the indicator offers. */
export interface Setting {
  projectName: string;
  year: number | null;
  /** Deadline for 时效, e.g. "2023年12月31日"; `deadlineFrom` says where it came from. */
  deadline: string;
  deadlineFrom: string | null;
  /** The project's own money with the table's unit, never invented. */
  budget: { amount: number; label: string; unit: string } | null;
  /** Plans and report text, in order of trust. */
  texts: { label: string; text: string }[];
  /** Values ("5场", "95%") that other indicators of the same document already use as targets or names. */
  usedValues: Set<string>;
  history: SelfEvalDoc[];
  /** Position of the subject among the document's indicators. */
  index: number;
  /** The document's other vague indicators, which compete for the same plan figures. */
  rivals: { subject: Subject; index: number }[];
}

export interface Candidate {
  text: string;
  source: "document" | "library";
  basis: string;
}

const T = LIBRARY.text;

// Which kinds of number fit which category (domain.md §3.4): 质量/满意度 are rates, 成本 is money, 时效 a date
// or a rate with a time base; money is never an output (INPUT_AS_OUTPUT).
const KINDS: Record<Category, UnitKind[]> = {
  数量: ["count"],
  质量: ["percent"],
  时效: ["date", "duration", "percent"],
  成本: ["money"],
  经济效益: ["money", "percent", "count"],
  社会效益: ["percent", "count"],
  生态效益: ["percent", "count", "area"],
  可持续影响: ["count", "percent"],
  满意度: ["percent"],
};
// 场次 and 场 count the same thing (人次 and 人 do not).
const UNIT_EQUIV: Record<string, string> = { 场次: "场", 批次: "批" };
const sameUnit = (u: string) => UNIT_EQUIV[u] ?? u;

const BENEFITS: Category[] = ["经济效益", "社会效益", "生态效益", "可持续影响"];
const TIME_WORDS = /及时|按时|按期|准时|时限|日内|天内|工作日/;
const ECON_MONEY_WORDS = /节约|节省|收入|增收|产值|挽回|效益/;

/** Does mention `m` fit the subject's category and what its name asks for? */
export function fits(m: Mention, s: Subject, setting: Setting, context: string): boolean {
  const hint = nameUnitHint(s.name);
  const kinds = hint ? [hint.kind] : s.category ? KINDS[s.category] : (["percent", "count"] as UnitKind[]);
  if (!kinds.includes(m.kind)) return false;
  if (hint?.unit && sameUnit(m.unit) !== sameUnit(hint.unit)) return false;
  if (m.kind === "money" && s.category !== "成本" && !ECON_MONEY_WORDS.test(context)) return false;
  // 成本 must not exceed the project's own budget (domain.md §3.4 COST_BUDGET_MISMATCH).
  if (m.kind === "money" && setting.budget && inWan(m.num, m.unit) > inWan(setting.budget.amount, setting.budget.unit) + 1e-9) return false;
  if (s.category === "时效" && m.kind === "percent" && !TIME_WORDS.test(context)) return false;
  if (s.category === "满意度" && !/满意/.test(context)) return false;
  // A rate of quality, timeliness or satisfaction cannot exceed 100% (a growth figure can).
  if (m.kind === "percent" && m.unit === "%" && m.num > 100 && s.category && ["质量", "时效", "满意度"].includes(s.category)) return false;
  return true;
}

const WAN: Record<string, number> = { 元: 1e-4, 万元: 1, 亿元: 1e4 };
function inWan(n: number, unit: string): number {
  return n * (WAN[unit] ?? 1);
}

function isNegative(context: string): boolean {
  return T.negativeWords.some((w) => context.includes(w));
}

/** "≥5场", "=100%", "≤6万元", "2023年6月30日前完成". */
export function renderMention(m: Mention, s: Subject, setting: Setting, context: string): string {
  if (m.kind === "date") {
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(m.value);
    const date = iso
      ? `${iso[1]}年${Number(iso[2])}月${Number(iso[3])}日`
      : /年/.test(m.value) || !setting.year ? m.value : `${setting.year}年${m.value}`;
    return `${date}前完成`;
  }
  if (m.kind === "duration") return `≤${m.value}${m.unit}`;
  let op: Op = m.op ?? (s.category === "成本" || isNegative(context) ? "≤" : "≥");
  if (m.kind === "percent" && m.num === 100 && m.unit === "%") op = "=";
  if (m.num === 0) op = "=";
  return `${op}${m.value}${m.unit}`;
}

// ---------------------------------------------------------------------------------------------------------
// Text similarity: Chinese has no spaces, so "about the same thing" = shared character bigrams after dropping
// the vague words and words every sentence of this genre contains.

// The vague words themselves say nothing about the topic (满意 stays: it is what a 满意度 row is about).
const DROP = [...T.genericWords, ...VAGUE.lexicon.filter((w) => w.length >= 2 && w !== "满意")].sort((a, b) => b.length - a.length);

function segments(text: string, drop: string[]): string[] {
  let t = normText(text);
  for (const w of drop) t = t.split(w).join("|");
  return t.split(/[^\u4e00-\u9fff]+/).filter((x) => x.length >= 2);
}

export function bigrams(text: string, drop: string[] = DROP): Set<string> {
  const out = new Set<string>();
  for (const seg of segments(text, drop)) for (let i = 0; i + 2 <= seg.length; i++) out.add(seg.slice(i, i + 2));
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/** Dice coefficient on raw bigrams (for matching last year's indicator names). */
export function similarity(a: string, b: string): number {
  const A = bigrams(a, []);
  const B = bigrams(b, []);
  if (A.size === 0 || B.size === 0) return 0;
  return (2 * overlap(A, B)) / (A.size + B.size);
}

function topicText(s: Subject): string {
  return [s.name, s.target, s.description ?? ""].join("，");
}

/** Trailing noun phrase before a number, for a label: "实现社区戒毒康复人员管控率95%" → "社区戒毒康复人员管控率". */
function labelFor(m: Mention): string | null {
  const before = m.clause.slice(0, m.clauseStart);
  const after = m.clause.slice(m.clauseStart + (m.end - m.start)).replace(/^(以上|及以上|以下|以内|左右)/, "");
  if (m.kind === "percent") {
    const r = /([\u4e00-\u9fff]{2,14}?(率|度|比例|占比))(达到|达|为|保持在?|不低于|不少于|控制在)?$/.exec(before);
    if (!r) return null;
    return r[1]!.replace(/^(实现|确保|保证|保持|达到|力争|使|将|对|其中|并|且|加强|提高|提升)+/, "").replace(/^的/, "") || null;
  }
  if (m.kind === "count") {
    const verb = /(开展|组织|举办|召开|完成|化解|调处|培训|发放|检测|监测|走访|建设|建立|采购|购买|购置|服务|宣传|救助|帮扶|慰问|排查|整治|处置|接收|安置|配备|招聘|拍摄|制作|印发|张贴|悬挂)$/.exec(before)?.[1];
    const noun = /^[\u4e00-\u9fff]{1,6}$/.test(after) ? after : null;
    if (verb && noun) return verb + noun;
    if (noun && before === "") return noun;
    const tail = /[\u4e00-\u9fff]{2,8}$/.exec(before)?.[0];
    const t = !noun && tail ? tail.replace(/^(年内|全年|共|累计|其中|并|对)/, "") : "";
    return t.length >= 2 && !/[的了和及与]$/.test(t) ? t : null;
  }
  return null;
}

const METRIC_NAME = /(率|满意度|知晓度|度|个数|人数|次数|件数|户数|数量|场次|人次|时间|时限|年限|成本|费用|金额)$/;

// "提高资金使用效率" is an aim, not a metric, even though it ends in 率.
const SENTENCE_START = /^(提高|提升|加强|做好|维护|确保|实现|持续|保障|推动|促进|对|帮助|开展|完成|增强|按照|有效)/;

/** A 三级指标 that already names a metric ("项目完成率", "社区戒毒康复工作站个数"), as opposed to a sentence. */
export function isMetricName(name: string): boolean {
  const t = normText(name).replace(/[。.]+$/, "");
  return t.length >= 2 && t.length <= 16 && !/[，,。；;、]/.test(t) && !SENTENCE_START.test(t) && METRIC_NAME.test(t);
}

/** Prefix the metric unless the 三级指标 already names it or a metric of the same kind ("社区治理满意度" for 群众满意度). */
function withMetric(metric: string | null, value: string, s: Subject): string {
  if (metric == null) return value;
  const name = normText(s.name).replace(/[。.]+$/, "");
  if (name.includes(normText(metric))) return value;
  if (isMetricName(name) && name.slice(-2) === normText(metric).slice(-2)) return value;
  return metric + value;
}

/** Quotes document text verbatim (whitespace squashed, final 。 dropped) for a basis. */
const q = (text: string) => `“${text.replace(/[\s\u00A0\u3000]+/g, "").replace(/[。.]+$/, "")}”`;

// ---------------------------------------------------------------------------------------------------------
// 1. The indicator's own 三级指标 name ("全年预计化解矛盾纠纷2500件" → "≥2500件").

export function fromName(s: Subject, setting: Setting): Candidate[] {
  const out: Candidate[] = [];
  for (const m of findMentions(s.name)) {
    const ctx = m.clause;
    if (!fits(m, s, setting, normText(s.name))) continue;
    out.push({ text: renderMention(m, s, setting, ctx), source: "document", basis: `取自三级指标${q(s.name)}中的“${m.clause.slice(m.clauseStart, m.clauseStart + m.end - m.start)}”` });
  }
  // 申报表: the 描述 column belongs to the indicator too.
  if (s.description) {
    for (const m of findMentions(s.description)) {
      if (!fits(m, s, setting, m.clause + s.name)) continue;
      out.push({ text: renderMention(m, s, setting, m.clause), source: "document", basis: `取自本指标描述${q(m.clause)}` });
    }
  }
  return out;
}

// 1b. The vague target's own words, when they do carry a quantity: "全部管控到位" = 管控率 100%;
// "项目完成率 / 完成" = 100%.

export function fromOwnWords(s: Subject): Candidate[] {
  const out: Candidate[] = [];
  const name = normText(s.name).replace(/[。.]+$/, "");
  const target = normText(s.target).replace(/[。.]+$/, "");
  if (isMetricName(name) && T.rateCompletionNames.some((r) => name.endsWith(r)) && T.completionWords.includes(target)) {
    out.push({ text: "=100%", source: "document", basis: `三级指标${q(name)}是比率指标，原指标值${q(target)}即全部${target.replace(/^(已|全部|按时)/, "")}，量化为=100%` });
  }
  if (s.category !== "满意度" && s.category !== "成本") {
    const word = T.coverageWords.find((w) => target.includes(w));
    if (word) {
      const verb = T.coverageVerbs.find((v) => target.includes(v.word)) ?? T.coverageVerbs.find((v) => name.includes(v.word));
      if (verb) {
        out.push({ text: withMetric(verb.metric, "=100%", s), source: "document", basis: `原指标值${q(target)}含“${word}”，即应${verb.word}对象全部覆盖，量化为${verb.metric}=100%` });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// 3. The document's plans and report: a number whose clause talks about the same thing as the indicator.
// Each number goes to the one vague indicator it fits best, so one plan figure is not proposed twice.

/** How well mention `m` (from the plans/report) fits subject `s`: the shared-bigram score, or null when it does not fit. */
function docScore(s: Subject, m: Mention, setting: Setting): number | null {
  const topic = bigrams(topicText(s));
  const score = overlap(topic, bigrams(m.clause));
  if (score < 2) return null;
  if (!fits(m, s, setting, m.clause)) return null;
  // A clause that allocates money talks about inputs, not outputs or results (domain.md §3.4).
  if (s.category !== "成本" && s.category !== "经济效益" && T.inputWords.some((w) => m.clause.includes(w))) return null;
  // "管控率95%" measures an output; as a 效益 it would restate the 产出 (and often another row).
  if (s.category && BENEFITS.includes(s.category) && T.outputRates.some((w) => m.clause.slice(0, m.clauseStart).includes(w))) return null;
  return score;
}

export function fromDocumentText(s: Subject, setting: Setting): Candidate[] {
  const scored: { c: Candidate; score: number; order: number }[] = [];
  let order = 0;
  const seen = new Set<string>();
  for (const { label, text } of setting.texts) {
    for (const m of findMentions(text)) {
      order++;
      if (setting.usedValues.has(`${m.value}${m.unit}`)) continue;
      const score = docScore(s, m, setting);
      if (score == null) continue;
      const beaten = setting.rivals.some((r) => {
        const rs = docScore(r.subject, m, setting);
        return rs != null && (rs > score || (rs === score && r.index < setting.index));
      });
      if (beaten) continue;
      const value = renderMention(m, s, setting, m.clause);
      const lbl = isMetricName(s.name) ? null : labelFor(m);
      const textOut = lbl && !normText(s.name).includes(lbl) ? lbl + value : value;
      if (seen.has(textOut)) continue;
      seen.add(textOut);
      scored.push({ c: { text: textOut, source: "document", basis: `取自${label}${q(m.clause)}` }, score, order });
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).map((x) => x.c);
}

/** A 完成值 written as a bare number ("17") borrows its unit from the name ("…个数") or from the target ("≥16个"). */
function withUnit(raw: string, name: string, unitSource: string | null): Mention[] {
  const found = findMentions(raw);
  if (found.length > 0) return found;
  const t = normText(raw);
  const bare = /^([≥≤=<>]?)(\d+(?:\.\d+)?)$/.exec(t);
  if (!bare) return [];
  const hint = nameUnitHint(name);
  const borrowed = unitSource ? findMentions(unitSource).find((m) => m.kind !== "date" && m.kind !== "duration") : undefined;
  const unit = hint?.unit ?? borrowed?.unit ?? (hint?.kind === "percent" ? "%" : null);
  if (!unit) return [];
  const kind = hint?.kind ?? borrowed?.kind ?? "count";
  const op = bare[1] === "≥" || bare[1] === ">" ? "≥" : bare[1] === "≤" || bare[1] === "<" ? "≤" : bare[1] === "=" ? "=" : null;
  return [{ value: bare[2]!, num: Number(bare[2]), unit, kind, op, start: 0, end: t.length, clause: t, clauseStart: 0 }];
}

// ---------------------------------------------------------------------------------------------------------
// 4. Last year's documents of the same project: the same indicator's 完成值 is the 历史标准 (set it relatively
// high, domain.md §3.2).

export function fromHistory(s: Subject, setting: Setting): Candidate[] {
  if (normText(s.name) === "") return [];
  const matches: { doc: SelfEvalDoc; i: number; sim: number }[] = [];
  for (const doc of setting.history) {
    doc.indicators.forEach((ind, i) => {
      if (!ind.level3) return;
      const cat = normalizeCategory(ind.level1, ind.level2);
      const same = normText(ind.level3) === normText(s.name);
      const sim = same ? 1 : similarity(ind.level3, s.name);
      const sameCat = cat == null || s.category == null || cat === s.category;
      if (sameCat ? sim >= 0.5 : sim >= 0.8) matches.push({ doc, i, sim });
    });
  }
  matches.sort((a, b) => b.sim - a.sim || (b.doc.year ?? 0) - (a.doc.year ?? 0));
  const out: Candidate[] = [];
  for (const { doc, i } of matches) {
    const ind = doc.indicators[i]!;
    const yr = doc.year ? `${doc.year}年度` : "上年";
    const ctx = `${ind.level3}`;
    for (const [field, label] of [["actual", "实际完成值"], ["target", "指标值"]] as const) {
      const raw = ind[field];
      if (!raw) continue;
      const m = withUnit(raw, ind.level3!, field === "actual" ? ind.target : null).find((x) => fits(x, s, setting, ctx + x.clause));
      if (!m) continue;
      const weak = field === "target" ? "（上年未填可用的完成值，仅沿用上年指标值）" : "（历史标准，宜适当从高设定）";
      out.push({ text: renderMention(m, s, setting, ctx), source: "document", basis: `参照${yr}同一项目指标${q(ind.level3!)}的${label}${q(raw)}${weak}` });
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// 2. This year's 实际完成值: a weak basis (a target copied from the result proves nothing), so it is asked after
// the plans and history.

export function fromActual(s: Subject, setting: Setting): Candidate[] {
  if (!s.actual) return [];
  const out: Candidate[] = [];
  for (const m of withUnit(s.actual, s.name, null)) {
    if (!fits(m, s, setting, s.name + m.clause)) continue;
    if (s.category === "满意度" && m.num >= 100) continue; // 100% with no survey is itself a risk flag (§3.4)
    out.push({
      text: renderMention(m, s, setting, s.name),
      source: "document",
      basis: `取自本指标实际完成值${q(s.actual)}。注意：按完成值倒推指标值依据较弱，建议以计划、标准或上年数据核定`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// 5. The indicator library.

function fill(template: string, setting: Setting): string | null {
  if (template.includes("{budget}") && !setting.budget) return null;
  return template
    .replaceAll("{budget}", setting.budget ? formatAmount(setting.budget.amount) + setting.budget.unit : "")
    .replaceAll("{deadline}", setting.deadline)
    .replaceAll("{year}", setting.year ? String(setting.year) : "当");
}

/** The amount as the document has it, without binary-float noise (19.200000000000003 → 19.2). */
export function formatAmount(n: number): string {
  return String(Number(n.toFixed(6)));
}

const DROPPABLE_NOTE = "；如该项效益与本项目关联不大，该指标可删除";

function fromEntry(e: LibraryEntry, s: Subject, setting: Setting, why: string): Candidate | null {
  const value = fill(e.template, setting);
  if (value == null) return null;
  const text = withMetric(e.metric, value, s);
  if (e.template.includes("{budget}") && setting.budget) {
    return {
      text,
      source: "document",
      basis: `取自本表${setting.budget.label}${formatAmount(setting.budget.amount)}${setting.budget.unit}；参照指标库：${e.basis}（${e.standard}）`,
    };
  }
  const deadline = e.template.includes("{deadline}") && setting.deadlineFrom ? `；截止日期取自${setting.deadlineFrom}` : "";
  return {
    text,
    source: "library",
    basis: `参照指标库：${e.basis}，常用取值${value}（${e.standard}${why}）${deadline}${e.droppable ? DROPPABLE_NOTE : ""}`,
  };
}

/** "现有吸毒人员减少" → "现有吸毒人员数较上年下降≥5%": a trend needs a countable subject and a size. */
function fromTrend(s: Subject): Candidate[] {
  if (!s.category || !BENEFITS.includes(s.category)) return [];
  const out: Candidate[] = [];
  for (const text of [s.target, s.name]) {
    for (const clause of normText(text).split(/[，,。；;、]/)) {
      for (const tr of T.trends) {
        const w = tr.words.find((x) => clause.includes(x));
        if (!w) continue;
        const [pre = "", post = ""] = clause.split(w);
        for (const raw of [pre, post]) {
          let subj = raw.replace(/^(对|使|让|将|把|帮助|有效|进一步|持续|逐步|明显|大幅)+/, "").replace(/(的|了)$/, "");
          if (!/^[\u4e00-\u9fff]{2,14}$/.test(subj)) continue;
          if (!T.measurableHeads.some((h) => subj.endsWith(h))) continue;
          if (s.category === "经济效益" && !T.economicHeads.some((h) => subj.includes(h))) continue;
          if (/(人员|人口)$/.test(subj)) subj += "数";
          out.push({
            text: subj + tr.template,
            source: "library",
            basis: `原指标${q(clause)}只说“${w}”，没有基数和幅度；参照指标库以较上年${tr.direction}幅度衡量（历史标准），常用取值${tr.template.replace(/^较上年(下降|提高)/, "")}，请按上年实际数核定${s.category === "经济效益" ? DROPPABLE_NOTE : ""}`,
          });
        }
      }
    }
  }
  return out;
}

export function fromLibrary(s: Subject, setting: Setting): Candidate[] {
  if (!s.category) return [];
  const name = normText(s.name);
  const own = normText([s.target, s.description ?? ""].join("，"));
  const project = normText(setting.projectName);
  const { keyed, defaults } = entriesFor(s.category);
  const requiresOk = (e: LibraryEntry) => e.requires.every((r) => name.includes(r) || own.includes(r) || project.includes(r));
  const matching = (text: string) => keyed.filter((e) => e.keywords.some((k) => text.includes(k)) && requiresOk(e));
  // The 三级指标 names the indicator; the vague value is often copied from another row; the project name is weakest.
  const byName = matching(name);
  const byOwn = matching(own).filter((e) => !byName.includes(e));
  const byProject = matching(project).filter((e) => !byName.includes(e) && !byOwn.includes(e));
  const out: (Candidate | null)[] = [];
  for (const e of [...byName, ...byOwn]) out.push(fromEntry(e, s, setting, "；按本指标用词匹配"));
  out.push(...fromTrend(s));
  for (const e of byProject) out.push(fromEntry(e, s, setting, "；按项目名称匹配"));
  for (const e of defaults) out.push(fromEntry(e, s, setting, ""));
  return out.filter((c): c is Candidate => c != null);
}
