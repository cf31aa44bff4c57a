// Extraction + recomputation + validation of one file's documents, in one call shared by the CLI
// and the server.
import type { FileResult, PerfDoc } from "./domain/document.ts";
import type { Finding } from "./domain/finding.ts";
import { scoreDocument, type DocumentScore } from "./score/index.ts";
import type { Profile } from "./score/profile.ts";
import { validateDocuments } from "./validate/index.ts";
import { groupFindings } from "./validate/group.ts";
import type { LlmFallbackReport } from "./pipeline.ts";

export type CheckedDocument = PerfDoc & { findings: Finding[]; scoring: DocumentScore | null };

export interface CheckedFile {
  file: string;
  format: string | null;
  profile: string;
  documents: CheckedDocument[];
  counts: { error: number; warning: number; info: number };
  error: FileResult["error"];
}

export function checkExtracted(r: FileResult & { llm?: LlmFallbackReport }, profile: Profile, related: PerfDoc[] = []): CheckedFile {
  const raw = validateDocuments(r.documents, profile, related);
  // Values the LLM fallback proposed but the source does not hold: reported on their document.
  for (const f of r.llm?.findings ?? []) raw[f.where.document]?.push(f);
  // One finding per fault on a cell, one per code on a document, each listing its places.
  const findings = raw.map(groupFindings);
  const documents = r.documents.map((d, i) => ({
    ...d,
    findings: findings[i] ?? [],
    scoring: d.kind === "自评表" ? scoreDocument(d, profile) : null,
  }));
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of documents) for (const f of d.findings) counts[f.severity]++;
  return { file: r.file, format: r.format, profile: profile.name, documents, counts, error: r.error };
}
