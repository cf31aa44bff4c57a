// 部门整体 forms: the project forms' checks through the adapters in domain/dept.ts, without the rules
// that only make sense for one project (the 10/50/30/10 weighting, relevance to a project's name).
import type { DeptDoc } from "../domain/document.ts";
import type { Finding } from "../domain/finding.ts";
import { deptAsSelfEval, deptAsTargetForm } from "../domain/dept.ts";
import type { FileContext } from "./context.ts";
import type { Profile } from "../score/profile.ts";
import { checkFunds } from "./funds.ts";
import { checkScores } from "./scores.ts";
import { checkIndicators } from "./indicators.ts";
import { checkTargetForm } from "./targetForm.ts";

/** Codes that judge a project, not a department's whole budget. */
const PROJECT_ONLY = new Set(["WEIGHTS_NONSTANDARD", "INDICATOR_IRRELEVANT", "MISSING_CORE_DIMENSION", "MISSING_FIELD", "TEXT_COPIED_ACROSS_PROJECTS"]);

export function checkDept(doc: DeptDoc, index: number, file: FileContext, profile: Profile): Finding[] {
  const found =
    doc.form === "自评表"
      ? (() => {
          const ctx = { doc: deptAsSelfEval(doc), index, file, profile };
          return [...checkFunds(ctx), ...checkScores(ctx), ...checkIndicators(ctx)];
        })()
      : checkTargetForm({ doc: deptAsTargetForm(doc), index, file, profile });
  return found.filter((f) => !PROJECT_ONLY.has(f.code));
}
