// The charts in both browsers: the time series follow the engine's samples, real key
// presses in a chart read values without stepping the simulation, the sweep computes in
// slices while the page keeps painting, and axe finds nothing serious in the charts.
// Set AWAIT_LAB_DIST to test a build other than dist/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, axeSerious, openTab, openWatched, problems, setSpeed } from "./lib/page.mjs";


let server;
before(async () => {
  server = await serveDist({ dir: process.env.AWAIT_LAB_DIST || undefined });
});
after(async () => {
  await server?.close();
});

const stage = (page) => page.$eval("#stage", (e) => ({ ...e.dataset }));
const plotData = (page, key) =>
  page.$eval(`.chart[data-chart='${key}'] .chart-plot`, (e) => ({ ...e.dataset }));
const readout = (page, key) =>
  page.$eval(`.chart[data-chart='${key}'] .chart-readout`, (e) => e.textContent);

/**
 * Opens the charts tab (the charts are drawn only while it is open) and puts the threads
 * chart's cursor on its last sample with the End key, so a scan sees a cursor shown.
 */
async function chartsWithCursor(page) {
  await openTab(page, "charts");
  await page.focus(".chart[data-chart='threads'] .chart-plot");
  await page.keyboard.press("End");
  await page.waitForFunction(
    () => document.querySelector(".chart[data-chart='threads'] .chart-plot").dataset.cursor !== "",
  );
}

for (const kind of BROWSERS) {
  describe(`the charts in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    test("time series, keyboard and pointer readouts, the sweep, axe", async () => {
      const { page, console: messages, errors } = await openWatched(kind, browser, server.url, { preset: 0 });
      assert.equal(await appState(page), "ready");
      await setSpeed(page, 6);
      await page.click("button.play");
      await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 2_500_000);
      await page.click("button.play");
      const { timeUs } = await stage(page);

      // One sample per closed 100 ms window, one point per sample in every thread line.
      const samples = Math.floor(Number(timeUs) / 100_000);
      assert.equal(await page.$$eval(".chart", (c) => c.length), 6);
      for (const key of ["threads", "queue", "throughput", "cpu", "memory"]) {
        assert.equal(Number((await plotData(page, key)).samples), samples, key);
      }
      const points = await page.$$eval(".chart[data-chart='threads'] path.line", (paths) =>
        paths.map((p) => (p.getAttribute("d").match(/[ML]/g) || []).length),
      );
      assert.deepEqual(points, [samples, samples, samples, samples, samples]);

      // Real key presses in a chart move its cursor and leave the simulation alone.
      const was = await stage(page);
      await page.focus(".chart[data-chart='threads'] .chart-plot");
      await page.keyboard.press("End");
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowRight");
      assert.equal((await plotData(page, "threads")).cursor, String(samples - 2));
      assert.match(await readout(page, "threads"), /^Threads, at \d+\.\d s: total \d+, running \d+/);
      const now = await stage(page);
      assert.equal(now.events, was.events, "arrow keys in a chart do not step");
      assert.equal(now.timeUs, was.timeUs);

      // The pointer: a third of the way across the queue chart.
      const box = await (await page.$(".chart[data-chart='queue'] .chart-plot")).boundingBox();
      await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
      await page.waitForFunction(
        () => document.querySelector(".chart[data-chart='queue'] .chart-plot").dataset.cursor !== "",
      );
      assert.match(await readout(page, "queue"), /^Pool queue \(work items waiting\), at \d+\.\d s: queued \d+\.$/);

      // The sweep: count frames while it runs, to show the page kept painting.
      await page.evaluate(() => {
        const w = globalThis;
        w.__sweep = { frames: 0, maxGapMs: 0, longTasks: 0, longestTaskMs: 0, last: performance.now() };
        const tick = (t) => {
          w.__sweep.frames += 1;
          w.__sweep.maxGapMs = Math.max(w.__sweep.maxGapMs, t - w.__sweep.last);
          w.__sweep.last = t;
          if (!w.__sweep.stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        if (PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              w.__sweep.longTasks += 1;
              w.__sweep.longestTaskMs = Math.max(w.__sweep.longestTaskMs, e.duration);
            }
          }).observe({ entryTypes: ["longtask"] });
        }
      });
      // The sweep is a tool of its own tab.
      await openTab(page, "sweep");
      const started = Date.now();
      await page.click(".sweep-run");
      await page.waitForFunction(() => document.querySelector(".sweep").dataset.status === "done");
      const sweepMs = Date.now() - started;
      const frames = await page.evaluate(() => {
        globalThis.__sweep.stop = true;
        return globalThis.__sweep;
      });
      process.stdout.write(
        `sweep ${kind.name}: ${sweepMs} ms, ${frames.frames} frames, longest frame gap ` +
          `${frames.maxGapMs.toFixed(1)} ms, long tasks ${frames.longTasks} (longest ${frames.longestTaskMs.toFixed(0)} ms)\n`,
      );
      assert.ok(frames.frames >= 1, "the page painted while the sweep ran");
      assert.equal(await page.$$eval(".sweep-numbers tbody tr", (r) => r.length), 36);
      const rps = (style, users) =>
        page.$eval(`.sweep-numbers tr[data-style='${style}'][data-users='${users}']`, (r) => Number(r.dataset.rps));
      const [a, b] = [await rps("async", 500), await rps("blocking", 500)];
      assert.ok(a > 5 * b, `async ${a} blocking ${b}`);
      assert.equal(await page.$$eval(".sweep-plot[data-metric='throughput'] .direct-label", (l) => l.length), 4);

      // axe over the sweep drawn, in its tab, and over the charts with a cursor shown, in
      // theirs; in light, then (Chromium) in dark.
      assert.deepEqual(await axeSerious(page, ".sweep"), [], "serious or critical axe violations in the sweep");
      await chartsWithCursor(page);
      assert.deepEqual(await axeSerious(page, ".charts"), [], "serious or critical axe violations in the charts");

      for (const theme of ["light", "dark"]) {
        await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
        const charts = await page.$(".charts");
        await charts.screenshot({ path: screenshotPath(`charts-${theme}-${kind.name}`) });
      }
      if (kind.name === "chromium") {
        assert.deepEqual(await axeSerious(page, ".charts"), [], "serious axe violations in the charts, dark theme");
      }
      await openTab(page, "sweep");
      if (kind.name === "chromium") {
        assert.deepEqual(await axeSerious(page, ".sweep"), [], "serious axe violations in the sweep, dark theme");
      }
      for (const theme of ["dark", "light"]) {
        await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
        const sweep = await page.$(".sweep");
        await sweep.screenshot({ path: screenshotPath(`sweep-${theme}-${kind.name}`) });
      }
      assert.deepEqual(problems(messages), []);
      assert.deepEqual(errors, []);
      await page.close();
    });

    test("at 360 px: no horizontal overflow, readable charts, axe clean", async () => {
      const { page, errors } = await openWatched(kind, browser, server.url, {
        preset: 0,
        viewport: { width: 360, height: 740 },
      });
      assert.equal(await appState(page), "ready");
      await page.click("button.play");
      await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 300_000);
      await page.click("button.play");
      await openTab(page, "sweep");
      await page.click(".sweep-run");
      await page.waitForFunction(() => document.querySelector(".sweep").dataset.status === "done");
      await page.click(".sweep-numbers summary");
      // The sweep drawn with its numbers open, in its tab; then the charts, in theirs.
      const sweepWidths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        sweep: document.querySelector(".sweep").getBoundingClientRect().right,
      }));
      assert.ok(sweepWidths.page <= 360, `the page scrolls sideways (sweep tab): ${JSON.stringify(sweepWidths)}`);
      assert.ok(sweepWidths.sweep <= 360, JSON.stringify(sweepWidths));
      assert.deepEqual(await axeSerious(page, ".sweep"), [], "serious or critical axe violations in the sweep");
      await (await page.$(".sweep")).screenshot({ path: screenshotPath(`sweep-360-${kind.name}`) });
      await openTab(page, "charts");
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        charts: document.querySelector(".charts").getBoundingClientRect().right,
        plot: document.querySelector(".chart-plot").getBoundingClientRect().width,
      }));
      assert.ok(widths.page <= 360, `the page scrolls sideways: ${JSON.stringify(widths)}`);
      assert.ok(widths.charts <= 360, JSON.stringify(widths));
      assert.ok(widths.plot >= 250, `charts use the width: ${JSON.stringify(widths)}`);
      assert.deepEqual(await axeSerious(page, ".charts"), [], "serious or critical axe violations in the charts");
      await (await page.$(".charts")).screenshot({ path: screenshotPath(`charts-360-${kind.name}`) });
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
