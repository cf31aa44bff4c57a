// The command line's progress bar: drawn on stderr only when it is a terminal, fitted to its width,
// erased before results are printed; checked on the bar itself (a fake terminal) and on the real CLI
// run under a pseudo-terminal (util-linux `script`) and with stderr piped.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { barLine, displayWidth, fitEnd, progressBar, type Progress } from "../src/progress.ts";
import { SHARED } from "./fixtures.ts";

const SEEDS = join(SHARED, "fixtures/seeds");
const DOCX = ["001-jingzhou-2023.docx", "002-xinhong-2020-target.docx", "003-xiqu-2020.docx"].map((f) => join(SEEDS, f));

function fakeTty(columns = 80) {
  const writes: string[] = [];
  return { writes, stream: { isTTY: true, columns, write: (s: string) => writes.push(s) } };
}

describe("progress bar", () => {
  it("shows done/total, the percentage and the current file, within the terminal's width", () => {
    const line = barLine("核验", 3, 12, "/data/2023/单位/禁毒宣传项目自评表.docx", 70);
    expect(line).toMatch(/^核验 ▕█{6}░{18}▏ 3\/12 25% 当前：…/);
    expect(line.endsWith("自评表.docx")).toBe(true);
    expect(displayWidth(line)).toBe(69);
    expect(barLine("核验", 3, 12, "/data/2023/单位/禁毒宣传项目自评表.docx", 120)).toMatch(/当前：\/data\/2023\/单位\/禁毒宣传项目自评表\.docx$/);
    // no room for the file: the counts still show
    expect(barLine("核验", 1, 2, "a.docx", 30)).toBe(`核验 ▕${"█".repeat(12)}${"░".repeat(12)}▏ 1/2 50%`);
    expect(barLine("读取", 0, 0, null, 80)).toContain("0/0 0%");
  });

  it("counts CJK characters as two columns and keeps the end of a long name", () => {
    expect(displayWidth("a中b")).toBe(4);
    expect(fitEnd("abcdef", 4)).toBe("…def");
    expect(fitEnd("一二三四", 5)).toBe("…三四");
    expect(fitEnd("short", 10)).toBe("short");
  });

  it("draws nothing when stderr is not a terminal, or under CI / JIXIAO_NO_PROGRESS", () => {
    for (const [stream, env] of [
      [{ isTTY: false, write: () => expect.unreachable() }, {}],
      [{ isTTY: true, write: () => expect.unreachable() }, { CI: "true" }],
      [{ isTTY: true, write: () => expect.unreachable() }, { JIXIAO_NO_PROGRESS: "1" }],
    ] as const) {
      const bar = progressBar("核验", stream, { env });
      bar.update(1, 2, "a.docx");
      bar.clear();
    }
  });

  it("redraws in place, skips redraws closer than 80 ms except the last, and erases itself", () => {
    const { writes, stream } = fakeTty();
    let t = 0;
    const bar = progressBar("核验", stream, { env: {}, now: () => t });
    bar.update(0, 3, "a.docx");
    t += 10;
    bar.update(1, 3, "b.docx"); // too soon: skipped
    t += 100;
    bar.update(2, 3, "c.docx");
    t += 1;
    bar.update(3, 3, null); // the last state is always drawn
    bar.clear();
    bar.clear(); // erased once
    expect(writes).toHaveLength(4);
    expect(writes.slice(0, 3).every((w) => w.startsWith("\r\x1b[2K核验 ▕"))).toBe(true);
    expect(writes[0]).toContain("0/3 0% 当前：a.docx");
    expect(writes[1]).toContain("2/3 66% 当前：c.docx");
    expect(writes[2]).toContain("3/3 100%");
    expect(writes[3]).toBe("\r\x1b[2K");
  });
});

describe("batch commands report progress", () => {
  function recorder() {
    const events: string[] = [];
    const progress = (label: string): Progress => ({
      update: (done, total, current) => events.push(`${label} ${done}/${total}${current ? ` ${current.split("/").pop()}` : ""}`),
      clear: () => events.push(`${label} clear`),
    });
    return { events, progress };
  }

  it("check: one step per file, the bar erased before the results are printed", async () => {
    const { events, progress } = recorder();
    const out: string[] = [];
    const bad = join(SEEDS, "no-such-file.docx");
    const code = await main(["check", ...DOCX, bad], { out: (s) => (out.push(s), events.push("OUT")), err: () => {}, progress });
    expect(code).toBe(2);
    expect(events.slice(0, 6)).toEqual([
      "核验 0/4 001-jingzhou-2023.docx",
      "核验 1/4 002-xinhong-2020-target.docx",
      "核验 2/4 003-xiqu-2020.docx",
      "核验 3/4 no-such-file.docx",
      "核验 4/4",
      "核验 clear",
    ]);
    expect(events.indexOf("OUT")).toBe(6);
  });

  it("draft: reading, then one step per 自评表 drafted, erased before each printed draft", async () => {
    const { events, progress } = recorder();
    const code = await main(["draft", "--template", DOCX[0]!, DOCX[1]!], { out: () => events.push("OUT"), err: () => {}, progress });
    expect(code).not.toBe(2);
    const drafts = events.filter((e) => e.startsWith("起草 ") && !e.endsWith("clear"));
    // seed 001 holds 自评表s, seed 002 a 申报表 (not drafted): every step counts up to the total
    expect(drafts.length).toBeGreaterThan(0);
    const total = Number(drafts[0]!.match(/\/(\d+)/)![1]);
    expect(drafts.map((e) => Number(e.match(/ (\d+)\//)![1]))).toEqual([...Array(total).keys()]);
    // never printed over a drawn bar: every OUT follows a clear
    for (const [i, e] of events.entries()) if (e === "OUT" && i > 0 && events[i - 1]!.startsWith("起草 ") && !events[i - 1]!.endsWith("clear")) expect.unreachable(`output after ${events[i - 1]}`);
  });

  const hasScript = existsSync("/usr/bin/script");
  it.skipIf(!hasScript)("the real CLI draws the bar on a terminal's stderr and nothing when stderr is piped", () => {
    const cmd = [process.execPath, "bin/jixiao.mjs", "check", ...DOCX].map((a) => `'${a}'`).join(" ");
    const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: "100" };
    delete env.CI;
    delete env.JIXIAO_NO_PROGRESS;
    // under a pseudo-terminal: stdout and stderr both go to the terminal, so the bar is in the transcript
    const tty = spawnSync("script", ["-qec", cmd, "/dev/null"], { encoding: "utf8", env, cwd: join(import.meta.dirname, "..") });
    // the first and the last state are always drawn (those between may be skipped on a fast machine)
    expect(tty.stdout).toMatch(/\r\x1b\[2K核验 ▕░{24}▏ 0\/3 0% 当前：.*001-jingzhou-2023\.docx/);
    expect(tty.stdout).toMatch(/\r\x1b\[2K核验 ▕█{24}▏ 3\/3 100%\r\x1b\[2K文件：/);
    // piped: the results only
    const piped = spawnSync(process.execPath, ["bin/jixiao.mjs", "check", ...DOCX], { encoding: "utf8", env, cwd: join(import.meta.dirname, "..") });
    expect(piped.stdout).toContain("003-xiqu-2020.docx");
    expect(piped.stderr + piped.stdout).not.toContain("▕");
    expect(piped.stderr).not.toContain("\r");
  });
});
