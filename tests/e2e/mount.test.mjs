// The built page, served under a sub-path, mounts in Chromium and Firefox with no console
// problem and no request to any other origin; a screenshot of each is kept for a person.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, foreignRequests, openWatched, problems } from "./lib/page.mjs";

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

for (const kind of BROWSERS) {
  describe(`the page in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    test("mounts under a sub-path with no console problem and no foreign request", async () => {
      const { page, console, errors, requests } = await openWatched(kind, browser, server.url);
      assert.equal(await appState(page), "ready", "the app should report that it mounted");
      assert.equal(await page.$eval("h1", (h) => h.textContent), "Await Lab");
      // At 1280 px the table of contents is the "Chapters" menu (the side column needs 88rem).
      const chapters = await page.$$eval("details.toc-menu li", (items) => items.length);
      assert.equal(chapters, 12, "the table of contents lists all twelve chapters");
      assert.equal(await page.$("#boot"), null, "the loading message is gone once mounted");
      assert.equal(await page.$eval("#fatal", (e) => e.hidden), true, "no fatal message");
      // Give late warnings (a failed favicon, a deferred fetch) a moment to appear.
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(problems(console), [], "console errors or warnings");
      assert.deepEqual(errors, [], "uncaught page errors");
      assert.deepEqual(foreignRequests(requests, server.origin), [], "requests to other origins");
      const wasm = requests.filter((u) => u.endsWith(".wasm"));
      assert.equal(wasm.length, 1, "the wasm module is fetched once");
      assert.ok(wasm[0].startsWith(server.url), `the wasm is fetched under the sub-path: ${wasm[0]}`);
      await page.screenshot({ path: screenshotPath(`mount-${kind.name}`), fullPage: true });
      await page.close();
    });

    test("chapter navigation works from the keyboard", async () => {
      const { page } = await openWatched(kind, browser, server.url);
      assert.equal(await appState(page), "ready");
      const title = () => page.$eval("#lesson-title", (h) => h.textContent);
      assert.equal(await title(), "What a blocked thread costs");
      // At 1280 px the chapter list is a menu: Enter on its summary opens it, and Tab
      // goes through its links.
      await page.focus("details.toc-menu > summary");
      await page.keyboard.press("Enter");
      await page.waitForSelector("details.toc-menu[open]");
      for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
      assert.equal(
        await page.evaluate(() => document.activeElement === document.querySelector("details.toc-menu li:nth-child(3) a")),
        true,
        "three Tabs from the menu's summary reach the third chapter's link",
      );
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.querySelector("#lesson-title").textContent.startsWith("A Task"));
      assert.equal(await title(), "A Task is a receipt, not a worker");
      const current = await page.$eval("details.toc-menu [aria-current='page']", (b) => b.textContent);
      assert.match(current, /A Task is a receipt/);
      // The new chapter's title takes the focus, as a new page's would.
      assert.equal(await page.evaluate(() => document.activeElement.id), "lesson-title");
      // The address is a deep link to the chapter, and no page load happened.
      assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get("ch")), "task-is-a-receipt");
      // Tab from the table of contents' last entry reaches the lesson's buttons.
      await page.focus(".lesson-nav button:last-child");
      await page.keyboard.press("Enter");
      assert.equal(await title(), "async and await are syntax");
      await page.close();
    });

    test("the theme switch cycles system, light and dark", async () => {
      const { page } = await openWatched(kind, browser, server.url);
      assert.equal(await appState(page), "ready");
      const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
      assert.equal(await theme(), "system");
      await page.click(".theme-switch");
      await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
      await page.click(".theme-switch");
      await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
      await page.screenshot({ path: screenshotPath(`mount-${kind.name}-dark`), fullPage: true });
      await page.close();
    });
  });
}

for (const kind of BROWSERS) {
  test(`nothing is wider than a 360 px screen in ${kind.name}`, async () => {
    const browser = await kind.launch();
    try {
      const { page } = await openWatched(kind, browser, server.url, { viewport: { width: 360, height: 740 } });
      assert.equal(await appState(page), "ready");
      await page.click("button.play");
      await new Promise((r) => setTimeout(r, 500));
      await page.click("button.play");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `the page is ${width} px wide at a 360 px viewport`);
      await page.screenshot({ path: screenshotPath(`narrow-${kind.name}`) });
      await page.close();
    } finally {
      await browser.close();
    }
  });
}
