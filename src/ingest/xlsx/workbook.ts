// The workbook: where workbook.xml is (package relationships), its sheets (name, relationship id,
// visibility) and date system, and the relationships that locate each sheet and shared part.
import { attrOf } from "./ooxml.ts";

export function officeDocumentPath(relsXml: string | undefined): string | undefined {
  if (!relsXml) return undefined;
  for (const m of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const type = attrOf(m[1]!, "Type") ?? "";
    if (type.endsWith("/officeDocument")) {
      const t = attrOf(m[1]!, "Target");
      if (t) return resolvePath("", t);
    }
  }
  return undefined;
}

export function relsPathOf(part: string): string {
  const i = part.lastIndexOf("/");
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}

function resolvePath(baseDir: string, target: string): string {
  const t = target.replace(/\\/g, "/");
  const parts = (t.startsWith("/") ? t.slice(1) : baseDir + t).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

interface Rel {
  type: string;
  target: string;
}

export function parseRels(xml: string, baseDir: string): Map<string, Rel> {
  const rels = new Map<string, Rel>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const id = attrOf(m[1]!, "Id");
    const target = attrOf(m[1]!, "Target");
    if (!id || target === undefined) continue;
    if ((attrOf(m[1]!, "TargetMode") ?? "") === "External") continue;
    rels.set(id, { type: attrOf(m[1]!, "Type") ?? "", target: resolvePath(baseDir, target) });
  }
  return rels;
}

interface WorkbookInfo {
  sheets: { name: string; rid: string; state: "visible" | "hidden" | "veryHidden" }[];
  date1904: boolean;
}

export function parseWorkbook(xml: string): WorkbookInfo {
  const sheets: WorkbookInfo["sheets"] = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
    const st = attrOf(m[1]!, "state");
    const state = st === "hidden" ? "hidden" : st === "veryHidden" ? "veryHidden" : "visible";
    sheets.push({ name: attrOf(m[1]!, "name") ?? `Sheet${sheets.length + 1}`, rid: attrOf(m[1]!, "id") ?? "", state });
  }
  const pr = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(xml);
  const d = pr ? attrOf(pr[1]!, "date1904") : undefined;
  return { sheets, date1904: d === "1" || d === "true" };
}
