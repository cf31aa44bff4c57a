// Paragraph segmentation: the main text → paragraphs with their end mark and properties. Drops
// field codes and deleted tracked changes, turns symbol-font characters into their glyphs.
import { symbolChar } from "../symbolFont.ts";
import type { DocModel, Piece } from "./fib.ts";
import { findRun, type Run } from "./fkp.ts";
import { applyPapSprms, type ParaProps } from "./papx.ts";
import { eachSprm } from "./sprms.ts";

export interface RawPara {
  text: string;
  /** The terminating character: "\r", "\x07" or "\x0c" (or "" at end of text). */
  mark: string;
  props: ParaProps;
}

function pieceIndexAt(pieces: Piece[], cp: number, hint: number): number {
  if (hint < pieces.length) {
    const h = pieces[hint]!;
    if (cp >= h.cpStart && cp < h.cpEnd) return hint;
    const n = pieces[hint + 1];
    if (n && cp >= n.cpStart && cp < n.cpEnd) return hint + 1;
  }
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const pc = pieces[mid]!;
    if (cp < pc.cpStart) hi = mid - 1;
    else if (cp >= pc.cpEnd) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function fcOf(pc: Piece, cp: number): number {
  return pc.fc + (cp - pc.cpStart) * (pc.compressed ? 1 : 2);
}

/** Character-level overrides from the CHPX: deleted tracked changes (sprmCFRMarkDel) and
 * symbol characters (sprmCSymbol, e.g. Wingdings ticks and boxes). */
interface CharOverrides {
  deleted: Uint8Array | null;
  symbols: Map<number, string> | null;
}

function charOverrides(doc: DocModel): CharOverrides {
  const wd = doc.wd;
  const runs: { run: Run; del: boolean; sym: number }[] = [];
  for (const r of doc.chpRuns) {
    if (r.start === r.end) continue;
    let del = false;
    let sym = -1;
    eachSprm(wd, r.start, r.end, (sprm, op) => {
      if (sprm === 0x0800) del = wd.u8(op) === 1;
      else if (sprm === 0x6a09) sym = wd.u16(op + 2);
    });
    if (del || sym >= 0) runs.push({ run: r, del, sym });
  }
  const res: CharOverrides = { deleted: null, symbols: null };
  if (runs.length === 0) return res;
  const plain = runs.map((x) => x.run);
  const byRun = new Map(runs.map((x) => [x.run, x]));
  const n = doc.text.length;
  let hint = 0;
  for (let cp = 0; cp < n; cp++) {
    const pi = pieceIndexAt(doc.pieces, cp, hint);
    if (pi < 0) continue;
    hint = pi;
    const r = findRun(plain, fcOf(doc.pieces[pi]!, cp));
    if (!r) continue;
    const o = byRun.get(r)!;
    if (o.del) (res.deleted ??= new Uint8Array(n))[cp] = 1;
    // The symbol replaces the placeholder character (0x28 with fSpec) of its run.
    if (o.sym >= 0 && doc.text.charCodeAt(cp) === 0x28) (res.symbols ??= new Map()).set(cp, symbolChar(o.sym));
  }
  return res;
}

/** True when the paragraph-property run containing `cp` ends right after it (a real paragraph end). */
function endsPapRun(doc: DocModel, cp: number, hint: number): boolean {
  const pi = pieceIndexAt(doc.pieces, cp, hint);
  if (pi < 0) return true;
  const pc = doc.pieces[pi]!;
  const fc = fcOf(pc, cp);
  const run = findRun(doc.papRuns, fc);
  return !run || run.fcEnd === fc + (pc.compressed ? 1 : 2);
}

function paraPropsAt(doc: DocModel, markCp: number, hint: number, cache: Map<number, ParaProps>): ParaProps {
  const pi = pieceIndexAt(doc.pieces, markCp, hint);
  if (pi < 0) return emptyProps();
  const pc = doc.pieces[pi]!;
  const run = findRun(doc.papRuns, fcOf(pc, markCp));
  let pp: ParaProps;
  if (run && run.end > run.start) {
    // FKPs share one PAPX among runs with identical properties: parse each PAPX once.
    const cached = cache.get(run.start);
    if (cached) pp = cached;
    else {
      pp = emptyProps();
      applyPapSprms(doc.wd, run.start, run.end, pp, doc.data);
      cache.set(run.start, pp);
    }
  } else pp = emptyProps();
  // Piece-level property modifier (only the complex form can carry paragraph/table sprms).
  if (pc.prm & 1) {
    const prc = doc.clxPrcs[pc.prm >>> 1];
    if (prc) {
      pp = { ...pp, tap: pp.tap && { centers: pp.tap.centers.slice(), cells: pp.tap.cells.map((c) => ({ ...c })) } };
      applyPapSprms(doc.table, prc.start, prc.end, pp, doc.data);
    }
  }
  return pp;
}

export function splitParagraphs(doc: DocModel): RawPara[] {
  const t = doc.text;
  const { deleted: del, symbols } = charOverrides(doc);
  const out: RawPara[] = [];
  let buf: string[] = [];
  let runStart = -1; // start of a pending run of plain characters
  // Field stack: true = in the field result (visible), false = in the field code (hidden).
  const fields: boolean[] = [];
  let hidden = 0; // number of stack entries that are in the code part
  let hint = 0;
  const propCache = new Map<number, ParaProps>();
  const flush = (i: number): void => {
    if (runStart >= 0) {
      if (hidden === 0) buf.push(t.slice(runStart, i));
      runStart = -1;
    }
  };
  const endPara = (i: number, c: number): void => {
    const pi = pieceIndexAt(doc.pieces, i, hint);
    if (pi >= 0) hint = pi;
    out.push({ text: buf.join(""), mark: String.fromCharCode(c), props: paraPropsAt(doc, i, hint, propCache) });
    buf = [];
  };
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (del && del[i] && c !== 0x0d && c !== 0x07) {
      flush(i);
      continue;
    }
    if (c >= 0x20 && c !== 0x7f) {
      const sym = symbols?.get(i);
      if (sym !== undefined) {
        flush(i);
        if (hidden === 0) buf.push(sym);
        continue;
      }
      if (runStart < 0) runStart = i;
      continue;
    }
    flush(i);
    switch (c) {
      case 0x0d:
        endPara(i, c);
        break;
      case 0x07:
        endPara(i, c);
        fields.length = 0;
        hidden = 0;
        break;
      case 0x0c:
        // Section break (ends its paragraph) or page break inside a paragraph.
        if (endsPapRun(doc, i, hint)) endPara(i, c);
        else if (hidden === 0) buf.push("\n");
        break;
      case 0x09:
        if (hidden === 0) buf.push("\t");
        break;
      case 0x0b:
      case 0x0e:
        if (hidden === 0) buf.push("\n");
        break;
      case 0x13:
        fields.push(false);
        hidden++;
        break;
      case 0x14:
        if (fields.length && fields[fields.length - 1] === false) {
          fields[fields.length - 1] = true;
          hidden--;
        }
        break;
      case 0x15:
        if (fields.length) {
          if (fields.pop() === false) hidden--;
        }
        break;
      case 0x1e:
        // Non-breaking hyphen.
        if (hidden === 0) buf.push("-");
        break;
      default:
        // 0x01 picture, 0x08 drawn object, 0x02 footnote ref, 0x05 annotation ref, 0x1f soft hyphen…
        break;
    }
  }
  flush(t.length);
  if (buf.length) {
    const last = buf.join("");
    if (last) out.push({ text: last, mark: "", props: emptyProps() });
  }
  return out;
}

function emptyProps(): ParaProps {
  return { inTable: false, ttp: false, itap: null, innerCell: false, innerTtp: false, tap: null };
}
