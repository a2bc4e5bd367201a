// Share and embed (issue 6), in Chromium and Firefox: the address is a link to the exact
// view and reopens it; the Embed button's HTML, pasted into a page on another origin, plays
// there at 320 px wide under a strict CSP that names that origin; hostile links show a
// message, insert nothing and leave the page usable; a scenario file opens, and a bad one
// is refused with the engine's words; the run's files are saved (Chromium, which lets a
// test read a download).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { serveDist } from "./lib/server.mjs";
import {
  BROWSERS,
  appState,
  axeSerious,
  chooseRun,
  closeRunMenu,
  foreignRequests,
  openRunMenu,
  openTab,
  openWatched,
  problems,
  spokenText,
} from "./lib/page.mjs";
import { CSP } from "./csp.test.mjs";


let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const value = (page, sel) => page.$eval(sel, (e) => e.value);
const playwright = (page) => Boolean(page.selectOption);
const waitFor = (page, fn, arg) =>
  playwright(page) ? page.waitForFunction(fn, arg) : page.waitForFunction(fn, {}, arg);

/** What the reader sees of the run: enough to tell two views apart to the event. */
const view = (page) =>
  page.evaluate(() => ({
    chapter: document.querySelector(".lesson-count")?.textContent,
    run: document.querySelector("#preset").selectedOptions[0].textContent.trim(),
    compare: document.querySelector("#compare").selectedOptions[0].textContent.trim(),
    seed: document.querySelector("#seed").value,
    clock: document.querySelector(".clock").textContent,
    stage: document.querySelector("#stage").innerText,
    stageB: document.querySelector("#stage-b")?.innerText ?? null,
    code: document.querySelector(".code-panel")?.innerText ?? null,
  }));


/** Serves one HTML page on another origin (another port of 127.0.0.1). */
async function serveHost(html) {
  const host = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise((ok) => host.listen(0, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${host.address().port}`, close: () => new Promise((ok) => host.close(ok)) };
}

for (const kind of BROWSERS) {
  describe(`share and embed in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    test("the address reopens the exact view: chapter, run, seed, comparison, step and followed request", async () => {
      const { page, console, errors } = await openWatched(kind, browser, `${server.url}?chapter=starvation`);
      assert.equal(await appState(page), "ready");
      // Chapter 7's second run, another seed, side B on, and a few exact steps.
      await page.click(".lesson .setups button:nth-child(2)");
      await openRunMenu(page);
      await page.$eval("#seed", (e) => {
        e.value = "4242";
        e.dispatchEvent(new Event("change", { bubbles: true }));
      });
      await closeRunMenu(page);
      await chooseRun(page, "#compare", "1");
      for (let i = 0; i < 9; i++) await page.click(".toolbar button.step");
      await page.$eval("#scrub", (e) => {
        e.value = "1230";
        e.dispatchEvent(new Event("input", { bubbles: true }));
      });
      for (let i = 0; i < 3; i++) await page.click(".toolbar button.step");
      const before = await view(page);
      const link = await value(page, "#share-link");
      assert.equal(await page.evaluate(() => location.href), link, "the address is the link");
      assert.match(link, /[?&]v=1&ch=starvation&/);
      assert.match(link, /&seed=4242&ab=async&t=\d+&e=\d+/);
      assert.ok(!/[<>"' ]/.test(link), "the link needs no escaping in mail or chat");

      // A fresh tab on the link shows the same, to the event.
      const second = await openWatched(kind, browser, link);
      assert.equal(await appState(second.page), "ready");
      assert.deepEqual(await view(second.page), before);
      assert.equal(await second.page.$(".notice"), null, "a good link shows no message");
      assert.deepEqual(problems(console), []);
      assert.deepEqual(errors, []);
      assert.deepEqual(second.errors, []);
      await second.page.close();
      await page.close();
    });

    test("hostile links show the message, insert nothing, lose nothing and leave the page usable", async () => {
      const { page, console, errors, requests } = await openWatched(kind, browser, server.url);
      assert.equal(await appState(page), "ready");
      // The reader's own scenario, applied from the editor, must survive every bad link.
      await page.evaluate(() =>
        localStorage.setItem("await-lab:own", JSON.stringify({ version: 1, load: { users: 7 } })),
      );
      const markup = `<img src=x onerror="document.title='pwned'">`;
      const s = Buffer.from(JSON.stringify({ version: 1, resources: { [markup]: { capacity: -1 } } })).toString("base64url");
      const cases = [
        ["very long", `?ch=7&p=${"x".repeat(9000)}`, /at most 8192/],
        ["broken encoding", "?ch=7&s=eyJ2ZXJzaW9uIjox%ZZ", /s parameter/],
        ["cut-off scenario", "?ch=7&s=eyJ2ZXJzaW9uIjoxf", /cut off/],
        ["out-of-range numbers", "?ch=7&seed=18446744073709551616&t=999999999999&e=99999999999", /seed parameter[\s\S]*e parameter[\s\S]*t parameter/],
        ["markup in a name", `?ch=7&p=${encodeURIComponent(markup)}`, /p parameter/],
        ["markup in the scenario", `?ch=7&s=${s}`, /s\.resources\.<img[\s\S]*must be between 1 and/],
        ["a newer version", "?v=9&ch=7", /newer Await Lab/],
        ["a bad embed option", "?ch=7&embed=1&panels=everything", /panels parameter/],
      ];
      for (const [name, query, message] of cases) {
        await page.goto(server.url + query);
        assert.equal(await appState(page), "ready", name);
        const notice = await text(page, ".notice");
        assert.match(notice, message, name);
        assert.ok(notice.length < 2000, `${name}: the message quotes shortened values`);
        assert.equal(await page.$$eval(".notice img, .notice script", (n) => n.length), 0, `${name}: no markup`);
        assert.notEqual(await page.title(), "pwned", name);
        assert.equal(
          await page.evaluate(() => JSON.parse(localStorage.getItem("await-lab:own")).load.users),
          7,
          `${name}: the reader's own scenario is kept`,
        );
      }
      // The page stays usable: the own scenario is offered back, and it plays.
      await page.goto(server.url + "?ch=7&seed=x");
      assert.equal(await appState(page), "ready");
      await page.evaluate(() => [...document.querySelectorAll(".notice button")].find((b) => b.textContent === "Open your scenario").click());
      await waitFor(page, () => document.querySelector(".lesson-count")?.textContent === "Chapter 12 of 12");
      assert.equal(await value(page, "#ed-load-users"), "7");
      await page.click(".toolbar .play");
      await waitFor(page, () => !document.querySelector(".clock").textContent.startsWith("0.000"));
      assert.deepEqual(problems(console), []);
      assert.deepEqual(errors, []);
      assert.deepEqual(foreignRequests(requests, server.origin), []);
      await page.close();
    });

    test("the Embed button's HTML plays in a 320 px iframe on another origin, under a CSP that allows it", async () => {
      const { page } = await openWatched(kind, browser, `${server.url}?chapter=blocking-io-is-the-killer`);
      assert.equal(await appState(page), "ready");
      await openTab(page, "share");
      await page.click(".embed-toggle");
      await page.click("#embed-options fieldset label:nth-child(6) input"); // charts
      await page.click("#embed-options > label.check input"); // autoplay
      const snippet = await value(page, "#embed-code");
      assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/some\/docs\/path\/\?v=1&amp;ch=blocking-io-is-the-killer&amp;.*embed=1&amp;panels=stage-charts&amp;autoplay=1"/);
      assert.deepEqual(await axeSerious(page), [], "the page with the embed options open passes axe");
      await page.close();

      // The page is served again with a strict policy whose frame-ancestors names the host.
      const host = await serveHost(
        `<!doctype html><html lang="en"><title>Docs</title><body style="margin:0"><h1>Docs</h1>` +
          snippet.replace('width="100%"', 'width="320"') +
          `</body></html>`,
      );
      const framed = await serveDist({
        headers: { "Content-Security-Policy": CSP.replace("frame-ancestors 'none'", `frame-ancestors ${host.origin}`) },
      });
      try {
        const docs = await kind.newPage(browser);
        const messages = [];
        docs.on("console", (m) => messages.push({ type: m.type(), text: m.text() }));
        await docs.goto(host.origin + "/", { waitUntil: "load" });
        const src = snippet.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&").replace(server.origin, framed.origin);
        await docs.$eval("iframe", (f, u) => (f.src = u), src);
        let frame;
        for (let i = 0; i < 200 && !frame; i++) {
          frame = docs.frames().find((f) => f.url().startsWith(framed.origin));
          if (!frame) await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(frame, "the iframe loads the page from the other origin");
        await frame.waitForSelector("html[data-app-state='ready']", { timeout: 30000 });
        // It autoplays: the clock moves without a click.
        const t0 = await frame.$eval(".clock", (e) => e.textContent);
        await frame.waitForFunction((t) => document.querySelector(".clock").textContent !== t, {}, t0).catch(async () => {
          await frame.waitForFunction((t) => document.querySelector(".clock").textContent !== t, t0);
        });
        const shape = await frame.evaluate(() => ({
          lesson: Boolean(document.querySelector(".lesson, .lesson-head, nav.toc, .toc-menu, .workbench, .editor, .share")),
          charts: Boolean(document.querySelector(".charts")),
          seedField: Boolean(document.querySelector("#seed")),
          back: document.querySelector(".embed-bar a")?.href,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          width: window.innerWidth,
        }));
        assert.equal(shape.width, 320);
        assert.equal(shape.lesson, false, "no page chrome in the embed");
        assert.equal(shape.charts, true, "the panels it asked for");
        assert.equal(shape.seedField, false, "minimal controls");
        assert.ok(shape.overflow <= 0, `nothing wider than the 320 px frame (${shape.overflow} px over)`);
        assert.match(shape.back, /\/some\/docs\/path\/\?v=1&ch=blocking-io-is-the-killer/);
        assert.ok(!/embed=/.test(shape.back), "the way back opens the full page");
        // Paused and settled, as axe judges colours mid-animation as drawn.
        await frame.click(".toolbar .play");
        await new Promise((r) => setTimeout(r, 800));
        assert.deepEqual(await axeSerious(frame), [], "the embedded view passes axe at 320 px");
        assert.deepEqual(problems(messages), [], "no CSP violation or other problem");
        await docs.close();
      } finally {
        await host.close();
        await framed.close();
      }
    });

    test("a scenario file opens; a bad one is refused naming the field, and nothing changes", async () => {
      const { page, console, errors } = await openWatched(kind, browser, server.url);
      assert.equal(await appState(page), "ready");
      await openTab(page, "share");
      const upload = async (name, body) => {
        const input = await page.$("#import-file");
        if (playwright(page)) {
          await input.setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(body) });
        } else {
          const { writeFileSync, mkdtempSync } = await import("node:fs");
          const { join } = await import("node:path");
          const { tmpdir } = await import("node:os");
          const path = join(mkdtempSync(join(tmpdir(), "await-lab-")), name);
          writeFileSync(path, body);
          await input.uploadFile(path);
        }
      };
      const runBefore = await text(page, "#preset option:checked");
      await upload("bad.json", JSON.stringify({ version: 1, pool: { max_threads: 0 } }));
      await waitFor(page, () => document.querySelector("#import-problems li"));
      assert.match(await text(page, "#import-problems"), /pool\.max_threads/);
      assert.equal(await text(page, "#preset option:checked"), runBefore, "nothing changed");
      await upload("not-json.json", "<b>hello</b>");
      await waitFor(page, () => /JSON/.test(document.querySelector("#import-problems").textContent));
      assert.equal(await page.$$eval("#import-problems b", (b) => b.length), 0);
      await upload("good.json", JSON.stringify({ version: 1, load: { users: 13 } }));
      await waitFor(page, () => /Imported/.test(document.querySelector(".share-status").textContent));
      assert.equal((await text(page, "#preset option:checked")).trim(), "Your scenario");
      assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem("await-lab:own")).load.users), 13);
      assert.deepEqual(problems(console), []);
      assert.deepEqual(errors, []);
      await page.close();
    });

    if (kind.name === "chromium") {
      test("Copy link during play pauses and copies the link to that moment", async () => {
        const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
        const page = await context.newPage();
        await page.goto(`${server.url}?chapter=starvation`);
        assert.equal(await appState(page), "ready");
        await page.click(".toolbar .play");
        await page.waitForFunction(() => !document.querySelector(".clock").textContent.startsWith("0.000"));
        await openTab(page, "share");
        const button = page.locator(".share-row button").first();
        assert.equal(await button.textContent(), "Pause and copy link");
        await button.click();
        await page.waitForFunction(() => /Copied/.test(document.querySelector(".share-status").textContent));
        assert.equal(await spokenText(page, ".toolbar .play"), "Play", "the run paused");
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        assert.equal(copied, await value(page, "#share-link"));
        assert.match(copied, /&t=\d+&e=\d+/, "the link names the moment it paused at");
        assert.equal(await button.textContent(), "Copy link");
        await context.close();
      });

      test("the run's files download: scenario JSON, metrics CSV, trace JSON, a chart as SVG", async () => {
        const context = await browser.newContext({ acceptDownloads: true });
        const page = await context.newPage();
        await page.goto(`${server.url}?chapter=blocking-io-is-the-killer`);
        assert.equal(await appState(page), "ready");
        await page.$eval("#scrub", (e) => {
          e.value = "3000";
          e.dispatchEvent(new Event("input", { bubbles: true }));
        });
        await openTab(page, "share");
        const save = async (selector) => {
          const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
          const path = await download.path();
          return { name: download.suggestedFilename(), body: readFileSync(path, "utf8") };
        };
        const scenario = await save(".share button:text('Save scenario (JSON)')");
        assert.match(scenario.name, /^await-lab-.*\.scenario\.json$/);
        assert.equal(JSON.parse(scenario.body).load.users, 200);
        const metrics = await save(".share button:text('Save metrics (CSV)')");
        const rows = metrics.body.trim().split("\r\n");
        assert.match(rows[0], /^time_ms,threads,/);
        assert.ok(rows.length >= 30, `${rows.length} rows for 3 s of 100 ms windows`);
        const trace = await save(".share button:text('Save trace (JSON)')");
        const parsed = JSON.parse(trace.body);
        assert.equal(parsed.format, "await-lab-trace");
        assert.ok(parsed.events.length > 100);
        assert.ok(parsed.events.every((e, i, all) => i === 0 || e.time_us >= all[i - 1].time_us));
        await openTab(page, "charts");
        const svg = await save(".chart .chart-save");
        assert.match(svg.name, /\.svg$/);
        assert.match(svg.body, /^<\?xml[\s\S]*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<path/);
        await context.close();
      });
    }
  });
}
