// Audits of the built page: Lighthouse in Chromium and axe-core in both browsers, with
// thresholds. The scores are printed so a person can follow them over time.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { ROOT, serveDist } from "./lib/server.mjs";
import { CHROME_PATH, CHROMIUM_ARGS } from "./lib/browsers.mjs";
import { BROWSERS, appState, chooseRun, closeRunMenu, openRunMenu, openTab, openWatched } from "./lib/page.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// The thresholds the page must meet, with every workbench tab open in turn.
const MIN_SCORE = { accessibility: 0.95, "best-practices": 0.95 };
// The page as it opens, on Lighthouse's mobile profile (simulated slow 4G and a 4x slower
// CPU): the first view is drawn at build time, so its words are the largest paint, long
// before the wasm. Measured 0.98 with LCP 1.4 s and CLS 0 (2026-11-30); performance is
// asserted a little below that, as the simulated CPU time follows the machine's load.
const FIRST_VIEW_MIN_SCORE = { performance: 0.9, seo: 1 };
const FIRST_VIEW_MAX_CLS = 0.02;

/**
 * The workbench's tabs, each a tool that used to lie open on the page; only one panel is
 * shown at a time (the charts by default), so the audits open each in turn. A link with
 * the tab's fragment opens it.
 */
const TABS = ["charts", "sweep", "editor", "log", "share", "glossary"];

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

test("Lighthouse: the first view fast and stable; accessibility and best practices at least 0.95 with each workbench tab open", async () => {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: ["--headless=new", ...CHROMIUM_ARGS],
    // A fresh profile every run, so no earlier state leaks into the audit.
    userDataDir: false,
  });
  try {
    mkdirSync(join(ROOT, "target"), { recursive: true });
    // The page as it opens (the charts tab open) with every category, then once per other
    // tab, opened by its fragment, with the two asserted categories only.
    for (const tab of TABS) {
      const first = tab === TABS[0];
      const result = await lighthouse(first ? server.url : `${server.url}#${tab}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: first
          ? ["performance", "accessibility", "best-practices", "seo"]
          : Object.keys(MIN_SCORE),
      });
      const lhr = result.lhr;
      writeFileSync(join(ROOT, "target", first ? "lighthouse.json" : `lighthouse-${tab}.json`), result.report);
      const scores = Object.fromEntries(
        Object.entries(lhr.categories).map(([id, c]) => [id, c.score]),
      );
      console.log(`Lighthouse scores (${tab} tab open): ${JSON.stringify(scores)}`);
      assert.equal(lhr.runtimeError, undefined, `Lighthouse failed (${tab} tab): ${lhr.runtimeError?.message}`);
      if (first) {
        const metric = (id) => lhr.audits[id]?.numericValue;
        console.log(
          `Lighthouse first view: FCP ${Math.round(metric("first-contentful-paint"))} ms, ` +
            `LCP ${Math.round(metric("largest-contentful-paint"))} ms, ` +
            `TBT ${Math.round(metric("total-blocking-time"))} ms, CLS ${metric("cumulative-layout-shift")}`,
        );
        for (const [id, min] of Object.entries(FIRST_VIEW_MIN_SCORE)) {
          assert.ok(scores[id] >= min, `first view: ${id} ${scores[id]} < ${min}`);
        }
        assert.ok(metric("cumulative-layout-shift") <= FIRST_VIEW_MAX_CLS, `first view: CLS ${metric("cumulative-layout-shift")}`);
      }
      for (const [id, min] of Object.entries(MIN_SCORE)) {
        const failing = Object.values(lhr.audits)
          .filter((a) => lhr.categories[id].auditRefs.some((r) => r.id === a.id && r.weight > 0))
          .filter((a) => a.score !== null && a.score < 1)
          .map((a) => `${a.id}: ${a.title}`);
        assert.ok(scores[id] >= min, `${tab} tab open: ${id} ${scores[id]} < ${min}; failing audits: ${failing.join("; ")}`);
      }
    }
  } finally {
    await chrome.kill();
  }
});

for (const kind of BROWSERS) {
  test(`axe-core finds no serious or critical violation in ${kind.name}`, async () => {
    const browser = await kind.launch();
    // Every scan's serious and critical violations, named by where they were found, so one
    // failure does not hide what the later scans would have found.
    const found = [];
    try {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
        const { page } = await openWatched(kind, browser, server.url, { viewport });
        assert.equal(await appState(page), "ready");
        // Audit the page with the stage running, A/B on and a request followed, so the
        // scan sees the pictures' tokens, threads and tethers, the log and the comparison
        // table; then once more with the stage shown as text (lanes, chips, receipts).
        // Each view is scanned with each workbench tab open in turn (charts, sweep,
        // editor, log, share, glossary), as only the open tab's panel is shown.
        await chooseRun(page, "#compare", "1");
        await page.click("button.play");
        await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 300_000);
        await page.click("button.play");
        const token = await page.$("#stage [data-request][data-area='thread'][role='button']");
        if (token) await token.click();
        // The scenario, compare and seed fields and (below 88rem) the chapter list sit in
        // menus that start closed; opened, the scan sees them as it did on the page.
        const tocMenu = await page.$eval("details.toc-menu > summary", (s) => s.getClientRects().length > 0);
        if (tocMenu) {
          await page.click("details.toc-menu > summary");
          await page.waitForSelector("details.toc-menu[open]");
        }
        // Evaluated through the driver, not inserted as a <script>, so a strict CSP on the
        // page cannot block the audit.
        await page.evaluate(AXE_SOURCE);
        for (const view of ["picture", "text"]) {
          // The open Run menu lies over the stage: closed for the click on the text switch.
          if (view === "text") {
            await closeRunMenu(page);
            await page.click("#stage .stage-text-toggle");
          }
          await openRunMenu(page);
          for (const tab of TABS) {
            await openTab(page, tab);
            // The lists' entries fade in; axe judges colours once they are drawn.
            await page.evaluate(() => document.getAnimations().forEach((a) => a.finish()));
            const results = await page.evaluate(() =>
              globalThis.axe.run(document, { resultTypes: ["violations"] }),
            );
            const bad = results.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
            const minor = results.violations.filter((v) => !["serious", "critical"].includes(v.impact));
            console.log(
              `axe ${kind.name} ${viewport.width}px ${view}, ${tab} tab: ${results.violations.length} violations` +
                (minor.length ? ` (minor: ${minor.map((v) => v.id).join(", ")})` : ""),
            );
            found.push(...bad.map((b) => `${viewport.width}px, ${view}, ${tab} tab: ${b}`));
          }
        }
        await page.close();
      }
      assert.deepEqual(found, [], "serious or critical axe violations");
    } finally {
      await browser.close();
    }
  });
}
