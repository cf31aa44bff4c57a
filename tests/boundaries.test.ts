// Dependencies point inward (../shared/docs/style.md): server, cli and web → draft/validate/score/extract → domain.
// This reads the import graph of src/, server/ and web/ with the TypeScript parser and fails, naming the file,
// the line and the import, when a layer reaches outward. Each row of RULES is one rule: the files it covers,
// the targets they may not import (or the only ones they may), and why.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const LAYERS = ["src", "server", "web"];
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;

/** One import as written in a file, and what it points at. */
interface Edge {
  /** The importing file, relative to the repository root ("src/cli.ts"). */
  from: string;
  line: number;
  /** The specifier as written ("../llm/client.ts", "node:fs", "hono/factory"). */
  spec: string;
  /**
   * What it resolves to: a repository path for a relative import ("src/llm/client.ts"), "node:<name>" for a Node
   * builtin ("fs/promises" → "node:fs/promises"), the specifier itself for a package ("openai/helpers/zod").
   */
  target: string;
  /** Erased at compile time: `import type`, `export type`, every named binding marked `type`, `typeof import("…")`. */
  typeOnly: boolean;
  /** A relative import that names no file. */
  unresolved?: boolean;
}

// ── the rules ─────────────────────────────────────────────────────────────────────────────────────────────
// Patterns: "dir/**" is the folder and everything below it; anything else matches exactly.

interface Rule {
  id: string;
  rule: string;
  why: string;
  /** The importing files the rule applies to. */
  files: string[];
  /** Files the rule does not apply to even though `files` covers them. */
  exceptFiles?: string[];
  /** Targets the files may not import… */
  forbid?: string[];
  /** …or the only targets they may import. */
  allowOnly?: string[];
  /** Forbidden targets that are fine all the same. */
  exceptTargets?: string[];
  /** `import type` of a forbidden target is allowed (it is erased before anything runs). */
  typesAllowed?: boolean;
}

const CORE = ["src/extract/**", "src/score/**", "src/validate/**", "src/suggest/**", "src/review/**"];

const RULES: Rule[] = [
  {
    id: "domain",
    rule: "src/domain imports nothing outside src/domain (zod allowed)",
    why: "the domain is the centre: every layer depends on it, it depends on none",
    files: ["src/domain/**"],
    allowOnly: ["src/domain/**", "zod"],
  },
  {
    id: "core",
    rule: "the pure core (extract, score, validate, suggest, review) does no I/O and knows no server, store or model SDK",
    why: "data in, data out: no fs, sqlite3, openai or hono; models are reached through src/llm, storage by the caller",
    files: CORE,
    forbid: ["node:fs", "node:fs/**", "sqlite3", "sqlite3/**", "openai", "openai/**", "hono", "hono/**", "@hono/**", "server/**", "src/store/**"],
  },
  {
    id: "llm",
    rule: "outside src/llm, the model client is imported only through src/llm/index.ts",
    why: "src/llm is the only place that talks to a model; one import path keeps its insides free to change",
    files: ["src/**", "server/**", "web/**"],
    exceptFiles: ["src/llm/**"],
    forbid: ["src/llm/**"],
    exceptTargets: ["src/llm/index.ts"],
  },
  {
    id: "extract",
    rule: "src/extract imports no judging layer (score, validate, suggest, review)",
    why: "reading a form comes before judging it; what both need (the form vocabulary) lives in src/domain",
    files: ["src/extract/**"],
    forbid: ["src/score/**", "src/validate/**", "src/suggest/**", "src/review/**"],
  },
  {
    id: "judging",
    rule: "score, validate, suggest and review import nothing from src/extract or src/ingest",
    why: "they judge documents, whatever file they were read from; layout knowledge stays with the recognizer",
    files: ["src/score/**", "src/validate/**", "src/suggest/**", "src/review/**"],
    forbid: ["src/extract/**", "src/ingest/**"],
    typesAllowed: true,
  },
  {
    id: "store",
    rule: "server/ reaches the store only through src/store/index.ts",
    why: "src/store is the only place that knows SQL; routes see its interface, not its tables",
    files: ["server/**"],
    forbid: ["src/store/**"],
    exceptTargets: ["src/store/index.ts"],
  },
  {
    id: "jobs",
    rule: "src/jobs imports nothing from server/",
    why: "the server and `jixiao worker` both run jobs; a worker is not a web server and must not need one",
    files: ["src/jobs/**"],
    forbid: ["server/**"],
  },
  {
    id: "queue",
    rule: "pg-boss is imported only by src/jobs/boss.ts",
    why: "the queue is one engine behind the job interface; everything else reads jobs from the store",
    files: ["src/**", "server/**", "web/**"],
    exceptFiles: ["src/jobs/boss.ts"],
    forbid: ["pg-boss", "pg-boss/**"],
  },
  {
    id: "web→server",
    rule: "web/ imports only types from server/",
    why: "the front end talks to the API over HTTP; the server's code must never end up in the browser bundle",
    files: ["web/**"],
    forbid: ["server/**"],
    typesAllowed: true,
  },
  {
    id: "web→src",
    rule: "web/ imports nothing from src/store, src/llm or src/ingest",
    why: "storage, the model and file reading happen on the server, behind the API",
    files: ["web/**"],
    forbid: ["src/store/**", "src/llm/**", "src/ingest/**"],
  },
];

// ── reading the graph ─────────────────────────────────────────────────────────────────────────────────────

const matches = (p: string, pattern: string): boolean =>
  pattern.endsWith("/**") ? p === pattern.slice(0, -3) || p.startsWith(pattern.slice(0, -2)) : p === pattern;
const matchesAny = (p: string, patterns: string[] | undefined): boolean => !!patterns?.some((q) => matches(p, q));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (SOURCE.test(name)) out.push(rel);
  }
  return out;
}

function isFile(rel: string): boolean {
  try {
    return statSync(path.join(ROOT, rel)).isFile();
  } catch {
    return false;
  }
}

/** Resolves a specifier the way tsx and tsc (NodeNext, allowImportingTsExtensions) do, as far as this repo needs. */
function resolve(from: string, spec: string): { target: string; unresolved?: boolean } {
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
    const candidates = [base, base.replace(/\.(m|c)?js$/, ".$1ts"), `${base}.ts`, `${base}/index.ts`, `${base}/index.js`];
    const found = candidates.find(isFile);
    return found ? { target: found } : { target: base, unresolved: true };
  }
  const bare = spec.replace(/^node:/, "");
  if (spec.startsWith("node:") || builtinModules.includes(bare)) return { target: `node:${bare}` };
  return { target: spec };
}

const stringArg = (n: ts.Node | undefined): string | undefined =>
  n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined;

/** The imports of one file: static, re-exports, `import x = require()`, `import("…")` with a literal, and type positions. */
function importsOf(from: string, text: string): Edge[] {
  const sf = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, true, from.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const add = (node: ts.Node, spec: string | undefined, typeOnly: boolean) => {
    if (spec === undefined) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    edges.push({ from, line, spec, typeOnly, ...resolve(from, spec) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      // `import { type A, type B } from` is erased like `import type`; a side-effect import (no clause) is not.
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node, stringArg(node.moduleSpecifier), typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node, stringArg(node.moduleSpecifier), node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, stringArg(node.moduleReference.expression), node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, stringArg(node.arguments[0]), false);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require") {
      add(node, stringArg(node.arguments[0]), false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, stringArg(node.argument.literal), true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const FILES = LAYERS.flatMap(sourceFiles);
const GRAPH: Edge[] = FILES.flatMap((f) => importsOf(f, readFileSync(path.join(ROOT, f), "utf8")));

function violations(r: Rule, graph: Edge[] = GRAPH): string[] {
  return graph.filter((e) => matchesAny(e.from, r.files) && !matchesAny(e.from, r.exceptFiles))
    .filter((e) => (r.allowOnly ? !matchesAny(e.target, r.allowOnly) : matchesAny(e.target, r.forbid)))
    .filter((e) => !matchesAny(e.target, r.exceptTargets))
    .filter((e) => !(r.typesAllowed && e.typeOnly))
    .map((e) => `${e.from}:${e.line} imports ${e.typeOnly ? "type from " : ""}"${e.spec}"${e.spec === e.target ? "" : ` (${e.target})`}`);
}

// ── the tests ─────────────────────────────────────────────────────────────────────────────────────────────

describe("dependencies point inward", () => {
  it.each(RULES.map((r) => [r.rule, r] as const))("%s", (_name, r) => {
    expect(violations(r), `${r.rule}: ${r.why}. These imports break it`).toEqual([]);
  });
});

describe("each rule catches what it is for, and only that", () => {
  it.each([
    ["domain", "src/domain/a.ts", `import { x } from "../extract/index.ts";`, true],
    ["domain", "src/domain/a.ts", `import path from "node:path";`, true],
    ["domain", "src/domain/a.ts", `import { z } from "zod"; import { y } from "./text.ts";`, false],
    ["core", "src/validate/a.ts", `import { readFileSync } from "fs";`, true],
    ["core", "src/extract/a.ts", `import { readFile } from "node:fs/promises";`, true],
    ["core", "src/score/a.ts", `import type { Store } from "../store/index.ts";`, true],
    ["core", "src/suggest/a.ts", `const { app } = await import("../../server/app.ts");`, true],
    ["core", "src/review/a.ts", `import { serve } from "@hono/node-server";`, true],
    ["core", "src/review/a.ts", `import OpenAI from "openai";`, true],
    ["core", "src/extract/a.ts", `import { Doc } from "../domain/document.ts"; import type { Llm } from "../llm/index.ts";`, false],
    ["llm", "server/a.ts", `import { createLlm } from "../src/llm/client.ts";`, true],
    ["llm", "src/draft/a.ts", `import type { Llm } from "../llm/client.ts";`, true],
    ["llm", "server/a.ts", `import { createLlm } from "../src/llm/index.ts";`, false],
    ["llm", "src/llm/client.ts", `import { LlmConfig } from "./config.ts";`, false],
    ["store", "server/a.ts", `import { openDb } from "../src/store/db.ts";`, true],
    ["store", "server/a.ts", `import { Store } from "../src/store/index.ts";`, false],
    ["web→server", "web/a.ts", `import { FindingViewSchema } from "../server/schemas.ts";`, true],
    ["web→server", "web/a.ts", `import type { FindingView } from "../server/schemas.ts";`, false],
    ["web→src", "web/a.ts", `import { ingest } from "../src/ingest/index.ts";`, true],
    ["web→src", "web/a.ts", `import type { Llm } from "../src/llm/index.ts";`, true],
    ["web→src", "web/a.ts", `import { FUND_ROW_ORDER } from "../src/domain/selfEvalForm.ts";`, false],
  ])("%s: %s with %s → flagged: %s", (id, from, code, flagged) => {
    const rule = RULES.find((r) => r.id === id)!;
    expect(violations(rule, importsOf(from, code)).length > 0).toBe(flagged);
  });
});

describe("the import graph the rules read", () => {
  it("covers src/, server/ and web/, and every relative import names a file", () => {
    for (const layer of LAYERS) expect(FILES.filter((f) => f.startsWith(`${layer}/`)).length, layer).toBeGreaterThan(5);
    expect(GRAPH.filter((e) => e.unresolved).map((e) => `${e.from}:${e.line} "${e.spec}"`)).toEqual([]);
  });

  // The parser itself, on snippets: what counts as an import, and what counts as types only.
  it.each<[string, [spec: string, typeOnly: boolean][], string]>([
    [`import { a } from "./x.ts";`, [["./x.ts", false]], "a value import"],
    [`import type { A } from "./x.ts";`, [["./x.ts", true]], "import type"],
    [`import { type A, type B } from "./x.ts";`, [["./x.ts", true]], "every binding marked type is erased too"],
    [`import { type A, b } from "./x.ts";`, [["./x.ts", false]], "one value binding keeps the import"],
    [`import "./x.ts";`, [["./x.ts", false]], "a side-effect import runs the module"],
    [`import {\n  a,\n  b,\n} from "hono";`, [["hono", false]], "an import over several lines"],
    [`export * from "./x.ts";`, [["./x.ts", false]], "a re-export"],
    [`export type { A } from "./x.ts";`, [["./x.ts", true]], "a type re-export"],
    [`const m = await import("./x.ts");`, [["./x.ts", false]], "a dynamic import with a literal"],
    [`type M = typeof import("./x.ts");`, [["./x.ts", true]], "import() in a type position"],
    [`// import { a } from "./x.ts";\nconst s = 'import { a } from "./y.ts"';`, [], "comments and strings are not imports"],
  ])("%j → %j: %s", (code, expected) => {
    expect(importsOf("src/demo.ts", code).map((e) => [e.spec, e.typeOnly])).toEqual(expected);
  });

  it.each([
    ["src/extract/a.ts", "../llm/client.ts", "src/llm/client.ts"],
    ["src/extract/a.ts", "fs", "node:fs"],
    ["src/extract/a.ts", "node:fs/promises", "node:fs/promises"],
    ["server/a.ts", "@hono/node-server", "@hono/node-server"],
    ["server/a.ts", "openai/helpers/zod", "openai/helpers/zod"],
  ])("%s: %j resolves to %s", (from, spec, target) => {
    expect(resolve(from, spec).target).toBe(target);
  });
});
