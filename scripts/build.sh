#!/usr/bin/env bash
# Builds the release page into dist/, ready to copy to any static host at any path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh" build
cd "$ROOT"
trunk build --release --offline
echo "Await Lab: dist/ is ready to publish"
