// The stage as an SVG picture, in both browsers: a followed request's token travels the
// whole story (queue, thread, I/O, back to the queue as a continuation, thread, done);
// blocked threads, tethers and the engine's blocked count agree; step back gives back the
// exact picture; tokens travel across frames with motion and jump without it; the picture
// fits a phone; the keyboard reaches and follows a token; and screenshots of five
// chapters in both themes for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { launchFirefox, screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, openWatched, playIs, problems, setSpeed } from "./lib/page.mjs";

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

const PICTURE = "svg[data-picture='stage']";
const STEP = "button[aria-keyshortcuts='ArrowRight']";
const BACK = "button[aria-keyshortcuts='ArrowLeft']";
/** How long a token's travel may take, with margin (the contract says about 350 ms). */
const SETTLE_MS = 600;

const CHAPTERS = {
  1: "blocked-is-not-busy",
  2: "async-is-not-threads",
  7: "starvation",
  8: "blocking-io-is-the-killer",
  10: "anti-patterns",
};

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const isPlaywright = (page) => typeof page.selectOption === "function";

/** waitForFunction with one signature for both drivers (their argument orders differ). */
function waitFor(page, fn, arg, timeout = 30000) {
  return isPlaywright(page)
    ? page.waitForFunction(fn, arg, { timeout })
    : page.waitForFunction(fn, { timeout, polling: "raf" }, arg);
}

/** Opens chapter `n` and waits until the app is ready and the picture is drawn. */
async function openChapter(kind, browser, n, options = {}) {
  const watched = await openWatched(kind, browser, `${server.url}?ch=${CHAPTERS[n]}`, options);
  assert.equal(await appState(watched.page), "ready");
  await watched.page.waitForSelector(`#stage ${PICTURE}`, { timeout: 15000 });
  return watched;
}

/** Presses the page's motion switch until `<html data-motion>` is `want`. */
async function setMotion(page, want) {
  for (let i = 0; i < 3; i++) {
    if ((await page.evaluate(() => document.documentElement.dataset.motion)) === want) return;
    await page.click(".motion-switch");
    await sleep(50);
  }
  await waitFor(page, (w) => document.documentElement.dataset.motion === w, want, 5000);
}

/** Presses the page's theme switch until `<html data-theme>` is `want`. */
async function setTheme(page, want) {
  for (let i = 0; i < 3; i++) {
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) === want) return;
    await page.click(".theme-switch");
    await sleep(50);
  }
  await waitFor(page, (w) => document.documentElement.dataset.theme === w, want, 5000);
}

/**
 * Clicks step (or step back) `n` times inside the page, each time waiting until
 * `#stage`'s data-events has changed, and returns the final event count. One round trip
 * for all the steps, so a few hundred steps take a moment, not minutes.
 */
function step(page, n = 1, back = false) {
  return page.evaluate(
    async ({ n, selector }) => {
      const events = () => document.querySelector("#stage").dataset.events;
      for (let i = 0; i < n; i++) {
        const before = events();
        document.querySelector(selector).click();
        const start = performance.now();
        while (events() === before) {
          if (performance.now() - start > 5000) throw new Error(`step ${i + 1} of ${n}: data-events stayed ${before}`);
          await new Promise((ok) => setTimeout(ok, 0));
        }
      }
      return Number(events());
    },
    { n, selector: back ? BACK : STEP },
  );
}

/** The picture's markup once no token is travelling: equal in two reads 150 ms apart. */
async function settledPicture(page) {
  await sleep(SETTLE_MS);
  const read = () => page.$eval(`#stage ${PICTURE}`, (svg) => svg.outerHTML);
  let last = await read();
  for (let i = 0; i < 20; i++) {
    await sleep(150);
    const now = await read();
    if (now === last) return now;
    last = now;
  }
  assert.fail("the picture never settled: it still changed 3 s after the last step");
}

/** No console errors or warnings, and no uncaught errors. */
function assertQuiet({ console, errors }) {
  assert.deepEqual(problems(console), [], "console errors or warnings");
  assert.deepEqual(errors, [], "uncaught errors");
}

/**
 * A page of `kind` that prefers reduced motion from the start: Chromium emulates the media
 * feature; Firefox, whose BiDi driver cannot emulate it, runs with the preference set.
 */
async function reducedMotionBrowser(kind) {
  if (kind.name === "chromium") {
    const browser = await kind.launch();
    return { browser, kind: { ...kind, newPage: (b) => b.newPage({ reducedMotion: "reduce" }) } };
  }
  const browser = await launchFirefox({ "ui.prefersReducedMotion": 1 });
  return { browser, kind };
}

/**
 * In the page: steps until some token moves, sampling every token's transform on the
 * `frames` animation frames after each step. Returns the first step's samples for the tokens
 * whose transform changed, with the transform each had before the step.
 */
function stepAndSample(page, frames) {
  return page.evaluate(
    async ({ frames, STEP, SETTLE_MS }) => {
      const frame = () => new Promise((ok) => requestAnimationFrame(ok));
      const transforms = () =>
        new Map([...document.querySelectorAll("#stage [data-request]")].map((g) => [g.dataset.request, g.getAttribute("transform")]));
      for (let attempt = 0; attempt < 100; attempt++) {
        const before = transforms();
        const events = document.querySelector("#stage").dataset.events;
        document.querySelector(STEP).click();
        const start = performance.now();
        while (document.querySelector("#stage").dataset.events === events) {
          if (performance.now() - start > 5000) throw new Error("a step did not change data-events");
          await new Promise((ok) => setTimeout(ok, 0));
        }
        const samples = new Map();
        for (let f = 0; f < frames; f++) {
          await frame();
          for (const [id, t] of transforms()) {
            if (!samples.has(id)) samples.set(id, []);
            samples.get(id).push(t);
          }
        }
        const moved = [...samples]
          .filter(([id, s]) => before.has(id) && s.length === frames && s[s.length - 1] !== before.get(id))
          .map(([id, s]) => ({ id, before: before.get(id), samples: s }));
        if (moved.length) return { attempt, events: document.querySelector("#stage").dataset.events, moved };
        await new Promise((ok) => setTimeout(ok, SETTLE_MS));
      }
      return null;
    },
    { frames, STEP, SETTLE_MS },
  );
}

for (const kind of BROWSERS) {
  describe(`the stage picture in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    test("a followed request's token goes queue, thread, I/O, queue as a continuation, thread, done (chapter 2)", async (t) => {
      const watched = await openChapter(kind, browser, 2);
      const { page } = watched;
      // Without travel every step's data-area is final at once, and tokens hold still to be clicked.
      await setMotion(page, "reduced");
      // The first request to appear in the queue. (Request 0 finds the pool's thread idle:
      // it joins the queue and is taken within the first step, so no step shows it queued;
      // the chapter follows it by itself, and clicking another token follows that one.)
      const NEW_IN_QUEUE = `#stage ${PICTURE} [data-request][data-area='queue']:not([data-kind='continuation'])`;
      let steps = 0;
      while (!(await page.$(NEW_IN_QUEUE))) {
        assert.ok(steps < 100, "a request token appears in the queue within 100 steps");
        steps += 1;
        await step(page);
      }
      const id = await page.$eval(NEW_IN_QUEUE, (g) => g.dataset.request);
      await page.click(`#stage [data-request="${id}"]`);
      await waitFor(page, (id) => document.querySelector(`#stage [data-request="${id}"]`)?.hasAttribute("data-followed"), id, 5000);
      assert.deepEqual(
        await page.$$eval("#stage [data-followed]", (els) => els.map((e) => e.dataset.request)),
        [id],
        "the clicked token, and only it, is followed",
      );

      const run = await page.evaluate(
        async ({ id, STEP, maxSteps }) => {
          const token = () => document.querySelector(`#stage [data-request="${id}"]`);
          const seen = (g) => (g ? `${g.dataset.area}${g.dataset.kind === "continuation" ? "+continuation" : ""}` : "gone");
          const story = [seen(token())];
          let duplicates = [];
          let followedLost = 0;
          for (let i = 0; i < maxSteps; i++) {
            const events = document.querySelector("#stage").dataset.events;
            document.querySelector(STEP).click();
            const start = performance.now();
            while (document.querySelector("#stage").dataset.events === events) {
              if (performance.now() - start > 5000) throw new Error(`step ${i}: data-events stayed ${events}`);
              await new Promise((ok) => setTimeout(ok, 0));
            }
            const g = token();
            const now = seen(g);
            if (now !== story[story.length - 1]) story.push(now);
            if (g && !g.hasAttribute("data-followed")) followedLost += 1;
            const ids = [...document.querySelectorAll("#stage [data-request]")].map((e) => e.closest("#stage-b") ? `b${e.dataset.request}` : e.dataset.request);
            const dup = ids.filter((x, k) => ids.indexOf(x) !== k);
            if (dup.length && !duplicates.length) duplicates = [i, dup.slice(0, 5)];
            if (now === "done" || (now === "gone" && story.includes("done"))) return { story, steps: i + 1, duplicates, followedLost };
          }
          return { story, steps: maxSteps, duplicates, followedLost };
        },
        { id, STEP, maxSteps: 1500 },
      );
      t.diagnostic(`request ${id}: ${run.story.join(" → ")} in ${run.steps} steps`);
      const want = ["queue", "thread", "io", "queue+continuation", "thread", "done"];
      let at = 0;
      for (const area of run.story) if (area === want[at]) at += 1;
      assert.equal(
        at,
        want.length,
        `request ${id}'s areas, step by step (repeats collapsed), contain ${want.join(" → ")} in order; they were ${run.story.join(" → ")} over ${run.steps} steps`,
      );
      assert.deepEqual(run.duplicates, [], "only one element per request carries data-request");
      assert.equal(run.followedLost, 0, "the followed token keeps data-followed while it is drawn");
      assertQuiet(watched);
      await page.close();
    });

    test("chapter 8, side A: blocked thread boxes = tethers = the engine's blocked count > 0", async () => {
      const watched = await openChapter(kind, browser, 8, { viewport: { width: 1440, height: 900 } });
      const { page } = watched;
      await page.waitForSelector(`#stage-b ${PICTURE}`, { timeout: 15000 });
      await setSpeed(page, 5);
      await page.click("button.play");
      await waitFor(page, () => Number(document.querySelector("#stage").dataset.timeUs) > 3_000_000, undefined, 60000);
      await page.click("button.play");
      await waitFor(page, playIs, "Play", 5000);
      await sleep(100);
      const count = () =>
        page.evaluate((PICTURE) => {
          const side = (id) => {
            const section = document.querySelector(id);
            const svg = [...section.querySelectorAll(PICTURE)].find((s) => s.closest("#stage, #stage-b") === section);
            const tethers = [...svg.querySelectorAll("[data-tether]:not([data-tether-bundle])")].length;
            const bundled = [...svg.querySelectorAll("[data-tether-bundle]")].reduce((n, b) => n + Number(b.dataset.count), 0);
            return {
              blocked: Number(section.dataset.blocked),
              threads: Number(section.dataset.threads),
              threadBoxes: svg.querySelectorAll("[data-thread]").length,
              blockedBoxes: svg.querySelectorAll("[data-thread][data-state='blocked']").length,
              tethers: tethers + bundled,
              bundles: svg.querySelectorAll("[data-tether-bundle]").length,
              timeUs: section.dataset.timeUs,
            };
          };
          return { a: side("#stage"), b: side("#stage-b") };
        }, PICTURE);
      const { a, b } = await count();
      const seen = JSON.stringify({ a, b });
      assert.ok(a.blocked > 0, `blocking I/O blocks threads on side A (${seen})`);
      assert.ok(a.threads <= 256, `side A has few threads, each drawn (${seen})`);
      assert.equal(a.threadBoxes, a.threads, `one thread box per thread on side A (${seen})`);
      assert.equal(a.blockedBoxes, a.blocked, `one blocked box per blocked thread on side A (${seen})`);
      assert.equal(a.tethers, a.blocked, `one tether per blocked thread on side A (${seen})`);
      assert.equal(b.timeUs, a.timeUs, "one clock for both sides");
      assert.equal(b.blocked, 0, `the async side blocks no thread (${seen})`);
      assert.equal(b.tethers, 0, `the async side draws no tether (${seen})`);
      assert.equal(b.blockedBoxes, 0, `the async side draws no blocked thread (${seen})`);
      assertQuiet(watched);
      await page.close();
    });

    test("step back restores the exact picture, motion settled (chapter 2)", async () => {
      const watched = await openChapter(kind, browser, 2);
      const { page } = watched;
      assert.equal(await step(page, 40), 40);
      const at40 = await settledPicture(page);
      // Step until the picture differs (nearly always at once), then as many steps back.
      let forward = 0;
      let later = at40;
      while (later === at40) {
        assert.ok(forward < 10, "ten steps changed nothing in the picture");
        await step(page);
        forward += 1;
        later = await settledPicture(page);
      }
      assert.equal(await step(page, forward, true), 40);
      assert.equal(await settledPicture(page), at40, `${forward} step(s) forward and back give back the very same picture`);
      assertQuiet(watched);
      await page.close();
    });

    test("with motion, a step's token travels over several frames", async () => {
      const watched = await openChapter(kind, browser, 2);
      const { page } = watched;
      await setMotion(page, "full");
      await step(page, 5);
      await sleep(SETTLE_MS);
      const found = await stepAndSample(page, 16);
      assert.ok(found, "some step moves a token");
      const distinct = found.moved.map((m) => ({ ...m, distinct: new Set(m.samples).size }));
      const best = distinct.reduce((x, y) => (y.distinct > x.distinct ? y : x));
      assert.ok(
        best.distinct >= 3,
        `a moved token's transform takes at least 3 values over 16 frames: ${JSON.stringify(distinct.slice(0, 3))}`,
      );
      assertQuiet(watched);
      await page.close();
    });

    test("the picture fits a 360 px phone without horizontal scroll (chapters 2 and 8)", async () => {
      for (const n of [2, 8]) {
        const watched = await openChapter(kind, browser, n, { viewport: { width: 360, height: 740 } });
        const { page } = watched;
        await step(page, 30);
        await sleep(SETTLE_MS);
        const fit = await page.evaluate((PICTURE) => ({
          pictures: [...document.querySelectorAll(PICTURE)].map((svg) => {
            const r = svg.getBoundingClientRect();
            return { left: r.left, right: r.right, width: r.width };
          }),
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }), PICTURE);
        assert.ok(fit.pictures.length >= (n === 8 ? 2 : 1), `chapter ${n} draws its picture(s): ${JSON.stringify(fit)}`);
        for (const p of fit.pictures) {
          assert.ok(p.width > 0 && p.left >= 0 && p.right <= 360, `chapter ${n}: a picture spans ${p.left}–${p.right} px of 360`);
        }
        assert.ok(fit.scrollWidth <= fit.clientWidth, `chapter ${n}: no horizontal scroll (${fit.scrollWidth} > ${fit.clientWidth})`);
        assertQuiet(watched);
        await page.close();
      }
    });

    test("Tab reaches a token and Enter follows it", async () => {
      const watched = await openChapter(kind, browser, 2);
      const { page } = watched;
      await step(page, 20);
      await sleep(SETTLE_MS);
      assert.ok(await page.$(`#stage ${PICTURE} [data-request]`), "tokens are drawn after 20 steps");
      await page.evaluate(() => document.activeElement?.blur());
      // The chapter follows its first request by itself: Tab on to a token not followed.
      let id = null;
      for (let i = 0; i < 400 && id === null; i++) {
        await page.keyboard.press("Tab");
        id = await page.evaluate(() => {
          const token = document.activeElement?.closest?.("#stage [data-request]");
          return token && !token.hasAttribute("data-followed") ? token.dataset.request : null;
        });
      }
      assert.ok(id !== null, "Tab reaches a request token (one not followed) within 400 presses");
      await page.keyboard.press("Enter");
      await waitFor(page, (id) => document.querySelector(`#stage [data-request="${id}"]`)?.hasAttribute("data-followed"), id, 5000);
      assert.deepEqual(
        await page.$$eval("#stage [data-followed]", (els) => els.map((e) => e.dataset.request)),
        [id],
        "Enter follows that token, and only it",
      );
      // Enter on it again stops following (the follow toggles).
      await page.$eval(`#stage [data-request="${id}"]`, (g) => g.focus());
      await page.keyboard.press("Enter");
      await waitFor(page, (id) => !document.querySelector(`#stage [data-request="${id}"]`)?.hasAttribute("data-followed"), id, 5000);
      assert.equal(await page.$$eval("#stage [data-followed]", (els) => els.length), 0, "a second Enter stops following");
      assertQuiet(watched);
      await page.close();
    });

    test("the text switch shows the lists and gives the picture back", async () => {
      const watched = await openChapter(kind, browser, 2);
      const { page } = watched;
      await step(page, 20);
      assert.equal(await page.$eval("#stage .stage-text-toggle", (b) => b.getAttribute("aria-pressed")), "false");
      await page.click("#stage .stage-text-toggle");
      await page.waitForSelector("#stage .lane", { timeout: 5000 });
      assert.equal(await page.$eval("#stage .stage-text-toggle", (b) => b.getAttribute("aria-pressed")), "true");
      const pictureShown = await page.evaluate((PICTURE) => {
        const svg = document.querySelector(`#stage ${PICTURE}`);
        return !!svg && svg.getBoundingClientRect().width > 0;
      }, PICTURE);
      assert.equal(pictureShown, false, "the text view replaces the picture");
      assert.ok((await page.$$eval("#stage .lane", (l) => l.length)) >= 1, "the text view has a thread lane");
      await page.click("#stage .stage-text-toggle");
      await page.waitForSelector(`#stage ${PICTURE}`, { visible: true, timeout: 5000 });
      assert.equal(await page.$eval("#stage .stage-text-toggle", (b) => b.getAttribute("aria-pressed")), "false");
      assertQuiet(watched);
      await page.close();
    });
  });
}

for (const base of BROWSERS) {
  test(`with reduced motion preferred, a step's token is in place on the first frame in ${base.name}`, async () => {
    const { browser, kind } = await reducedMotionBrowser(base);
    try {
      const watched = await openChapter(kind, browser, 2);
      const { page } = watched;
      assert.equal(
        await page.evaluate(() => matchMedia("(prefers-reduced-motion: reduce)").matches),
        true,
        "the browser prefers reduced motion",
      );
      assert.equal(await page.evaluate(() => document.documentElement.dataset.motion), "system", "the page follows the system");
      await step(page, 5);
      const found = await stepAndSample(page, 8);
      assert.ok(found, "some step moves a token");
      for (const m of found.moved) {
        assert.equal(new Set(m.samples).size, 1, `token ${m.id} jumps from ${m.before} to its place: ${m.samples.join(" | ")}`);
      }
      assertQuiet(watched);
      await page.close();
    } finally {
      await browser.close();
    }
  });
}

test("screenshots: chapters 1, 2, 7, 8 and 10 in light and dark at 1440×900 (Chromium)", async (t) => {
  const kind = BROWSERS[0];
  const browser = await kind.launch();
  try {
    for (const n of [1, 2, 7, 8, 10]) {
      const watched = await openChapter(kind, browser, n, { viewport: { width: 1440, height: 900 } });
      const { page } = watched;
      await setTheme(page, "light");
      await setSpeed(page, 4);
      await page.click("button.play");
      await waitFor(page, () => Number(document.querySelector("#stage").dataset.timeUs) >= 3_000_000, undefined, 60000);
      await page.click("button.play");
      await sleep(SETTLE_MS);
      const slug = CHAPTERS[n];
      // The stage section(s) with their pictures, in page coordinates: on a 1440×900 screen
      // the pictures may start below the first screen, and side B lies under side A.
      const region = await page.evaluate(() => {
        const rects = [...document.querySelectorAll("#stage, #stage-b")].map((e) => e.getBoundingClientRect());
        const top = Math.min(...rects.map((r) => r.top)) + scrollY;
        const bottom = Math.max(...rects.map((r) => r.bottom)) + scrollY;
        return { x: 0, y: Math.max(0, Math.floor(top) - 8), width: innerWidth, height: Math.ceil(bottom - top) + 16 };
      });
      const shots = [];
      for (const theme of ["light", "dark"]) {
        await setTheme(page, theme);
        await sleep(300);
        const path = screenshotPath(`picture-${slug}-${theme}-${kind.name}`);
        await page.screenshot({ path, fullPage: true, clip: region });
        shots.push(path);
      }
      // The design puts the picture on the first screen at this size; say where it is.
      const where = await page.$$eval(PICTURE, (svgs) =>
        svgs.map((svg) => {
          const r = svg.getBoundingClientRect();
          return `picture at ${Math.round(r.left)},${Math.round(r.top + scrollY)} ${Math.round(r.width)}×${Math.round(r.height)}`;
        }).join(", "),
      );
      t.diagnostic(`chapter ${n} (${slug}): ${where} (first screen ends at 900); ${shots.join(", ")}`);
      assertQuiet(watched);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
