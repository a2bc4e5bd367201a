// The page's layout, in Chromium and Firefox. At 1440×900, 1280×720 and 360×740 every
// chapter shows its title, its claim and the Play button on the first screen, and on wide
// screens also its lead paragraph and the whole stage picture (both, when the chapter
// compares two servers), so a reader sees the question and the thing that answers it at
// once; a phone never scrolls sideways. On wide screens (from 1024 px) the chapter text
// and the stage sit in columns (the chapter list is a side column from 1408 px and a menu
// above the text below that) and the stage column stays in view (sticky) while the text
// scrolls past it, yet no sticky column may lie over the workbench
// below; on phones a chapter menu, the text, the stage and the workbench stack in reading
// order. The workbench is one tab list: a link, a new fragment and the keyboard (arrows,
// Home, End, focus and selection together) open its tabs, and a glossary link in the
// chapter opens the glossary with its term on screen and uncovered. axe-core finds nothing
// serious with any tab open in either theme. The page's height for chapter 8 is printed,
// since the workbench exists to keep the page short, and screenshots of four chapters in
// both themes at two sizes are kept for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, axeSerious, openWatched, problems, waitFor } from "./lib/page.mjs";

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
  "async-in-name-only",
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
  await waitFor(page, (w) => document.documentElement.dataset.theme === w, want, { timeout: 5000 });
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
        // The part of the window not under a scrollbar (Firefox draws classic ones).
        viewWidth: document.documentElement.clientWidth,
        viewHeight: document.documentElement.clientHeight,
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
    .filter((r) => !within(r, m.viewWidth, m.viewHeight))
    .map(
      (r) =>
        `${where}: ${describeRect(r)}, not within the ${m.viewWidth}×${m.viewHeight} viewport (window ${m.innerWidth}×${m.innerHeight}, scrollY ${px(m.scrollY)})`,
    );
}

/** Everything that must be on chapter `n`'s first screen at `viewport` and is not. */
async function firstScreenMisses(page, n, viewport) {
  const wide = viewport.width >= 1024;
  const m = await measure(page, wide ? [...ALWAYS_SEEN, ...WIDE_SEEN] : ALWAYS_SEEN);
  const where = `${chapterName(n)} at ${sizeName(viewport)}`;
  // On a phone only the title, the claim and Play must show; the pictures may lie below.
  const misses = outOfView(m, where, (r) => wide || !r.label.includes(PICTURE));
  if (m.scrollY !== 0) misses.push(`${where}: the window is at scrollY ${m.scrollY}, not the top`);
  if (!wide && m.scrollWidth > Math.min(m.innerWidth, m.viewWidth)) {
    misses.push(`${where}: scrolls sideways, scrollWidth ${m.scrollWidth} > ${m.viewWidth} (innerWidth ${m.innerWidth})`);
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
 * In the page: the glossary entry `#term-<slug>`, its rect, whether the elements at five
 * points along its first line (left edge to right edge, 12 px down) belong to it (nothing
 * covers its name), what covers it where something does, and the open tab.
 */
function termState(page, slug) {
  return page.evaluate((slug) => {
    const entry = document.getElementById(`term-${slug}`);
    const r = entry?.getBoundingClientRect();
    const points = r ? [0.02, 0.25, 0.5, 0.75, 0.98].map((f) => [r.left + 4 + f * (r.width - 8), r.top + Math.min(12, r.height / 2)]) : [];
    const covers = points.flatMap(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      if (hit && entry.contains(hit)) return [];
      const owner = hit?.closest("nav.toc, .stage-column, header.banner, details.toc-menu");
      return [`(${Math.round(x)}, ${Math.round(y)}) shows ${hit ? hit.tagName.toLowerCase() : "nothing"}${owner ? ` in ${owner.tagName.toLowerCase()}.${owner.classList[0]}` : ""}`];
    });
    return {
      found: !!entry,
      label: `#term-${slug}`,
      top: r?.top,
      left: r?.left,
      right: r?.right,
      bottom: r?.bottom,
      width: r?.width ?? 0,
      height: r?.height ?? 0,
      uncovered: !!entry && covers.length === 0,
      covers,
      hidden: !!entry && (entry.closest("[hidden]") !== null || entry.getClientRects().length === 0),
      tab: document.querySelector("section.workbench [role=tab][aria-selected='true']")?.id ?? null,
      hash: location.hash,
      viewWidth: document.documentElement.clientWidth,
      viewHeight: document.documentElement.clientHeight,
      scrollY,
    };
  }, slug);
}

/** A term entry counts as in view when it shows whole, or (if taller than the screen) starts on it. */
const termInView = (s) =>
  s.found &&
  !s.hidden &&
  s.uncovered &&
  (within(s, s.viewWidth, s.viewHeight) || (s.height > s.viewHeight && s.top >= -EPS && s.top < s.viewHeight));

/** The columns that may stick on a wide screen, and so could lie over the workbench. */
const STICKY = [".stage-column", "nav.toc"];

/**
 * In the page: scrolls the workbench's tab list to the `block` edge ("start", "center",
 * "end") of the screen, then measures where the sticky columns and the workbench are, how
 * much of the screen each column shares with the workbench, and which tabs a click at
 * their centre would miss (and what it would hit instead).
 */
function workbenchCover(page, block, STICKY) {
  return page.evaluate(
    async ({ block, STICKY }) => {
      document.querySelector("section.workbench [role=tablist]").scrollIntoView({ block, behavior: "instant" });
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      const rect = (el, label) => {
        const r = el.getBoundingClientRect();
        return { label, top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
      };
      const bench = rect(document.querySelector("section.workbench"), "section.workbench");
      const shared = (a) => ({
        width: Math.max(0, Math.min(a.right, bench.right, innerWidth) - Math.max(a.left, bench.left, 0)),
        height: Math.max(0, Math.min(a.bottom, bench.bottom, innerHeight) - Math.max(a.top, bench.top, 0)),
      });
      const columns = STICKY.map((s) => [s, document.querySelector(s)])
        .filter(([, el]) => el && el.getClientRects().length)
        .map(([s, el]) => rect(el, s))
        .map((r) => ({ ...r, shared: shared(r) }));
      const missed = [...document.querySelectorAll("section.workbench [role=tab]")].flatMap((tab) => {
        const r = tab.getBoundingClientRect();
        const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        if (hit && tab.contains(hit)) return [];
        const owner = hit?.closest(STICKY.join(", "));
        const what = hit ? `${hit.tagName.toLowerCase()}${owner ? ` in ${owner.matches(".stage-column") ? ".stage-column" : "nav.toc"}` : ""}` : "nothing";
        return [`#${tab.id} (x ${Math.round(r.left)}–${Math.round(r.right)}, y ${Math.round(r.top)}) is under ${what}`];
      });
      return { scrollY, bench, columns, missed };
    },
    { block, STICKY },
  );
}

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
    // The words a sighted reader sees: without aria-hidden glyphs and visually hidden text.
    const seenText = (el) => {
      if (!el) return "";
      const copy = el.cloneNode(true);
      copy.querySelectorAll("[aria-hidden='true'], .visually-hidden").forEach((e) => e.remove());
      return copy.textContent.trim();
    };
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
        play: seenText(toolbar?.querySelector("button.play")),
        stepBack: !!toolbar?.querySelector("button[aria-keyshortcuts='ArrowLeft']"),
        step: !!toolbar?.querySelector("button[aria-keyshortcuts='ArrowRight']"),
        reset: [...(toolbar?.querySelectorAll("button") ?? [])].some((b) => /reset/i.test(named(b))),
        speed: !!toolbar?.querySelector("#speed"),
        scrub: !!toolbar?.querySelector("#scrub"),
        runSummary: runMenu ? seenText(runMenu.querySelector("summary")) : null,
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

/** Adds `message` to `list` unless `ok`. */
const check = (list, ok, message) => {
  if (!ok) list.push(message);
};
const span = (r) => (r ? `x ${px(r.left)}–${px(r.right)}, y ${px(r.top)}–${px(r.bottom)}` : "absent");

/** What breaks the contract's structure, the same at every size. */
function structureProblems(f) {
  const out = [];
  check(out, !f.missing.length, `main#main.layout lacks ${f.missing.join(", ")}`);
  check(out, f.inDomOrder, "main#main.layout's chapter navigation, .lesson-head, .stage-column, section.lesson and section.workbench are out of order");
  check(out, f.banner?.shown && f.bannerBeforeMain, `header.banner is not shown before main (${span(f.banner)})`);
  check(out, !f.banner || !f.lessonHead || f.banner.top <= f.lessonHead.top, `header.banner (${span(f.banner)}) is not above .lesson-head (${span(f.lessonHead)})`);
  for (const [part, ok] of Object.entries(f.head)) check(out, ok, `.lesson-head lacks its ${part} (p.lesson-count, h2#lesson-title, p.lesson-claim, p.lesson-lead)`);
  const t = f.toolbar;
  check(out, t.found, ".stage-column has no .toolbar");
  check(out, t.role === "group" && t.label === "Simulation controls", `the toolbar is role=${t.role} aria-label=${t.label}, not group "Simulation controls"`);
  check(out, ["Play", "Pause"].includes(t.play), `button.play reads "${t.play}", not Play or Pause`);
  for (const part of ["stepBack", "step", "reset", "speed", "scrub"]) check(out, t[part], `the toolbar lacks ${part}`);
  check(out, t.runSummary === "Run", `details.run-menu's summary reads "${t.runSummary}", not "Run"`);
  check(out, t.runHolds.length === 3, `details.run-menu holds only ${t.runHolds.join(", ") || "nothing"} of #preset, #compare, #seed`);
  check(out, t.beforeStages, "the toolbar does not come before .stages");
  check(out, t.stageInStages, ".stages holds no section.stage#stage");
  return out;
}

/** The width from which the chapter list is a side column of its own (88rem); between 1024 px
 * and this, the text and the sticky stage are columns and the list is the menu above the text. */
const SIDE_FROM = 1408;

/** What breaks the wide layout: text left of the sticky stage; from SIDE_FROM the chapter list a
 * visible side column, below it the chapter menu at the top of the text's column. */
function wideProblems(f, n, width) {
  const out = [];
  check(out, f.stageColumnPosition === "sticky", `.stage-column is position: ${f.stageColumnPosition}, not sticky`);
  for (const [name, r] of [[".lesson-head", f.lessonHead], ["section.lesson", f.lesson]]) {
    check(out, r.right <= f.stageColumn.left + EPS, `${name} (${span(r)}) does not lie left of .stage-column (${span(f.stageColumn)})`);
  }
  check(out, f.tocLinks.length === 12, `nav.toc lists ${f.tocLinks.length} a.toc-item links, not 12`);
  check(out, f.tocCurrentCount === 1 && f.tocCurrent === n - 1, `nav.toc's aria-current="page" link is number ${f.tocCurrent + 1} (of ${f.tocCurrentCount} marked), not ${n}`);
  check(out, /^\d+ of 11 questions answered · \d+ right first time$/.test(f.tocProgress ?? ""), `.toc-progress reads "${f.tocProgress}"`);
  if (width >= SIDE_FROM) {
    check(out, f.toc?.shown, `nav.toc is not displayed (${f.toc ? `${px(f.toc.width)}×${px(f.toc.height)} px` : "absent"})`);
    if (f.toc?.shown) {
      const textLeft = Math.min(f.lessonHead.left, f.lesson.left);
      const side = f.toc.right <= textLeft + EPS || f.toc.left >= f.stageColumn.right - EPS;
      check(out, side, `nav.toc (${span(f.toc)}) is not a side column beside the text (from x ${px(textLeft)}) and the stage (to x ${px(f.stageColumn.right)})`);
    }
    check(out, !f.menuSummary?.shown, `details.toc-menu's summary shows beside a side column (${span(f.menuSummary)})`);
  } else {
    check(out, !f.toc?.shown, `nav.toc is displayed below ${SIDE_FROM} px (${span(f.toc)})`);
    check(out, f.menuSummary?.shown, `details.toc-menu's summary is not shown (${span(f.menuSummary)})`);
    if (f.menuSummary?.shown) {
      check(out, f.menuSummary.top < f.lessonHead.top && f.menuSummary.right <= f.stageColumn.left + EPS, `details.toc-menu (${span(f.menuSummary)}) is not above .lesson-head (${span(f.lessonHead)}) in the text's column`);
    }
    if (f.tocLinks.length) check(out, JSON.stringify(f.menuLinks) === JSON.stringify(f.tocLinks), `details.toc-menu's links (${f.menuLinks.length}) differ from nav.toc's (${f.tocLinks.length})`);
  }
  return out;
}

/** What breaks the phone layout: the chapter menu instead of the side column, everything stacked in order. */
function phoneProblems(f) {
  const out = [];
  check(out, !f.toc?.shown, `nav.toc is displayed (${span(f.toc)})`);
  check(out, f.menuSummary?.shown, `details.toc-menu's summary is not shown (${span(f.menuSummary)})`);
  if (f.tocLinks.length) check(out, JSON.stringify(f.menuLinks) === JSON.stringify(f.tocLinks), `details.toc-menu's links (${f.menuLinks.length}) differ from nav.toc's (${f.tocLinks.length})`);
  else check(out, f.menuLinks.length === 12, `details.toc-menu holds ${f.menuLinks.length} links, not 12`);
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
    check(out, ra && rb && ra.top < rb.top, `${a} (${span(ra)}) does not come before ${b} (${span(rb)})`);
  }
  check(out, f.stageColumnPosition !== "sticky", "the stage column is sticky on a phone");
  return out;
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

    for (const viewport of [WIDE, { width: SIDE_FROM, height: 900 }, { width: SIDE_FROM - 1, height: 900 }, LAPTOP, { width: 1024, height: 768 }, PHONE, { width: 1023, height: 768 }]) {
      const wide = viewport.width >= 1024;
      const side = viewport.width >= SIDE_FROM;
      test(`at ${sizeName(viewport)}, ${side ? "the chapter list, the text and the sticky stage sit in columns" : wide ? "the chapter menu above the text, beside the sticky stage" : "the chapter menu, the text, the stage and the workbench stack in order"} (chapter 3)`, async () => {
        const n = 3;
        const { page } = await openChapter(kind, browser, n, viewport);
        const facts = await layoutFacts(page);
        const found = [...structureProblems(facts), ...(wide ? wideProblems(facts, n, viewport.width) : phoneProblems(facts))];
        assert.deepEqual(found, [], `${chapterName(n)} at ${sizeName(viewport)}`);
        await page.close();
      });
    }

    test("the Run menu closes on Escape (focus back on its button), on a click elsewhere, but not on a click inside it", async () => {
      const { page } = await openChapter(kind, browser, 8, WIDE);
      const isOpen = () => page.evaluate(() => document.querySelector("details.run-menu").open);
      await page.click(".run-menu > summary");
      assert.equal(await isOpen(), true, "the summary opens it");
      // A click on the menu's own background keeps it open.
      const body = await page.$(".run-menu-body");
      const box = await body.boundingBox();
      await page.mouse.click(box.x + box.width - 4, box.y + box.height - 4);
      assert.equal(await isOpen(), true, "a click inside keeps it open");
      await page.keyboard.press("Escape");
      assert.equal(await isOpen(), false, "Escape closes it");
      assert.equal(await page.evaluate(() => document.activeElement?.matches(".run-menu > summary")), true, "the focus is back on its button");
      await page.click(".run-menu > summary");
      assert.equal(await isOpen(), true);
      const picture = await (await page.$("#stage svg[data-picture='stage']")).boundingBox();
      await page.mouse.click(picture.x + 20, picture.y + picture.height - 20);
      assert.equal(await isOpen(), false, "a click on the stage closes it");
      await page.close();
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

    test("the sticky columns never lie over the workbench (chapters 1 and 8, 1440×900 and 1280×720)", async () => {
      const covered = [];
      for (const viewport of [WIDE, LAPTOP]) {
        for (const n of [1, 8]) {
          const { page } = await openChapter(kind, browser, n, viewport);
          for (const block of ["end", "center", "start"]) {
            const c = await workbenchCover(page, block, STICKY);
            const where = `${chapterName(n)} at ${sizeName(viewport)}, tab list scrolled to the ${block} (scrollY ${px(c.scrollY)})`;
            for (const col of c.columns.filter((col) => col.shared.width > 1 && col.shared.height > 1)) {
              covered.push(`${where}: ${describeRect(col)} overlaps ${describeRect(c.bench)} by ${px(col.shared.width)}×${px(col.shared.height)} px on screen`);
            }
            for (const m of c.missed) covered.push(`${where}: ${m}`);
          }
          await page.close();
        }
      }
      assert.deepEqual(covered, [], "no sticky column shares the screen with the workbench, and a click reaches every tab");
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
        if (kind.name === "chromium") await page.screenshot({ path: screenshotPath(`layout-glossary-${viewport.width}`), fullPage: false });
        await expectTab(page, "glossary", { why: `after clicking ${href}` });
        assert.ok(state.found && !state.hidden, `#term-${slug} exists and is shown: ${JSON.stringify(state)}`);
        assert.ok(
          termInView(state),
          `#term-${slug} is on screen and uncovered: ${describeRect(state)} in the ${state.viewWidth}×${state.viewHeight} viewport (scrollY ${px(state.scrollY)}); ${state.covers.length ? `covered: ${state.covers.join("; ")}` : "uncovered"}`,
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
        // By fragment, not by a click: whether a click reaches each tab is the covering test's business.
        await page.evaluate((tab) => {
          location.hash = `#${tab}`;
        }, tab);
        await expectTab(page, tab, { why: `after location.hash became #${tab}` });
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
