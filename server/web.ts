// The front end: web/app.ts bundled with esbuild into memory on first use (no build step, never
// stale), and the two static files beside it.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { build } from "esbuild";

export const WEB_DIR = fileURLToPath(new URL("../web/", import.meta.url));

let bundle: Promise<string> | null = null;

/** The bundled /app.js (built once per process; a failed build is retried on the next request). */
export function appBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(WEB_DIR, "app.ts")],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2020",
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
  }).then((r) => r.outputFiles[0]!.text);
  bundle.catch(() => {
    bundle = null;
  });
  return bundle;
}

const files = new Map<string, Promise<string>>();

export function staticFile(name: "index.html" | "style.css"): Promise<string> {
  let p = files.get(name);
  if (!p) {
    p = readFile(join(WEB_DIR, name), "utf8");
    files.set(name, p);
    p.catch(() => files.delete(name));
  }
  return p;
}

/** Scripts only from /app.js, no inline script or handler: a crafted document cannot run code. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
