// The web app end to end in Debian's chromium (playwright-core): the real server on a free port with a
// temp data dir; upload → findings → apply a suggestion → edit 完成值 → draft → accept with a reason →
// export .docx, read back by extractBuffer to the same data. Screenshots go to tests/artifacts/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { compareDoc } from "../evals/compare.ts";
import { extractBuffer } from "../src/pipeline.ts";
import { serve, type RunningServer } from "../server/main.ts";
import ExcelJS from "exceljs";
import { SEED_001, XSS, xssDocx } from "./helpers/server.ts";
import { SHARED } from "./fixtures.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "artifacts");
const hasChromium = existsSync(CHROMIUM);
// How long a step may take to show on the page: generous, since a busy machine is slow, not broken (speed is
// measured by npm run bench). Used by playwright's waits and by expect.poll, whose own default is 1 s.
const UI_WAIT_MS = 30_000;
if (!hasChromium) {
  // The only reason to skip: CI installs chromium (.ci/run), so a skip there is visible, not silent.
  console.warn(`browser.test.ts 已跳过：未找到 ${CHROMIUM}（apt-get install -y chromium fonts-noto-cjk）`);
}

describe.skipIf(!hasChromium)("web app in chromium", () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const logs: string[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "jixiao-browser-"));
    server = await serve({ port: 0, host: "127.0.0.1", dataDir: dir, handleSignals: false, env: {}, log: (l) => logs.push(l) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true, locale: "zh-CN" });
    page.setDefaultTimeout(UI_WAIT_MS);
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: false });

  it("upload → findings → suggestion → edit → draft → accept with a reason → export .docx", async () => {
    await page.goto(server.url);
    await expect.poll(() => page.locator("#llm-status").textContent(), { timeout: UI_WAIT_MS }).toContain("未配置大模型");
    // The acting user's name travels with every request (X-User) into versions and the audit log.
    await page.fill("#user-name", "张会计");
    await page.press("#user-name", "Tab");

    // A workspace, then the seed uploaded through the file picker (the drop zone's input).
    await page.fill("#new-workspace", "靖州县禁毒办 2023 年度");
    await page.click("button:has-text('新建工作区')");
    await page.waitForSelector(".dropzone");
    await page.setInputFiles("#file-input", SEED_001);
    await page.waitForSelector(".upload.done");
    expect(await page.locator(".upload .status").first().textContent()).toBe("✓ 识别出 4 份文档");
    await page.waitForSelector("a.doc-link");
    expect(await page.locator("a.doc-link").count()).toBe(4);
    await shot("browser-1-workspace.png");

    // The project with errors: findings are inline on their cells and listed below the table.
    await page.click("a.doc-link:has-text('毛发检测和城市污水溯源监测经费')");
    await page.waitForSelector("table.form.selfeval");
    await expect.poll(() => page.locator(".notice").textContent(), { timeout: UI_WAIT_MS }).toBe("未配置大模型：使用模板起草，建议由确定性规则生成");
    const scoreCell = page.locator('td.cell[data-field="indicators[3].score"]');
    expect(await scoreCell.getAttribute("class")).toContain("sev-error");
    await scoreCell.hover();
    await expect.poll(() => page.locator("#popover").isVisible(), { timeout: UI_WAIT_MS }).toBe(true);
    expect(await page.locator("#popover").textContent()).toContain("SCORE_MISSING");
    // 14 findings after grouping (one per code), listing 29 places; every flagged cell still has its mark.
    expect(await page.locator(".findings-list .finding").count()).toBe(14);
    expect(await page.locator(".findings-list .finding .places li").count()).toBeGreaterThan(0);
    expect(await page.locator("td.cell.flagged").count()).toBeGreaterThan(14);
    expect(await page.locator("#recomputed-total").textContent()).toBe("89");
    await shot("browser-2-findings.png");

    // One click applies a suggestion: 执行率 is filled in and its finding disappears.
    await page.locator('.findings-list .finding[data-finding-id="RATE_MISSING@funds.total.rate"] button.apply').click();
    await expect.poll(() => page.locator('textarea[data-field="funds.total.rate"]').inputValue(), { timeout: UI_WAIT_MS }).toBe("100.00%");
    expect(await page.locator('.findings-list .finding[data-finding-id="RATE_MISSING@funds.total.rate"]').count()).toBe(0);

    // Editing 完成值 of the 满意度 indicator (≥90%) to 81% recomputes its score (10 × 81/90 = 9) and the total.
    const actual = page.locator('textarea[data-field="indicators[11].actual"]');
    await actual.fill("81%");
    await actual.press("Tab");
    await expect.poll(() => page.locator("#recomputed-total").textContent(), { timeout: UI_WAIT_MS }).toBe("88");
    expect(await page.locator('[data-recalc="11"]').textContent()).toBe("重算 9");
    expect(await page.locator(".doc-meta").textContent()).toContain("第 3 版");

    // The chat panel drafts the report (template drafter), streamed over SSE.
    await page.click(".chat .chip:has-text('帮我起草今年的自评报告')");
    await page.waitForSelector(".draft-section");
    expect(await page.locator(".draft-section").count()).toBe(6);
    await expect.poll(() => page.locator(".chat-status").isHidden(), { timeout: UI_WAIT_MS }).toBe(true);
    expect(await page.locator(".chat .msg.assistant .bubble").last().textContent()).toMatch(/^草稿已生成（模板起草/);
    // Revising a section by asking for it in words.
    await page.fill(".chat-input", "第五部分写具体些");
    await page.press(".chat-input", "Enter");
    await expect.poll(() => page.locator(".draft-head h3").textContent(), { timeout: UI_WAIT_MS }).toBe("报告草稿 #2");
    await page.click(".draft-box button.primary:has-text('确认草稿')");
    await expect.poll(() => page.locator(".draft-head .badge").textContent(), { timeout: UI_WAIT_MS }).toContain("已确认");
    // The README's picture: the top of the page, the table with its findings, the draft in the chat panel.
    // (A string: this file is type-checked without the DOM library.)
    await page.evaluate(`(() => {
      document.querySelector("#toast").hidden = true;
      window.scrollTo(0, 0);
      const chat = document.querySelector(".chat");
      chat.scrollTop = document.querySelector(".draft-box").offsetTop - 260;
    })()`);
    await shot("main.png");

    // Accepting the table asks for a written reason per remaining error; empty reasons are refused.
    await page.click("#accept-table");
    const dialog = page.locator("dialog.overrides");
    await dialog.waitFor();
    const reasons = dialog.locator("textarea.reason");
    // The three errors of the original table, plus SHORTFALL_FULL_SCORE from the edit (81% < 90% yet 10 of 10).
    const n = await reasons.count();
    expect(n).toBe(4);
    expect(await dialog.textContent()).toContain("SHORTFALL_FULL_SCORE");
    await dialog.locator("button.primary").click();
    expect(await dialog.locator(".form-error").textContent()).toContain(`还有 ${n} 条没有写理由`);
    await shot("browser-3-override.png");
    for (let i = 0; i < n; i++) await reasons.nth(i).fill(`经与财政局核对，第 ${i + 1} 项按原表保留`);
    await dialog.locator("button.primary").click();
    await expect.poll(() => page.locator(".doc-meta .badge").first().textContent(), { timeout: UI_WAIT_MS }).toContain("已确认（第 3 版");
    const docId = Number(/#\/d\/(\d+)/.exec(page.url())![1]);
    const audit = (await (await fetch(`${server.url}/api/documents/${docId}/audit`)).json()) as { entries: { action: string; reason: string | null }[] };
    expect(audit.entries.filter((e) => e.action === "override").map((e) => e.reason)).toEqual([1, 2, 3, 4].map((i) => `经与财政局核对，第 ${i} 项按原表保留`));
    expect(audit.entries.every((e) => (e as { user?: string }).user === "张会计")).toBe(true);

    // Export .docx from the page and read it back: the same table data as the edited document.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('a[data-export="docx"]')]);
    expect(download.suggestedFilename()).toBe("毛发检测和城市污水溯源监测经费（2023年度）自评表.docx");
    const file = join(ARTIFACTS, "export.docx");
    await download.saveAs(file);
    const back = await extractBuffer(new Uint8Array(readFileSync(file)), "export.docx");
    expect(back.error).toBeNull();
    const current = (await (await fetch(`${server.url}/api/documents/${docId}`)).json()) as { data: Record<string, unknown> };
    const { provenance: _p, report: _r, ...table } = current.data;
    const cmp = compareDoc(table, back.documents[0]);
    expect(cmp.fields).toBeGreaterThan(80);
    expect(cmp.diffs).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("a crafted project name is rendered as text, never as HTML", async () => {
    await page.goto(server.url);
    await page.waitForSelector("ul.workspaces a");
    await page.click("ul.workspaces a");
    await page.waitForSelector(".dropzone");
    const file = join(ARTIFACTS, "xss.docx");
    writeFileSync(file, xssDocx());
    await page.setInputFiles("#file-input", file);
    await expect.poll(() => page.locator(".upload.done").count(), { timeout: UI_WAIT_MS }).toBe(1);
    const link = page.locator("a.doc-link", { hasText: XSS });
    await link.waitFor();
    expect(await link.count()).toBe(1);
    expect(await link.textContent()).toBe(XSS);
    await link.click();
    await page.waitForSelector("h1.doc-name");
    expect(await page.locator("h1.doc-name").textContent()).toBe(XSS);
    expect(await page.locator('textarea[data-field="name"]').inputValue()).toBe(XSS);
    await shot("browser-4-xss.png");
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("a draft's numbers the table no longer supports are highlighted", async () => {
    // Same page (the project named with HTML): draft, then lower one indicator's 得分 (9 → 8), so the
    // draft's sum of indicator scores no longer matches the table.
    await page.fill(".chat-input", "帮我起草今年的自评报告");
    await page.press(".chat-input", "Enter");
    await page.waitForSelector(".draft-section");
    expect(await page.locator("mark.unsupported").count()).toBe(0);
    const score = page.locator('input[data-field="indicators[7].score"]');
    await score.fill("8");
    await score.press("Enter");
    await expect.poll(() => page.locator(".doc-meta").textContent(), { timeout: UI_WAIT_MS }).toContain("第 2 版");
    await page.reload();
    await page.waitForSelector(".draft-section mark.unsupported");
    const marks = await page.locator(".draft-section mark.unsupported").allTextContents();
    expect(marks).toContain("89分");
    expect(await page.locator(".draft-box button.primary").textContent()).toMatch(/需说明 \d+ 个错误/);
    await page.locator(".draft-section mark.unsupported").first().scrollIntoViewIfNeeded();
    await shot("browser-5-unsupported.png");
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("review: the workspace's 申报表 with their items → filter by item → a project's opinions on its cells → waive with a reason → export", async () => {
    await page.goto(server.url);
    await page.fill("#user-name", "李审核");
    await page.press("#user-name", "Tab");
    await page.fill("#new-workspace", "松岗街道 2023 申报");
    await page.click("button:has-text('新建工作区')");
    await page.waitForSelector(".dropzone");
    await page.setInputFiles("#file-input", join(SHARED, "fixtures/real/songgang/songgang-2.xlsx"));
    await page.waitForSelector(".upload.done");
    expect(await page.locator(".upload .status").first().textContent()).toBe("✓ 识别出 20 份文档");
    const wsId = Number(/#\/w\/(\d+)/.exec(page.url())![1]);

    // The review page: every project with its items as chips, a filter with counts, the export.
    await page.click("#review-link");
    await page.waitForSelector("table.review-table");
    expect(await page.locator("table.review-table tbody tr").count()).toBe(20);
    expect(await page.locator("table.review-table tbody tr").first().locator("td").nth(1).textContent()).toBe("440306231391567300153");
    const api = (await (await fetch(`${server.url}/api/workspaces/${wsId}/review`)).json()) as { items: { item: string; projects: number }[] };
    const calc = api.items.find((c) => c.item === "测算依据不规范")!;
    const chip = page.locator('a.chip.filter[data-item="测算依据不规范"]');
    expect(await chip.textContent()).toBe(`测算依据不规范（${calc.projects}）`);
    await shot("browser-6-review.png");
    await chip.click();
    await expect.poll(() => page.locator("table.review-table tbody tr").count(), { timeout: UI_WAIT_MS }).toBe(calc.projects);
    expect(calc.projects).toBeLessThan(20);
    expect(await page.locator("a.chip.filter.active").textContent()).toBe(`测算依据不规范（${calc.projects}）`);
    const rows = page.locator("table.review-table tbody tr");
    for (let i = 0; i < calc.projects; i++) expect(await rows.nth(i).locator('.item-chip[data-code="CALC_BASIS"]').count()).toBe(1);

    // A project on its form: the opinion sits on the cell its evidence names (测算依据), and is listed by dimension.
    const first = rows.first();
    const code = (await first.locator("td").nth(1).textContent())!;
    const name = (await first.locator("a.project-link").textContent())!;
    await first.locator("a.project-link").click();
    await page.waitForSelector(".review-panel .opinion");
    expect(await page.locator("h1.doc-name").textContent()).toBe(name);
    const cell = page.locator('table.form td[data-field="calc_basis"]');
    expect(await cell.getAttribute("data-opinions")).toContain("CALC_BASIS");
    expect(await cell.getAttribute("class")).toContain("sev-warning");
    await cell.hover();
    await expect.poll(() => page.locator("#popover").isVisible(), { timeout: UI_WAIT_MS }).toBe(true);
    expect(await page.locator("#popover").textContent()).toContain("测算依据不规范");
    const opinion = page.locator('.review-panel .dimension[data-dimension="可行性"] .opinion[data-code="CALC_BASIS"]');
    expect(await opinion.locator(".text").textContent()).toMatch(/^测算依据未体现测算过程/);
    await shot("browser-7-review-project.png");

    // 豁免 asks for a reason; too short is refused in the dialog, a written one is stored with the name.
    await opinion.locator("button.waive").click();
    const dialog = page.locator("dialog.waive");
    await dialog.waitFor();
    expect(await dialog.locator("input.by").inputValue()).toBe("李审核");
    await dialog.locator("textarea.reason").fill("。。。。");
    await dialog.locator("button.primary").click();
    expect(await dialog.locator(".form-error").textContent()).toContain("请写明豁免理由");
    await shot("browser-8-waive-dialog.png");
    await dialog.locator("textarea.reason").fill("测算表已另附，金额核对无误");
    await dialog.locator("button.primary").click();
    await expect.poll(() => dialog.count(), { timeout: UI_WAIT_MS }).toBe(0);
    await expect.poll(() => opinion.getAttribute("class"), { timeout: UI_WAIT_MS }).toContain("waived");
    expect(await opinion.locator(".waived-note").textContent()).toContain("测算表已另附，金额核对无误");
    expect(await opinion.locator(".waived-note").textContent()).toContain("李审核");
    expect(await page.locator('table.form td[data-field="calc_basis"]').getAttribute("class")).toContain("waived");
    await opinion.scrollIntoViewIfNeeded();
    await shot("browser-9-waived.png");
    const docId = Number(/#\/r\/(\d+)/.exec(page.url())![1]);
    const audit = (await (await fetch(`${server.url}/api/documents/${docId}/audit`)).json()) as { entries: { action: string; code: string; reason: string; user: string }[] };
    expect(audit.entries.filter((e) => e.action === "waive_opinion")).toMatchObject([{ code: "CALC_BASIS", reason: "测算表已另附，金额核对无误", user: "李审核" }]);

    // Back on the list the item is struck through; the exported 审核意见表 leaves the opinion out.
    await page.click("a.btn:has-text('返回审核列表')");
    await page.waitForSelector("table.review-table");
    const row = page.locator(`table.review-table tbody tr[data-document-id="${docId}"]`);
    expect(await row.locator('.item-chip[data-code="CALC_BASIS"]').getAttribute("class")).toContain("waived");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-review")]);
    expect(download.suggestedFilename()).toBe("松岗街道 2023 申报审核意见表.xlsx");
    const file = join(ARTIFACTS, "review.xlsx");
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(22);
    const head = (ws.getRow(2).values as unknown[]).map(String);
    const mine = [...Array(20).keys()].map((i) => ws.getRow(i + 3).values as unknown[]).find((v) => v[head.indexOf("项目编码")] === code)!;
    expect(String(mine[head.indexOf("可行性审核意见")])).not.toContain("测算依据未体现测算过程");
    expect(String(mine[head.indexOf("小结")])).not.toContain("测算依据不规范");
    const others = [...Array(20).keys()].map((i) => String((ws.getRow(i + 3).values as unknown[])[head.indexOf("小结")]));
    expect(others.filter((s) => s.includes("测算依据不规范"))).toHaveLength(calc.projects - 1);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("jobs: batch check, batch review and a workspace export run in the background with live progress, their results, and the file to download", async () => {
    await page.goto(server.url);
    await page.fill("#new-workspace", "任务演示");
    await page.click("button:has-text('新建工作区')");
    await page.waitForSelector(".dropzone");
    await page.setInputFiles("#file-input", [SEED_001, join(SHARED, "fixtures/real/songgang/songgang-3.xlsx")]);
    await expect.poll(() => page.locator(".upload.done").count(), { timeout: UI_WAIT_MS }).toBe(2);
    const wsId = Number(/#\/w\/(\d+)/.exec(page.url())![1]);
    // No job yet: the panel is hidden.
    expect(await page.locator("#jobs").isHidden()).toBe(true);

    // Every state a job's row shows is recorded as it changes: the row is updated by the event stream, not by a reload.
    await page.evaluate(`(() => {
      const seen = {};
      window.jobStates = seen;
      new MutationObserver(() => {
        for (const li of document.querySelectorAll("li.job")) {
          const list = (seen[li.dataset.jobId] ??= []);
          if (list[list.length - 1] !== li.dataset.state) list.push(li.dataset.state);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
    })()`);
    await page.click("#job-check");
    const check = page.locator('li.job[data-kind="check"]');
    await check.waitFor();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: UI_WAIT_MS }).toBe("succeeded");
    const checkId = Number(await check.getAttribute("data-job-id"));
    const states = (await page.evaluate<Record<string, string[]>>("window.jobStates"))[checkId]!;
    expect(["queued", "running"]).toContain(states[0]);
    expect(states[states.length - 1]).toBe("succeeded");
    // The result as the API reports it: totals, and a link to each document with errors.
    const job = (await (await fetch(`${server.url}/api/jobs/${checkId}`)).json()) as { result: { totals: { files: number; documents: number; error: number; warning: number; info: number }; files: { documents: { documentId: number; counts: { error: number } }[] }[] } };
    const t = job.result.totals;
    expect(t).toMatchObject({ files: 2, documents: 24 });
    expect(await check.locator(".job-result p").first().textContent()).toBe(`核验了 2 个文件、24 份文档：错误 ${t.error}、警告 ${t.warning}、提示 ${t.info}。`);
    const withErrors = job.result.files.flatMap((f) => f.documents.filter((d) => d.counts.error > 0));
    expect(withErrors.length).toBeGreaterThan(0);
    expect(await check.locator(".job-docs a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(withErrors.map((d) => `#/d/${d.documentId}`));
    expect(await check.locator("progress").count()).toBe(0);
    expect(await check.locator(".job-cancel").count()).toBe(0);
    await shot("browser-10-job-check.png");

    // The batch review: the items it found, and the way to the review page.
    await page.click("#job-review");
    const review = page.locator('li.job[data-kind="review"]');
    await expect.poll(() => review.getAttribute("data-state"), { timeout: UI_WAIT_MS }).toBe("succeeded");
    expect(await review.locator(".job-result p").first().textContent()).toBe("审核了 20 个申报表。 打开审核页");
    expect(await review.locator(".job-items li").count()).toBeGreaterThan(0);
    expect(await review.locator(`a[href="#/w/${wsId}/review"]`).count()).toBe(1);

    // Export of the whole workspace: the file comes from the job's row, and reads back with every document.
    await page.click('button[data-export-all="docx"]');
    const exp = page.locator('li.job[data-kind="export"]');
    await expect.poll(() => exp.getAttribute("data-state"), { timeout: UI_WAIT_MS }).toBe("succeeded");
    const [download] = await Promise.all([page.waitForEvent("download"), exp.locator("a.job-download").click()]);
    expect(download.suggestedFilename()).toMatch(/^任务演示.*\.docx$/);
    const file = join(ARTIFACTS, "job-export.docx");
    await download.saveAs(file);
    const back = await extractBuffer(new Uint8Array(readFileSync(file)), "job-export.docx");
    expect(back.error).toBeNull();
    expect(back.documents).toHaveLength(24);
    await shot("browser-11-job-export.png");

    // After a reload the workspace's jobs are listed again, newest first, with their results.
    await page.reload();
    await page.waitForSelector('li.job[data-kind="export"] a.job-download');
    expect(await page.locator("li.job").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-kind")))).toEqual(["export", "review", "check"]);

    // A progress stream that drops (a restarted server, a proxy) is reopened: the row still reaches its end.
    // (The job is answered as queued even if this fast runner already finished it, so the page must follow it.)
    let opened = 0;
    await page.route("**/api/workspaces/*/jobs", async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...(await res.json()), state: "queued" } });
    });
    await page.route("**/api/jobs/*/events", (route) => (opened++ === 0 ? route.abort() : route.continue()));
    const checks = page.locator('li.job[data-kind="check"]');
    const before = await checks.count();
    await page.click("#job-check");
    await expect.poll(() => checks.count(), { timeout: UI_WAIT_MS }).toBe(before + 1);
    const again = checks.first();
    await expect.poll(() => again.getAttribute("data-state"), { timeout: UI_WAIT_MS }).toBe("succeeded");
    expect(opened).toBe(2);

    // 取消 on a job the page still shows as queued (its stream held off): DELETE /api/jobs/:id, and the row
    // shows what the server answers, without the button.
    await page.unroute("**/api/jobs/*/events");
    await page.route("**/api/jobs/*/events", (route) => route.abort());
    await page.click("#job-check");
    await expect.poll(() => checks.count(), { timeout: UI_WAIT_MS }).toBe(before + 2);
    const pending = checks.first();
    expect(await pending.getAttribute("data-state")).toBe("queued");
    const id = Number(await pending.getAttribute("data-job-id"));
    const [del] = await Promise.all([page.waitForRequest((r) => r.method() === "DELETE" && r.url().endsWith(`/api/jobs/${id}`)), pending.locator("button.job-cancel").click()]);
    const answered = (await (await del.response())!.json()) as { state: string };
    await expect.poll(() => pending.getAttribute("data-state"), { timeout: UI_WAIT_MS }).toBe(answered.state);
    expect(["succeeded", "cancelled"]).toContain(answered.state);
    expect(await pending.locator("button.job-cancel").count()).toBe(0);
    await page.unrouteAll({ behavior: "ignoreErrors" });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("logs carry no document contents", () => {
    const all = logs.join("\n");
    expect(all).toContain("POST /api/workspaces/1/files 200");
    expect(all).not.toContain("毛发检测");
    expect(all).not.toContain("经与财政局核对");
    expect(all).not.toContain("测算表已另附");
  });
});
