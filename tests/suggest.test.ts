// src/suggest: every vague 指标值 (domain.md §3.3) gets a measurable proposal built from the document's own words,
// its plans, last year's results, this year's result, or the indicator library — in that order of trust.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Indicator, PerfDoc, SelfEvalDoc, TargetFormDoc } from "../src/domain/document.ts";
import { SuggestionSchema, type Suggestion } from "../src/domain/finding.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { isMeasurable, suggestFormTarget, suggestTarget } from "../src/suggest/index.ts";
import { LIBRARY, normalizeCategory } from "../src/suggest/library.ts";
import { findMentions } from "../src/suggest/mentions.ts";
import { hasDigit, VAGUE, vagueTarget } from "../src/validate/vague.ts";
import { SEEDS_DIR } from "./fixtures.ts";

// Units of domain.md §3.2 (plus the few the library uses); a date counts through 年/月/日.
const UNIT_OR_PERCENT = /\d\s*(%|万元|元|人次|个|人|场|次|件|户|套|台|公里|平方米|天|日|月|年|项|部|名|家|所|期|份|批|篇|条|处|座)/;

function expectMeasurable(s: Suggestion | null): asserts s is Suggestion {
  expect(s).not.toBeNull();
  expect(SuggestionSchema.safeParse(s).success).toBe(true);
  expect(vagueTarget(s!.text).vague).toBe(false);
  expect(hasDigit(s!.text)).toBe(true);
  expect(s!.text).toMatch(UNIT_OR_PERCENT);
  expect(s!.value).toBe(s!.text);
}

const docs: Record<string, PerfDoc[]> = {};
beforeAll(async () => {
  for (const [id, base] of [["001", "001-jingzhou-2023"], ["002", "002-xinhong-2020-target"], ["003", "003-xiqu-2020"]] as const) {
    const path = join(SEEDS_DIR, `${base}.docx`);
    const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
    expect(r.error).toBeNull();
    docs[id] = r.documents;
  }
});

function selfEval(seed: string, d: number): SelfEvalDoc {
  const doc = docs[seed]![d]!;
  if (doc.kind !== "自评表") throw new Error(`${seed}/${d} is not a 自评表`);
  return structuredClone(doc);
}
function targetForm(seed: string, d: number): TargetFormDoc {
  const doc = docs[seed]![d]!;
  if (doc.kind !== "目标申报表") throw new Error(`${seed}/${d} is not a 申报表`);
  return structuredClone(doc);
}
function withIndicator(doc: SelfEvalDoc, i: number, patch: Partial<Indicator>): SelfEvalDoc {
  doc.indicators[i] = { ...doc.indicators[i]!, ...patch };
  return doc;
}

describe("seed documents: proposals for vague targets", () => {
  const cases: {
    why: string;
    doc: () => SelfEvalDoc;
    i: number;
    text?: string | RegExp;
    source?: Suggestion["source"];
    basis?: (string | RegExp)[];
    ctx?: () => { history: SelfEvalDoc[] };
  }[] = [
    {
      why: "001/0 可持续影响 “持续影响” restates the category: the library proposes a 长效机制 count",
      doc: () => selfEval("001", 0), i: 7, text: /≥1项$/, source: "library", basis: ["参照指标库", "长效"],
    },
    {
      why: "003/0 社会效益: the number is in the 三级指标 itself (“矛盾纠纷化解率98%以上”)",
      doc: () => selfEval("003", 0), i: 5, text: "≥98%", source: "document", basis: ["三级指标", "矛盾纠纷化解率98%以上"],
    },
    {
      why: "001/0 质量: “全部管控到位” in the target quantifies as a 100% rate",
      doc: () => selfEval("001", 0), i: 1, text: "管控率=100%", source: "document", basis: ["全部"],
    },
    {
      why: "001/3 数量: “在册吸毒人员全员” = 检测覆盖率 100%",
      doc: () => selfEval("001", 3), i: 0, text: "检测覆盖率=100%", source: "document",
    },
    {
      why: "001/2 质量: the 年度总体目标 sets 管控率95%以上 for the same 社区戒毒康复人员",
      doc: () => selfEval("001", 2), i: 1, text: "社区戒毒康复人员管控率≥95%", source: "document", basis: ["取自年度总体目标", "管控率95%以上"],
    },
    {
      why: "001/0 数量 made vague: the goal “禁毒协会组织社会力量开展5场活动” gives ≥5场",
      doc: () => withIndicator(selfEval("001", 0), 0, { target: "完成" }), i: 0, text: /≥5场$/, source: "document",
      basis: ["取自年度总体目标“禁毒协会组织社会力量开展5场活动”"],
    },
    {
      why: "时效 with a date in the 年度总体目标: the document's own deadline",
      doc: () => {
        const d = withIndicator(selfEval("001", 2), 2, { level3: "禁毒社工招聘完成时间", target: "按时" });
        d.goals.expected = `${d.goals.expected}2023年6月30日前完成禁毒社工招聘。`;
        return d;
      },
      i: 2, text: "2023年6月30日前完成", source: "document", basis: ["取自年度总体目标", "禁毒社工招聘"],
    },
    {
      why: "001/2 时效 “按照时间节点完成工作”: a deadline in the document's year",
      doc: () => selfEval("001", 2), i: 2, text: /2023年12月31日/, source: "library",
    },
    {
      why: "003/0 满意度 “是”: a survey-based rate, the name already names the metric",
      doc: () => selfEval("003", 0), i: 8, text: "≥90%（问卷调查，样本≥100份）", source: "library", basis: ["问卷调查"],
    },
    {
      why: "003/0 经济效益 “是” for a mediation fund: a cost-saving figure, and the basis says the row may be dropped",
      doc: () => selfEval("003", 0), i: 4, text: /%$/, source: "library", basis: ["可删除"],
    },
    {
      why: "001/0 环境效益 about 污水 in a 禁毒 project: the library's 污水毒品含量 entry",
      doc: () => selfEval("001", 0), i: 6, text: /污水毒品含量.*≥5%/, source: "library",
    },
    {
      why: "成本 made vague: the amount is the document's own 全年预算数, never invented",
      doc: () => withIndicator(selfEval("001", 2), 3, { target: "按预算执行" }), i: 3, text: "项目总成本≤66.44万元", source: "document",
      basis: ["全年预算数66.44万元"],
    },
    {
      why: "成本 made vague where 全年预算数 is 0 (a RATE_MISMATCH defect): fall back to 年初预算数",
      doc: () => withIndicator(selfEval("003", 1), 3, { level3: "项目成本", target: "不超预算" }), i: 3, text: "≤169.4万元", source: "document",
      basis: ["年初预算数169.4万元"],
    },
    {
      why: "成本 made vague with no funds at all: no amount is invented, a ratio is proposed",
      doc: () => {
        const d = withIndicator(selfEval("001", 2), 3, { target: "按预算执行" });
        d.funds.total = { ...d.funds.total, initial: null, adjusted: null };
        return d;
      },
      i: 3, text: "实际支出占预算比例≤100%", source: "library",
    },
    {
      why: "history: last year's 完成值 of the same indicator (bare “17”, unit from the name) is the 历史标准",
      doc: () => withIndicator(selfEval("001", 1), 0, { target: "按计划完成", actual: "18" }), i: 0, text: "≥17个", source: "document",
      basis: ["2022年度", "社区戒毒康复工作站个数", "历史标准"],
      ctx: () => {
        const last = selfEval("001", 1);
        last.year = 2022;
        return { history: [withIndicator(last, 0, { target: "≥15个", actual: "17" })] };
      },
    },
    {
      why: "history by a similar name and the same category",
      doc: () => withIndicator(selfEval("001", 1), 0, { target: "按计划完成", actual: null }), i: 0, text: "≥17个", source: "document",
      basis: ["2022年度", "乡镇社区戒毒康复工作站个数"],
      ctx: () => {
        const last = selfEval("001", 1);
        last.year = 2022;
        return { history: [withIndicator(last, 0, { level3: "乡镇社区戒毒康复工作站个数", target: "≥15个", actual: "17个" })] };
      },
    },
    {
      why: "the document's report beats history: 001/3 reports 污水溯源检测80次 for the year",
      doc: () => withIndicator(selfEval("001", 3), 1, { target: "按计划开展" }), i: 1, text: /≥80次$/, source: "document",
      basis: ["自评报告", "溯源检测80次"],
      ctx: () => {
        const last = selfEval("001", 3);
        last.year = 2022;
        return { history: [withIndicator(last, 1, { target: "70次", actual: "78次" })] };
      },
    },
    {
      why: "no plan, no history: this year's 完成值 is used, and the basis says it is weak",
      doc: () => withIndicator(selfEval("001", 1), 0, { target: "按计划完成", actual: "17" }), i: 0, text: "≥17个", source: "document",
      basis: ["实际完成值", "依据较弱"],
    },
  ];

  it.each(cases)("$why", ({ doc, i, text, source, basis, ctx }) => {
    const d = doc();
    const s = suggestTarget(d, i, ctx?.());
    expectMeasurable(s);
    if (typeof text === "string") expect(s.text).toBe(text);
    else if (text) expect(s.text).toMatch(text);
    if (source) expect(s.source).toBe(source);
    for (const b of basis ?? []) {
      if (typeof b === "string") expect(s.basis).toContain(b);
      else expect(s.basis).toMatch(b);
    }
    expect(s.field).toBe(`indicators[${i}].target`);
  });

  it.each([
    { why: "003/0 数量 “全年预计化解矛盾纠纷2500件” already has a number", seed: "003", d: 0, i: 0 },
    { why: "001/1 满意度 “≥90%” is measurable", seed: "001", d: 1, i: 9 },
    { why: "001/0 成本 “6万元每年” is measurable", seed: "001", d: 0, i: 3 },
    { why: "an index past the end", seed: "001", d: 0, i: 99 },
  ])("null when $why", ({ seed, d, i }) => {
    expect(suggestTarget(selfEval(seed, d), i)).toBeNull();
  });

  it("every vague target of the 自评表 seeds gets a measurable proposal", () => {
    let n = 0;
    for (const seed of ["001", "003"]) {
      for (const doc of docs[seed]!) {
        if (doc.kind !== "自评表") continue;
        doc.indicators.forEach((ind, i) => {
          if (!vagueTarget(ind.target).vague) return;
          n++;
          expectMeasurable(suggestTarget(doc, i));
        });
      }
    }
    expect(n).toBeGreaterThan(30);
  });

  it("a clause that allocates money is not a result (001/0 社会效益 does not get “四个村…经费4万元”)", () => {
    const s = suggestTarget(selfEval("001", 0), 5);
    expectMeasurable(s);
    expect(s.text).not.toMatch(/4个|4万元/);
  });

  it("one plan figure is proposed for one indicator only (001/2: 管控率95% goes to 质量, not to 社会效益)", () => {
    const d = selfEval("001", 2);
    expect(suggestTarget(d, 1)?.text).toContain("95%");
    expect(suggestTarget(d, 5)?.text).not.toContain("管控率");
  });
});

describe("申报表 002: the six vague targets", () => {
  const expected: { i: number; text: string | RegExp; basis?: string }[] = [
    { i: 0, text: "=100%", basis: "项目完成率" }, // 完成 on a 完成率
    { i: 1, text: "=100%", basis: "达标率" }, // 达标 on a 达标率
    { i: 2, text: /2020年12月31日/, basis: "申报表项目结束日期" }, // 及时 → the form's own end date
    { i: 3, text: /养护.*≥95%/ }, // 提升 … 养护作业
    { i: 4, text: /环境.*≥95%/ }, // 改善 … 生活环境
    { i: 5, text: "≥90%（问卷调查，样本≥100份）" }, // 满意 on a 满意度
  ];
  it.each(expected)("target $i", ({ i, text, basis }) => {
    const doc = targetForm("002", 0);
    expect(vagueTarget(doc.targets[i]!.value).vague).toBe(true);
    const s = suggestFormTarget(doc, i);
    expectMeasurable(s);
    expect(s.field).toBe(`targets[${i}].value`);
    if (typeof text === "string") expect(s.text).toBe(text);
    else expect(s.text).toMatch(text);
    if (basis) expect(s.basis).toContain(basis);
  });

  it("history applies to a 申报表 too (last year's 自评表 of the project)", () => {
    const doc = targetForm("002", 0);
    doc.targets[0] = { ...doc.targets[0]!, level3: "禁毒宣传活动场次", value: "完成" };
    const last = selfEval("001", 0);
    last.year = 2019;
    last.indicators[0] = { ...last.indicators[0]!, level3: "禁毒宣传活动场次", actual: "6场" };
    const s = suggestFormTarget(doc, 0, { history: [last] });
    expectMeasurable(s);
    expect(s.text).toBe("≥6场");
    expect(s.basis).toContain("2019年度");
  });
});

describe("category synonyms (domain.md §3.1)", () => {
  it.each([
    ["效益指标", "环境效益指标", "生态效益"],
    ["效果目标", "生态环境", "生态效益"],
    ["影响力目标", "满意度目标", "满意度"],
    ["满意度指标", "社会公众或服务对象满意度指标", "满意度"],
    ["成本指标", "经济成本指标", "成本"],
    ["成本指标", "生态环境成本指标", "成本"],
    ["产出目标", "时效目标", "时效"],
    ["效益指标", "可持续影响指标", "可持续影响"],
    ["满意度指标", null, "满意度"],
    ["产出指标", null, null],
  ])("%s / %s → %s", (l1, l2, cat) => {
    expect(normalizeCategory(l1, l2)).toBe(cat);
  });
});

describe("the library", () => {
  it("every entry renders to a measurable value with a unit or %", () => {
    const doc = withIndicator(selfEval("001", 2), 0, { level3: "", target: "完成", actual: null });
    for (const e of LIBRARY.entries) {
      const value = e.template.replaceAll("{budget}", "66.44万元").replaceAll("{deadline}", "2023年12月31日").replaceAll("{year}", "2023");
      const text = (e.metric ?? "") + value;
      expect(isMeasurable(text), `${e.id}: ${text}`).toBe(true);
      expect(text, e.id).toMatch(UNIT_OR_PERCENT);
    }
    expect(doc.indicators.length).toBeGreaterThan(0);
  });

  it("covers every category with a default entry", () => {
    for (const c of ["数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "满意度"]) {
      expect(LIBRARY.entries.some((e) => e.category === c && e.keywords.length === 0), c).toBe(true);
    }
  });
});

describe("mentions", () => {
  it.each([
    ["开展5场活动", "5", "场", null],
    ["管控率95%以上", "95", "%", "≥"],
    ["对四个重点村进行走访", "4", "个", null],
    ["项目总资金19.2万元", "19.2", "万元", null],
    ["2023年全年", null, null, null],
    ["第2次会议", null, null, null],
  ])("%s", (text, value, unit, op) => {
    const m = findMentions(text)[0];
    if (value == null) expect(m).toBeUndefined();
    else expect(m).toMatchObject({ value, unit, op });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property: whatever the indicator, a proposal is measurable, carries a unit or %, targets the right field, and
// every number in it comes from the document, the history or the library (no invented budget).

const LEVELS: [string | null, string | null][] = [
  ["产出指标", "数量指标"], ["产出指标", "质量指标"], ["产出指标", "时效指标"], ["产出指标", "成本指标"],
  ["效益指标", "经济效益指标"], ["效益指标", "社会效益指标"], ["效益指标", "生态效益指标"], ["效益指标", "环境效益指标"],
  ["效益指标", "可持续影响指标"], ["满意度指标", "服务对象满意度指标"], ["效果目标", "生态环境"], ["影响力目标", "满意度目标"],
  ["成本指标", "经济成本指标"], [null, null], ["其他", "杂项"],
];
const WORDS = [
  "禁毒", "宣传", "培训", "补助", "发放", "采购", "建设", "工程", "检测", "监测", "社工", "购买服务", "调解", "矛盾纠纷",
  "平安", "维稳", "群众", "满意度", "知晓率", "完成率", "个数", "人员", "吸毒人员", "污水", "养护", "环境", "资金使用效率",
  "化解率", "覆盖率", "活动", "场次", "减少", "提高", "全部", "全员", "到位", "按时", "及时", "，", "。", "对", "开展",
];
const UNITS = ["场", "次", "件", "个", "人", "%", "万元", "元", "项", "户", "人次", "", "年", "日内"];

const numberWithUnit = fc.tuple(fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0, max: 500, noNaN: true }).map((x) => Math.round(x * 100) / 100)), fc.constantFrom(...UNITS), fc.constantFrom("", "以上", "以内", "≥", "≤"))
  .map(([n, u, q]) => (q === "≥" || q === "≤" ? `${q}${n}${u}` : `${n}${u}${q}`));
const phrase = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS), numberWithUnit), { minLength: 0, maxLength: 7 }).map((xs) => xs.join(""));
const vagueValue = fc.oneof(fc.constantFrom(...VAGUE.lexicon), fc.array(fc.constantFrom(...VAGUE.lexicon, ...WORDS.filter((w) => !/\d/.test(w))), { minLength: 1, maxLength: 4 }).map((xs) => xs.join("")));
const indicator = fc.record({
  levels: fc.constantFrom(...LEVELS),
  level3: fc.option(phrase, { nil: null }),
  target: fc.oneof(vagueValue, vagueValue, phrase),
  actual: fc.option(fc.oneof(phrase, vagueValue, fc.integer({ min: 0, max: 500 }).map(String)), { nil: null }),
});
const money = fc.option(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 5000, noNaN: true }).map((x) => Math.round(x * 100) / 100)), { nil: null });

type RandomIndicator = typeof indicator extends fc.Arbitrary<infer T> ? T : never;
function buildDoc(inds: RandomIndicator[], goals: string, year: number | null, initial: number | null, adjusted: number | null, name: string): SelfEvalDoc {
  const base = selfEval("001", 0);
  base.name = name;
  base.year = year;
  base.goals = { expected: goals, actual: null };
  base.funds.total = { ...base.funds.total, initial, adjusted };
  base.indicators = inds.map((x) => ({
    level1: x.levels[0], level2: x.levels[1], level3: x.level3, target: x.target, actual: x.actual,
    weight: null, score: null, deviation: null,
  }));
  return base;
}

function numbersIn(text: string): string[] {
  return [...text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => String(Number(m[0])));
}

describe("mentions keep whole numbers", () => {
  // Found by the property below (fast-check seed 1070826581): "0.07日内" was read as "07日".
  it.each([
    ["0.07日内", [["0.07", "日"]]],
    ["15个工作日内", [["15", "个工作日"]]],
    ["2.5天以内", [["2.5", "天"]]],
  ])("%s → %j", (text, want) => {
    expect(findMentions(text).map((m) => [m.value, m.unit])).toEqual(want);
  });
});

describe("property: every proposal is measurable and its numbers have an origin", () => {
  it("holds for random 自评表 indicators", () => {
    fc.assert(
      fc.property(
        fc.array(indicator, { minLength: 1, maxLength: 6 }), phrase, fc.option(fc.integer({ min: 2015, max: 2030 }), { nil: null }),
        money, money, phrase, fc.array(indicator, { maxLength: 3 }),
        (inds, goals, year, initial, adjusted, name, lastInds) => {
          const doc = buildDoc(inds, goals, year, initial, adjusted, name);
          const history = lastInds.length ? [buildDoc(lastInds, "", year ? year - 1 : null, null, null, name)] : [];
          const origin = new Set(
            numbersIn(JSON.stringify({ ind: doc.indicators, goals: doc.goals, report: doc.report, funds: doc.funds.total, year: doc.year, history: history.map((h) => h.indicators) }))
              .concat(numbersIn(JSON.stringify(LIBRARY.entries.map((e) => e.template)) + JSON.stringify(LIBRARY.text.trends)))
              .concat(["12", "31"]),
          );
          doc.indicators.forEach((ind, i) => {
            const s = suggestTarget(doc, i, { history });
            if (!vagueTarget(ind.target).vague) {
              expect(s).toBeNull();
              return;
            }
            if (s == null) return;
            expectMeasurable(s);
            expect(s.field).toBe(`indicators[${i}].target`);
            expect(["document", "library"]).toContain(s.source);
            expect(s.basis.length).toBeGreaterThan(4);
            for (const n of numbersIn(s.text)) expect(origin.has(n), `${n} in ${s.text} (basis ${s.basis})`).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("holds for random 申报表 targets", () => {
    fc.assert(
      fc.property(fc.array(indicator, { minLength: 1, maxLength: 6 }), money, fc.option(fc.integer({ min: 2015, max: 2030 }), { nil: null }), (inds, total, year) => {
        const doc = targetForm("002", 0);
        doc.funds_total = total;
        doc.year = year;
        doc.targets = inds.map((x) => ({ level1: x.levels[0], level2: x.levels[1], level3: x.level3, value: x.target, description: x.actual }));
        doc.targets.forEach((t, i) => {
          const s = suggestFormTarget(doc, i);
          if (!vagueTarget(t.value).vague) return expect(s).toBeNull();
          if (s == null) return;
          expectMeasurable(s);
          expect(s.field).toBe(`targets[${i}].value`);
        });
      }),
      { numRuns: 200 },
    );
  });
});
