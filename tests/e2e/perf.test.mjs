// Frame benchmark: plays the heaviest preset in headless Chromium and reports frame-interval
// percentiles and long tasks. A report, not a timed assertion: only that frames were
// measured is asserted, because wall-clock times depend on the machine.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, serveDist } from "./lib/server.mjs";
import { launchChromium } from "./lib/browsers.mjs";
import { appState, setSpeed } from "./lib/page.mjs";

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

for (const [slug, speedIdx] of [["heavy-async", 5], ["heavy-blocking", 5]]) {
  test(`frame report: ${slug} playing in Chromium`, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(server.url);
      assert.equal(await appState(page), "ready");
      const value = await page.$$eval("#preset option", (opts, s) => opts.find((o) => o.textContent.includes(s))?.value ?? null, slug === "heavy-async" ? "10,000 users" : "1,000 threads");
      assert.ok(value, `preset ${slug} is listed`);
      await page.selectOption("#preset", value);
      await setSpeed(page, speedIdx);
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
      await page.click("button.play");
      const { frames, long, stage } = await page.evaluate(() => {
        window.__stop = true;
        return { frames: window.__frames, long: window.__long, stage: { ...document.querySelector("#stage").dataset } };
      });
      const intervals = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
      const report = {
        preset: slug,
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
      };
      console.log(`FRAMES ${JSON.stringify(report)}`);
      writeFileSync(join(ROOT, "target", `frames-${slug}.json`), JSON.stringify(report, null, 2));
      assert.ok(intervals.length > 10, "frames were measured");
      // At this scale the stage draws counts, not one element per thread or I/O call.
      const aggregate = slug === "heavy-async" ? ".stage-part.io .aggregate" : ".stage-part.threads .heat-strip";
      assert.ok(await page.$(aggregate), `the stage aggregates (${aggregate})`);
      assert.ok(report.sim_time_ms > 0, "the run played");
    } finally {
      await browser.close();
    }
  });
}
