// The stage in both browsers: playing changes it as the engine says, step back restores
// the exact previous state, and the keyboard alone can drive it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, chooseRun, openTab, openWatched, problems, setSpeed, spokenText, waitForPlay } from "./lib/page.mjs";

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

const stageData = (page) => page.$eval("#stage", (e) => ({ ...e.dataset }));
const stageHtml = (page) => page.$eval("#stage", (e) => e.innerHTML);

for (const kind of BROWSERS) {
  describe(`the stage in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    test("playing the blocking preset blocks as many threads as the engine reports", async () => {
      const { page, console, errors } = await openWatched(kind, browser, server.url, { preset: 0 });
      assert.equal(await appState(page), "ready");
      await setSpeed(page, 6);
      await page.click("button.play");
      await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 2_000_000);
      await page.click("button.play");
      const data = await stageData(page);
      assert.ok(Number(data.timeUs) > 2_000_000, "the clock moved while playing");
      const count = (selector) => page.$$eval(selector, (l) => l.length);
      assert.ok(Number(data.blocked) > 0, "blocking I/O blocks threads under this load");
      assert.equal(await count("#stage [data-thread][data-state='blocked']"), Number(data.blocked), "one blocked box per blocked thread");
      assert.equal(await count("#stage [data-tether]"), Number(data.blocked), "each blocked thread is tethered to its call");
      assert.ok(await count("#stage [data-request][data-area='queue']") > 0, "requests queue while every thread is blocked");
      // The text view says the same in lists.
      await page.click("#stage .stage-text-toggle");
      const blockedLanes = await count(".lane[data-state='blocked']");
      assert.equal(blockedLanes, Number(data.blocked), "one blocked lane per blocked thread");
      const heldIo = await count(".io-op[data-holder='thread']");
      assert.equal(heldIo, Number(data.blocked), "each blocked thread holds its own I/O call");
      const queued = await count(".chip[data-kind='request']");
      assert.ok(queued > 0, "requests queue while every thread is blocked");
      await page.click("#stage .stage-text-toggle");
      await page.screenshot({ path: screenshotPath(`stage-${kind.name}`), fullPage: true });
      assert.deepEqual(problems(console), []);
      assert.deepEqual(errors, []);
      await page.close();
    });

    test("step back restores the exact previous state", async () => {
      const { page } = await openWatched(kind, browser, server.url, { preset: 0 });
      assert.equal(await appState(page), "ready");
      // Without travel, each step's picture is final at once and can be compared whole.
      await page.click(".motion-switch");
      await page.waitForFunction(() => document.documentElement.dataset.motion === "reduced");
      const step = "button[aria-keyshortcuts='ArrowRight']";
      const back = "button[aria-keyshortcuts='ArrowLeft']";
      for (let i = 0; i < 40; i++) await page.click(step);
      await page.waitForFunction(() => document.querySelector("#stage").dataset.events === "40");
      const at40 = await stageHtml(page);
      await page.click(step);
      await page.waitForFunction(() => document.querySelector("#stage").dataset.events === "41");
      assert.notEqual(await stageHtml(page), at40, "one event changes the stage");
      await page.click(back);
      await page.waitForFunction(() => document.querySelector("#stage").dataset.events === "40");
      assert.equal(await stageHtml(page), at40, "step back gives back the very same stage");
      await page.close();
    });

    test("the keyboard alone plays, pauses and steps", async () => {
      const { page } = await openWatched(kind, browser, server.url, { preset: 0 });
      assert.equal(await appState(page), "ready");
      await page.focus("h1").catch(() => {});
      // Nothing focused: the Run menu's summary, clicked to pick the preset, would keep
      // Space (it opens the menu) as a focused button does.
      await page.evaluate(() => document.activeElement?.blur());
      // A used key cancels the browser's own action (Space would also scroll the page):
      // the window's listener, which runs after the page's, sees it cancelled.
      await page.evaluate(() => {
        window.__cancelled = [];
        window.addEventListener("keydown", (e) => window.__cancelled.push(`${e.key}:${e.defaultPrevented}`));
      });
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(() => document.querySelector("#stage").dataset.events === "2");
      await page.keyboard.press("ArrowLeft");
      await page.waitForFunction(() => document.querySelector("#stage").dataset.events === "1");
      await page.keyboard.press("+");
      await page.keyboard.press("+");
      assert.equal(await page.$eval("#speed", (e) => e.value), "4");
      await page.keyboard.press(" ");
      await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 100_000);
      assert.equal(await spokenText(page, "button.play"), "Pause");
      await page.keyboard.press(" ");
      assert.equal(await spokenText(page, "button.play"), "Play");
      assert.deepEqual(
        await page.evaluate(() => window.__cancelled),
        ["ArrowRight:true", "ArrowRight:true", "ArrowLeft:true", "+:true", "+:true", " :true", " :true"],
      );
      // Every control can be reached with Tab and has a name. (The toolbar sits above the
      // stage section(s) in the stage column, with the followed request's timeline below.)
      const unnamed = await page.$$eval(".stage-column button, .stage-column input, .stage-column select", (els) =>
        els.filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.textContent.trim())).length,
      );
      assert.equal(unnamed, 0, "every control has an accessible name");
      await page.close();
    });
  });
}

for (const kind of BROWSERS) {
  test(`following a request tells its story and the log narrates in ${kind.name}`, async () => {
    const browser = await kind.launch();
    try {
      const { page, console, errors } = await openWatched(kind, browser, server.url, { preset: 0 });
      assert.equal(await appState(page), "ready");
      await chooseRun(page, "#preset", "1");
      await page.waitForFunction(() => document.querySelector("#preset").value === "1");
      // Step until some thread is serving a request.
      const onThread = "#stage [data-request][data-area='thread'][role='button']";
      for (let i = 0; i < 200 && !(await page.$(onThread)); i++) {
        await page.click("button[aria-keyshortcuts='ArrowRight']");
      }
      // The log narrates the newest events in words, newest first.
      await openTab(page, "log");
      const first = await page.$eval(".log-list li:first-child", (li) => li.textContent);
      assert.match(first, /^0\.\d{3} s/);
      // Follow the first request on a thread; its timeline starts with its arrival.
      const request = await page.$eval(onThread, (t) => t.dataset.request);
      await page.click(onThread);
      await page.waitForSelector(".request-timeline");
      const story = await page.$$eval(".follow-list li", (lis) => lis.map((l) => l.textContent));
      assert.match(story[0], /arrives and joins the pool's queue/);
      const token = `#stage [data-request='${request}']`;
      assert.equal(await page.$eval(token, (b) => b.getAttribute("aria-pressed")), "true");
      assert.equal(await page.$eval(token, (b) => b.hasAttribute("data-followed")), true);
      assert.equal(await page.$$eval("#stage [data-thread].followed", (l) => l.length), 1);
      // Play until the request has been answered: an async request resumes from a task.
      await setSpeed(page, 2);
      await page.click("button.play");
      await page.waitForFunction(
        () => [...document.querySelectorAll(".follow-list li")].some((li) => /is answered/.test(li.textContent)),
        { timeout: 20000 },
      );
      await page.click("button.play");
      const full = (await page.$$eval(".follow-list li", (lis) => lis.map((l) => l.textContent))).join("\n");
      assert.match(full, /no thread waits for it, only task \d+ does/);
      assert.match(full, /continuation joins the back of the pool's queue/);
      // Filtering out a topic hides its sentences.
      await page.click("#log-topic-1");
      const threadLines = await page.$$eval(".log-list li", (lis) =>
        lis.filter((l) => /Thread \d+ (gets a core|is runnable|has nothing)/.test(l.textContent)).length,
      );
      assert.equal(threadLines, 0, "thread events are hidden when Threads is unchecked");
      assert.deepEqual(problems(console), []);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await browser.close();
    }
  });
}

for (const kind of BROWSERS) {
  test(`A/B mode runs two styles on one clock in ${kind.name}`, async () => {
    const browser = await kind.launch();
    try {
      const { page, console, errors } = await openWatched(kind, browser, server.url, {
        preset: 0,
        viewport: { width: 1500, height: 1000 },
      });
      assert.equal(await appState(page), "ready");
      await chooseRun(page, "#compare", "1");
      await page.waitForSelector("#stage-b");
      await setSpeed(page, 6);
      await page.click("button.play");
      await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 4_000_000);
      await page.click("button.play");
      await waitForPlay(page, "Play");
      // Both read in one go, once the pause has been drawn on both (a loaded machine may
      // draw the second stage a frame later; they must meet).
      await page.waitForFunction(
        () => document.querySelector("#stage").dataset.timeUs === document.querySelector("#stage-b").dataset.timeUs,
      );
      const [a, b] = await page.evaluate(() =>
        ["#stage", "#stage-b"].map((s) => ({ ...document.querySelector(s).dataset })),
      );
      assert.equal(a.timeUs, b.timeUs, "one clock for both stages");
      const ratios = await page.$$eval(".ab-panel td[data-ratio]", (t) => t.map((x) => Number(x.dataset.ratio)));
      assert.ok(ratios[0] > 5, `async answers more than 5x blocking here (×${ratios[0]})`);
      assert.ok(Number(a.blocked) > 0 && Number(b.blocked) === 0, "blocking blocks threads; async does not");
      await page.screenshot({ path: screenshotPath(`ab-${kind.name}`), fullPage: false });
      assert.deepEqual(problems(console), []);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await browser.close();
    }
  });
}

for (const kind of BROWSERS) {
  test(`the motion switch turns token travel off and on in ${kind.name}`, async () => {
    const browser = await kind.launch();
    try {
      const { page } = await openWatched(kind, browser, server.url, { preset: 0 });
      assert.equal(await appState(page), "ready");
      await chooseRun(page, "#preset", "1");
      // Steps once, then reads every token's place over the next few frames: how many
      // tokens were drawn in more than one place.
      const movingAfterStep = () =>
        page.evaluate(async () => {
          const stage = document.querySelector("#stage");
          const before = stage.dataset.events;
          document.querySelector("button[aria-keyshortcuts='ArrowRight']").click();
          // Sample only once the step is drawn, so the place before it does not count.
          for (let i = 0; i < 60 && stage.dataset.events === before; i++) {
            await new Promise((r) => requestAnimationFrame(r));
          }
          const seen = new Map();
          for (let f = 0; f < 6; f++) {
            await new Promise((r) => requestAnimationFrame(r));
            for (const t of document.querySelectorAll("#stage [data-request]")) {
              const set = seen.get(t.dataset.request) ?? new Set();
              set.add(t.getAttribute("transform"));
              seen.set(t.dataset.request, set);
            }
          }
          return [...seen.values()].filter((s) => s.size > 1).length;
        });
      const motion = () => page.evaluate(() => document.documentElement.dataset.motion);
      assert.equal(await motion(), "system");
      await page.click(".motion-switch");
      await page.waitForFunction(() => document.documentElement.dataset.motion === "reduced");
      let moving = 0;
      for (let i = 0; i < 60; i++) moving += await movingAfterStep();
      assert.equal(moving, 0, "reduced motion: tokens are placed, never drawn on the way");
      await page.click(".motion-switch");
      await page.waitForFunction(() => document.documentElement.dataset.motion === "full");
      for (let i = 0; i < 60 && moving === 0; i++) moving += await movingAfterStep();
      assert.ok(moving > 0, "full motion: a token travels across frames after a step");
      await page.close();
    } finally {
      await browser.close();
    }
  });
}

test("on a touch screen the controls work by tapping (Chromium, 360 px, touch)", async () => {
  const browser = await BROWSERS[0].launch();
  try {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(server.url);
    assert.equal(await appState(page), "ready");
    await page.tap("button[aria-keyshortcuts='ArrowRight']");
    await page.tap("button[aria-keyshortcuts='ArrowRight']");
    await page.waitForFunction(() => document.querySelector("#stage").dataset.events === "2");
    await page.tap("button[aria-keyshortcuts='ArrowLeft']");
    await page.waitForFunction(() => document.querySelector("#stage").dataset.events === "1");
    await page.tap("button.play");
    await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 50_000);
    await page.tap("button.play");
    // Every button is at least 40 px tall: big enough for a finger.
    const small = await page.$$eval(".stage-column button:not(.request-link)", (bs) =>
      bs
        .filter((b) => b.getBoundingClientRect().height < 40)
        .map((b) => `${b.textContent.trim()} (${b.getBoundingClientRect().height} px)`),
    );
    assert.deepEqual(small, [], "buttons too small to tap");
    await context.close();
  } finally {
    await browser.close();
  }
});
