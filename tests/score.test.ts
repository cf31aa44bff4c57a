// Scoring rules of domain.md §2.2–2.4, table-driven, plus invariants checked with fast-check.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseQuantity } from "../src/score/quantity.ts";
import { scoreIndicator } from "../src/score/indicator.ts";
import { scoreExecution } from "../src/score/execution.ts";
import { roundHalfUp, sum, pct } from "../src/score/decimal.ts";
import { getProfile, defaultProfile, gradeOf, listProfiles } from "../src/score/profile.ts";
import { scoreDocument } from "../src/score/index.ts";
import { selfEval, ind } from "./helpers/docs.ts";

const central = defaultProfile();
const reverse2 = getProfile("vendor-reverse-2")!;

describe("parseQuantity", () => {
  it.each([
    ["≥16个", "≥", 16, "个"],
    [">=95%", "≥", 95, "%"],
    ["管控率95%以上", "≥", 95, "%"],
    ["不低于90%", "≥", 90, "%"],
    ["≤30万元", "≤", 30, "万元"],
    ["控制在5次以内", "≤", 5, "次"],
    ["开展活动5场。", null, 5, "场"],
    ["１８人", null, 18, "人"],
    ["1,200件", null, 1200, "件"],
    ["66.44万", null, 66.44, "万"],
    ["开展五场活动", null, 5, "场"],
    ["=100%", "=", 100, "%"],
  ])("%s → %s %s %s", (text, op, value, unit) => {
    const q = parseQuantity(text);
    expect(q).not.toBeNull();
    expect(q!.op).toBe(op);
    expect(q!.value).toBe(value);
    expect(q!.unit).toBe(unit);
  });
  it.each([["完成"], ["2020年全年"], ["2024年6月30日前"], ["30.0万元 13.9万元"], [""], [null]])("%s is not a quantity", (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
  it("reads ranges", () => {
    expect(parseQuantity("80-100次")).toMatchObject({ op: null, value: 80, upper: 100, unit: "次" });
  });
});

describe("execution rate and its points (10 × min(B/A, 1))", () => {
  it.each([
    { why: "full execution", A: 134.31, B: 134.31, rate: 1, score: 10 },
    { why: "partial execution", A: 100, B: 85.5, rate: 0.855, score: 8.55 },
    { why: "over 100% is capped at the weight", A: 100, B: 120, rate: 1.2, score: 10 },
    { why: "rounding half up at .005", A: 200, B: 133.1, rate: 0.6655, score: 6.66 },
    { why: "budget 0 → no rate, never 100%", A: 0, B: 5, rate: null, score: null },
    { why: "budget blank → no rate", A: null, B: 5, rate: null, score: null },
    { why: "executed blank → no rate", A: 5, B: null, rate: null, score: null },
  ])("$why", ({ A, B, rate, score }) => {
    const r = scoreExecution({ initial: A, adjusted: A, executed: B, weight: 10, rate: null, score: null }, 10);
    expect(r.rate === null ? null : roundHalfUp(r.rate, 6)).toBe(rate);
    expect(r.score).toBe(score);
    expect(r.formula).toMatch(/执行率|预算数|执行数/);
  });
  it("shows the formula in words and numbers", () => {
    expect(scoreExecution({ initial: 134.31, adjusted: 134.31, executed: 134.31, weight: 10, rate: null, score: null }, 10).formula).toBe(
      "执行率 = 134.31 ÷ 134.31 = 100.00% → 10 × 100.00% = 10 分",
    );
  });
});

describe("indicator scores (domain.md §2.3)", () => {
  it.each([
    { why: "≥ met", t: "≥16个", a: "17个", w: 10, s: 10 },
    { why: "≥ short: w·B/A", t: "≥16个", a: "12个", w: 10, s: 7.5 },
    { why: "percent short", t: "≥95%", a: "90%", w: 10, s: 9.47 },
    { why: "counts vs percent: units differ → not computable", t: "≥95%", a: "90人", w: 10, s: null },
    { why: "万元 vs 元 in one indicator", t: "≥30万元", a: "150000元", w: 10, s: 5 },
    { why: "≤ met", t: "≤30万元", a: "28万元", w: 10, s: 10 },
    { why: "≤ exceeded, variant 1: w·A/B", t: "≤10次", a: "15次", w: 9, s: 6 },
    { why: "= 0 met (安全事故数 = 0)", t: "=0起", a: "0起", w: 5, s: 5 },
    { why: "= 0 missed", t: "=0起", a: "1起", w: 5, s: 0 },
    { why: "negative actual counts as 0", t: "≥10个", a: "-3个", w: 10, s: 0 },
    { why: "non-numeric actual", t: "≥10个", a: "完成", w: 10, s: null },
    { why: "non-numeric target", t: "是", a: "完成", w: 10, s: null },
  ])("$why: $t / $a → $s", ({ t, a, w, s }) => {
    expect(scoreIndicator(t, a, w, central).score).toBe(s);
  });
  it("reverse variant 2 deducts linearly to 0 at 2A", () => {
    expect(scoreIndicator("≤10次", "15次", 10, reverse2).score).toBe(5);
    expect(scoreIndicator("≤10次", "25次", 10, reverse2).score).toBe(0);
    // The same case under variant 1: 10 × 10/15.
    expect(scoreIndicator("≤10次", "15次", 10, central).score).toBe(6.67);
  });
});

describe("decimal arithmetic", () => {
  it.each([
    [1.005, 1.01],
    [2.675, 2.68],
    [1.004999, 1.0],
    [-1.005, -1.01],
    [0.125, 0.13],
  ])("roundHalfUp(%s) = %s", (x, r) => expect(roundHalfUp(x, 2)).toBe(r));
  it("sums 万元 amounts exactly", () => {
    expect(sum([30.0, 13.9, 28.8])).toBe(72.7);
    expect(sum([0.1, 0.2])).toBe(0.3);
    expect(pct(0.66555)).toBe("66.56%");
  });
});

describe("profiles and grades", () => {
  it("ships the central profile as default and provincial variants as data", () => {
    expect(central.weights).toEqual({ execution: 10, output: 50, benefit: 30, satisfaction: 10 });
    expect(listProfiles().map((p) => p.name)).toEqual(expect.arrayContaining(["central-2020", "hb-2017", "vendor-reverse-2"]));
    for (const p of listProfiles()) expect(p.weights.execution + p.weights.output + p.weights.benefit + p.weights.satisfaction).toBe(100);
  });
  it.each([[95, "优"], [90, "优"], [89.99, "良"], [80, "良"], [60, "中"], [59.5, "差"]])("%s → %s", (s, g) => expect(gradeOf(s, central)).toBe(g));
});

describe("invariants (fast-check)", () => {
  const ops = fc.constantFrom("≥", "≤", "", "=");
  const units = fc.constantFrom("个", "%", "万元", "次", "人");
  it("0 ≤ 得分 ≤ 分值 for every computable indicator", () => {
    fc.assert(
      fc.property(ops, fc.integer({ min: 0, max: 10000 }), fc.integer({ min: -100, max: 20000 }), units, fc.integer({ min: 1, max: 40 }), (op, a, b, u, w) => {
        const r = scoreIndicator(`${op}${a}${u}`, `${b}${u}`, w, central);
        if (r.score === null) return true;
        return r.score >= 0 && r.score <= w;
      }),
      { numRuns: 500 },
    );
  });
  it("recomputed total = execution score + Σ line scores", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 150 }), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 600 }), (rows, A, B) => {
        const indicators = rows.map(([t, a, w]) => ind("数量指标", `≥${t}个`, `${a}个`, w, w));
        const doc = selfEval({ indicators, funds: { total: { initial: A, adjusted: A, executed: B, weight: 10, rate: null, score: 10 } } });
        const s = scoreDocument(doc, central);
        const expected = sum([s.execution.computed ?? 0, ...s.lines.map((l) => l.computed ?? l.printed ?? 0)]);
        return s.total.recomputed === expected && s.lines.every((l) => l.computed !== null && l.computed >= 0 && l.computed <= (l.weight ?? 0));
      }),
      { numRuns: 300 },
    );
  });
  it("roundHalfUp is within half a unit and idempotent", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e7, max: 1e7 }), (n) => {
        const x = n / 1000;
        const r = roundHalfUp(x, 2);
        return Math.abs(r - x) <= 0.005 + 1e-9 && roundHalfUp(r, 2) === r;
      }),
    );
  });
});
