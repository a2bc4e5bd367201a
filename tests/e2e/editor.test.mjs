// The scenario editor in the built page, in Chromium and Firefox: typed from the keyboard,
// checked by the engine beside the field, applied to the run; laid out at 360 px without
// sideways scrolling; and axe-core finds no serious violation with a message showing, in
// light and dark. EDITOR_DIST may point at another build (a quick dev build, say).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { serveDist, DIST } from "./lib/server.mjs";
import { screenshotPath } from "./lib/browsers.mjs";
import { BROWSERS, appState, axeSerious, openTab, openWatched, problems } from "./lib/page.mjs";


let server;
before(async () => {
  server = await serveDist({ dir: process.env.EDITOR_DIST ?? DIST });
});
after(async () => {
  await server?.close();
});

/** Replaces the text of the input `selector` by typing `text`, as a person would. */
async function retype(page, selector, text) {
  await page.focus(selector);
  await page.evaluate((s) => document.querySelector(s).select(), selector);
  await page.keyboard.type(text);
}


for (const kind of BROWSERS) {
  test(`the editor checks as typed, applies, fits 360 px and passes axe in ${kind.name}`, async () => {
    const browser = await kind.launch();
    try {
      const { page, console: messages, errors } = await openWatched(kind, browser, server.url, {
        preset: 0,
        viewport: { width: 360, height: 740 },
      });
      assert.equal(await appState(page), "ready");
      // The editor is a tool of the workbench's Editor tab.
      await openTab(page, "editor");
      await page.evaluate(() => document.querySelector(".scenario-editor").scrollIntoView());

      // Nothing in the editor reaches past the phone's edge.
      const overflow = await page.evaluate(() => {
        const editor = document.querySelector(".scenario-editor");
        const wide = [...editor.querySelectorAll("*")]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .map((el) => el.id || el.className || el.tagName);
        return wide;
      });
      assert.deepEqual(overflow, [], "editor elements wider than the viewport");

      // A bad value: the engine's message beside the field, Apply disabled.
      await retype(page, "#ed-load-users", "0");
      await page.waitForFunction(
        () => document.querySelector("#ed-load-users-msg").textContent.includes("between 1 and"),
      );
      const state = await page.evaluate(() => ({
        invalid: document.querySelector("#ed-load-users").getAttribute("aria-invalid"),
        apply: document.querySelector("button.ed-apply").disabled,
        status: document.querySelector("#ed-status").textContent,
      }));
      assert.deepEqual(state, { invalid: "true", apply: true, status: "1 problem" });

      for (const theme of ["light", "dark"]) {
        await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
        assert.deepEqual(await axeSerious(page, ".scenario-editor"), [], `serious axe violations (${theme})`);
        if (kind.name === "chromium") {
          const editor = await page.$(".scenario-editor");
          await editor.screenshot({ path: screenshotPath(`editor-360-${theme}`) });
        }
      }

      // Fixed and applied with the keyboard (Enter submits the form): the run restarts.
      await retype(page, "#ed-load-users", "7");
      await page.waitForFunction(() => !document.querySelector("button.ed-apply").disabled);
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.querySelector("#ed-status").textContent === "No problems");
      const users = await page.evaluate(() => document.querySelector("#ed-load-users").value);
      assert.equal(users, "7");
      assert.deepEqual(errors, []);
      assert.deepEqual(problems(messages), []);
      await page.close();
    } finally {
      await browser.close();
    }
  });
}
