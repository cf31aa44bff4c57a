// /api/health (the only route without the access token) and /api/openapi.json. Mounted at /api.
import { Hono } from "hono";
import type { Deps } from "../deps.ts";
import { openApiDocument } from "../openapi.ts";
import type * as S from "../schemas.ts";

export const NO_LLM_NOTICE = "未配置大模型：使用模板起草，建议由确定性规则生成";

export function systemRoutes({ store, llm, maxUploadBytes, token, jobs }: Deps): Hono {
  const app = new Hono();

  app.get("/health", async (c) =>
    c.json({
      ok: true,
      schemaVersion: await store.schemaVersion(),
      llm: { configured: llm !== null, model: llm?.model ?? null },
      drafter: llm ? "llm" : "template",
      notice: llm ? null : NO_LLM_NOTICE,
      maxUploadBytes,
      tokenRequired: token !== undefined,
      jobs: jobs ? { engine: jobs.engine } : null,
    } satisfies S.HealthView),
  );
  app.get("/openapi.json", (c) => c.json(openApiDocument()));

  return app;
}
