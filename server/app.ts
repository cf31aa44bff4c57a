// The app's assembly: request log, security headers, the access token, the one error handler, and the route
// modules mounted with app.route (server/routes/, one file per resource). Routes translate HTTP ↔ calls
// into src/ and server/views; the rules live in src/, the error → status table in server/errors.ts.
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { DEFAULT_MAX_BYTES } from "../src/ingest/index.ts";
import type { JobQueue } from "../src/jobs/index.ts";
import type { Llm } from "../src/llm/index.ts";
import { defaultProfile, type Profile } from "../src/score/profile.ts";
import type { Store } from "../src/store/index.ts";
import type { Deps } from "./deps.ts";
import { ApiError, errorResponse } from "./errors.ts";
import { sharedReaderPool, type Reader } from "./isolate.ts";
import { documentRoutes } from "./routes/documents.ts";
import { draftRoutes } from "./routes/drafts.ts";
import { exportRoutes } from "./routes/exports.ts";
import { fileRoutes } from "./routes/files.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { pageRoutes } from "./routes/page.ts";
import { reviewRoutes } from "./routes/review.ts";
import { systemRoutes } from "./routes/system.ts";
import { workspaceRoutes } from "./routes/workspaces.ts";

export interface AppDeps {
  store: Store;
  llm: Llm | null;
  dataDir: string;
  /** When set, every /api route except /api/health needs `Authorization: Bearer <token>` (or ?token= on GET). */
  token?: string;
  /** Largest upload request, in bytes (default 50 MB). */
  maxUploadBytes?: number;
  profile?: Profile;
  /** Reads uploaded files (default: the process's shared pool of reader threads; serve() passes its own and closes it). */
  reader?: Reader;
  /** One line per request and per unexpected error; never document contents, tokens or keys. */
  log?: (line: string) => void;
  /** The job queue (serve() opens it: in-process over SQLite, pg-boss over PostgreSQL); none in apps built for tests. */
  jobs?: JobQueue;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function createApp(opts: AppDeps): Hono {
  const profile = opts.profile ?? defaultProfile();
  const log = opts.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const token = opts.token?.trim() || undefined;
  const deps: Deps = {
    store: opts.store,
    llm: opts.llm,
    profile,
    maxUploadBytes: opts.maxUploadBytes ?? DEFAULT_MAX_BYTES,
    reader: opts.reader ?? sharedReaderPool(),
    token,
    log,
    jobs: opts.jobs ?? null,
    view: { store: opts.store, profile },
  };

  const app = new Hono();

  // Method, path (never the query string: it may hold ?token=), status and time. No bodies.
  app.use("*", async (c, next) => {
    const t0 = performance.now();
    await next();
    // The decoded path may carry control characters (%0A): never let it forge a log line.
    const path = c.req.path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "?");
    log(`${new Date().toISOString()} ${c.req.method} ${path} ${c.res.status} ${Math.round(performance.now() - t0)}ms`);
  });

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
  });

  app.use("/api/*", async (c, next) => {
    if (!token || c.req.path === "/api/health") return next();
    const auth = c.req.header("authorization");
    let given = auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, "").trim() : undefined;
    if (given === undefined && c.req.method === "GET") given = c.req.query("token");
    if (given === undefined || !sameSecret(given, token)) {
      throw new ApiError(401, "UNAUTHORIZED", "需要访问令牌：请求头加 Authorization: Bearer <令牌>，下载链接可加 ?token=<令牌>");
    }
    return next();
  });

  app.onError((e, c) => errorResponse(c, e, log));
  app.notFound((c) =>
    c.req.path.startsWith("/api/") ? c.json({ code: "NOT_FOUND", message: `接口不存在：${c.req.method} ${c.req.path}` }, 404) : c.text("页面不存在", 404),
  );

  // Every sub-app is mounted after the middleware above, so each of its routes runs behind it.
  app.route("/", pageRoutes());
  app.route("/api", systemRoutes(deps));
  app.route("/api", workspaceRoutes(deps));
  app.route("/api", fileRoutes(deps));
  app.route("/api", documentRoutes(deps));
  app.route("/api", exportRoutes(deps));
  app.route("/api", reviewRoutes(deps));
  app.route("/api", draftRoutes(deps));
  app.route("/api", jobRoutes(deps));

  return app;
}
