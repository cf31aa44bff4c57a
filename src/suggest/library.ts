// The indicator library (指标库) as data: domain.md §3.2–3.4. A province's variant is a new JSON file
// with the same schema, not a new branch in code.
import { z } from "zod";
import data from "./library.json" with { type: "json" };

/** 二级指标 categories after synonym normalisation (环境效益 = 生态效益, 满意度目标 = 满意度 …). */
export const CATEGORIES = ["数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "满意度"] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

/** 取值依据, domain.md §3.2. */
export const StandardSchema = z.enum(["计划标准", "行业标准", "历史标准", "其他标准"]);

export const LibraryEntrySchema = z.object({
  id: z.string(),
  category: CategorySchema,
  /** Any of these in the indicator's own text (or, weaker, in the project name) selects the entry; [] = category default. */
  keywords: z.array(z.string()),
  /** All of these must also appear (e.g. 污水 only means 毒品监测 when 毒 is there too). */
  requires: z.array(z.string()).default([]),
  /** Metric written before the value when the 三级指标 does not already name a metric of the same kind; null when the template says it all. */
  metric: z.string().nullable(),
  /** The value, with placeholders {budget} (amount and unit, from the document), {deadline}, {year}. */
  template: z.string(),
  standard: StandardSchema,
  /** Why this metric (Chinese, no final punctuation). */
  basis: z.string(),
  /** 效益 categories that many projects have no real stake in: the basis says the indicator may be deleted. */
  droppable: z.boolean().default(false),
});
export type LibraryEntry = z.infer<typeof LibraryEntrySchema>;

const CategoryMatchSchema = z.array(z.object({ key: CategorySchema, match: z.array(z.string()).min(1) }));

export const LibrarySchema = z.object({
  categories: CategoryMatchSchema,
  level1Fallback: CategoryMatchSchema,
  text: z.object({
    /** Words too common to show that a sentence is about the same thing as an indicator. */
    genericWords: z.array(z.string()),
    /** A target that only says one of these means "all of it" (= 100% on a rate). */
    completionWords: z.array(z.string()),
    /** Words that quantify as 100% coverage of a base (全部管控到位 → 管控率 = 100%). */
    coverageWords: z.array(z.string()),
    coverageVerbs: z.array(z.object({ word: z.string(), metric: z.string() })),
    /** 三级指标 names ending in these are rates whose "完成"-like target means 100%. */
    rateCompletionNames: z.array(z.string()),
    /** A number near these words is a 反向 (≤) indicator. */
    negativeWords: z.array(z.string()),
    trends: z.array(z.object({ words: z.array(z.string()), template: z.string(), direction: z.string() })),
    /** The subject of a trend (减少/提高 …) must end in one of these to be countable. */
    measurableHeads: z.array(z.string()),
    /** Output/process rates: a plan's "管控率95%" measures an 产出, not a 效益. */
    outputRates: z.array(z.string()),
    /** A plan clause about money is about inputs (domain.md §3.4 产出 vs 投入), not results. */
    inputWords: z.array(z.string()),
    /** For 经济效益 a trend subject must be an economic quantity. */
    economicHeads: z.array(z.string()),
  }),
  entries: z.array(LibraryEntrySchema),
});
export type Library = z.infer<typeof LibrarySchema>;

export const LIBRARY: Library = LibrarySchema.parse(data);

/** Normalises a 二级 (else 一级) label to a category: 环境效益 → 生态效益, 影响力目标/满意度目标 → 满意度 … */
export function normalizeCategory(level1: string | null | undefined, level2: string | null | undefined, lib: Library = LIBRARY): Category | null {
  const pick = (label: string | null | undefined, table: Library["categories"]): Category | null => {
    if (label == null) return null;
    const t = label.replace(/\s+/g, "");
    if (t === "") return null;
    return table.find((c) => c.match.some((m) => t.includes(m)))?.key ?? null;
  };
  return pick(level2, lib.categories) ?? pick(level1, lib.level1Fallback);
}

/** Library entries of a category: keyword entries first (in file order), then the defaults. */
export function entriesFor(category: Category, lib: Library = LIBRARY): { keyed: LibraryEntry[]; defaults: LibraryEntry[] } {
  const all = lib.entries.filter((e) => e.category === category);
  return { keyed: all.filter((e) => e.keywords.length > 0), defaults: all.filter((e) => e.keywords.length === 0) };
}
