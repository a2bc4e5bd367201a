// The page's layout, in Chromium and Firefox: on a laptop and on a phone, every chapter
// shows its title, its claim and the Play button on the first screen without scrolling,
// and on wide screens also its lead paragraph and the whole stage picture (both, when the
// chapter compares two servers), so a reader sees the question and the thing that answers
// it at once. The stage column stays in view (sticky) while the chapter text scrolls past
// it; the chapter text, the stage and the chapter navigation sit in their columns on wide
// screens and stack in reading order on phones, which never scroll sideways. The tools
// below the chapter live in one workbench of tabs that opens from a link, from a change of
// the address's fragment and from the keyboard (arrows, Home, End, as a tab list should),
// and a glossary link in the chapter opens the glossary at its term, on screen. axe-core
// finds nothing serious with any tab open in either theme. The page's height for the
// longest chapter is printed, since the workbench exists to keep it short, and screenshots
// of four chapters in both themes at two sizes are kept for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, axeSerious, openWatched, problems } from "./lib/page.mjs";

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

const SLUGS = [
  "blocked-is-not-busy",
  "async-is-not-threads",
  "task-is-a-receipt",
  "await-is-syntax",
  "one-request-one-thread",
  "eight-hundred-requests",
  "starvation",
  "blocking-io-is-the-killer",
  "where-performance-comes-from",
  "anti-patterns",
  "sandbox",
];
const WIDE = { width: 1440, height: 900 };
const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 360, height: 740 };
/** Which sizes each browser walks every chapter at (Chromium all three, Firefox as well). */
const MATRIX = { chromium: [WIDE, LAPTOP, PHONE], firefox: [WIDE, LAPTOP, PHONE] };

const PICTURE = "svg[data-picture='stage']";
/** On the first screen at every size. */
const ALWAYS_SEEN = ["#lesson-title", ".lesson-claim", "button.play"];
/** Also on the first screen on wide screens (≥ 1024 px), with every stage picture. */
const WIDE_SEEN = [".lesson-lead"];
const TABS = ["charts", "sweep", "editor", "log", "share", "glossary"];
/** Sub-pixel slack for "entirely within": layout rounds edges to fractions of a pixel. */
const EPS = 0.5;
const THEMES = ["light", "dark"];

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const isPlaywright = (page) => typeof page.selectOption === "function";
const sizeName = (v) => `${v.width}×${v.height}`;
const chapterUrl = (n, fragment = "") => `${server.url}?ch=${SLUGS[n - 1]}${fragment}`;
const chapterName = (n) => `chapter ${n} (${SLUGS[n - 1]})`;
const px = (x) => Math.round(x * 10) / 10;

/** waitForFunction with one signature for both drivers (their argument orders differ). */
function waitFor(page, fn, arg, timeout = 30000) {
  return isPlaywright(page)
    ? page.waitForFunction(fn, arg, { timeout })
    : page.waitForFunction(fn, { timeout, polling: "raf" }, arg);
}

/**
 * Waits until the app is ready, every stage section has drawn its picture, the number of
 * stages has held for ten frames (a chapter's second stage may come a moment later), the
 * fonts are in and two more frames have passed; then puts the window at the top.
 */
async function settle(page) {
  assert.equal(await appState(page), "ready", "the app mounts");
  await page.waitForSelector(`#stage ${PICTURE}`, { timeout: 15000 });
  await page.evaluate(async (PICTURE) => {
    const frame = () => new Promise((ok) => requestAnimationFrame(ok));
    await document.fonts.ready;
    let stable = 0;
    let last = -1;
    for (let i = 0; i < 300 && stable < 10; i++) {
      const stages = [...document.querySelectorAll("section.stage")];
      const drawn = stages.every((s) => s.querySelector(PICTURE));
      stable = drawn && stages.length === last ? stable + 1 : 0;
      last = stages.length;
      await frame();
    }
    await frame();
    await frame();
  }, PICTURE);
  // Returns where the page left the window, then puts it at the top ("instant": the page
  // may ask for smooth scrolling).
  return page.evaluate(() => {
    const y = scrollY;
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
    return y;
  });
}

/** Opens chapter `n` (1-based, with an optional `#fragment`) in a new watched page. */
async function openChapter(kind, browser, n, viewport, fragment = "") {
  const watched = await openWatched(kind, browser, chapterUrl(n, fragment), { viewport });
  watched.loadedAtY = await settle(watched.page);
  return watched;
}

/** Loads chapter `n` in an open page (a real navigation: the query changes); returns `settle`'s scrollY. */
async function gotoChapter(page, n, fragment = "") {
  await page.goto(chapterUrl(n, fragment), { waitUntil: "load" });
  return settle(page);
}

/** Presses the page's theme switch until `<html data-theme>` is `want`. */
async function setTheme(page, want) {
  for (let i = 0; i < 3; i++) {
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) === want) break;
    await page.click(".theme-switch");
    await sleep(50);
  }
  await waitFor(page, (w) => document.documentElement.dataset.theme === w, want, 5000);
  // Let colour transitions finish before anything reads colours.
  await sleep(300);
}

/** No console errors or warnings, and no uncaught errors. */
function assertQuiet({ console, errors }, where) {
  assert.deepEqual(problems(console), [], `console errors or warnings (${where})`);
  assert.deepEqual(errors, [], `uncaught errors (${where})`);
}

/**
 * In the page: the viewport, scroll offsets and the client rect of every element the
 * selectors match (each stage's own picture counted once), or `missing` for a selector
 * that matches nothing.
 */
function measure(page, selectors) {
  return page.evaluate(
    ({ selectors, PICTURE }) => {
      const rect = (label, el) => {
        const r = el.getBoundingClientRect();
        return { label, top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
      };
      const items = [];
      for (const sel of selectors) {
        const els = [...document.querySelectorAll(sel)];
        if (!els.length) items.push({ label: sel, missing: true });
        els.forEach((el, i) => items.push(rect(els.length > 1 ? `${sel} #${i + 1}` : sel, el)));
      }
      for (const stage of document.querySelectorAll("section.stage")) {
        const svg = [...stage.querySelectorAll(PICTURE)].find((s) => s.closest("section.stage") === stage);
        if (svg) items.push(rect(`#${stage.id} ${PICTURE}`, svg));
        else items.push({ label: `#${stage.id} ${PICTURE}`, missing: true });
      }
      return {
        innerWidth,
        innerHeight,
        scrollX,
        scrollY,
        scrollWidth: document.documentElement.scrollWidth,
        stages: document.querySelectorAll("section.stage").length,
        items,
      };
    },
    { selectors, PICTURE },
  );
}

/** In the page: which stage pictures' top or bottom edge (4 px in) shows something else there. */
function coveredEdges(page) {
  return page.evaluate((PICTURE) =>
    [...document.querySelectorAll(`section.stage ${PICTURE}`)].flatMap((svg) => {
      const r = svg.getBoundingClientRect();
      const x = (r.left + r.right) / 2;
      return [["top", r.top + 4], ["bottom", r.bottom - 4]]
        .filter(([, y]) => y >= 0 && y < innerHeight)
        .map(([edge, y]) => [edge, document.elementFromPoint(x, y)])
        .filter(([, hit]) => hit && !svg.contains(hit))
        .map(([edge, hit]) => `${svg.closest("section.stage").id} ${edge}: ${hit.tagName.toLowerCase()}.${[...hit.classList].join(".")}`);
    }), PICTURE);
}

/** Whether a measured rect lies entirely within a `width`×`height` viewport. */
const within = (r, width, height) =>
  !r.missing && r.width > 0 && r.height > 0 && r.top >= -EPS && r.left >= -EPS && r.right <= width + EPS && r.bottom <= height + EPS;

/** A measured rect as words: "button.play spans x 12–90, y 880–920". */
const describeRect = (r) =>
  r.missing
    ? `${r.label} is missing`
    : `${r.label} spans x ${px(r.left)}–${px(r.right)}, y ${px(r.top)}–${px(r.bottom)} (${px(r.width)}×${px(r.height)})`;

/** The measured items that are not entirely within the viewport, as sentences. */
function outOfView(m, where, only = () => true) {
  return m.items
    .filter(only)
    .filter((r) => !within(r, m.innerWidth, m.innerHeight))
    .map((r) => `${where}: ${describeRect(r)}, not within the ${m.innerWidth}×${m.innerHeight} viewport (scrollY ${px(m.scrollY)})`);
}

/** Everything that must be on chapter `n`'s first screen at `viewport` and is not. */
async function firstScreenMisses(page, n, viewport) {
  const wide = viewport.width >= 1024;
  const m = await measure(page, wide ? [...ALWAYS_SEEN, ...WIDE_SEEN] : ALWAYS_SEEN);
  const where = `${chapterName(n)} at ${sizeName(viewport)}`;
  // On a phone only the title, the claim and Play must show; the pictures may lie below.
  const misses = outOfView(m, where, (r) => wide || !r.label.includes(PICTURE));
  if (m.scrollY !== 0) misses.push(`${where}: the window is at scrollY ${m.scrollY}, not the top`);
  if (!wide && m.scrollWidth > m.innerWidth) {
    misses.push(`${where}: scrolls sideways, scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}`);
  }
  return { misses, stages: m.stages };
}

/** In the page: the workbench's tabs and panels as plain data, to compare with `expectedTabs`. */
function tabState(page) {
  return page.evaluate(() => {
    const tabs = [...document.querySelectorAll("section.workbench [role=tablist] [role=tab]")];
    const panels = [...document.querySelectorAll("[role=tabpanel]")];
    const shown = panels.filter((p) => !p.hidden);
    return {
      tabs: tabs.map((t) => `${t.tagName.toLowerCase()}#${t.id}`),
      selected: Object.fromEntries(tabs.map((t) => [t.id, t.getAttribute("aria-selected")])),
      tabindex: Object.fromEntries(tabs.map((t) => [t.id, t.getAttribute("tabindex")])),
      controls: Object.fromEntries(tabs.map((t) => [t.id, t.getAttribute("aria-controls")])),
      panels: panels.map((p) => p.id).sort(),
      shown: shown.map((p) => p.id),
      shownHasBox: shown.map((p) => p.getClientRects().length > 0 && p.getBoundingClientRect().height > 0),
      focused: document.activeElement?.id || document.activeElement?.tagName.toLowerCase() || null,
    };
  });
}

/** What `tabState` should read with tab `open` selected (and focused, when `focused`). */
function expectedTabs(open, focused) {
  const each = (f) => Object.fromEntries(TABS.map((t) => [`tab-${t}`, f(t)]));
  return {
    tabs: TABS.map((t) => `button#tab-${t}`),
    selected: each((t) => String(t === open)),
    tabindex: each((t) => (t === open ? "0" : "-1")),
    controls: each((t) => t),
    panels: [...TABS].sort(),
    shown: [open],
    shownHasBox: [true],
    ...(focused ? { focused: `tab-${open}` } : {}),
  };
}

/** Waits up to 3 s for tab `open` to be the one selected (and focused), then compares it all. */
async function expectTab(page, open, { focused = false, why = "" } = {}) {
  const want = expectedTabs(open, focused);
  let got;
  for (let i = 0; i < 60; i++) {
    got = await tabState(page);
    if (!focused) delete got.focused;
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await sleep(50);
  }
  assert.deepEqual(got, want, `the workbench shows "${open}"${focused ? ", its tab focused" : ""} ${why}`);
}

/** The stage's event count, to tell whether a key also stepped the simulation. */
const stageEvents = (page) => page.evaluate(() => document.querySelector("#stage")?.dataset.events ?? null);

/**
 * In the page: the glossary entry `#term-<slug>`, its rect, whether the element at its
 * centre belongs to it (nothing covers it), and the open tab.
 */
function termState(page, slug) {
  return page.evaluate((slug) => {
    const entry = document.getElementById(`term-${slug}`);
    const r = entry?.getBoundingClientRect();
    const hit = r && document.elementFromPoint((r.left + r.right) / 2, Math.min(r.top + 8, (r.top + r.bottom) / 2));
    return {
      found: !!entry,
      label: `#term-${slug}`,
      top: r?.top,
      left: r?.left,
      right: r?.right,
      bottom: r?.bottom,
      width: r?.width ?? 0,
      height: r?.height ?? 0,
      uncovered: !!hit && entry.contains(hit),
      hidden: !!entry && (entry.closest("[hidden]") !== null || entry.getClientRects().length === 0),
      tab: document.querySelector("section.workbench [role=tab][aria-selected='true']")?.id ?? null,
      hash: location.hash,
      innerWidth,
      innerHeight,
      scrollY,
    };
  }, slug);
}

/** A term entry counts as in view when it shows whole, or (if taller than the screen) starts on it. */
const termInView = (s) =>
  s.found &&
  !s.hidden &&
  s.uncovered &&
  (within(s, s.innerWidth, s.innerHeight) || (s.height > s.innerHeight && s.top >= -EPS && s.top < s.innerHeight));

/** In the page: the layout's landmarks, for the column and order checks. */
function layoutFacts(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      const shown = el.getClientRects().length > 0 && r.width > 0 && r.height > 0;
      return { shown, top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const q = (s) => document.querySelector(s);
    const main = q("main#main.layout");
    const order = [
      ["chapter navigation", q("main#main.layout nav.toc, main#main.layout details.toc-menu")],
      [".lesson-head", q("main#main.layout .lesson-head")],
      [".stage-column", q("main#main.layout .stage-column")],
      ["section.lesson", q("main#main.layout section.lesson")],
      ["section.workbench", q("main#main.layout section.workbench")],
    ];
    const tocLinks = [...document.querySelectorAll("nav.toc a.toc-item")];
    const menuLinks = [...document.querySelectorAll("details.toc-menu a")];
    const toolbar = q(".stage-column .toolbar");
    const runMenu = toolbar?.querySelector("details.run-menu");
    const inHead = (s) => !!q(`.lesson-head ${s}`);
    const named = (el) => `${el.textContent} ${el.getAttribute("aria-label") ?? ""} ${el.getAttribute("title") ?? ""}`;
    return {
      banner: box(q("header.banner")),
      bannerBeforeMain: !!q("header.banner") && !!main && !!(q("header.banner").compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING),
      missing: order.filter(([, el]) => !el).map(([name]) => name),
      inDomOrder: order.every(([, el], i) => i === 0 || !el || !order[i - 1][1] || !!(order[i - 1][1].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)),
      head: { count: inHead("p.lesson-count"), title: inHead("h2#lesson-title"), claim: inHead("p.lesson-claim"), lead: inHead("p.lesson-lead") },
      toolbar: {
        found: !!toolbar,
        role: toolbar?.getAttribute("role") ?? null,
        label: toolbar?.getAttribute("aria-label") ?? null,
        play: /^(Play|Pause)$/.test(toolbar?.querySelector("button.play")?.textContent.trim() ?? ""),
        stepBack: !!toolbar?.querySelector("button[aria-keyshortcuts='ArrowLeft']"),
        step: !!toolbar?.querySelector("button[aria-keyshortcuts='ArrowRight']"),
        reset: [...(toolbar?.querySelectorAll("button") ?? [])].some((b) => /reset/i.test(named(b))),
        speed: !!toolbar?.querySelector("#speed"),
        scrub: !!toolbar?.querySelector("#scrub"),
        runSummary: runMenu?.querySelector("summary")?.textContent.trim() ?? null,
        runHolds: ["#preset", "#compare", "#seed"].filter((s) => runMenu?.querySelector(s)),
        beforeStages: !!toolbar && !!q(".stage-column .stages") && !!(toolbar.compareDocumentPosition(q(".stage-column .stages")) & Node.DOCUMENT_POSITION_FOLLOWING),
        stageInStages: !!q(".stage-column .stages section.stage#stage"),
      },
      stageColumnPosition: q(".stage-column") ? getComputedStyle(q(".stage-column")).position : null,
      toc: box(q("nav.toc")),
      tocLinks: tocLinks.map((a) => a.getAttribute("href")),
      tocCurrent: tocLinks.findIndex((a) => a.getAttribute("aria-current") === "page"),
      tocCurrentCount: tocLinks.filter((a) => a.getAttribute("aria-current") === "page").length,
      tocProgress: q("nav.toc .toc-progress")?.textContent.trim() ?? null,
      menuSummary: box(q("details.toc-menu > summary")),
      menuLinks: menuLinks.map((a) => a.getAttribute("href")),
      lessonHead: box(q(".lesson-head")),
      stageColumn: box(q(".stage-column")),
      lesson: box(q("section.lesson")),
      workbench: box(q("section.workbench")),
      innerWidth,
      innerHeight,
    };
  });
}

/** The contract's structure, the same at every size. */
function assertStructure(f, where) {
  assert.deepEqual(f.missing, [], `${where}: main#main.layout holds the chapter navigation, .lesson-head, .stage-column, section.lesson and section.workbench`);
  assert.ok(f.inDomOrder, `${where}: in that order in the document`);
  assert.ok(f.banner?.shown && f.bannerBeforeMain, `${where}: header.banner is shown, before main (${JSON.stringify(f.banner)})`);
  assert.ok(f.banner.top <= f.lessonHead.top, `${where}: header.banner (top ${px(f.banner.top)}) is above .lesson-head (top ${px(f.lessonHead.top)})`);
  assert.deepEqual(f.head, { count: true, title: true, claim: true, lead: true }, `${where}: .lesson-head holds the count, the title, the claim and the lead`);
  assert.deepEqual(
    f.toolbar,
    {
      found: true,
      role: "group",
      label: "Simulation controls",
      play: true,
      stepBack: true,
      step: true,
      reset: true,
      speed: true,
      scrub: true,
      runSummary: "Run",
      runHolds: ["#preset", "#compare", "#seed"],
      beforeStages: true,
      stageInStages: true,
    },
    `${where}: the stage column's toolbar, its Run menu and the stages`,
  );
}

/** Wide screens: text left of the sticky stage, the chapter list a visible side column. */
function assertWideColumns(f, where, n) {
  assert.equal(f.stageColumnPosition, "sticky", `${where}: .stage-column is position: sticky`);
  for (const [name, r] of [[".lesson-head", f.lessonHead], ["section.lesson", f.lesson]]) {
    assert.ok(
      r.right <= f.stageColumn.left + EPS,
      `${where}: ${name} (x ${px(r.left)}–${px(r.right)}) lies left of .stage-column (x ${px(f.stageColumn.left)}–${px(f.stageColumn.right)})`,
    );
  }
  assert.ok(f.toc?.shown, `${where}: nav.toc is displayed (${JSON.stringify(f.toc)})`);
  const textLeft = Math.min(f.lessonHead.left, f.lesson.left);
  const side = f.toc.right <= textLeft + EPS || f.toc.left >= f.stageColumn.right - EPS;
  assert.ok(
    side,
    `${where}: nav.toc (x ${px(f.toc.left)}–${px(f.toc.right)}) is a side column beside the text (from x ${px(textLeft)}) and the stage (to x ${px(f.stageColumn.right)})`,
  );
  assert.equal(f.tocLinks.length, 11, `${where}: nav.toc lists eleven a.toc-item links`);
  assert.equal(f.tocCurrentCount, 1, `${where}: one link has aria-current="page"`);
  assert.equal(f.tocCurrent, n - 1, `${where}: the current link is chapter ${n}'s`);
  assert.match(f.tocProgress ?? "", /^\d+ of 10 questions answered$/, `${where}: .toc-progress says how many questions are answered`);
  assert.ok(!f.menuSummary?.shown, `${where}: the phone's chapter menu is not shown on a wide screen`);
}

/** Phones: the chapter menu instead of the side column, and everything stacked in order. */
function assertPhoneStack(f, where) {
  assert.ok(!f.toc?.shown, `${where}: nav.toc is not displayed (${JSON.stringify(f.toc)})`);
  assert.ok(f.menuSummary?.shown, `${where}: details.toc-menu's summary is shown (${JSON.stringify(f.menuSummary)})`);
  if (f.tocLinks.length) assert.deepEqual(f.menuLinks, f.tocLinks, `${where}: the menu holds the same chapter links as nav.toc`);
  else assert.equal(f.menuLinks.length, 11, `${where}: the menu holds the eleven chapter links`);
  const stack = [
    ["details.toc-menu", f.menuSummary],
    [".lesson-head", f.lessonHead],
    [".stage-column", f.stageColumn],
    ["section.lesson", f.lesson],
    ["section.workbench", f.workbench],
  ];
  for (let i = 1; i < stack.length; i++) {
    const [a, ra] = stack[i - 1];
    const [b, rb] = stack[i];
    assert.ok(ra.top < rb.top, `${where}: ${a} (top ${px(ra.top)}) comes before ${b} (top ${px(rb.top)})`);
  }
  assert.ok(f.stageColumnPosition !== "sticky", `${where}: the stage column is not sticky on a phone (${f.stageColumnPosition})`);
}

for (const kind of BROWSERS) {
  describe(`the layout in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    for (const viewport of MATRIX[kind.name]) {
      const wide = viewport.width >= 1024;
      const what = wide ? "title, claim, lead, Play and every stage picture" : "title, claim and Play, and no sideways scroll,";
      test(`at ${sizeName(viewport)}, every chapter's ${what} on the first screen`, async (t) => {
        const watched = await openChapter(kind, browser, 1, viewport);
        const { page } = watched;
        const misses = [];
        const stages = [];
        const loadedAt = [];
        for (let n = 1; n <= SLUGS.length; n++) {
          const y = n > 1 ? await gotoChapter(page, n) : watched.loadedAtY;
          if (y !== 0) loadedAt.push(`chapter ${n} at ${y}`);
          const seen = await firstScreenMisses(page, n, viewport);
          misses.push(...seen.misses);
          stages.push(seen.stages);
        }
        t.diagnostic(`stages per chapter: ${stages.join(" ")}`);
        // The checks are made at the top; say so if the page had scrolled itself on load.
        if (loadedAt.length) t.diagnostic(`the page loaded scrolled down: ${loadedAt.join(", ")}`);
        assert.ok(stages.some((s) => s === 2), "some chapter compares two servers (a #stage-b)");
        assert.deepEqual(misses, [], `${misses.length} thing(s) off the first screen at ${sizeName(viewport)}`);
        assertQuiet(watched, sizeName(viewport));
        await page.close();
      });
    }

    test("the columns at 1440×900 and 1024×768, the stack at 360×740 and 1023×768 (chapter 3)", async () => {
      const n = 3;
      for (const viewport of [WIDE, { width: 1024, height: 768 }, PHONE, { width: 1023, height: 768 }]) {
        const { page } = await openChapter(kind, browser, n, viewport);
        const where = `${chapterName(n)} at ${sizeName(viewport)}`;
        const facts = await layoutFacts(page);
        assertStructure(facts, where);
        if (viewport.width >= 1024) assertWideColumns(facts, where, n);
        else assertPhoneStack(facts, where);
        await page.close();
      }
    });

    test("at 1440×900 the stage stays on screen while chapter 8's text scrolls", async (t) => {
      const watched = await openChapter(kind, browser, 8, WIDE);
      const { page } = watched;
      const plan = await page.evaluate(() => {
        const lesson = document.querySelector("section.lesson").getBoundingClientRect();
        // Down 600 px, or less if the chapter's text would otherwise end above the screen's bottom.
        const toLessonEnd = Math.floor(lesson.bottom + scrollY - innerHeight);
        return { toLessonEnd, scroll: Math.max(0, Math.min(600, toLessonEnd)), position: getComputedStyle(document.querySelector(".stage-column")).position };
      });
      t.diagnostic(`scrolling ${plan.scroll} px (section.lesson's bottom reaches the screen's bottom after ${plan.toLessonEnd} px)`);
      assert.equal(plan.position, "sticky", ".stage-column is position: sticky");
      assert.ok(plan.scroll >= 200, `the chapter's text is long enough to scroll past the stage: ${JSON.stringify(plan)}`);
      await page.evaluate((y) => window.scrollTo({ top: y, left: 0, behavior: "instant" }), plan.scroll);
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
      const m = await measure(page, []);
      // Not in the contract, but worth knowing: whether anything (a sticky header) covers a picture's edges.
      t.diagnostic(`covered picture edges: ${JSON.stringify(await coveredEdges(page))}`);
      assert.ok(Math.abs(m.scrollY - plan.scroll) < 1, `the window scrolled to ${plan.scroll} (it is at ${m.scrollY})`);
      assert.ok(m.stages >= 1, "a stage is drawn");
      const misses = outOfView(m, `${chapterName(8)} at 1440×900 scrolled by ${plan.scroll} px`);
      assert.deepEqual(misses, [], "every stage picture stays entirely on screen");
      assertQuiet(watched, "sticky");
      await page.close();
    });

    test("the workbench's tabs follow the arrows, Home and End, focus and selection together", async (t) => {
      const watched = await openChapter(kind, browser, 1, WIDE);
      const { page } = watched;
      await page.focus("section.workbench [role=tab][aria-selected='true']");
      const eventsBefore = await stageEvents(page);
      const press = async (key, open) => {
        await page.keyboard.press(key);
        await expectTab(page, open, { focused: true, why: `after ${key}` });
      };
      await press("Home", "charts");
      for (const open of TABS.slice(1)) await press("ArrowRight", open);
      await press("Home", "charts");
      await press("End", "glossary");
      for (const open of [...TABS].reverse().slice(1)) await press("ArrowLeft", open);
      const eventsAfter = await stageEvents(page);
      // Not in the contract, but worth knowing: arrows on a tab should not also step the stage.
      t.diagnostic(`#stage data-events ${eventsBefore} before the arrows, ${eventsAfter} after`);
      assertQuiet(watched, "tab keys");
      await page.close();
    });

    const linked = kind.name === "chromium" ? TABS : ["sweep"];
    test(`a link to #${linked.join(", #")} opens that tab, and a new fragment (#log) opens its tab`, async () => {
      for (const open of linked) {
        const watched = await openChapter(kind, browser, 1, WIDE, `#${open}`);
        await expectTab(watched.page, open, { why: `when the page opens at ?ch=${SLUGS[0]}#${open}` });
        assertQuiet(watched, `#${open}`);
        await watched.page.close();
      }
      const watched = await openChapter(kind, browser, 1, WIDE, "#sweep");
      await watched.page.evaluate(() => {
        location.hash = "#log";
      });
      await expectTab(watched.page, "log", { why: "after location.hash became #log" });
      assertQuiet(watched, "hash change");
      await watched.page.close();
    });

    const glossarySizes = kind.name === "chromium" ? [WIDE, PHONE] : [WIDE];
    for (const viewport of glossarySizes) {
      test(`at ${sizeName(viewport)} a glossary link in chapter 1 opens the glossary at its term, on screen`, async (t) => {
        const watched = await openChapter(kind, browser, 1, viewport);
        const { page } = watched;
        const LINK = ".lesson-head a.term, .lesson a.term";
        const href = await page.$eval(LINK, (a) => a.getAttribute("href"));
        assert.match(href, /^#term-[a-z0-9-]+$/, `the chapter's first glossary link points at a term: ${href}`);
        const slug = href.slice("#term-".length);
        await page.click(LINK);
        let state;
        let last = null;
        for (let i = 0; i < 100; i++) {
          state = await termState(page, slug);
          // In view and no longer moving (a smooth scroll may still be on its way).
          if (state.tab === "tab-glossary" && termInView(state) && last?.top === state.top) break;
          last = state;
          await sleep(50);
        }
        t.diagnostic(`clicked ${href}: ${describeRect(state)}, window at scrollY ${px(state.scrollY)}`);
        await expectTab(page, "glossary", { why: `after clicking ${href}` });
        assert.ok(state.found && !state.hidden, `#term-${slug} exists and is shown: ${JSON.stringify(state)}`);
        assert.ok(
          termInView(state),
          `#term-${slug} is on screen and uncovered: ${describeRect(state)} in the ${state.innerWidth}×${state.innerHeight} viewport, uncovered ${state.uncovered}`,
        );
        assertQuiet(watched, "glossary link");
        await page.close();
      });
    }

    test("chapter 8's page height at 1440×900 with the default tab open is below 4000 px", async () => {
      const watched = await openChapter(kind, browser, 8, WIDE);
      const { page } = watched;
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const open = (await tabState(page)).shown.join(", ");
      const line = `LAYOUT chapter 8 page height at 1440×900: ${height} px (was 7,374 px before the workbench)`;
      if (kind.name === "chromium") console.log(line);
      else console.log(`${line} [${kind.name}]`);
      assert.ok(height < 4000, `chapter 8 is ${height} px tall at 1440×900 with the "${open}" tab open`);
      await page.close();
    });

    const axeCases =
      kind.name === "chromium"
        ? THEMES.flatMap((theme) => TABS.map((tab) => ({ theme, tab })))
        : [
            { theme: "light", tab: "charts" },
            { theme: "dark", tab: "glossary" },
          ];
    test(`axe-core: nothing serious with ${kind.name === "chromium" ? "each tab open in light and dark" : "charts (light) and glossary (dark) open"}`, async () => {
      const watched = await openChapter(kind, browser, 1, WIDE);
      const { page } = watched;
      const found = [];
      for (const { theme, tab } of axeCases) {
        await setTheme(page, theme);
        await page.click(`#tab-${tab}`);
        await expectTab(page, tab, { why: `after clicking #tab-${tab}` });
        await sleep(300);
        for (const v of await axeSerious(page)) found.push(`${theme}, ${tab}: ${v}`);
      }
      assert.deepEqual(found, [], "axe-core's serious and critical violations");
      assertQuiet(watched, "axe");
      await page.close();
    });
  });
}

test("screenshots: chapters 1, 5, 8 and 11, light and dark, at 1440×900 and 360×740 (Chromium)", async (t) => {
  const kind = BROWSERS[0];
  const browser = await kind.launch();
  try {
    for (const viewport of [WIDE, PHONE]) {
      const { page } = await openChapter(kind, browser, 1, viewport);
      for (const n of [1, 5, 8, 11]) {
        if (n > 1) await gotoChapter(page, n);
        for (const theme of THEMES) {
          await setTheme(page, theme);
          await page.evaluate(() => window.scrollTo({ top: 0, left: 0, behavior: "instant" }));
          const path = screenshotPath(`layout-ch${n}-${viewport.width}-${theme}`);
          await page.screenshot({ path, fullPage: false });
          t.diagnostic(path);
        }
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
