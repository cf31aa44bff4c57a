// The web page: index.html, the bundled front end (web/ built by esbuild) and its stylesheet. Mounted at /.
import { Hono } from "hono";
import { CSP, appBundle, staticFile } from "../web.ts";

export function pageRoutes(): Hono {
  const app = new Hono();

  app.get("/", async (c) => {
    c.header("Content-Security-Policy", CSP);
    c.header("Cache-Control", "no-cache");
    return c.html(await staticFile("index.html"));
  });
  app.get("/app.js", async (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(await appBundle());
  });
  app.get("/style.css", async (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(await staticFile("style.css"));
  });
  app.get("/favicon.ico", (c) => c.body(null, 204));

  return app;
}
