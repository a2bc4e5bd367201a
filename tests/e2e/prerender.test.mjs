// The first view is drawn at build time (src/bin/prerender.rs): every chapter is a real
// page that shows its text without scripts, and with scripts the app takes the page over
// with no layout shift. Start-up times are printed (navigation start to data-app-state=ready).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { serveDist, DIST } from "./lib/server.mjs";
import { launchChromium, launchFirefox, screenshotPath } from "./lib/browsers.mjs";
import { AXE_SOURCE, appState, problems, setViewport, watch } from "./lib/page.mjs";

// The chapter pages the build wrote, and the front page (chapter 1).
const PAGES = ["index.html", ...readdirSync(DIST).filter((f) => f.endsWith(".html") && f !== "index.html").sort()];

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

/** What a reader without scripts sees of a chapter page. */
async function readWithoutScripts(page) {
  return page.evaluate(() => ({
    title: document.querySelector("#lesson-title")?.textContent ?? "",
    claim: document.querySelector(".lesson-claim")?.textContent ?? "",
    prose: [...document.querySelectorAll(".lesson-lead, .lesson p")].map((p) => p.textContent).join(" "),
    noscript: document.querySelector(".noscript")?.getBoundingClientRect().height ?? 0,
    links: [...document.querySelectorAll(".noscript a")].map((a) => a.getAttribute("href")),
    toc: [...document.querySelectorAll(".toc-item, details.toc-menu a")].map((a) => a.getAttribute("href")),
    docTitle: document.title,
    stage: document.querySelectorAll("svg").length,
  }));
}

/**
 * axe-core's serious findings on a chapter page as a reader without scripts gets it. axe
 * needs scripts itself (its checks wait on timers, which a page with scripts off never
 * runs), so it runs on the same markup with the scripts taken out and the <noscript>
 * content shown, in a page that has scripts.
 */
async function axeWithoutScripts(page, name) {
  let html = await (await fetch(`${server.url}${name}`)).text();
  html = html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "")
    .replace(/<link\b[^>]*rel=modulepreload[^>]*>/g, "")
    .replace(/<\/?noscript>/g, "")
    .replace("<head>", `<head><base href="${server.url}">`)
    .replace(/<meta charset=utf-8>/, `<meta charset=utf-8><base href="${server.url}">`);
  await page.setContent(html, { waitUntil: "load" });
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

function checkChapterPage(name, seen) {
  assert.ok(seen.title.length > 0, `${name}: a chapter title`);
  assert.ok(seen.docTitle.includes(name === "index.html" ? "Await Lab" : seen.title), `${name}: <title> ${seen.docTitle}`);
  assert.ok(seen.claim.length > 20, `${name}: the chapter's claim`);
  assert.ok(seen.prose.length > 100, `${name}: the chapter's prose (${seen.prose.length} chars)`);
  assert.ok(seen.noscript > 0, `${name}: the no-script note is shown`);
  assert.ok(seen.stage > 0, `${name}: the stage picture is drawn`);
  // Every chapter page is reachable from every other without scripts.
  assert.deepEqual([...seen.links].sort(), [...PAGES].sort(), `${name}: the no-script list links every chapter page`);
  for (const href of seen.toc) assert.ok(href.endsWith(".html"), `${name}: contents link ${href} is a page`);
}

describe("chapter pages without scripts", () => {
  test("Chromium shows every chapter's text, links them all, and passes axe-core", async () => {
    const browser = await launchChromium();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    assert.ok(PAGES.length >= 11, `a page per chapter (${PAGES.length})`);
    const titles = new Set();
    for (const name of PAGES) {
      await page.goto(`${server.url}${name}`);
      const seen = await readWithoutScripts(page);
      checkChapterPage(name, seen);
      titles.add(seen.title);
      if (name === "starvation.html") await page.screenshot({ path: screenshotPath("prerender-noscript-chromium") });
    }
    assert.equal(titles.size, PAGES.length, "each page is a different chapter");
    // A question is part of the text where a chapter has one.
    await page.goto(`${server.url}starvation.html`);
    assert.match(await page.textContent(".question"), /How many threads/);
    const withScripts = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const name of PAGES) {
      assert.deepEqual(await axeWithoutScripts(withScripts, name), [], `${name}: axe-core serious or critical violations`);
    }
    await browser.close();
  });

  test("Firefox shows every chapter's text, links them all, and passes axe-core", async () => {
    const browser = await launchFirefox({ "javascript.enabled": false });
    const page = await browser.newPage();
    await setViewport(page, { width: 1280, height: 900 });
    for (const name of PAGES) {
      await page.goto(`${server.url}${name}`);
      checkChapterPage(name, await readWithoutScripts(page));
    }
    await page.screenshot({ path: screenshotPath("prerender-noscript-firefox") });
    await browser.close();
    const withScripts = await (await launchFirefox()).newPage();
    await setViewport(withScripts, { width: 1280, height: 900 });
    for (const name of PAGES) {
      assert.deepEqual(await axeWithoutScripts(withScripts, name), [], `${name}: axe-core serious or critical violations (Firefox)`);
    }
    await withScripts.browser().close();
  });
});

describe("the app takes over the drawn page", () => {
  test("in Chromium with no layout shift, the same chapter, and no console problem", async () => {
    const browser = await launchChromium();
    for (const [path, viewport] of [
      ["", { width: 1280, height: 900 }],
      ["", { width: 412, height: 823 }],
      ["starvation.html", { width: 1440, height: 900 }],
      ["blocking-io-is-the-killer.html", { width: 360, height: 740 }],
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const { console } = watch(page);
      await page.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
        }).observe({ type: "layout-shift", buffered: true });
      });
      await page.goto(`${server.url}${path}`);
      const drawn = await page.textContent("#lesson-title");
      assert.equal(await appState(page), "ready");
      const startupMs = await page.evaluate(() => Math.round(performance.now()));
      await page.waitForTimeout(1000);
      const cls = await page.evaluate(() => window.__shifts.reduce((a, v) => a + v, 0));
      process.stdout.write(`STARTUP chromium ${path || "index.html"} ${viewport.width}px: ready by ${startupMs} ms; CLS ${cls.toFixed(4)}\n`);
      assert.ok(cls <= 0.02, `${path || "index"} at ${viewport.width}px: cumulative layout shift ${cls}`);
      assert.equal(await page.textContent("#lesson-title"), drawn, "the live app shows the chapter the page drew");
      assert.equal(await page.$eval("#app", (e) => e.hasAttribute("data-prerendered")), false);
      // The live contents link to live chapters, and the drawn copy is gone (one title).
      assert.equal(await page.$$eval("#lesson-title", (l) => l.length), 1);
      assert.match(await page.$eval(".toc-item, details.toc-menu a", (a) => a.getAttribute("href")), /^\?chapter=/);
      assert.deepEqual(problems(console), [], "console errors or warnings");
      await context.close();
    }
    await browser.close();
  });

  test("in Firefox, a chapter page opens its live chapter and the start-up time is printed", async () => {
    const browser = await launchFirefox();
    const page = await browser.newPage();
    await setViewport(page, { width: 1280, height: 900 });
    const { console } = watch(page);
    for (const path of ["", "starvation.html"]) {
      await page.goto(`${server.url}${path}`);
      const drawn = await page.$eval("#lesson-title", (e) => e.textContent);
      assert.equal(await appState(page), "ready");
      const startupMs = await page.evaluate(() => Math.round(performance.now()));
      process.stdout.write(`STARTUP firefox ${path || "index.html"} 1280px: ready by ${startupMs} ms\n`);
      assert.equal(await page.$eval("#lesson-title", (e) => e.textContent), drawn);
      assert.equal(await page.$$eval("#lesson-title", (l) => l.length), 1);
    }
    assert.deepEqual(problems(console), [], "console errors or warnings");
    await browser.close();
  });
});
