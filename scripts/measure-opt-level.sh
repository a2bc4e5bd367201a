#!/usr/bin/env bash
# Builds the page at opt-level "s" and "z" and prints the wasm sizes, raw and gzip, so the
# choice in Cargo.toml's release profile can be checked again as the app grows.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh" build >/dev/null
cd "$ROOT"
for level in s z; do
  out="$(mktemp -d)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$level trunk build --release --offline --dist "$out" >/dev/null 2>&1
  wasm="$(ls "$out"/*.wasm)"
  echo "opt-level=$level wasm raw=$(stat -c%s "$wasm") gzip=$(gzip -9c "$wasm" | wc -c)"
  rm -rf "$out"
done
