// Prompt files: prompts/<name>.v<N>.md with a small front matter and two parts.
//
//   ---
//   name: draft-section
//   version: 1
//   description: one line
//   ---
//   <!-- system -->
//   …instructions…
//   <!-- user -->
//   …task, with {{var}} placeholders inside <tag>…</tag> data blocks…
//
// Every variable is data (uploaded text, verified JSON, last year's report): each value is escaped so that it
// cannot open or close a data block, and each system part says that what is inside a data block is never an
// instruction. A prompt is changed by adding a new version file, so llm_calls and the cache tell versions apart.
import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const PROMPTS_DIR = fileURLToPath(new URL("../../prompts/", import.meta.url));

export const SYSTEM_MARKER = "<!-- system -->";
export const USER_MARKER = "<!-- user -->";

export interface Prompt {
  name: string;
  /** Normalised as "v<N>", the form used in file names, llm_calls and cache keys. */
  version: string;
  description: string;
  system: string;
  user: string;
  /** Placeholder names used in the two parts, in order of first use. */
  vars: string[];
  file: string;
}

export interface PromptMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

const NAME_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FILE_RE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.v(\d+)\.md$/;
const VAR_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const loaded = new Map<string, Promise<Prompt>>();

/** Loads `name` at `version` (2, "2" or "v2"), or the highest version present when none is given. */
export function loadPrompt(name: string, version?: string | number, dir: string = PROMPTS_DIR): Promise<Prompt> {
  const key = `${dir}\0${name}\0${version ?? ""}`;
  let p = loaded.get(key);
  if (!p) {
    p = readPrompt(name, version, dir);
    // A failed read (missing file) is not memoised, so adding the file later works without a restart.
    p.catch(() => loaded.delete(key));
    loaded.set(key, p);
  }
  return p;
}

async function readPrompt(name: string, version: string | number | undefined, dir: string): Promise<Prompt> {
  if (!NAME_RE.test(name)) throw new Error(`invalid prompt name: ${JSON.stringify(name)}`);
  let n: number;
  if (version === undefined) {
    const versions = (await readdir(dir))
      .map((f) => FILE_RE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === name)
      .map((m) => Number(m[2]));
    if (versions.length === 0) throw new Error(`no prompt file ${name}.v<N>.md in ${dir}`);
    n = Math.max(...versions);
  } else {
    const m = /^v?(\d+)$/.exec(String(version));
    if (!m) throw new Error(`invalid prompt version: ${JSON.stringify(version)}`);
    n = Number(m[1]);
  }
  const file = path.join(dir, `${name}.v${n}.md`);
  return parsePrompt(await readFile(file, "utf8"), file, name, `v${n}`);
}

export function parsePrompt(source: string, file: string, expectName?: string, expectVersion?: string): Prompt {
  const text = source.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!fm) throw new Error(`${file}: missing front matter (--- … ---)`);
  const meta = new Map<string, string>();
  for (const line of (fm[1] ?? "").split("\n")) {
    const m = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line.trim());
    if (m) meta.set(m[1] ?? "", (m[2] ?? "").trim());
  }
  const name = meta.get("name") ?? "";
  const version = `v${(meta.get("version") ?? "").replace(/^v/, "")}`;
  if (!NAME_RE.test(name) || !/^v\d+$/.test(version)) throw new Error(`${file}: front matter needs name and version`);
  if (expectName !== undefined && name !== expectName) throw new Error(`${file}: name ${name} does not match the file name`);
  if (expectVersion !== undefined && version !== expectVersion) throw new Error(`${file}: version ${version} does not match the file name`);

  const body = text.slice(fm[0].length);
  const si = body.indexOf(SYSTEM_MARKER);
  const ui = body.indexOf(USER_MARKER);
  if (si < 0 || ui < 0 || ui < si) throw new Error(`${file}: needs ${SYSTEM_MARKER} then ${USER_MARKER}`);
  const system = body.slice(si + SYSTEM_MARKER.length, ui).trim();
  const user = body.slice(ui + USER_MARKER.length).trim();
  const vars: string[] = [];
  for (const part of [system, user]) {
    for (const m of part.matchAll(VAR_RE)) if (m[1] && !vars.includes(m[1])) vars.push(m[1]);
  }
  return { name, version, description: meta.get("description") ?? "", system, user, vars, file };
}

/**
 * Makes a value safe to put inside a data block: anything that looks like an opening or closing tag
 * ("<document>", "</document >", "< / data>", "<system") has its "<" written as "&lt;", so uploaded text can
 * neither end the block nor start a new one. "<5%", "a < b" and "≤16个" are untouched (no letter right after
 * "<", no slash), so numbers the draft checker compares stay verbatim. Placeholders in the value are not expanded (single-pass substitution).
 */
export function escapeData(value: string): string {
  return value.replace(/<(?=\s*\/|[A-Za-z!?])/g, "&lt;");
}

/** Fills the placeholders and returns the chat messages. A missing variable is a programming error. */
export function renderPrompt(p: Prompt, vars: Record<string, string>): PromptMessage[] {
  const missing = p.vars.filter((v) => !Object.hasOwn(vars, v));
  if (missing.length > 0) throw new Error(`prompt ${p.name} ${p.version}: missing variables ${missing.join(", ")}`);
  const fill = (part: string): string => part.replace(VAR_RE, (_, v: string) => escapeData(vars[v] ?? ""));
  return [
    { role: "system", content: fill(p.system) },
    { role: "user", content: fill(p.user) },
  ];
}
