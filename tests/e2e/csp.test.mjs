// The page under a strict Content-Security-Policy, served the way README's hosting section
// says: no third-party origin, no inline script or style, and only 'wasm-unsafe-eval' for
// the WebAssembly module. The page must start, play (the heat strip included), open the
// lessons and answer a question without one violation, in Chromium and Firefox. A control
// shows the policy is really enforced: an inline script the test inserts is refused.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./lib/server.mjs";
import { BROWSERS, addInitScript, appState, chooseRun, problems, setSpeed, watch } from "./lib/page.mjs";

export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

let server;
before(async () => {
  server = await serveDist({ headers: { "Content-Security-Policy": CSP } });
});
after(async () => {
  await server?.close();
});

/** Records every CSP violation the page reports, from its first script on. */
async function watchViolations(page) {
  const record = () => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  };
  await addInitScript(page, record);
}

for (const kind of BROWSERS) {
  test(`the page runs under a strict CSP with no violation in ${kind.name}`, async () => {
    const browser = await kind.launch();
    try {
      const page = await kind.newPage(browser);
      await watchViolations(page);
      const { console } = watch(page);
      await page.goto(`${server.url}?chapter=await-is-syntax`, { waitUntil: "load" });
      assert.equal(await appState(page), "ready", "the app starts under the policy");

      // Chapter 4: step the followed request and let the simulation answer the question.
      for (let i = 0; i < 4; i++) await page.click(".step-request");
      await page.click(".question .choice:first-child input");
      await page.click(".question .reveal");
      await page.waitForFunction(() => /The simulation says/.test(document.querySelector(".verdict").textContent));

      // A thousand threads: the picture draws a waffle of them, and the text view a heat
      // strip sized by classes.
      const value = await page.$$eval("#preset option", (opts) => opts.find((o) => o.textContent.includes("1,000 threads"))?.value);
      await chooseRun(page, "#preset", value);
      await setSpeed(page, 6);
      await page.click("button.play");
      // Wait for a part with something in it: the waffle has one path per thread state,
      // and the first (idle) one is empty while no thread is idle.
      await page.waitForSelector('#stage svg[data-picture] .waffle-part:not([d=""])', { timeout: 20000 });
      await page.click("button.play");
      await page.click("#stage .stage-text-toggle");
      await page.waitForSelector(".stage-part.threads .heat-strip .heat", { timeout: 20000 });
      const widths = await page.$$eval(".heat-strip .heat", (s) => s.map((e) => getComputedStyle(e).flexGrow));
      assert.ok(widths.every((w) => Number(w) >= 1), `heat segments are sized by class: ${widths}`);

      const violations = await page.evaluate(() => window.__violations);
      assert.deepEqual(violations, [], "CSP violations");
      assert.deepEqual(problems(console), [], "console errors or warnings");

      // The control: an inline script inserted now is refused and reported.
      await page.evaluate(() => {
        const s = document.createElement("script");
        s.textContent = "window.__inlineRan = true";
        document.head.append(s);
      });
      await page.waitForFunction(() => window.__violations.length > 0);
      assert.equal(await page.evaluate(() => window.__inlineRan), undefined, "the inline script did not run");
      assert.match((await page.evaluate(() => window.__violations))[0], /^script-src/);
      await page.close();
    } finally {
      await browser.close();
    }
  });
}

test("once loaded, the page keeps working offline (Chromium)", async () => {
  const kind = BROWSERS.find((b) => b.name === "chromium");
  const browser = await kind.launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { requests } = watch(page);
    await page.goto(server.url, { waitUntil: "load" });
    assert.equal(await appState(page), "ready");
    // The favicon comes after the load event; count from when the network is quiet.
    await page.waitForLoadState("networkidle");
    const loaded = requests.length;
    await context.setOffline(true);
    // Chapters, runs, questions and the sweep all compute in the page.
    await page.click(".lesson-nav button:last-child");
    await page.click(".question .choice:first-child input");
    await page.click(".question .reveal");
    await page.waitForFunction(() => /The simulation says/.test(document.querySelector(".verdict").textContent));
    await page.click("button.play");
    await page.waitForFunction(() => Number(document.querySelector("#stage").dataset.timeUs) > 200_000);
    await page.click("button.play");
    // Chromium asks for the tab's icon again when the address changes (each chapter puts
    // itself in the address); that request is the browser's, not the page's.
    const after = requests.slice(loaded).filter((u) => !u.endsWith("/favicon.svg"));
    assert.deepEqual(after, [], "no request after the page loaded");
  } finally {
    await browser.close();
  }
});
