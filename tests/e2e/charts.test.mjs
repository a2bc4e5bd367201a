// The charts in both browsers: the time series follow the engine's samples, real key
// presses in a chart read values without stepping the simulation, the sweep computes in
// slices while the page keeps painting, and axe finds nothing serious in the charts.
// Set AWAIT_LAB_DIST to test a build other than dist/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { AXE_SOURCE, BROWSERS, appState, openWatched, problems, setSpeed } from "./lib/page.mjs";


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

      // axe over the charts region, with a cursor shown and the sweep drawn.
      await page.evaluate(AXE_SOURCE);
      const results = await page.evaluate(() =>
        globalThis.axe.run({ include: [[".charts"]] }, { resultTypes: ["violations"] }),
      );
      const bad = results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(bad, [], "serious or critical axe violations in the charts");

      for (const theme of ["light", "dark"]) {
        await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
        const charts = await page.$(".charts");
        await charts.screenshot({ path: screenshotPath(`charts-${theme}-${kind.name}`) });
      }
      if (kind.name === "chromium") {
        const axeDark = await page.evaluate(() =>
          globalThis.axe.run({ include: [[".charts"]] }, { resultTypes: ["violations"] }),
        );
        const badDark = axeDark.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => v.id);
        assert.deepEqual(badDark, [], "serious axe violations in the dark theme");
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
      await page.click(".sweep-run");
      await page.waitForFunction(() => document.querySelector(".sweep").dataset.status === "done");
      await page.click(".sweep-numbers summary");
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        charts: document.querySelector(".charts").getBoundingClientRect().right,
        plot: document.querySelector(".chart-plot").getBoundingClientRect().width,
      }));
      assert.ok(widths.page <= 360, `the page scrolls sideways: ${JSON.stringify(widths)}`);
      assert.ok(widths.charts <= 360, JSON.stringify(widths));
      assert.ok(widths.plot >= 250, `charts use the width: ${JSON.stringify(widths)}`);
      await page.evaluate(AXE_SOURCE);
      const results = await page.evaluate(() =>
        globalThis.axe.run({ include: [[".charts"]] }, { resultTypes: ["violations"] }),
      );
      const bad = results.violations
        .filter((v) => ["serious", "critical"].includes(v.impact))
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(bad, []);
      await (await page.$(".charts")).screenshot({ path: screenshotPath(`charts-360-${kind.name}`) });
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
