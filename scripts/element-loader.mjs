// Trunk post-build step, every profile: writes the content-hashed names of the module's
// files (the JS glue, the wasm and the element's stylesheet) into the <await-lab>
// element's loader, dist's await-lab.js (copied from static/await-lab.js), which keeps a
// stable name for the documentation pages that load it.
//
// The element's stylesheet is the page's, rewritten for a shadow root in someone else's
// page (elementCss below).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** One CSS pixel per rem of the page's own sheet: the browsers' default root font size. */
const REM_PX = 16;

/**
 * The page's stylesheet as the element needs it.
 * - `rem` is the host document's root font size, which a docs theme may change (mdBook sets
 *   62.5 %, so 1rem is 10 px and every size in the element would shrink to 62.5 %). A
 *   shadow root cannot set its own, so each length in rem becomes pixels at 16 px a rem,
 *   the size the page is drawn at; the element's text is 16 px like the page's.
 * - The narrow-screen rules (`@media (max-width: …)`, `(width<=…)` once minified) become container queries on the
 *   element's own box (`.al-root`), so a view in a narrow column of a wide window gets the
 *   narrow layout, as it does in an iframe.
 */
export function elementCss(css) {
  const px = (n) => `${Number((Number(n) * REM_PX).toFixed(3))}px`;
  return css
    // Trunk's minifier writes `max-width: 40rem` as `width<=40rem`; both mean the same.
    .replace(/@media\s*\(\s*(?:max-width\s*:|width\s*<=)\s*([0-9.]+)rem\s*\)/g, (_, n) => `@container al-root (max-width: ${px(n)})`)
    .replace(/(?<![\w.-])(-?\d*\.?\d+)rem\b/g, (_, n) => px(n));
}

/** Writes the element's stylesheet and the hashed names into the loader, in Trunk's staging dir. */
function main() {
  const dir = process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error("element-loader: TRUNK_STAGING_DIR is not set (run by Trunk's post_build hook)");
  const files = readdirSync(dir);
  function one(pattern, what) {
    const found = files.filter((f) => pattern.test(f));
    if (found.length !== 1) {
      throw new Error(`element-loader: expected one ${what} in ${dir}, found ${found.length}: ${found.join(", ")}`);
    }
    return found[0];
  }
  const pageCss = one(/^app-[0-9a-f]+\.css$/, "stylesheet (app-<hash>.css)");
  const css = elementCss(readFileSync(join(dir, pageCss), "utf8"));
  // Content-hashed like Trunk's own files, so hosts can cache it for good.
  const cssName = `await-lab-element-${createHash("sha256").update(css).digest("hex").slice(0, 16)}.css`;
  writeFileSync(join(dir, cssName), css);
  const names = {
    __AWAIT_LAB_GLUE__: one(/^await-lab-[0-9a-f]+\.js$/, "JS glue (await-lab-<hash>.js)"),
    __AWAIT_LAB_WASM__: one(/^await-lab-[0-9a-f]+_bg\.wasm$/, "wasm (await-lab-<hash>_bg.wasm)"),
    __AWAIT_LAB_CSS__: cssName,
  };
  const loader = join(dir, "await-lab.js");
  let text = readFileSync(loader, "utf8");
  for (const [placeholder, name] of Object.entries(names)) {
    if (!text.includes(`"${placeholder}"`)) throw new Error(`element-loader: ${loader} has no ${placeholder}`);
    text = text.replace(`"${placeholder}"`, JSON.stringify(name));
  }
  writeFileSync(loader, text);
}

// Run by Trunk's hook; imported by the tests for elementCss alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
