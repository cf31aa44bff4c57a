// Rule profiles are data (src/score/profiles/*.json): a province's variant is a new file.
import { z } from "zod";
import central from "./profiles/central-2020.json" with { type: "json" };
import hb from "./profiles/hb-2017.json" with { type: "json" };
import reverse2 from "./profiles/vendor-reverse-2.json" with { type: "json" };

const Band = z.object({ grade: z.string(), min: z.number().min(0).max(1), max: z.number().min(0).max(1) });

export const ProfileSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** First-level weights (预算执行率 / 产出 / 效益 / 满意度), summing to 100. */
  weights: z.object({ execution: z.number(), output: z.number(), benefit: z.number(), satisfaction: z.number() }),
  /** 定性 grade bands as shares of the weight (domain.md §2.4). */
  qualitativeBands: z.array(Band).min(1),
  /** 反向 (≤) indicators: 1 = w·A/B, 2 = linear to 0 at 2A (domain.md §2.3). */
  reverseVariant: z.union([z.literal(1), z.literal(2)]),
  /** Actual ≥ k × target needs an explanation (domain.md §2.5). */
  overAchieveFactor: z.number().positive(),
  /** 执行率 below this needs a reason. */
  lowExecutionRate: z.number().min(0).max(1),
  gradeBands: z.array(z.object({ grade: z.string(), min: z.number() })).min(1),
  tolerance: z.object({ line: z.number(), total: z.number(), ratePoints: z.number() }),
});
export type Profile = z.infer<typeof ProfileSchema>;

const PROFILES: Record<string, Profile> = Object.fromEntries(
  [central, hb, reverse2].map((p) => {
    const parsed = ProfileSchema.parse(p);
    return [parsed.name, parsed];
  }),
);

export const DEFAULT_PROFILE = "central-2020";

export function listProfiles(): Profile[] {
  return Object.values(PROFILES);
}

export function getProfile(name: string = DEFAULT_PROFILE): Profile | null {
  return PROFILES[name] ?? null;
}

export function defaultProfile(): Profile {
  return PROFILES[DEFAULT_PROFILE]!;
}

/** 优/良/中/差 for a total score (财预〔2020〕10号 grade bands). */
export function gradeOf(total: number, p: Profile): string {
  const bands = [...p.gradeBands].sort((a, b) => b.min - a.min);
  return (bands.find((b) => total >= b.min) ?? bands[bands.length - 1]!).grade;
}
