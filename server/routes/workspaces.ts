// Workspaces: list, create, read (with files and documents), rename, delete; a workspace's documents.
// Mounted at /api. Uploads and file lists are in files.ts, exports in exports.ts, the review in review.ts.
import { Hono } from "hono";
import type { Deps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { idOf, jsonBody, parseOr400, userOf } from "../request.ts";
import * as S from "../schemas.ts";
import { filesWithDocuments } from "../views.ts";

export function workspaceRoutes({ store, view }: Deps): Hono {
  const app = new Hono();

  app.get("/workspaces", async (c) => c.json({ workspaces: await store.listWorkspaces() }));

  app.post("/workspaces", async (c) => {
    const body = parseOr400(S.CreateWorkspaceBody, await jsonBody(c));
    return c.json(await store.createWorkspace(body.name, userOf(c)), 201);
  });

  app.get("/workspaces/:id", async (c) => {
    const id = idOf(c, "工作区");
    const workspace = await store.getWorkspace(id);
    if (!workspace) throw notFound(`工作区 ${id} `);
    return c.json({ workspace, files: await filesWithDocuments(view, id) });
  });

  app.patch("/workspaces/:id", async (c) => {
    const id = idOf(c, "工作区");
    const body = parseOr400(S.RenameWorkspaceBody, await jsonBody(c));
    const ws = await store.renameWorkspace(id, body.name, userOf(c));
    if (!ws) throw notFound(`工作区 ${id} `);
    return c.json(ws);
  });

  app.delete("/workspaces/:id", async (c) => {
    const id = idOf(c, "工作区");
    if (!(await store.deleteWorkspace(id, userOf(c)))) throw notFound(`工作区 ${id} `);
    return c.json({ deleted: true });
  });

  app.get("/workspaces/:id/documents", async (c) => {
    const id = idOf(c, "工作区");
    if (!(await store.getWorkspace(id))) throw notFound(`工作区 ${id} `);
    return c.json({ documents: (await filesWithDocuments(view, id)).flatMap((f) => f.documents) });
  });

  return app;
}
