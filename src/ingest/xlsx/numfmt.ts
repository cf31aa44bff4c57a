// Number formats: the displayed text of a number under an Excel number format (sections,
// placeholders, thousands separators, percent, exponents, dates and times, Chinese date formats).
import type { Styles } from "./styles.ts";

const BUILTIN_FORMATS: Record<number, string> = {
  0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?",
  13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
  20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy",
  31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"', 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
  40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
  50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

export function numFmtCode(styles: Styles, s: number): string {
  const id = styles.xfs[s]?.numFmtId ?? 0;
  return styles.numFmts.get(id) ?? BUILTIN_FORMATS[id] ?? "General";
}

type Tok =
  | { k: "lit"; s: string }
  | { k: "y" | "M" | "d" | "h" | "m" | "s" | "H" | "S" | "Mi"; n: number } // H/Mi/S: elapsed [h] [m] [s]
  | { k: "ampm"; s: string }
  | { k: "frac"; n: number }
  | { k: "ph"; s: string } // number placeholder chars 0 # ? . , E+ etc.
  | { k: "general" }
  | { k: "at" };

function splitSections(code: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '"') {
      const j = code.indexOf('"', i + 1);
      const end = j < 0 ? code.length : j;
      cur += code.slice(i, end + 1);
      i = end;
    } else if (ch === "\\" || ch === "_" || ch === "*") {
      cur += code.slice(i, i + 2);
      i++;
    } else if (ch === "[") {
      const j = code.indexOf("]", i);
      const end = j < 0 ? code.length : j;
      cur += code.slice(i, end + 1);
      i = end;
    } else if (ch === ";") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function tokenize(sec: string): Tok[] {
  const toks: Tok[] = [];
  const lit = (s: string): void => {
    const last = toks[toks.length - 1];
    if (last?.k === "lit") last.s += s;
    else toks.push({ k: "lit", s });
  };
  for (let i = 0; i < sec.length; i++) {
    const ch = sec[i]!;
    const rest = sec.slice(i);
    if (ch === '"') {
      const j = sec.indexOf('"', i + 1);
      const end = j < 0 ? sec.length : j;
      lit(sec.slice(i + 1, end));
      i = end;
    } else if (ch === "\\") {
      if (i + 1 < sec.length) lit(sec[i + 1]!);
      i++;
    } else if (ch === "_" || ch === "*") {
      i++; // padding / fill: no visible character
    } else if (ch === "[") {
      const j = sec.indexOf("]", i);
      const inner = sec.slice(i + 1, j < 0 ? sec.length : j);
      if (/^h+$/i.test(inner)) toks.push({ k: "H", n: inner.length });
      else if (/^m+$/i.test(inner)) toks.push({ k: "Mi", n: inner.length });
      else if (/^s+$/i.test(inner)) toks.push({ k: "S", n: inner.length });
      i = j < 0 ? sec.length : j; // colours, locales, conditions, DBNum: dropped
    } else if (/^general/i.test(rest)) {
      toks.push({ k: "general" });
      i += 6;
    } else if (/^(AM\/PM|A\/P|上午\/下午)/i.test(rest)) {
      const m = /^(AM\/PM|A\/P|上午\/下午)/i.exec(rest)!;
      toks.push({ k: "ampm", s: m[1]! });
      i += m[1]!.length - 1;
    } else if (/[yYmMdDhHsSeE]/.test(ch) && !(/[eE]/.test(ch) && /^[eE][+-]/.test(rest))) {
      let j = i;
      while (j < sec.length && sec[j]!.toLowerCase() === ch.toLowerCase()) j++;
      const n = j - i;
      const c = ch.toLowerCase();
      toks.push({ k: c === "y" || c === "e" ? "y" : c === "m" ? "M" : c === "d" ? "d" : c === "h" ? "h" : "s", n: c === "e" ? 4 : n });
      i = j - 1;
    } else if (ch === "." && toks.length && (toks[toks.length - 1]!.k === "s" || toks[toks.length - 1]!.k === "S") && sec[i + 1] === "0") {
      let j = i + 1;
      while (sec[j] === "0") j++;
      toks.push({ k: "frac", n: j - i - 1 });
      i = j - 1;
    } else if (/[0#?.,%]/.test(ch) || (/[eE]/.test(ch) && /^[eE][+-]/.test(rest))) {
      if (/[eE]/.test(ch)) {
        toks.push({ k: "ph", s: "E" + sec[i + 1] });
        i++;
      } else if (ch === "%") {
        toks.push({ k: "ph", s: "%" });
      } else toks.push({ k: "ph", s: ch });
    } else if (ch === "@") {
      toks.push({ k: "at" });
    } else if (ch === "/" && /^\/\s*[0-9?#]/.test(rest) && toks.some((t) => t.k === "ph")) {
      toks.push({ k: "ph", s: "/" });
    } else lit(ch);
  }
  // Month vs minute: m right after an hour, or right before seconds, is minutes.
  const timeish = (t: Tok | undefined): boolean => !!t && (t.k === "h" || t.k === "H");
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k !== "M") continue;
    let p = i - 1;
    while (p >= 0 && toks[p]!.k === "lit") p--;
    let q = i + 1;
    while (q < toks.length && toks[q]!.k === "lit") q++;
    if (timeish(toks[p]) || toks[q]?.k === "s" || toks[q]?.k === "S") toks[i] = { k: "m", n: t.n };
  }
  return toks;
}

const DATE_TOKS = new Set(["y", "M", "d", "h", "m", "s", "H", "Mi", "S", "ampm"]);

/** Displayed text of a number under an Excel number format (the common cases; never adds digits
 * beyond what the format asks for). */
export function formatNumber(v: number, code: string, date1904 = false): string {
  const sections = splitSections(code);
  let sec = sections[0] ?? "";
  let val = v;
  let autoMinus = true;
  if (sections.length >= 2 && v < 0) {
    sec = sections[1]!;
    val = -v;
    autoMinus = false;
  } else if (sections.length >= 3 && v === 0) {
    sec = sections[2]!;
  }
  const toks = tokenize(sec);
  if (toks.some((t) => DATE_TOKS.has(t.k))) return formatDate(val, toks, date1904);
  const phs = toks.filter((t) => t.k === "ph").map((t) => (t as { s: string }).s).join("");
  const firstNum = toks.findIndex((t) => t.k === "ph" || t.k === "general");
  const prefix = toks.slice(0, firstNum < 0 ? toks.length : firstNum).map(litText).join("");
  const suffix = firstNum < 0 ? "" : toks.slice(firstNum).map(litText).join("");
  let body: string;
  if (toks.some((t) => t.k === "general") || (phs === "" && toks.some((t) => t.k === "at"))) {
    body = general(autoMinus ? Math.abs(val) : val);
  } else if (!/[0#?]/.test(phs) || phs.includes("/")) {
    if (phs.includes("/")) body = general(Math.abs(val));
    else return prefix + suffix; // text-only section, e.g. "-" for zero
  } else {
    body = formatPlaceholders(Math.abs(val), phs);
  }
  const minus = autoMinus && val < 0 && /[1-9]/.test(body) ? "-" : "";
  return minus + prefix + body + suffix;
}

function litText(t: Tok): string {
  if (t.k === "lit") return t.s;
  if (t.k === "ph" && t.s === "%") return "%";
  return "";
}

function general(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  return String(Number(v.toPrecision(15))).replace("e", "E");
}

function roundTo(x: number, dec: number): number {
  const r = Number(Math.round(Number(`${x}e${dec}`)) + `e-${dec}`);
  return Number.isFinite(r) ? r : x;
}

function formatPlaceholders(x: number, phs: string): string {
  const pct = (phs.match(/%/g) ?? []).length;
  let val = x * 100 ** pct;
  const p = phs.replace(/%/g, "");
  const eIdx = p.search(/E[+-]/);
  const mant = eIdx >= 0 ? p.slice(0, eIdx) : p;
  const dot = mant.indexOf(".");
  let intPart = dot >= 0 ? mant.slice(0, dot) : mant;
  const decPart = dot >= 0 ? mant.slice(dot + 1).replace(/,/g, "") : "";
  // Trailing commas scale by 1000 each.
  const trail = /,+$/.exec(intPart);
  if (trail && dot < 0) {
    val /= 1000 ** trail[0].length;
    intPart = intPart.slice(0, -trail[0].length);
  } else if (trail && dot >= 0) {
    val /= 1000 ** trail[0].length;
    intPart = intPart.slice(0, -trail[0].length);
  }
  const group = intPart.includes(",");
  const minInt = (intPart.match(/0/g) ?? []).length;
  const maxDec = (decPart.match(/[0#?]/g) ?? []).length;
  const minDec = (decPart.match(/[0?]/g) ?? []).length;
  if (eIdx >= 0) {
    const expDigits = Math.max(1, (p.slice(eIdx + 2).match(/[0#?]/g) ?? []).length);
    const [m, e] = val.toExponential(maxDec).split("e");
    const en = Number(e);
    return `${trimDecimals(m!, minDec, dot >= 0)}E${en < 0 ? "-" : p[eIdx + 1] === "+" ? "+" : ""}${String(Math.abs(en)).padStart(expDigits, "0")}`;
  }
  let s = roundTo(val, maxDec).toFixed(maxDec);
  let [ip, fp] = s.split(".") as [string, string | undefined];
  if (ip === "0" && minInt === 0) ip = "";
  ip = ip.padStart(minInt, "0");
  if (group) ip = ip.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  s = ip + (dot >= 0 ? "." + (fp ?? "") : "");
  return dot >= 0 ? trimDecimals(s, minDec, true) : s;
}

function trimDecimals(s: string, minDec: number, hasDot: boolean): string {
  if (!hasDot || !s.includes(".")) return s;
  const [ip, fp = ""] = s.split(".");
  let f = fp;
  while (f.length > minDec && f.endsWith("0")) f = f.slice(0, -1);
  return `${ip}.${f}`;
}

interface DateParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  wd: number;
  serial: number;
}

function serialParts(serial: number, date1904: boolean): DateParts {
  let days = serial;
  if (date1904) days += 1462;
  else if (days < 60) days += 1; // Excel's phantom 1900-02-29
  const ms = Math.round((days - 25569) * 86400000);
  const dt = new Date(ms);
  return {
    y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate(), h: dt.getUTCHours(), mi: dt.getUTCMinutes(),
    s: dt.getUTCSeconds(), ms: dt.getUTCMilliseconds(), wd: dt.getUTCDay(), serial,
  };
}

const WEEKDAYS = "日一二三四五六";
const pad2 = (n: number): string => String(n).padStart(2, "0");

function formatDate(v: number, toks: Tok[], date1904: boolean): string {
  if (!Number.isFinite(v) || v < 0 || v > 2958465) return general(v);
  const p = serialParts(v, date1904);
  const literal = toks.filter((t) => t.k === "lit").map((t) => (t as { s: string }).s).join("");
  const cjk = /[年月日时時分秒]/.test(literal) || toks.some((t) => t.k === "ampm" && t.s.startsWith("上"));
  if (!cjk) {
    const has = (k: string): boolean => toks.some((t) => t.k === k);
    const hasDate = has("y") || has("M") || has("d");
    const hasTime = has("h") || has("m") || has("s") || has("H") || has("Mi") || has("S");
    const date = has("d") || !has("y") ? `${p.y}-${pad2(p.mo)}-${pad2(p.d)}` : `${p.y}-${pad2(p.mo)}`;
    const hours = has("H") ? Math.floor(v * 24) : p.h;
    const time = `${pad2(hours)}:${pad2(p.mi)}` + (has("s") || has("S") || p.s ? `:${pad2(p.s)}` : "");
    if (hasDate && hasTime) return `${date} ${time}`;
    return hasDate ? date : time;
  }
  const ampm = toks.some((t) => t.k === "ampm");
  let out = "";
  for (const t of toks) {
    switch (t.k) {
      case "lit":
        out += t.s;
        break;
      case "y":
        out += t.n <= 2 ? pad2(p.y % 100) : String(p.y);
        break;
      case "M":
        out += t.n === 1 ? String(p.mo) : t.n === 2 ? pad2(p.mo) : `${p.mo}月`;
        break;
      case "d":
        out += t.n === 1 ? String(p.d) : t.n === 2 ? pad2(p.d) : t.n === 3 ? `周${WEEKDAYS[p.wd]}` : `星期${WEEKDAYS[p.wd]}`;
        break;
      case "h": {
        const h = ampm ? (p.h % 12 || 12) : p.h;
        out += t.n >= 2 ? pad2(h) : String(h);
        break;
      }
      case "H":
        out += String(Math.floor(v * 24));
        break;
      case "m":
        out += t.n >= 2 ? pad2(p.mi) : String(p.mi);
        break;
      case "Mi":
        out += String(Math.floor(v * 1440));
        break;
      case "s":
        out += t.n >= 2 ? pad2(p.s) : String(p.s);
        break;
      case "S":
        out += String(Math.floor(v * 86400));
        break;
      case "frac":
        out += "." + String(p.ms).padStart(3, "0").slice(0, t.n);
        break;
      case "ampm":
        out += t.s.startsWith("上") ? (p.h < 12 ? "上午" : "下午") : p.h < 12 ? "AM" : "PM";
        break;
      default:
        break;
    }
  }
  return out;
}

/** t="d" cells carry an ISO 8601 date; show it through a date format if one is set. */
export function formatIsoDate(v: string, styles: Styles, s: number): string {
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : v + (v.includes("T") ? "Z" : "T00:00:00Z"));
  if (!Number.isFinite(ms)) return v;
  const serial = ms / 86400000 + 25569;
  const code = numFmtCode(styles, s);
  const toks = tokenize(splitSections(code)[0] ?? "");
  if (toks.some((t) => DATE_TOKS.has(t.k))) return formatDate(serial, toks, false);
  return v.endsWith("T00:00:00") || v.endsWith("T00:00:00Z") ? v.slice(0, 10) : v;
}
