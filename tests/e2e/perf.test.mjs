// Frame benchmark: plays the two heaviest presets and chapter 8 (A/B, 200 users, two
// pictures) in headless Chromium and reports frame-interval percentiles and long tasks.
// A report, not a timed assertion: only that frames were measured is asserted, because
// wall-clock times depend on the machine.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, serveDist } from "./lib/server.mjs";
import { launchChromium } from "./lib/browsers.mjs";
import { appState, chooseRun, setSpeed } from "./lib/page.mjs";

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

const MEASURE_MS = 6000;

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// Each run: a preset (found by words in its name) or a chapter (opened by its link).
const RUNS = [
  { slug: "heavy-async", speedIdx: 5, preset: "10,000 users" },
  { slug: "heavy-blocking", speedIdx: 5, preset: "1,000 threads" },
  // Chapter 8's run is 10 s long: at ×1 the measurement ends before the run does.
  { slug: "blocking-io-is-the-killer", speedIdx: 4, chapter: true },
];

// Each run is measured with the picture and, for comparison on the same machine, with
// the stage shown as text (the list stage the picture replaced).
for (const { slug, speedIdx, preset, chapter, view } of RUNS.flatMap((r) => ["picture", "text"].map((view) => ({ ...r, view })))) {
  test(`frame report: ${slug} (${view}) playing in Chromium`, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(chapter ? `${server.url}?ch=${slug}` : server.url);
      assert.equal(await appState(page), "ready");
      if (preset) {
        const value = await page.$$eval("#preset option", (opts, s) => opts.find((o) => o.textContent.includes(s))?.value ?? null, preset);
        assert.ok(value, `preset ${slug} is listed`);
        await chooseRun(page, "#preset", value);
      } else {
        await page.waitForSelector("#stage-b", { timeout: 15000 });
      }
      // The stage is drawn as a picture before the measurement starts.
      await page.waitForSelector("#stage svg[data-picture]", { timeout: 15000 });
      await setSpeed(page, speedIdx);
      if (view === "text") await page.click("#stage .stage-text-toggle");
      // Record every animation frame and every long task while the run plays.
      await page.evaluate(() => {
        window.__frames = [];
        window.__long = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__long.push(e.duration);
        }).observe({ type: "longtask", buffered: false });
        const tick = (t) => { window.__frames.push(t); if (!window.__stop) requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
      });
      await page.click("button.play");
      await page.waitForTimeout(MEASURE_MS);
      // A run that reached its end has stopped by itself (and Play is disabled).
      if (await page.$eval("button.play", (b) => !b.disabled)) await page.click("button.play");
      const { frames, long, stage, pictureElements } = await page.evaluate(() => {
        window.__stop = true;
        return {
          frames: window.__frames,
          long: window.__long,
          stage: { ...document.querySelector("#stage").dataset },
          pictureElements: document.querySelectorAll("svg[data-picture] *").length,
        };
      });
      const intervals = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
      const report = {
        preset: slug,
        view,
        speed_idx: speedIdx,
        frames: intervals.length,
        frame_ms_p50: +percentile(intervals, 50).toFixed(1),
        frame_ms_p95: +percentile(intervals, 95).toFixed(1),
        frame_ms_p99: +percentile(intervals, 99).toFixed(1),
        frame_ms_max: +intervals[intervals.length - 1].toFixed(1),
        long_tasks: long.length,
        long_task_ms_max: long.length ? +Math.max(...long).toFixed(1) : 0,
        sim_time_ms: Math.round(Number(stage.timeUs) / 1000),
        threads: Number(stage.threads),
        events: Number(stage.events),
        picture_elements: pictureElements,
      };
      console.log(`FRAMES ${JSON.stringify(report)}`);
      writeFileSync(join(ROOT, "target", `frames-${slug}-${view}.json`), JSON.stringify(report, null, 2));
      assert.ok(intervals.length > 10, "frames were measured");
      if (view === "text") return;
      // The picture is still there after playing; above 256 threads it draws a waffle
      // (no thread box of its own per thread), below that one box per thread.
      assert.ok(await page.$("#stage svg[data-picture]"), "the stage is drawn as a picture (#stage svg[data-picture])");
      const boxes = await page.$$eval("#stage svg[data-picture] [data-thread]", (els) =>
        els.filter((e) => e.closest("#stage, #stage-b")?.id === "stage").length,
      );
      if (report.threads > 256) assert.equal(boxes, 0, `${report.threads} threads are a waffle, not ${boxes} boxes`);
      else assert.equal(boxes, report.threads, "one box per thread");
      // Blocked threads and tethers agree at any scale: one tether each, or one bundle
      // that counts them.
      const tethers = await page.$$eval("#stage svg[data-picture] [data-tether], #stage svg[data-picture] [data-tether-bundle]", (els) =>
        els
          .filter((e) => e.closest("#stage, #stage-b")?.id === "stage")
          .reduce((n, e) => n + (e.hasAttribute("data-tether-bundle") ? Number(e.dataset.count) : 1), 0),
      );
      assert.equal(tethers, Number(stage.blocked), `tethers (or the bundle's count) = the ${stage.blocked} blocked threads`);
      assert.ok(report.sim_time_ms > 0, "the run played");
    } finally {
      await browser.close();
    }
  });
}
