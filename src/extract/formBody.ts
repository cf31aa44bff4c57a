// The body of a form that reports results (项目支出绩效自评表 of any family, 部门整体 forms): one pass
// over its rows finding the funds block, the goals block, the indicator table, the 总分 row and the
// labelled boxes, each by the vocabulary. Mapping to a document kind is the caller's (selfEval.ts,
// dept.ts); this file only says what sits where.
import { matchHeaderBy, readRow, type HeaderMap } from "./header.ts";
import { readLabelledFields, type FieldHit } from "./fields.ts";
import { matchIndicatorHeader, readIndicatorRow, type IndicatorHeader } from "./indicatorTable.ts";
import { squash } from "../domain/text.ts";
import { isEmptyRow, isNoteRow, type RCell, type RRow } from "./rows.ts";
import {
  fundsColumnOf,
  fundsRowOf,
  goalColumnOf,
  headerFieldOf,
  isGoalsBlockLabel,
  isNarrativeLabel,
  isTotalLabel,
  labelKey,
  pointsInLabel,
  type FundsField,
  type FundsRowKey,
  type GoalField,
  type IndicatorField,
} from "../domain/vocabulary.ts";

export interface FundsLine {
  key: FundsRowKey;
  label: string;
  labelCell: RCell;
  cells: Map<FundsField, RCell>;
}

export interface RawIndicator {
  /** Grid row of the table row this indicator was read from. */
  row: number;
  table: number;
  level1: RCell | null;
  level2: RCell | null;
  level1Text: string | null;
  level2Text: string | null;
  /** Non-empty cells per field (several when a cell was split). */
  f: Map<IndicatorField, RCell[]>;
  /** Every field's cell, empty ones included (absent: the row has no cell there — a cut row). */
  cells: Map<IndicatorField, RCell>;
  header: IndicatorHeader;
}

export interface FormBody {
  hits: FieldHit[];
  funds: FundsLine[];
  /** 执行率 points named in the funds block's label ("预算执行情况（20分）") when no 分值 column says it. */
  fundsPoints: { value: number; cell: RCell } | null;
  goals: Partial<Record<GoalField, RCell[]>>;
  raw: RawIndicator[];
  /** The table had an indicator header. */
  indicatorHeader: boolean;
  total: { weight: RCell | null; score: RCell | null; seen: boolean };
  /** Something that closes the form was seen after the indicators (总分 row, 评价结论 …). */
  ended: boolean;
  /** The form starts with its indicator table (a cut excerpt). */
  startsMidForm: boolean;
}

function matchFundsHeader(r: RRow): HeaderMap<FundsField> | null {
  const h = matchHeaderBy<FundsField>(r, (c) => (c.key.length <= 20 ? fundsColumnOf(c.text) : null), 3);
  if (!h || !h.some((x) => x.field === "initial" || x.field === "adjusted" || x.field === "executed")) return null;
  return h;
}

function matchGoalsHeader(r: RRow): HeaderMap<GoalField> | null {
  const h = matchHeaderBy<GoalField>(r, (c) => (c.key.length <= 20 ? goalColumnOf(c.text) : null), 1);
  if (!h) return null;
  const blockLabel = r.cells.some((c) => isGoalsBlockLabel(c.text));
  return h.length >= 2 || blockLabel ? h : null;
}

export function readFormBody(rows: RRow[]): FormBody {
  const body: FormBody = {
    hits: [],
    funds: [],
    fundsPoints: null,
    goals: {},
    raw: [],
    indicatorHeader: false,
    total: { weight: null, score: null, seen: false },
    ended: false,
    startsMidForm: false,
  };
  const fieldRows: RRow[] = [];
  let fundsHeader: HeaderMap<FundsField> | null = null;
  /** Inside the funds block: from its header to the first row that is not a funds row. */
  let inFunds = false;
  let goalsHeader: HeaderMap<GoalField> | null = null;
  let goalsDone = false;
  let ind: IndicatorHeader | null = null;
  let level1: RCell | null = null;
  let level2: RCell | null = null;
  let beforeIndicators = 0;

  for (const r of rows) {
    if (isEmptyRow(r)) continue;

    if (!ind) {
      const fh = matchFundsHeader(r);
      if (fh) {
        fundsHeader = fh;
        inFunds = true;
        for (const c of r.cells) {
          const pts = pointsInLabel(c.text);
          if (pts !== null && !fundsColumnOf(c.text)) body.fundsPoints = { value: pts, cell: c };
        }
        continue;
      }
      // Funds rows follow their header without a break; a goal text that mentions 财政拨款 is not one.
      if (fundsHeader && inFunds) {
        const first = fundsHeader[0]!.range[0];
        const labelCells = r.cells.filter((c) => c.col + c.span <= first && c.key !== "");
        const label = labelCells.map((c) => c.text).join("");
        const key = squash(label).length <= 24 ? fundsRowOf(label) : null;
        if (key && labelCells.length) {
          const v = readRow(r, fundsHeader);
          const cells = new Map<FundsField, RCell>();
          for (const [f, cs] of v) cells.set(f, cs[0]!);
          body.funds.push({ key, label: labelKey(label), labelCell: labelCells[labelCells.length - 1]!, cells });
          continue;
        }
        inFunds = false;
      }
      const gh = matchGoalsHeader(r);
      if (gh && !goalsDone) {
        goalsHeader = gh;
        continue;
      }
      const ih = matchIndicatorHeader(r);
      if (goalsHeader && !goalsDone && !ih) {
        const v = readRow(r, goalsHeader);
        if (v.size && !r.cells.some((c) => c.key !== "" && headerFieldOf(c.text) !== null && c.col < goalsHeader![0]!.range[0])) {
          for (const [f, cs] of v) body.goals[f] = cs;
          goalsDone = true;
          continue;
        }
      }
      if (ih) {
        ind = ih;
        body.indicatorHeader = true;
        body.startsMidForm = beforeIndicators === 0 && body.funds.length === 0;
        level1 = level2 = null;
        continue;
      }
      fieldRows.push(r);
      beforeIndicators++;
      continue;
    }

    // Inside the indicator table.
    if (r.cells.some((c) => c.key !== "" && c.key.length <= 8 && isTotalLabel(c.text))) {
      const v = readRow(r, ind.map);
      body.total = { weight: v.get("weight")?.[0] ?? null, score: v.get("score")?.[0] ?? null, seen: true };
      body.ended = true;
      ind = null;
      continue;
    }
    const again = matchIndicatorHeader(r);
    if (again) {
      ind = again;
      level1 = level2 = null;
      continue;
    }
    const firstCell = r.cells.find((c) => c.key !== "");
    if (firstCell && firstCell.col <= ind.map[0]!.range[0] && (isNarrativeLabel(firstCell.text) || /^(项目负责人|财务负责人|填表人|填报日期)/.test(firstCell.key))) {
      // 评价结论 / 存在问题 / 改进措施 / signatures after the table: the form's closing boxes.
      body.ended = true;
      ind = null;
      fieldRows.push(r);
      continue;
    }
    // A note under the table (注：本表金额单位为万元) is neither an indicator nor the form's end.
    if (isNoteRow(r)) continue;
    const f = readRow(r, ind.map);
    const cells = readIndicatorRow(r, ind);
    const l1 = f.get("level1")?.[0];
    const l2 = f.get("level2")?.[0];
    if (l1) {
      if (level1 && squash(level1.text) !== l1.key) level2 = null;
      level1 = l1;
    }
    if (l2) level2 = l2;
    body.raw.push({
      row: r.row,
      table: r.table.index,
      level1,
      level2,
      level1Text: level1 ? squash(level1.text) : null,
      level2Text: level2 ? squash(level2.text) : null,
      f,
      cells,
      header: ind,
    });
  }
  // Labelled boxes after the table (评价结论, 项目负责人) were collected with the header rows.
  body.hits = readLabelledFields(fieldRows);
  return body;
}
