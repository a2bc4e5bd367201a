#!/bin/sh
# Trunk post-build hook (Trunk.toml), release builds only: moves Trunk's inline start script
# into a file (scripts/externalize-start.mjs, so a strict CSP needs no inline script), gives
# the wasm's imports and exports short names in the wasm and the glue at once
# (scripts/shorten-wasm-names.mjs, 4.5 KB less gzip), then minifies the JS: that file, the
# glue and boot.js. Trunk's own minifier leaves the glue as it is; terser (pinned in
# tests/e2e) cuts it from about 38.7 KB to 17 KB, 1.8 KB less gzip. Debug builds stay
# readable. Last, the native build-time render writes the first view into index.html and a
# page per chapter beside it (src/bin/prerender.rs). In every profile, first, the
# <await-lab> element's loader gets the module's hashed file names (scripts/element-loader.mjs).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
# Every profile: the <await-lab> element's loader learns the module's hashed file names.
node "$root/scripts/element-loader.mjs"
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
terser="$root/tests/e2e/node_modules/.bin/terser"
if [ ! -x "$terser" ]; then
  echo "post-build: $terser is missing; run scripts/setup.sh" >&2
  exit 1
fi
# Trunk's inline start script becomes a file first, so it is minified with the rest.
node "$root/scripts/externalize-start.mjs"
# The wasm's imports and exports get short names, in the wasm and in the glue at once.
node "$root/scripts/shorten-wasm-names.mjs"
# The first view and a page per chapter, rendered natively by the app's own components
# (src/bin/prerender.rs), so words and picture show before the wasm has arrived.
(cd "$root" && cargo run --quiet --bin prerender -- "$TRUNK_STAGING_DIR")
for f in "$TRUNK_STAGING_DIR"/*.js; do
  name="$(basename "$f")"
  if [ "$name" = "boot.js" ] || [ "$name" = "await-lab.js" ]; then
    # Classic scripts: their top-level names stay as they are.
    "$terser" "$f" --compress --mangle --output "$f"
  else
    "$terser" "$f" --module --compress --mangle --output "$f"
  fi
done
