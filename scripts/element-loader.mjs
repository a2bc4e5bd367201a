// Trunk post-build step, every profile: writes the content-hashed names of the module's
// files (the JS glue, the wasm and the stylesheet) into the <await-lab> element's loader,
// dist's await-lab.js (copied from static/await-lab.js), which keeps a stable name for the
// documentation pages that load it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
const names = {
  __AWAIT_LAB_GLUE__: one(/^await-lab-[0-9a-f]+\.js$/, "JS glue (await-lab-<hash>.js)"),
  __AWAIT_LAB_WASM__: one(/^await-lab-[0-9a-f]+_bg\.wasm$/, "wasm (await-lab-<hash>_bg.wasm)"),
  __AWAIT_LAB_CSS__: one(/^app-[0-9a-f]+\.css$/, "stylesheet (app-<hash>.css)"),
};
const loader = join(dir, "await-lab.js");
let text = readFileSync(loader, "utf8");
for (const [placeholder, name] of Object.entries(names)) {
  if (!text.includes(`"${placeholder}"`)) throw new Error(`element-loader: ${loader} has no ${placeholder}`);
  text = text.replace(`"${placeholder}"`, JSON.stringify(name));
}
writeFileSync(loader, text);
