// Each class of bad input gives a clear Chinese error naming the file, exit code 2, no stack trace,
// and the other files of the batch are still read.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Zip, ZipDeflate, strToU8, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { makeCfb, makeDocx, paragraphXml, tableXml } from "./helpers/makeDocx.ts";
import { SEEDS_DIR } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "jixiao-bad-"));
const good = join(SEEDS_DIR, "003-xiqu-2020.docx");
const goodBytes = new Uint8Array(readFileSync(good));

function write(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A docx whose document.xml inflates to `mb` megabytes, built in streaming mode. */
function zipBomb(mb: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((e, chunk) => {
    if (e) throw e;
    parts.push(chunk);
  });
  const f = new ZipDeflate("word/document.xml", { level: 9 });
  zip.add(f);
  f.push(strToU8('<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>'));
  const block = new Uint8Array(1024 * 1024).fill(0x41);
  for (let i = 0; i < mb; i++) f.push(block);
  f.push(strToU8("</w:t></w:r></w:p></w:body></w:document>"), true);
  zip.end();
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

function corruptDocx(): Uint8Array {
  // Overwrite the middle of the compressed document.xml: the deflate stream no longer decodes.
  const b = goodBytes.slice();
  const at = Buffer.from(b).indexOf("word/document.xml") + 60;
  for (let i = at; i < at + 4000; i++) b[i] = (i * 7919) & 0xff;
  return b;
}

const cases: { name: string; make: () => Uint8Array | string; code: string; words: RegExp; args?: string[] }[] = [
  { name: "empty.docx", make: () => new Uint8Array(0), code: "EMPTY_FILE", words: /文件为空/ },
  { name: "corrupt.docx", make: corruptDocx, code: "CORRUPT", words: /损坏|无法/ },
  { name: "truncated.docx", make: () => goodBytes.slice(0, Math.floor(goodBytes.length / 2)), code: "TRUNCATED", words: /不完整/ },
  { name: "locked.docx", make: () => makeCfb(["EncryptionInfo", "EncryptedPackage"]), code: "ENCRYPTED", words: /密码/ },
  {
    name: "minutes.docx",
    make: () => makeDocx(paragraphXml("会议纪要") + tableXml([["姓名", "部门"], ["张三", "办公室"]])),
    code: "NOT_PERFORMANCE_DOC",
    words: /未找到项目支出绩效自评表/,
  },
  { name: "huge.docx", make: () => new Uint8Array(2 * 1024 * 1024 + 1), code: "TOO_LARGE", words: /超过上限/, args: ["--max-size", "2"] },
  { name: "bomb.docx", make: () => zipBomb(210), code: "ZIP_BOMB", words: /压缩炸弹/ },
  { name: "picture.docx", make: () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), code: "UNSUPPORTED_TYPE", words: /无法识别的文件类型/ },
  { name: "old.xls", make: () => makeCfb(["Workbook"]), code: "UNSUPPORTED_TYPE", words: /Excel|xls/ },
  { name: "slides.pptx", make: () => zipOther(), code: "UNSUPPORTED_TYPE", words: /不是 Word/ },
];

function zipOther(): Uint8Array {
  return zipSync({ "ppt/presentation.xml": strToU8("<p:presentation/>") });
}

describe("bad input", () => {
  const paths = new Map<string, string>();
  beforeAll(() => {
    for (const c of cases) paths.set(c.name, write(c.name, c.make()));
  });

  it.each(cases)("$name → $code, named in a Chinese message, exit 2, batch continues", async (c) => {
    const path = paths.get(c.name)!;
    const r = await run(["extract", path, good, "--json", ...(c.args ?? [])]);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.out) as { files: { file: string; error: { code: string; message: string } | null; documents: unknown[] }[] };
    expect(json.files).toHaveLength(2);
    const [bad, ok] = json.files;
    expect(bad!.error?.code).toBe(c.code);
    expect(bad!.error?.message).toContain(path);
    expect(bad!.error?.message).toMatch(c.words);
    expect(bad!.documents).toEqual([]);
    // The good file after the bad one is still read in full.
    expect(ok!.error).toBeNull();
    expect(ok!.documents).toHaveLength(5);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("a missing file is reported by name", async () => {
    const r = await run(["extract", join(dir, "nope.docx")]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/nope\.docx：文件不存在/);
  });

  it("the installed bin prints no stack trace and exits 2 on bad input", () => {
    const p = spawnSync(process.execPath, ["bin/jixiao.mjs", "extract", paths.get("corrupt.docx")!, good], { encoding: "utf8" });
    expect(p.status).toBe(2);
    expect(p.stdout).toMatch(/corrupt\.docx：/);
    expect(p.stdout).toMatch(/矛盾纠纷多元化解/);
    expect(p.stdout + p.stderr).not.toMatch(/\n\s+at .*\.(ts|js)/);
  });

  it("the zip-bomb limit is configurable and holds below the default", async () => {
    const r = await extractBuffer(zipBomb(20), "small-bomb.docx", { maxUnzipped: 10 * 1024 * 1024 });
    expect(r.error?.code).toBe("ZIP_BOMB");
  });

  it("unknown options and no files give usage and exit 2", async () => {
    expect((await run(["extract"])).code).toBe(2);
    expect((await run(["extract", "--bogus", good])).err).toMatch(/未知选项/);
  });
});
