// All checks of one file's documents → findings per document, in a stable order.
import type { PerfDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import { defaultProfile, type Profile } from "../score/profile.ts";
import type { FileContext } from "./context.ts";
import { checkFunds } from "./funds.ts";
import { checkScores } from "./scores.ts";
import { checkIndicators } from "./indicators.ts";
import { checkReport } from "./report.ts";
import { checkAcrossProjects } from "./crossDoc.ts";
import { checkTargetForm } from "./targetForm.ts";
import { checkDrift } from "./drift.ts";
import { checkDept } from "./dept.ts";
import { checkUnfilled, incompleteNote, temperFindings } from "./completeness.ts";

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Findings for each document of a file (index-aligned with `docs`). `related`: documents of the other
 * files of the same batch or workspace (a 自评表 is compared with its project's 申报表 there too).
 */
export function validateDocuments(docs: PerfDoc[], profile: Profile = defaultProfile(), related: PerfDoc[] = []): Finding[][] {
  const file: FileContext = { docs, profile };
  const per: Finding[][] = docs.map((doc, index) => {
    if (doc.kind === "自评表") {
      const ctx = { doc, index, file, profile };
      return [...checkFunds(ctx), ...checkScores(ctx), ...checkIndicators(ctx), ...checkReport(ctx), ...checkDrift(ctx, related)];
    }
    if (doc.kind === "部门整体") return checkDept(doc, index, file, profile);
    return checkTargetForm({ doc, index, file, profile });
  });
  for (const f of checkAcrossProjects(file)) per[f.where.document]!.push(f);
  docs.forEach((doc, i) => {
    per[i] = [...checkUnfilled(doc, i), ...temperFindings(doc, per[i]!), ...incompleteNote(doc, i)];
  });
  for (const list of per) list.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return per;
}
