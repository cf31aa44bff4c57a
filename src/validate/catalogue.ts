import { z } from "zod";
import data from "./data/catalogue.json" with { type: "json" };
import { SeveritySchema, type Finding, type Severity, type Suggestion, type Where } from "../domain/finding.ts";
import type { Provenance } from "../domain/document.ts";

const CatalogueSchema = z.object({
  codes: z.record(z.string(), z.object({ severity: SeveritySchema, title: z.string(), fix: z.string(), scope: z.literal("form").optional() })),
});
export const CATALOGUE = CatalogueSchema.parse(data).codes;
export type FindingCode = keyof typeof data.codes;

export interface FindingInput {
  where: Where;
  message: string;
  /** Overrides the catalogue's generic fix. */
  fix?: string;
  severity?: Severity;
  suggestion?: Suggestion | null;
  provenance?: (Provenance | null | undefined)[];
}

export function finding(code: FindingCode, f: FindingInput): Finding {
  const c = CATALOGUE[code];
  if (!c) throw new Error(`unknown finding code ${code}`);
  return {
    code,
    severity: f.severity ?? c.severity,
    where: f.where,
    message: f.message,
    fix: f.fix ?? c.fix,
    suggestion: f.suggestion ?? null,
    provenance: (f.provenance ?? []).filter((p): p is Provenance => p != null),
  };
}
