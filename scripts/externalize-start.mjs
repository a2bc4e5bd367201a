// Trunk post-build step for release builds (run by scripts/post-build.sh): moves the module
// script Trunk writes inline into index.html into a file of its own, named by its content's
// hash, so the page runs under a Content-Security-Policy whose script-src is 'self' (plus
// 'wasm-unsafe-eval') with no per-build hash to copy into the server's configuration.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("post-build: TRUNK_STAGING_DIR is not set (run it from Trunk)");
const htmlPath = join(dir, "index.html");
const html = readFileSync(htmlPath, "utf8");
// Trunk's bootstrap: the one inline <script type="module"> (quoted or not, once minified).
const inline = /<script type=("module"|module)>([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (!found) {
  // Nothing inline: already moved, or Trunk changed its output; say which, don't guess.
  if (/<script type=("module"|module) src=/.test(html)) process.exit(0);
  throw new Error("post-build: no inline module script found in index.html");
}
// The first view is in the HTML (src/bin/prerender.rs): until it is painted the page needs
// only the HTML and the stylesheet. The wasm (over 300 KB) would compete with the
// stylesheet for a slow link, so it is fetched once the first view has been painted (a
// frame later), and not preloaded from the head.
// The wasm starts once the browser has reported the first view's largest paint: then that
// paint, not the app's identical redraw, is the page's largest contentful paint. (A node
// removed before its paint is reported is no candidate, so starting earlier, as a fixed
// 100 ms or a frame or two did, let the redraw become the largest paint on a busy
// machine, seconds late in Lighthouse's reckoning: measured, one run in three or four.)
// Browsers without the entry type wait two frames; a hidden page, which gets no frames
// and reports no paint, starts after 100 ms; 2 s is the limit in any case.
const wait =
  "await new Promise((painted) => { const go = () => setTimeout(painted, 0); if (PerformanceObserver.supportedEntryTypes?.includes(\"largest-contentful-paint\")) new PerformanceObserver((l, o) => { o.disconnect(); go(); }).observe({ type: \"largest-contentful-paint\", buffered: true }); else requestAnimationFrame(() => requestAnimationFrame(go)); if (document.visibilityState === \"hidden\") setTimeout(painted, 100); setTimeout(painted, 2000); });\n";
const start = /(const \w+ = await init\()/;
if (!start.test(found[2])) throw new Error("post-build: Trunk's start script has no 'const … = await init(' to defer");
const code = found[2].trim().replace(start, wait + "$1") + "\n";
const name = `start-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.js`;
writeFileSync(join(dir, name), code);
const wasmPreload = /<link\b[^>]*rel=("preload"|preload)[^>]*>/g;
writeFileSync(
  htmlPath,
  html
    .replace(inline, `<script type="module" src="./${name}"></script>`)
    .replace(wasmPreload, (tag) => (tag.includes(".wasm") ? "" : tag)),
);
console.log(`post-build: the start script is now ${name}`);
