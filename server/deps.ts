// What the route modules are built from: the store, the model (or none), the scoring profile and the app's
// limits, every default filled in by createApp (server/app.ts).
import type { JobQueue } from "../src/jobs/index.ts";
import type { Llm } from "../src/llm/index.ts";
import type { Profile } from "../src/score/profile.ts";
import type { Store } from "../src/store/index.ts";
import type { Reader } from "./isolate.ts";
import type { ViewContext } from "./views.ts";

export interface Deps {
  store: Store;
  llm: Llm | null;
  profile: Profile;
  /** Largest upload, in bytes. */
  maxUploadBytes: number;
  /** Reads uploaded files in worker threads (server/isolate.ts). */
  reader: Reader;
  /** The access token /api requires, when one is set. */
  token: string | undefined;
  /** One line per unexpected error; never document contents, tokens or keys. */
  log: (line: string) => void;
  /** Long work as jobs (src/jobs), when the app runs them. */
  jobs: JobQueue | null;
  /** The store and profile, as server/views.ts wants them. */
  view: ViewContext;
}
