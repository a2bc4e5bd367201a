// A page whose wasm cannot be fetched must say so, not sit on "Loading…" forever.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, cp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, serveDist } from "./lib/server.mjs";
import { launchChromium, launchFirefox } from "./lib/browsers.mjs";

let dir;
let server;
before(async () => {
  // A copy of dist/ with the wasm module removed, as a broken deploy would leave it.
  dir = await mkdtemp(join(tmpdir(), "await-lab-broken-"));
  await cp(DIST, dir, { recursive: true });
  for (const f of await readdir(dir)) if (f.endsWith(".wasm")) await rm(join(dir, f));
  server = await serveDist({ dir });
});
after(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

for (const [name, launch] of [["chromium", launchChromium], ["firefox", launchFirefox]]) {
  test(`a missing wasm module shows a visible message in ${name}`, async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(server.url, { waitUntil: "load" });
      await page.waitForSelector("html[data-app-state='failed']", { timeout: 20000 });
      const visible = await page.$eval("#fatal", (e) => !e.hidden && e.offsetHeight > 0);
      assert.ok(visible, "the fatal message box is shown");
      const text = await page.$eval("#fatal", (e) => e.textContent);
      assert.match(text, /could not run/i);
      assert.match(text, /failed to load/i);
    } finally {
      await browser.close();
    }
  });
}
