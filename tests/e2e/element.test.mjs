// The <await-lab> custom element (issue 15), in Chromium and Firefox, inside a real
// documentation site: an mdBook book (tests/e2e/fixtures/book, built here with the pinned
// mdBook) served from one origin, the Await Lab files from another. Its chapter page holds
// two elements and an iframe, far apart. All three mount, play on their own, pause when
// scrolled away and pick up where they were; the far element does not start until it is
// scrolled to; attributes change the view live; a bad attribute is named inside its element
// and the page around it is untouched; axe finds nothing serious; no console problem; no
// request leaves the two origins. Then the element under a host page's strict CSP, and with
// reduced motion.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, serveDist } from "./lib/server.mjs";
import { buildBook } from "./lib/mdbook.mjs";
import { BROWSERS, addInitScript, axeSerious, problems, setViewport, watch } from "./lib/page.mjs";
import { launchFirefox, screenshotPath } from "./lib/browsers.mjs";

let lab;
let book;
before(async () => {
  lab = await serveDist({ cors: true });
  const out = await buildBook(lab.url);
  book = await serveDist({ dir: out, subPath: "/handbook/" });
});
after(async () => {
  await lab?.close();
  await book?.close();
});

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Polls `check` (async, in node) until it returns a truthy value; fails with `what`. */
async function until(what, check, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** What an element shows, read through its open shadow root. */
function readElement(id) {
  const el = document.getElementById(id);
  const root = el?.shadowRoot;
  const play = root?.querySelector("button.play");
  let name = null;
  if (play) {
    const copy = play.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach((e) => e.remove());
    name = copy.textContent.trim();
  }
  const clock = root?.querySelector(".clock")?.textContent ?? "";
  const times = clock.match(/[\d.]+/g)?.map(Number) ?? [];
  return {
    state: el?.getAttribute("data-app-state") ?? null,
    mounted: Boolean(root?.querySelector(".embed-main")),
    waiting: Boolean(root?.querySelector(".al-wait")),
    playing: name === "Pause",
    at_s: times[0] ?? null,
    end_s: times[1] ?? null,
    bar: root?.querySelector(".embed-bar a")?.textContent ?? null,
    region: root?.querySelector("section.embed-main")?.getAttribute("aria-label") ?? null,
    code: root?.querySelector(".stage-code")?.textContent ?? null,
    theme: root?.querySelector(".al-root")?.getAttribute("data-theme") ?? null,
    notice: root?.querySelector(".notice")?.textContent ?? null,
  };
}

/** The same, for the view in an iframe (its own document). */
function readFrame() {
  const play = document.querySelector("button.play");
  let name = null;
  if (play) {
    const copy = play.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach((e) => e.remove());
    name = copy.textContent.trim();
  }
  const times = (document.querySelector(".clock")?.textContent ?? "").match(/[\d.]+/g)?.map(Number) ?? [];
  return {
    state: document.documentElement.getAttribute("data-app-state"),
    playing: name === "Pause",
    at_s: times[0] ?? null,
    search: location.search,
  };
}

const scrollTo = (page, id) =>
  page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: "center" }), id);

/** The page's own <html> and <body> attributes, to show an element leaves them alone. */
function hostAttributes() {
  const all = (el) => el.getAttributeNames().map((n) => `${n}=${el.getAttribute(n)}`).sort();
  return { html: all(document.documentElement), body: all(document.body) };
}

for (const kind of BROWSERS) {
  describe(`the <await-lab> element in ${kind.name}`, () => {
    let browser;
    before(async () => {
      browser = await kind.launch();
    });
    after(async () => {
      await browser?.close();
    });

    test("in an mdBook page: three views mount, play on their own, pause out of view and resume", async () => {
      const page = await kind.newPage(browser);
      await setViewport(page, { width: 1280, height: 800 });
      // The iframe's view downloads its own module, so the page's document's requests
      // are counted apart.
      const { console: messages, errors, requests, mainRequests } = watch(page);
      await page.goto(`${book.url}embeds.html`, { waitUntil: "load" });
      const before = await page.evaluate(hostAttributes);
      const element = (id) => page.evaluate(readElement, id);

      // The first element, at the top, mounts and autoplays.
      await until("the first element to play", async () => {
        const v = await element("first");
        return v.state === "ready" && v.playing && v.at_s > 0 && v;
      });
      const first = await element("first");
      assert.equal(first.bar, "A blocked thread ↗ (opens the full page of Await Lab in a new tab)");
      assert.equal(first.region, "A blocked thread", "the title names the view's region");
      // The second, screens below, has not started: only its placeholder shows.
      const far = await element("second");
      assert.deepEqual(
        [far.state, far.mounted, far.waiting],
        ["loading", false, true],
        "an element never scrolled to does not start",
      );
      const wasm = mainRequests.filter((u) => u.endsWith(".wasm"));
      assert.equal(wasm.length, 1, `one download of the module: ${wasm}`);
      assert.ok(wasm[0].startsWith(lab.origin + "/"), wasm[0]);

      // Down to the iframe: it loads (lazily) and plays; the first element pauses.
      await scrollTo(page, "frame");
      const frame = await until("the iframe's view", async () =>
        page.frames().find((f) => f.url().startsWith(lab.url)),
      );
      await until("the iframe to play", async () => {
        const v = await frame.evaluate(readFrame);
        return v.state === "ready" && v.playing && v.at_s > 0 && v;
      });
      const paused = await until("the first element to pause out of view", async () => {
        const v = await element("first");
        return !v.playing && v;
      });
      await sleep(800);
      assert.equal((await element("first")).at_s, paused.at_s, "out of view, its clock stands");

      // Down to the second element: it mounts and plays; the first stays where it was, and
      // the iframe, out of view now, pauses too.
      await scrollTo(page, "second");
      await until("the second element to play", async () => {
        const v = await element("second");
        return v.state === "ready" && v.playing && v.at_s > 0 && v;
      });
      assert.equal((await element("first")).at_s, paused.at_s, "the views run independently");
      const framePaused = await until("the iframe to pause out of view", async () => {
        const v = await frame.evaluate(readFrame);
        return !v.playing && v;
      });
      assert.match(framePaused.search, /[?&]embed=1/, "the frame's address keeps its options");
      assert.match(framePaused.search, /[?&]t=\d+/, "and the moment it paused at");
      await page.screenshot({ path: screenshotPath(`element-second-${kind.name}`) });

      // Back to the top: the first element plays on from where it stopped.
      await scrollTo(page, "first");
      await until("the first element to play on", async () => {
        const v = await element("first");
        return v.playing && v.at_s > paused.at_s && v;
      });
      const second = await until("the second element to pause", async () => {
        const v = await element("second");
        return !v.playing && v;
      });
      assert.ok(second.at_s > 0);

      // Attributes change the view live.
      assert.equal(first.end_s, 10, "chapter 2's run lasts 10 s");
      await page.evaluate(() => {
        const el = document.getElementById("first");
        el.setAttribute("chapter", "starvation");
        el.setAttribute("title", "Starvation, live");
        el.setAttribute("theme", "dark");
      });
      const changed = await until("the first element to show chapter 7", async () => {
        const v = await element("first");
        return v.end_s === 20 && v.bar?.startsWith("Starvation, live") && v.theme === "dark" && v.playing && v;
      });
      assert.match(changed.code, /\.Result/, "chapter 7's run blocks on .Result");
      await page.screenshot({ path: screenshotPath(`element-first-${kind.name}`) });

      // theme="page" follows the docs theme's own switch: mdBook's "coal" is dark.
      await page.evaluate(() => document.getElementById("second").setAttribute("theme", "page"));
      await until("the second element to take the page's light theme", async () =>
        (await element("second")).theme === "light",
      );
      await page.evaluate(() => document.documentElement.classList.replace("light", "coal"));
      await until("the second element to follow the page to dark", async () =>
        (await element("second")).theme === "dark",
      );
      await page.evaluate(() => document.documentElement.classList.replace("coal", "light"));

      // An element the page adds later (a docs site's client-side navigation does this)
      // upgrades by itself; its bad attributes are named inside it.
      await page.evaluate(() => {
        const el = document.createElement("await-lab");
        el.id = "bad";
        el.setAttribute("chapter", "99");
        el.setAttribute("seed", "x&y");
        el.setAttribute("height", "tall");
        document.querySelector("main").prepend(el);
        el.scrollIntoView({ block: "center" });
      });
      const bad = await until("the bad element's notice", async () => {
        const v = await element("bad");
        return v.state === "ready" && v.notice && v;
      });
      assert.match(bad.notice, /The <await-lab> element's seed attribute "x&y" has characters an attribute value cannot have/);
      assert.match(bad.notice, /The <await-lab> element's chapter attribute "99" is not a chapter: it must be a number from 1 to 12/);
      assert.match(bad.notice, /The <await-lab> element's height attribute "tall" is not a height: it must be a whole number of CSS pixels from 120 to 4000/);
      assert.ok(bad.mounted, "the rest of it still works: chapter 1's run");
      // Mending the attributes takes the messages away; a valid height holds the view,
      // which scrolls inside it.
      await page.evaluate(() => {
        const el = document.getElementById("bad");
        el.setAttribute("chapter", "3");
        el.setAttribute("seed", "7");
        el.setAttribute("height", "300");
      });
      await until("the mended element", async () => {
        const v = await element("bad");
        const px = await page.evaluate(() => document.getElementById("bad").getBoundingClientRect().height);
        return v.notice === null && px === 300 && v;
      });
      // Taken out of the page (a client-side navigation does this), it lets its run go;
      // put back, it starts a new one. Moved (out and in at once), it keeps its run.
      const [moved, removed] = await page.evaluate(async () => {
        const el = document.getElementById("bad");
        const main = document.querySelector("main");
        const drawn = () => Boolean(el.shadowRoot.querySelector(".embed-main"));
        main.append(el);
        await new Promise((ok) => setTimeout(ok, 100));
        const moved = drawn();
        el.remove();
        await new Promise((ok) => setTimeout(ok, 100));
        const removed = drawn();
        main.prepend(el);
        el.scrollIntoView({ block: "center" });
        return [moved, removed];
      });
      assert.deepEqual([moved, removed], [true, false], "moved, it keeps its view; removed, it lets it go");
      await until("the element put back", async () => (await element("bad")).mounted);
      assert.deepEqual(await page.evaluate(hostAttributes), before, "the host page's <html> and <body> are untouched");
      assert.match(await page.evaluate(() => document.querySelector("main h1")?.textContent ?? ""), /Thread pools under load/);

      // Console and errors are read before axe runs: axe's own messages between frames of
      // two origins warn in the console, and they are the tool's, not the page's.
      assert.deepEqual(problems(messages), [], "no console error or warning");
      assert.deepEqual(errors, [], "no uncaught error");
      // mdBook 0.4.52's own sidebar button fails two rules (aria-expanded on a <label>);
      // that is the docs theme's, not the embeds'. Everything else on the page counts.
      const axe = (await axeSerious(page)).filter((line) => !/: #sidebar-toggle$/.test(line));
      assert.deepEqual(axe, [], "axe on the whole page, shadow roots included");
      assert.deepEqual(await axeSerious(frame), [], "axe in the iframe's view");
      const foreign = requests.filter(
        (u) => !u.startsWith(lab.origin + "/") && !u.startsWith(book.origin + "/") && !/^(data|blob|about):/.test(u),
      );
      assert.deepEqual(foreign, [], "no request to a third origin");
      await page.close();
    });

    test("in an mdBook page: the element keeps the page's sizes and narrows with its own box", async () => {
      // mdBook sets the root font size to 62.5 %, so 1rem is 10 px there. The element's
      // stylesheet has its lengths in pixels (scripts/element-loader.mjs), so it draws at
      // the page's own sizes; and its narrow layout answers to its width, not the window's.
      const page = await kind.newPage(browser);
      await setViewport(page, { width: 1280, height: 800 });
      await page.goto(`${book.url}embeds.html`, { waitUntil: "load" });
      await until("the first element to mount", async () => (await page.evaluate(readElement, "first")).mounted);
      const read = () =>
        page.evaluate(() => {
          const el = document.getElementById("first");
          const root = el.shadowRoot;
          const style = (sel) => getComputedStyle(root.querySelector(sel));
          return {
            hostRootFontSize: getComputedStyle(document.documentElement).fontSize,
            width: el.getBoundingClientRect().width,
            heading: style(".stage h2").fontSize,
            totals: style(".totals").fontSize,
            bar: style(".embed-bar").fontSize,
            code: style(".stage-code").fontSize,
            codeOrder: style(".stage-code").order,
          };
        });
      const wide = await read();
      assert.equal(wide.hostRootFontSize, "10px", "mdBook's root font size is 62.5 %");
      // 1.05rem, 0.8rem, 0.9rem and 0.85rem of the page's 16 px.
      assert.deepEqual(
        [wide.heading, wide.totals, wide.bar, wide.code],
        ["16.8px", "12.8px", "14.4px", "13.6px"],
        "the element's text is the size the page draws it at",
      );
      assert.ok(wide.width > 640, `the docs column is wide: ${wide.width}px`);
      assert.equal(wide.codeOrder, "0", "a wide element keeps the code beside the stage's name");
      await page.evaluate(() => {
        document.getElementById("first").style.width = "360px";
      });
      const narrow = await until("the element's narrow layout", async () => {
        const v = await read();
        return v.codeOrder === "3" && v;
      });
      assert.equal(narrow.width, 360);
      await page.close();
    });

    test("under a host page's strict CSP that names the Await Lab origin", async () => {
      const dir = join(ROOT, "target", "e2e-csp-host");
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "index.html"),
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict host</title>
<link rel="icon" href="favicon.svg">
<script src="${lab.url}await-lab.js" defer></script></head>
<body><main><h1>A strict page</h1><p>It allows scripts, styles and fetches from the Await Lab origin only.</p>
<await-lab chapter="starvation" autoplay="1"></await-lab></main></body></html>`,
      );
      const csp = [
        "default-src 'none'",
        "img-src 'self'",
        `script-src ${lab.origin} 'wasm-unsafe-eval'`,
        `style-src ${lab.origin}`,
        `connect-src ${lab.origin}`,
        "base-uri 'none'",
        "form-action 'none'",
      ].join("; ");
      writeFileSync(join(dir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
      const host = await serveDist({ dir, subPath: "/strict/", headers: { "Content-Security-Policy": csp } });
      try {
        const page = await kind.newPage(browser);
        const record = () => {
          window.__violations = [];
          document.addEventListener("securitypolicyviolation", (e) =>
            window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
          );
        };
        await addInitScript(page, record);
        const { console: messages } = watch(page);
        await page.goto(host.url, { waitUntil: "load" });
        await until("the element to play under the policy", async () => {
          const v = await page.evaluate(() => {
            const el = document.querySelector("await-lab");
            return { state: el.getAttribute("data-app-state"), clock: el.shadowRoot?.querySelector(".clock")?.textContent };
          });
          return v.state === "ready" && /^[\s\S]*?([1-9]|0\.\d*[1-9])/.test(v.clock ?? "") && v;
        });
        // The control: the policy is really enforced, so an inline script is refused.
        await page.evaluate(() => {
          const s = document.createElement("script");
          s.textContent = "window.__inline = true";
          document.body.append(s);
        });
        await sleep(200);
        const violations = await page.evaluate(() => window.__violations);
        assert.equal(await page.evaluate(() => window.__inline ?? false), false, "the policy is enforced");
        assert.deepEqual(
          violations.filter((v) => !v.startsWith("script-src-elem inline") && !v.startsWith("script-src inline")),
          [],
          "no violation but the control's",
        );
        assert.ok(violations.length >= 1, "the control's inline script was reported");
        assert.deepEqual(problems(messages).filter((m) => !/Content.Security.Policy|Content-Security-Policy/i.test(m.text)), []);
        await page.close();
      } finally {
        await host.close();
      }
    });

    test("with reduced motion, an autoplay element waits for the reader", async () => {
      // Chromium emulates the setting; Firefox gets it as a preference at launch.
      const reduced = kind.name === "firefox" ? await launchFirefox({ "ui.prefersReducedMotion": 1 }) : browser;
      try {
        const page = await kind.newPage(reduced);
        if (page.emulateMedia) await page.emulateMedia({ reducedMotion: "reduce" });
        await page.goto(`${book.url}embeds.html`, { waitUntil: "load" });
        await until("the first element to mount", async () => {
          const v = await page.evaluate(readElement, "first");
          return v.state === "ready" && v;
        });
        await sleep(800);
        const v = await page.evaluate(readElement, "first");
        assert.deepEqual([v.playing, v.at_s], [false, 0], "no autoplay for reduced motion");
        await page.close();
      } finally {
        if (reduced !== browser) await reduced.close();
      }
    });
  });
}
