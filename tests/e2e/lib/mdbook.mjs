// Builds the mdBook site in tests/e2e/fixtures/book, a documentation site that embeds
// Await Lab, with the Await Lab files' base URL filled in, for the element's tests to serve.
import { execFile } from "node:child_process";
import { cp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./server.mjs";

export const BOOK_FIXTURE = join(ROOT, "tests/e2e/fixtures/book");
/** What the fixture's chapters write where the Await Lab files' base URL goes. */
export const PLACEHOLDER = "{{LAB}}";
const WORK = join(ROOT, "target/e2e-book");

/** The mdBook version scripts/versions.sh pins, which scripts/setup.sh installs. */
export const MDBOOK_VERSION = readFileSync(join(ROOT, "scripts/versions.sh"), "utf8").match(
  /^MDBOOK_VERSION="([^"]+)"$/m,
)[1];

const run = promisify(execFile);

async function mdbook(args) {
  try {
    return await run("mdbook", args, { maxBuffer: 16 << 20 });
  } catch (e) {
    if (e.code === "ENOENT") {
      throw new Error(`mdbook is not on PATH: run scripts/setup.sh, which installs mdBook ${MDBOOK_VERSION}`);
    }
    throw new Error(`mdbook ${args.join(" ")} failed:\n${e.stderr || e.message}`);
  }
}

async function markdownFiles(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await markdownFiles(path)));
    else if (entry.name.endsWith(".md")) found.push(path);
  }
  return found;
}

/**
 * Copies the fixture to target/e2e-book/src-copy, writes `labBaseUrl` (the URL of the
 * directory that holds await-lab.js, ending with `/`) for every {{LAB}} in its Markdown,
 * builds it with the mdbook on PATH into target/e2e-book/out and resolves to that directory.
 * Throws if mdbook is missing or is not the pinned version.
 */
export async function buildBook(labBaseUrl) {
  if (!labBaseUrl.endsWith("/") || /["'<>&\s]/.test(labBaseUrl)) {
    throw new Error(`the Await Lab base URL must end with / and need no HTML escaping: ${labBaseUrl}`);
  }
  const { stdout } = await mdbook(["--version"]);
  if (stdout.trim() !== `mdbook v${MDBOOK_VERSION}`) {
    throw new Error(`found ${stdout.trim()}, the tests need mdbook v${MDBOOK_VERSION}: run scripts/setup.sh`);
  }
  const copy = join(WORK, "src-copy");
  const out = join(WORK, "out");
  await rm(WORK, { recursive: true, force: true });
  await cp(BOOK_FIXTURE, copy, { recursive: true });
  for (const file of await markdownFiles(join(copy, "src"))) {
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replaceAll(PLACEHOLDER, labBaseUrl));
  }
  await mdbook(["build", copy, "-d", out]);
  return out;
}
