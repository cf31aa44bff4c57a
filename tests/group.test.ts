// Fewer, sharper findings (src/validate/group.ts): one finding per fault on a cell with every reason in
// it, one finding per code on a document listing its places; every code and place stays countable.
import { describe, expect, it } from "vitest";
import { checkExtracted } from "../src/check.ts";
import { validateDocuments } from "../src/validate/index.ts";
import { atomsOf, findingCodes, groupFindings } from "../src/validate/group.ts";
import { defaultProfile } from "../src/score/profile.ts";
import { ind, selfEval, standardIndicators } from "./helpers/docs.ts";

const profile = defaultProfile();

describe("grouping findings", () => {
  it("a vague target that repeats its name and equals its actual is one finding with all three reasons", () => {
    const inds = standardIndicators();
    inds[4] = ind("社会效益指标", "持续影响", "持续影响", 15, 15, { level3: "持续影响" });
    const doc = selfEval({ indicators: inds });
    const raw = validateDocuments([doc], profile)[0]!.filter((f) => f.where.field === "indicators[4].target");
    expect(raw.map((f) => f.code).sort()).toEqual(["TARGET_EQUALS_ACTUAL_TEXT", "TARGET_REPEATS_NAME", "VAGUE_TARGET"]);
    const grouped = groupFindings(raw);
    expect(grouped).toHaveLength(1);
    expect(findingCodes(grouped[0]!).sort()).toEqual(["TARGET_EQUALS_ACTUAL_TEXT", "TARGET_REPEATS_NAME", "VAGUE_TARGET"]);
    for (const f of raw) expect(grouped[0]!.message).toContain(f.message);
  });

  it("findings of one code on one document are one finding listing its places, each with its own fix", () => {
    const inds = standardIndicators().map((x, i) => (i < 3 ? { ...x, target: "完成" } : x));
    const doc = selfEval({ indicators: inds });
    const raw = validateDocuments([doc], profile)[0]!;
    const vague = raw.filter((f) => f.code === "VAGUE_TARGET");
    expect(vague).toHaveLength(3);
    const c = checkExtracted({ file: "x", format: "docx", documents: [doc], error: null }, profile);
    const grouped = c.documents[0]!.findings.filter((f) => f.code === "VAGUE_TARGET");
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.places!.map((p) => p.where.field)).toEqual(["indicators[0].target", "indicators[1].target", "indicators[2].target"]);
    expect(grouped[0]!.places!.map((p) => p.suggestion)).toEqual(vague.map((f) => f.suggestion));
    // Nothing is lost: the atoms of the grouped findings are the raw findings' (code, place) pairs.
    const key = (x: { code: string; field: string | undefined }) => `${x.code}@${x.field}`;
    expect(new Set(c.documents[0]!.findings.flatMap(atomsOf).map(key))).toEqual(new Set(raw.map((f) => key({ code: f.code, field: f.where.field }))));
  });

  it("errors come first and the group takes the most severe place's severity", () => {
    const doc = selfEval({ total: { weight: 100, score: 120 } });
    const c = checkExtracted({ file: "x", format: "docx", documents: [doc], error: null }, profile);
    const sev = c.documents[0]!.findings.map((f) => f.severity);
    expect(sev).toEqual([...sev].sort((a, b) => ["error", "warning", "info"].indexOf(a) - ["error", "warning", "info"].indexOf(b)));
    expect(sev[0]).toBe("error");
  });
});
