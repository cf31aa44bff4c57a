// The template drafter writes only verified numbers; the draft checker finds every number that is
// not in the data, with its position, and reuses the report/table rules.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractBuffer } from "../src/pipeline.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { draftReport, reviseSection, sectionFromRequest, templateDraft, checkDraft, type DraftEvent } from "../src/draft/index.ts";
import { numbersIn } from "../src/draft/numbers.ts";
import type { SelfEvalDoc } from "../src/domain/document.ts";
import { SEEDS, seedFiles } from "./fixtures.ts";
import { selfEval } from "./helpers/docs.ts";

const profile = defaultProfile();

describe("template drafter on every seed fixture", () => {
  for (const seed of SEEDS) {
    it.each(seedFiles(seed))(`${seed.id} $format: zero unsupported numbers, six sections`, async ({ path }) => {
      const r = await extractBuffer(new Uint8Array(readFileSync(path)), path);
      const docs = r.documents.filter((d): d is SelfEvalDoc => d.kind === "自评表");
      for (const [i, d] of docs.entries()) {
        const draft = await draftReport(d, { llm: null, profile, index: i });
        expect(draft.drafter).toBe("template");
        expect(draft.sections.map((s) => s.heading)).toHaveLength(6);
        expect(draft.findings.filter((f) => f.code === "DRAFT_NUMBER_UNSUPPORTED")).toEqual([]);
        expect(draft.findings.filter((f) => f.severity === "error")).toEqual([]);
      }
    });
  }
});

describe("draft checker", () => {
  const doc = selfEval();
  it("flags each number not in the data, with its position", () => {
    const sections = templateDraft(doc, profile);
    const s0 = sections[0]!;
    const wrong = s0.text.replace("全年执行数6万元", "全年执行数5.8万元").replace("预算执行率100.00%", "预算执行率96.67%");
    const s2 = sections[2]!.text.replace("自评总分100分", "自评总分98分");
    const edited = sections.map((s, i) => (i === 0 ? { ...s, text: wrong } : i === 2 ? { ...s, text: s2 } : s));
    const f = checkDraft(doc, 0, edited, profile).filter((x) => x.code === "DRAFT_NUMBER_UNSUPPORTED");
    expect(f.map((x) => x.message.match(/起的“(.+?)”在/)?.[1])).toEqual(["5.8万元", "96.67%", "98分"]);
    for (const x of f) {
      const i = Number(/sections\[(\d+)\]/.exec(x.where.field!)![1]);
      const [a, b] = x.where.span!;
      expect(edited[i]!.text.slice(a, b)).toMatch(/5\.8万元|96\.67%|98分/);
    }
    // The same wrong figures contradict the table: the report rules fire too.
    expect(checkDraft(doc, 0, edited, profile).map((x) => x.code)).toEqual(expect.arrayContaining(["REPORT_TABLE_NUM_MISMATCH", "REPORT_SCORE_MISMATCH"]));
  });
  it("accepts numbers the table holds in any of its texts, in 元 or 万元", () => {
    const sections = templateDraft(doc, profile);
    sections[3] = { ...sections[3]!, text: `${sections[3]!.text}\n全年共开展6场宣传活动，支出60000元。` };
    expect(checkDraft(doc, 0, sections, profile).filter((x) => x.code === "DRAFT_NUMBER_UNSUPPORTED")).toEqual([]);
  });
  it("reports a missing section", () => {
    const sections = templateDraft(doc, profile).slice(0, 5);
    expect(checkDraft(doc, 0, sections, profile).map((x) => x.code)).toContain("DRAFT_SECTION_MISSING");
  });
});

describe("numbers in Chinese text", () => {
  it.each([
    ["项目总资金6万元", [[6, "万元"]]],
    ["对四个重点村走访", [[4, "个"]]],
    ["一、项目基本情况\n（二）项目绩效目标\n1.产出指标", []],
    ["下一年度进一步加强", []],
    ["执行率100.00%，得分9.5分", [[100, "%"], [9.5, "分"]]],
    ["2023年12月31日前", [[2023, "年"], [12, "月"], [31, "日"]]],
    ["开展十二场活动，两次检查", [[12, "场"], [2, "次"]]],
  ])("%s", (text, expected) => {
    expect(numbersIn(text).map((n) => [n.value, n.unit])).toEqual(expected);
  });
});

describe("revision requests", () => {
  it.each([
    ["第五部分写具体些", 4],
    ["把第2节改短", 1],
    ["六、有关建议再加一条", 5],
    ["写得更正式", null],
  ])("%s → %s", (req, idx) => expect(sectionFromRequest(req)).toBe(idx));
  it("the template drafter regenerates one section and re-checks", async () => {
    const doc = selfEval();
    const events: DraftEvent[] = [];
    const d = await draftReport(doc, { llm: null, profile, onEvent: (e) => events.push(e) });
    expect(events[0]).toMatchObject({ type: "progress" });
    expect(events.at(-1)).toMatchObject({ type: "done" });
    const edited = { ...d, sections: d.sections.map((s, i) => (i === 4 ? { ...s, text: "无" } : s)) };
    const r = await reviseSection(doc, edited, 4, "第五部分写具体些", { llm: null, profile });
    expect(r.sections[4]!.text).not.toBe("无");
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});
