// Documents → the interchange JSON ({"documents": […]}, the keys of the gold files), pretty-printed.
import type { PerfDoc } from "../domain/document.ts";

export function exportJson(docs: PerfDoc[]): string {
  return JSON.stringify({ documents: docs }, null, 2) + "\n";
}
