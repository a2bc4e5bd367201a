#!/usr/bin/env bash
# Builds the page and serves it on http://127.0.0.1:${PORT:-8080}/ , rebuilding on change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh" build
cd "$ROOT"
PORT="${PORT:-8080}"
echo "Await Lab: building, then serving at http://127.0.0.1:$PORT/ (Ctrl+C stops)"
exec trunk serve --release --offline --address 127.0.0.1 --port "$PORT"
