// What the user asks in the chat box → which API call answers it. Pure and deterministic (no LLM
// needed to route a request); the server reads the section number itself from the same words.

export type Intent =
  | { kind: "draft" }
  | { kind: "revise"; section: number | null }
  | { kind: "suggest" }
  | { kind: "help" };

const SECTION = /第\s*([一二三四五六七八九十]|\d{1,2})\s*(部分|节|章|段)/;

/** "第五部分" → 4 (0-based); null when no section is named. */
export function sectionOf(text: string): number | null {
  const m = SECTION.exec(text);
  if (!m) return null;
  const cn = "一二三四五六七八九十".indexOf(m[1]!);
  return cn >= 0 ? cn : Number(m[1]) - 1;
}

export function parseIntent(text: string, hasDraft: boolean): Intent {
  const t = text.replace(/\s+/g, "");
  if (t === "") return { kind: "help" };
  if (/指标/.test(t) && /(建议|推荐|量化|怎么写|如何写|改成|目标值|指标值)/.test(t) && !/报告/.test(t)) return { kind: "suggest" };
  const section = sectionOf(t);
  const reviseWords = /(改|重写|具体|详细|精简|简洁|简短|补充|展开|润色|调整|丰富|充实)/.test(t);
  if (hasDraft && (section !== null || reviseWords) && !/(重新起草|起草一份|再起草)/.test(t)) return { kind: "revise", section };
  if (/(起草|草拟|撰写|生成|写|报告|草稿)/.test(t)) return { kind: "draft" };
  return { kind: "help" };
}

export const HELP_TEXT =
  "我可以：① 起草自评报告（如“帮我起草今年的自评报告”）；② 修改某一部分（如“第五部分写具体些”）；③ 给出可量化的指标值建议（如“给出指标值建议”）。";
