#!/usr/bin/env bash
# Installs what Await Lab needs, at pinned versions, and skips whatever is already there.
#   scripts/setup.sh build   the toolchain to build and serve the page
#   scripts/setup.sh test    that, plus mdBook, the browsers, drivers and npm test dependencies
# Safe to run again: each step checks the installed version first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/versions.sh"
MODE="${1:-test}"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

wasm_bindgen_version() {
  # The version of the `wasm-bindgen` package in Cargo.lock.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

command -v cargo >/dev/null || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again."
command -v node >/dev/null || die "Node.js 20 or newer is missing: install it (Debian: apt-get install nodejs npm), then run this again."
command -v npm >/dev/null || die "npm is missing: install it (Debian: apt-get install npm), then run this again."

# 1. The wasm target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk, the bundler.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes about ten minutes on two cores)"
  cargo install --locked --force trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen CLI (and its test runner) at exactly Cargo.lock's version.
WB_VERSION="$(wasm_bindgen_version)"
[ -n "$WB_VERSION" ] || { (cd "$ROOT" && cargo generate-lockfile >/dev/null); WB_VERSION="$(wasm_bindgen_version)"; }
[ -n "$WB_VERSION" ] || die "could not read wasm-bindgen's version from Cargo.lock"
grep -q "wasm_bindgen = \"$WB_VERSION\"" "$ROOT/Trunk.toml" \
  || die "Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen $WB_VERSION"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB_VERSION" ] \
  || [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != "wasm-bindgen-test-runner $WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION (takes a few minutes)"
  # Not --locked: one of the CLI's locked dependency versions is not served here.
  cargo install --force wasm-bindgen-cli --version "$WB_VERSION"
fi

# 4. npm packages from the committed lockfile: wasm-opt (binaryen) and terser (the JS
#    minifier of the Trunk post-build hook) for the build, and the browser drivers and
#    audit tools for the tests. A stamp of the lockfile's hash skips
#    reinstalling when nothing changed.
E2E="$ROOT/tests/e2e"
STAMP="$E2E/node_modules/.lock-sha256"
WANT="$(sha256sum "$E2E/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ] || [ ! -x "$E2E/node_modules/.bin/wasm-opt" ] || [ ! -x "$E2E/node_modules/.bin/terser" ]; then
  say "installing npm packages from tests/e2e/package-lock.json"
  (cd "$E2E" && npm ci --no-audit --no-fund)
  echo "$WANT" > "$STAMP"
fi
grep -q "wasm_opt = \"version_$(wasm-opt --version | awk '{print $3}')\"" "$ROOT/Trunk.toml" \
  || die "Trunk.toml [tools] wasm_opt does not match the wasm-opt that npm installed"

[ "$MODE" = "build" ] && { say "build tools ready"; exit 0; }
[ "$MODE" = "test" ] || die "unknown mode '$MODE' (use build or test)"

# 5. mdBook, to build the documentation site that the custom element's test embeds it in.
#    Only `mdbook build` is used: no serve, watch or search, so no default features.
if [ "$(mdbook --version 2>/dev/null)" != "mdbook v$MDBOOK_VERSION" ]; then
  say "installing mdbook $MDBOOK_VERSION (takes about a minute on two cores)"
  cargo install --locked --force mdbook --version "$MDBOOK_VERSION" --no-default-features
fi

# 6. Browsers and the Chromium driver, from the system's packages.
missing=""
[ -x "$CHROME_PATH" ] || missing="$missing chromium"
[ -x "$CHROMEDRIVER" ] || missing="$missing chromium-driver"
[ -x "$FIREFOX_PATH" ] || missing="$missing firefox-esr"
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    say "installing$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $BROWSER_PACKAGES >/dev/null
  else
    die "missing:$missing. On Debian or Ubuntu run (as root): apt-get install $BROWSER_PACKAGES.
Elsewhere install Chromium, a matching ChromeDriver and Firefox, then point the tests at them:
  CHROME_PATH=/path/to/chromium CHROMEDRIVER=/path/to/chromedriver FIREFOX_PATH=/path/to/firefox"
  fi
fi
say "build and test tools ready"
