// Trunk post-build step for release builds (run by scripts/post-build.sh): gives the wasm
// module's imports and exports short names. wasm-bindgen names each import after the JS it
// calls plus a 16-digit hash (`__wbg_setAttribute_f2d27251d333a631`), and each name is
// written twice: in the wasm and in the JS glue (an imports-object key, or a property read
// like `wasm.__wbindgen_malloc` for an export). Hashes do not compress; short names take
// about 4.5 KB off the gzip total (measured 2026-11-26).
//
// Both files are rewritten together. An import is renamed only where the glue holds its
// name exactly once, as an object key (`name:`); an export only where every mention of its
// name in the glue is a property read (`.name`) or a JS function of that name, and never
// `memory`. The wasm is rewritten after Trunk named it; Trunk writes no integrity hash
// (index.html: data-integrity="none"), so no hash goes stale.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("shorten-wasm-names: TRUNK_STAGING_DIR is not set (run it from Trunk)");
const wasmName = readdirSync(dir).find((f) => f.endsWith("_bg.wasm"));
if (!wasmName) throw new Error("shorten-wasm-names: no *_bg.wasm in the staging directory");
const wasmPath = join(dir, wasmName);
const gluePath = join(dir, wasmName.replace(/_bg\.wasm$/, ".js"));
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

// The end of one import's description (function, table, memory, global or tag).
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    let flags;
    [flags, p] = readLeb(bytes, p);
    [, p] = readLeb(bytes, p);
    if (flags & 1) [, p] = readLeb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(bytes, at)[1];
    case 1: return limits(at + 1);
    case 2: return limits(at);
    case 3: return at + 2;
    case 4: return readLeb(bytes, at + 1)[1];
    default: throw new Error(`shorten-wasm-names: unknown import kind ${kind}`);
  }
}

// a, b, …, Z, aa, ab, …: plain identifiers, so they stay valid unquoted object keys.
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
function shortName(n) {
  let name = "";
  for (n += 1; n > 0; n = Math.floor((n - 1) / LETTERS.length)) {
    name = LETTERS[(n - 1) % LETTERS.length] + name;
  }
  return name;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Every name the module imports now, so that no short name can equal one left as it is.
const taken = new Set(glue.match(/[\w$]+(?=\s*:)/g) ?? []);
let renamed = 0;
let nextShort = 0;
function freshName() {
  let name;
  do name = shortName(nextShort++);
  while (taken.has(name));
  return name;
}

// The export section with short names for the exports the glue only reads as properties.
function exportSection(bodyAt) {
  let [count, p] = readLeb(wasm, bodyAt);
  const entries = [];
  for (let i = 0; i < count; i++) {
    let length;
    [length, p] = readLeb(wasm, p);
    const name = wasm.subarray(p, p + length).toString("utf8");
    p += length;
    const rest = p;
    p = readLeb(wasm, p + 1)[1];
    entries.push({ name, description: wasm.subarray(rest, p) });
  }
  // Each mention of `name` in the glue: a property read (`wasm.name`, renamed with the
  // export), a JS function of the same name that wraps it (`function name(`, `name(`,
  // `, name)`: left as it is, terser shortens it), or anything else (the export is kept).
  const mentions = (name) =>
    [...glue.matchAll(new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`, "g"))].map((m) => {
      if (glue[m.index - 1] === ".") return "read";
      const after = glue.slice(m.index + name.length).trimStart()[0];
      return after === "(" || after === ")" ? "function" : "other";
    });
  const renames = entries.filter(({ name }) => {
    const seen = mentions(name);
    return name !== "memory" && seen.includes("read") && !seen.includes("other");
  });
  const kept = new Set(entries.filter((e) => !renames.includes(e)).map((e) => e.name));
  let next = 0;
  const body = [leb(count)];
  for (const entry of entries) {
    let newName = entry.name;
    if (renames.includes(entry)) {
      do newName = shortName(next++);
      while (kept.has(newName));
      glue = glue.replace(new RegExp(`(?<=\\.)${escape(entry.name)}(?![\\w$])`, "g"), newName);
      renamedExports++;
    }
    const nameBytes = Buffer.from(newName, "utf8");
    body.push(leb(nameBytes.length), nameBytes, entry.description);
  }
  const bodyBytes = Buffer.concat(body);
  return Buffer.concat([Buffer.from([7]), leb(bodyBytes.length), bodyBytes]);
}

let renamedExports = 0;
const sections = [wasm.subarray(0, 8)];
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, bodyAt] = readLeb(wasm, at + 1);
  const end = bodyAt + size;
  if (id === 7) {
    sections.push(exportSection(bodyAt));
    at = end;
    continue;
  }
  if (id !== 2) {
    sections.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  let [count, p] = readLeb(wasm, bodyAt);
  const body = [leb(count)];
  for (let i = 0; i < count; i++) {
    const moduleStart = p;
    let length;
    [length, p] = readLeb(wasm, p);
    p += length;
    const module = wasm.subarray(moduleStart, p);
    [length, p] = readLeb(wasm, p);
    const name = wasm.subarray(p, p + length).toString("utf8");
    p += length;
    const descriptionStart = p;
    p = skipDescription(wasm, p);
    let newName = name;
    const uses = glue.match(new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`, "g")) ?? [];
    const key = new RegExp(`(?<![\\w$])${escape(name)}(\\s*:)`);
    if (uses.length === 1 && key.test(glue)) {
      newName = freshName();
      renamed++;
      glue = glue.replace(key, `${newName}$1`);
    }
    const nameBytes = Buffer.from(newName, "utf8");
    body.push(module, leb(nameBytes.length), nameBytes, wasm.subarray(descriptionStart, p));
  }
  const bodyBytes = Buffer.concat(body);
  sections.push(Buffer.from([2]), leb(bodyBytes.length), bodyBytes);
  at = end;
}
writeFileSync(wasmPath, Buffer.concat(sections));
writeFileSync(gluePath, glue);
console.log(`post-build: ${renamed} wasm imports and ${renamedExports} exports have short names`);
