// One way to open the built page in either browser and watch what it does: console
// messages, uncaught errors and every request, so a test can assert there were none it
// did not expect.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launchChromium, launchFirefox } from "./browsers.mjs";

/** axe-core's script, to evaluate in a page (or frame) before running it. */
export const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's serious and critical violations in `page` (a page or a frame), within the
 * element `selector` names or the whole document, one line each: rule, impact, targets.
 */
export async function axeSerious(page, selector = null) {
  await page.evaluate(AXE_SOURCE);
  const run = (sel) => globalThis.axe.run(sel ? document.querySelector(sel) : document, { resultTypes: ["violations"] });
  const results = await page.evaluate(run, selector);
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export const BROWSERS = [
  { name: "chromium", launch: launchChromium, newPage: (b) => b.newPage() },
  { name: "firefox", launch: launchFirefox, newPage: (b) => b.newPage() },
];

/** Sets the page's viewport in either driver (playwright and puppeteer name it differently). */
export async function setViewport(page, viewport) {
  if (page.setViewportSize) await page.setViewportSize(viewport);
  else await page.setViewport(viewport);
}

/** Runs `fn` in every document the page opens, before its own scripts, in either driver. */
export async function addInitScript(page, fn) {
  if (page.addInitScript) await page.addInitScript(fn);
  else await page.evaluateOnNewDocument(fn);
}

/**
 * Records what `page` does from now on: its console messages ({ type, text }), uncaught
 * errors, every request's URL, and the URLs the page's own document asked for (not a
 * frame in it). Returns the four arrays, filled as it goes.
 */
export function watch(page) {
  const console = [];
  const errors = [];
  const requests = [];
  const mainRequests = [];
  page.on("console", (msg) => console.push({ type: msg.type(), text: msg.text() }));
  page.on("pageerror", (err) => errors.push(String(err?.message ?? err)));
  page.on("request", (req) => {
    requests.push(req.url());
    if (req.frame() === page.mainFrame()) mainRequests.push(req.url());
  });
  return { console, errors, requests, mainRequests };
}

/**
 * Waits until `fn(arg)` is true in the page (or a frame), in either driver: playwright
 * and puppeteer order waitForFunction's arguments differently.
 */
export function waitFor(page, fn, arg, { timeout = 30000 } = {}) {
  return typeof page.selectOption === "function"
    ? page.waitForFunction(fn, arg, { timeout })
    : page.waitForFunction(fn, { timeout, polling: "raf" }, arg);
}

/**
 * Opens `url` in a new page of `browser` and records what the page does. With `preset`, the
 * stage then runs that preset (an index into the preset list) instead of chapter 1's run.
 */
export async function openWatched(kind, browser, url, { viewport = { width: 1280, height: 900 }, preset } = {}) {
  const page = await kind.newPage(browser);
  await setViewport(page, viewport);
  const { console, errors, requests } = watch(page);
  await page.goto(url, { waitUntil: "load" });
  if (preset !== undefined) {
    await appState(page);
    await chooseRun(page, "#preset", String(preset));
    // The chapter offers its own run back once the stage runs something else.
    await page.waitForSelector(".lesson .reload");
  }
  return { page, console, errors, requests };
}

/**
 * Opens the stage toolbar's Run menu (the scenario list, the compare list and the seed
 * field live in it), as a person would: a click on its summary, if it is closed.
 */
export async function openRunMenu(page) {
  if (await page.$eval("details.run-menu", (d) => d.open)) return;
  await page.click("details.run-menu > summary");
  await page.waitForSelector("details.run-menu[open] #preset");
}

/** Closes the Run menu again with a click on its summary, if it is open. */
export async function closeRunMenu(page) {
  if (!(await page.$eval("details.run-menu", (d) => d.open))) return;
  await page.click("details.run-menu > summary");
  await page.waitForSelector("details.run-menu:not([open])");
}

/**
 * Picks `value` in the Run menu's list `selector` (`#preset` or `#compare`): opens the
 * menu, picks, and closes it again, since it lies over the stage while open.
 */
export async function chooseRun(page, selector, value) {
  await openRunMenu(page);
  if (page.selectOption) await page.selectOption(selector, value);
  else await page.select(selector, value);
  await closeRunMenu(page);
}

/**
 * Opens the workbench tab `name` (charts, sweep, editor, log, share, glossary) by clicking
 * it, and waits until its panel is the one shown.
 */
export async function openTab(page, name) {
  await page.click(`#tab-${name}`);
  await page.waitForSelector(`#${name}[role='tabpanel']:not([hidden])`);
}

/**
 * The text of the element `selector` without its aria-hidden parts (the play button's
 * "▶" or "❚❚"): what a screen reader announces as its name.
 */
export const spokenText = (page, selector) =>
  page.$eval(selector, (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach((e) => e.remove());
    return copy.textContent.trim();
  });

/** Waits until the app reports that it mounted (or failed), and returns which. */
export async function appState(page, timeoutMs = 30000) {
  await page.waitForSelector("html[data-app-state='ready'], html[data-app-state='failed']", {
    timeout: timeoutMs,
  });
  return page.evaluate(() => document.documentElement.getAttribute("data-app-state"));
}

/** Console messages that count as problems: errors and warnings of any spelling. */
export function problems(consoleMessages) {
  return consoleMessages.filter((m) => ["error", "warning", "warn", "assert"].includes(m.type));
}

/** Requests to any origin other than `origin` (data: and blob: URLs are the page's own). */
export function foreignRequests(requests, origin) {
  return requests.filter((u) => !u.startsWith(origin + "/") && !/^(data|blob):/.test(u));
}

/** Moves the speed slider to step `idx` of the app's log scale, as a person dragging it would. */
export const setSpeed = (page, idx) =>
  page.$eval(
    "#speed",
    (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    idx,
  );

/**
 * In the page (pass it to waitForFunction with the wanted name): whether the play button's
 * name, its text without the aria-hidden symbol, is `want` ("Play" or "Pause").
 */
export function playIs(want) {
  const copy = document.querySelector("button.play").cloneNode(true);
  copy.querySelectorAll("[aria-hidden='true']").forEach((e) => e.remove());
  return copy.textContent.trim() === want;
}

/** Waits until the play button's name is `want` ("Play" or "Pause"), in either driver. */
export const waitForPlay = (page, want, timeout = 30000) =>
  page.selectOption
    ? page.waitForFunction(playIs, want, { timeout })
    : page.waitForFunction(playIs, { timeout }, want);
