// Boots a worker thread (server extraction, eval corpus): registers tsx (the code is TypeScript) and loads the entry.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
