#!/usr/bin/env bash
# Runs every test Await Lab has, in the order that fails fastest:
#   formatting and lints, native tests, the engine benchmark's headline, the engine soak,
#   wasm component tests in headless Chromium, the release build, then end-to-end tests in
#   Chromium and Firefox, Lighthouse and axe-core audits, and the bundle size report.
# Installs what it needs first (scripts/setup.sh test). CI=true changes nothing that matters
# here: every browser already runs headless.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh" test
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (cargo clippy -D warnings, native and wasm)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p await-lab --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "native tests (cargo test --workspace)"
cargo test --workspace
# The pool model against Microsoft's starvation tutorial, written by a native test.
if [ -f target/calibration.txt ]; then cat target/calibration.txt; fi

if [ -f crates/sim/benches/events.rs ]; then
  step "engine benchmark (cargo bench -p sim --bench events)"
  # The report goes to ./target even when CARGO_TARGET_DIR points elsewhere.
  mkdir -p target
  cargo bench -p sim --bench events 2>&1 | tee target/bench-events.txt | grep -E '^HEADLINE' \
    || { echo "the benchmark printed no HEADLINE line; its output is in target/bench-events.txt"; exit 1; }
fi

step "engine soak: 10,000 random scenarios, one simulated hour of the heavy presets"
# Optimised (the bench profile, opt-level 3, which the benchmark above has built; the
# release profile is tuned for the bundle's size and runs the engine 2.5x slower). The
# full output goes to target/soak.txt; the SOAK and MEMORY lines are printed. A failure
# names its seed and the command that reruns it alone.
mkdir -p target
cargo test -p sim --profile bench --test soak -- --ignored --nocapture --test-threads=1 \
  > target/soak.txt 2>&1 || { tail -n 40 target/soak.txt; exit 1; }
# libtest may print a test's name on the line its output starts on.
grep -oE '(SOAK|MEMORY) .*' target/soak.txt \
  || { echo "the soak printed no SOAK or MEMORY line; its output is in target/soak.txt"; exit 1; }

step "wasm component tests in headless Chromium (wasm-bindgen-test)"
cargo test -p await-lab --target wasm32-unknown-unknown

step "release build (trunk build --release --offline)"
trunk build --release --offline

step "end-to-end tests and audits, then the size report (node --test)"
cd tests/e2e
# Node's runner orders files by name, so the size report gets a run of its own, last, so
# its table ends the output just above that runner's summary.
mapfile -t suites < <(ls ./*.test.mjs | grep -v '/size.test.mjs$')
node --test --test-concurrency=1 --test-reporter=spec "${suites[@]}"
node --test --test-reporter=spec ./size.test.mjs
