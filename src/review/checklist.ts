// The review checklist as data (checklist.json): items with a stable code, the reviewer's item name, a
// dimension, a severity, the rule that judges them and the standard opinion sentence. A bureau's own
// checklist file has the same shape and is laid over the default (or replaces it).
import { z } from "zod";
import data from "./checklist.json" with { type: "json" };

export const RULES = [
  "policyBasis", "calcBasis", "annualGoalMissing", "annualGoalVague", "targetTableEmpty", "dimensionMissing", "rowBlank",
  "valueMissing", "descriptionMissing", "nameTooLong", "unitMissing", "notQuantifiable", "timeLimit", "misclassified",
  "fundsMismatch", "amountMissing", "amountUnit", "totalBelowYear",
] as const;
export type RuleId = (typeof RULES)[number];

export const ReviewItemSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "代码须为大写字母、数字和下划线"),
  name: z.string().min(1),
  dimension: z.string().min(1),
  severity: z.enum(["error", "warning"]),
  rule: z.enum(RULES),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  opinion: z.string().min(1),
  enabled: z.boolean().default(true),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const ChecklistSchema = z.object({
  name: z.string().min(1),
  dimensions: z.array(z.string().min(1)).min(1),
  items: z.array(ReviewItemSchema).min(1),
});
export type Checklist = z.infer<typeof ChecklistSchema>;

/** A bureau's file: items may be partial (code + what changes); `replace` drops the default items. */
export const ChecklistOverrideSchema = z.object({
  name: z.string().min(1).optional(),
  dimensions: z.array(z.string().min(1)).min(1).optional(),
  replace: z.boolean().optional(),
  items: z.array(ReviewItemSchema.partial().extend({ code: ReviewItemSchema.shape.code })),
});

export const DEFAULT_CHECKLIST: Checklist = ChecklistSchema.parse(data);

/** Typed failure of a checklist file, with a Chinese message naming what is wrong. */
export class ChecklistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChecklistError";
  }
}

/** The default checklist with a bureau's file laid over it (items by code; new codes added). */
export function mergeChecklist(raw: unknown, base: Checklist = DEFAULT_CHECKLIST): Checklist {
  const o = ChecklistOverrideSchema.safeParse(raw);
  if (!o.success) {
    const i = o.error.issues[0]!;
    throw new ChecklistError(`审核清单格式不正确：${i.path.join(".") || "（根）"} ${i.message}`);
  }
  const items = o.data.replace ? [] : base.items.map((x) => ({ ...x }));
  for (const it of o.data.items) {
    const at = items.findIndex((x) => x.code === it.code);
    if (at >= 0) {
      items[at] = { ...items[at]!, ...stripUndefined(it) };
      continue;
    }
    const full = ReviewItemSchema.safeParse(it);
    if (!full.success) {
      const i = full.error.issues[0]!;
      throw new ChecklistError(`审核清单第 ${o.data.items.indexOf(it) + 1} 项（${it.code}）是新增审核项，须写全：${i.path.join(".")} ${i.message}`);
    }
    items.push(full.data);
  }
  const dimensions = [...(o.data.dimensions ?? base.dimensions)];
  for (const it of items) if (!dimensions.includes(it.dimension)) dimensions.push(it.dimension);
  return ChecklistSchema.parse({ name: o.data.name ?? base.name, dimensions, items });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
