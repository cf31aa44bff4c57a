// domain.md §3.3: a target (指标值) or an actual (完成值) is unmeasurable when it carries no number.
import { z } from "zod";
import vagueData from "./data/vague.json" with { type: "json" };
import { squash, toHalfWidth } from "../domain/text.ts";

const VagueDataSchema = z.object({ lexicon: z.array(z.string()), boolean: z.array(z.string()), completion: z.array(z.string()) });
export const VAGUE = VagueDataSchema.parse(vagueData);

export interface VagueVerdict {
  vague: boolean;
  /** Lexicon words found in the text (longest first). */
  words: string[];
  boolean: boolean;
}

/** Strips operators, whitespace and punctuation, keeping letters and digits. */
export function normalizeValue(text: string): string {
  return squash(toHalfWidth(text)).replace(/[≥≤<>=＞＜≧≦±~～\-—–,，。.、;；:：!！?？“”"'‘’()（）\[\]【】《》/]/g, "");
}

export function hasDigit(text: string | null | undefined): boolean {
  return text != null && /[0-9０-９]|百分之|[一二三四五六七八九十百千万]+(个|人|场|次|件|户|项|部|名|家|所|期|份|批|台|套)/.test(text);
}

export function lexiconWords(text: string): string[] {
  const t = normalizeValue(text);
  return VAGUE.lexicon.filter((w) => t.includes(w)).sort((a, b) => b.length - a.length);
}

/** A target is vague when it has no number (the 自评表 has no 定性 grade column to excuse it). */
export function vagueTarget(text: string | null | undefined): VagueVerdict {
  if (text == null || normalizeValue(text) === "") return { vague: false, words: [], boolean: false };
  const t = normalizeValue(text);
  const isBool = VAGUE.boolean.includes(t);
  if (hasDigit(text)) return { vague: false, words: [], boolean: false };
  return { vague: true, words: lexiconWords(text), boolean: isBool };
}

/** An actual is vague when it has no number and either the target has one or it only says "完成"-like words. */
export function vagueActual(actual: string | null | undefined, target: string | null | undefined): boolean {
  if (actual == null || normalizeValue(actual) === "" || hasDigit(actual)) return false;
  if (hasDigit(target)) return true;
  const a = normalizeValue(actual);
  return VAGUE.completion.includes(a);
}
