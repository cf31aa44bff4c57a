// Boots a worker thread of the evals: registers tsx (the evals are TypeScript) and loads the entry.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
