// Paragraph and table properties: the paragraph sprms that mark table cells and row ends, and the
// table sprms (sprmTDefTable and its edits) that give a row's cell boundaries and merge flags.
import { Bytes } from "./bytes.ts";
import { eachSprm } from "./sprms.ts";

export interface TapCell {
  firstMerged: boolean;
  merged: boolean;
  vertMerge: boolean;
  vertRestart: boolean;
}

export interface Tap {
  /** rgdxaCenter: itcMac + 1 boundaries in twips. */
  centers: number[];
  cells: TapCell[];
}

export function newTapCell(): TapCell {
  return { firstMerged: false, merged: false, vertMerge: false, vertRestart: false };
}

export interface ParaProps {
  inTable: boolean;
  ttp: boolean;
  itap: number | null;
  innerCell: boolean;
  innerTtp: boolean;
  tap: Tap | null;
}

export function applyPapSprms(b: Bytes, start: number, end: number, pp: ParaProps, data: Bytes | null): void {
  eachSprm(b, start, end, (sprm, op, len) => {
    switch (sprm) {
      case 0x2416: // sprmPFInTable
        pp.inTable = b.u8(op) !== 0;
        break;
      case 0x2417: // sprmPFTtp
        pp.ttp = b.u8(op) !== 0;
        break;
      case 0x6649: // sprmPItap
        pp.itap = b.i32(op);
        break;
      case 0x664a: // sprmPDtap
        pp.itap = (pp.itap ?? (pp.inTable ? 1 : 0)) + b.i32(op);
        break;
      case 0x244b: // sprmPFInnerTableCell
        pp.innerCell = b.u8(op) !== 0;
        break;
      case 0x244c: // sprmPFInnerTtp
        pp.innerTtp = b.u8(op) !== 0;
        break;
      case 0x6646: {
        // sprmPHugePapx: the real grpprl lives in the Data stream.
        if (!data) break;
        const fc = b.u32(op);
        if (fc + 2 > data.length) break;
        const cb = data.u16(fc);
        applyPapSprms(data, fc + 2, fc + 2 + cb, pp, null);
        break;
      }
      case 0xd608: {
        // sprmTDefTable
        const q = op + 2;
        const itcMac = b.u8(q);
        const lim = op + len;
        const centers: number[] = [];
        for (let i = 0; i <= itcMac && q + 1 + i * 2 + 2 <= lim; i++) centers.push(b.i16(q + 1 + i * 2));
        if (centers.length !== itcMac + 1) break;
        const cells: TapCell[] = [];
        let tp = q + 1 + (itcMac + 1) * 2;
        for (let i = 0; i < itcMac; i++, tp += 20) {
          const c = newTapCell();
          if (tp + 20 <= lim) {
            const grf = b.u16(tp);
            c.firstMerged = (grf & 0x01) !== 0;
            c.merged = (grf & 0x02) !== 0;
            c.vertMerge = (grf & 0x20) !== 0;
            c.vertRestart = (grf & 0x40) !== 0;
          }
          cells.push(c);
        }
        pp.tap = { centers, cells };
        break;
      }
      case 0xd62b: {
        // sprmTVertMerge: cb, itc, flags (0 none, 1 continue, 3 restart)
        const tap = pp.tap;
        if (!tap || len < 3) break;
        const c = tap.cells[b.u8(op + 1)];
        if (!c) break;
        const f = b.u8(op + 2);
        c.vertMerge = f === 1 || f === 3;
        c.vertRestart = f === 3;
        break;
      }
      case 0x5624: {
        // sprmTMerge: itcFirst, itcLim
        const tap = pp.tap;
        if (!tap) break;
        const first = b.u8(op);
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        for (let i = first; i < lim; i++) {
          const c = tap.cells[i]!;
          c.firstMerged = i === first;
          c.merged = i !== first;
        }
        break;
      }
      case 0x5625: {
        // sprmTSplit
        const tap = pp.tap;
        if (!tap) break;
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        for (let i = b.u8(op); i < lim; i++) {
          const c = tap.cells[i]!;
          c.firstMerged = false;
          c.merged = false;
        }
        break;
      }
      case 0x7621: {
        // sprmTInsert: itcInsert, ctc, dxaCol
        const tap = pp.tap;
        if (!tap) break;
        const at = b.u8(op);
        const ctc = b.u8(op + 1);
        const dxa = b.i16(op + 2);
        const n = tap.cells.length;
        if (at > n) {
          // Pad with zero-width cells up to `at`, then insert.
          const last = tap.centers[n]!;
          for (let i = n; i < at; i++) {
            tap.cells.push(newTapCell());
            tap.centers.push(last);
          }
        }
        const base = tap.centers[at] ?? 0;
        const newCenters: number[] = [];
        for (let i = 1; i <= ctc; i++) newCenters.push(base + i * dxa);
        for (let i = at + 1; i < tap.centers.length; i++) tap.centers[i] = tap.centers[i]! + ctc * dxa;
        tap.centers.splice(at + 1, 0, ...newCenters);
        tap.cells.splice(at, 0, ...Array.from({ length: ctc }, newTapCell));
        break;
      }
      case 0x5622: {
        // sprmTDelete: itcFirst, itcLim
        const tap = pp.tap;
        if (!tap) break;
        const first = b.u8(op);
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        if (first >= lim) break;
        tap.cells.splice(first, lim - first);
        tap.centers.splice(first + 1, lim - first);
        break;
      }
      case 0x7623: {
        // sprmTDxaCol: itcFirst, itcLim, dxaCol
        const tap = pp.tap;
        if (!tap) break;
        const first = b.u8(op);
        const lim = Math.min(b.u8(op + 1), tap.cells.length);
        const dxa = b.i16(op + 2);
        for (let i = first; i < lim; i++) {
          const shift = tap.centers[i]! + dxa - tap.centers[i + 1]!;
          for (let j = i + 1; j < tap.centers.length; j++) tap.centers[j] = tap.centers[j]! + shift;
        }
        break;
      }
      default:
        break;
    }
  });
}
