// A test app over a fresh temp data directory, and small request helpers for app.request().
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { createApp, type AppDeps } from "../../server/app.ts";
import { Store } from "../../src/store/index.ts";
import { testStoreOptions } from "./pg.ts";
import { SEEDS_DIR } from "../fixtures.ts";

export const SEED_001 = join(SEEDS_DIR, "001-jingzhou-2023.docx");
export const seedBytes = (name = "001-jingzhou-2023.docx") => new Uint8Array(readFileSync(join(SEEDS_DIR, name)));

export interface TestApp {
  app: Hono;
  store: Store;
  dataDir: string;
  logs: string[];
  close(): Promise<void>;
}

export async function testApp(over: Partial<AppDeps> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "jixiao-server-"));
  const store = await Store.open(dataDir, await testStoreOptions());
  const logs: string[] = [];
  const app = createApp({ store, llm: null, dataDir, log: (l) => logs.push(l), ...over });
  return {
    app, store, dataDir, logs,
    close: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function jsonReq(method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { "content-type": "application/json", ...headers }, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) };
}

export function uploadReq(files: { name: string; data: Uint8Array | string }[], headers: Record<string, string> = {}): RequestInit {
  const form = new FormData();
  for (const f of files) form.append("files", new File([typeof f.data === "string" ? f.data : new Uint8Array(f.data)], f.name));
  return { method: "POST", body: form, headers };
}

/** Parses a text/event-stream body into its events (event name + JSON data). */
export function parseSse(text: string): { event: string; data: any }[] {
  return text
    .split(/\n\n/)
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      return data ? { event, data: JSON.parse(data) } : null;
    })
    .filter((x): x is { event: string; data: any } => x !== null);
}

export const XSS = "<img src=x onerror=alert(1)>";

/** Seed 001 with its first project's name replaced by an HTML payload (escaped in the XML, as Word would). */
export function xssDocx(): Uint8Array {
  const files = unzipSync(seedBytes());
  const xml = strFromU8(files["word/document.xml"]!);
  const escaped = XSS.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  files["word/document.xml"] = strToU8(xml.split("村和社区戒毒康复工作站、禁毒协会工作经费").join(escaped));
  return zipSync(files);
}
