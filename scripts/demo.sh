#!/usr/bin/env bash
# Sets everything up, builds, and serves the demo on localhost (prints the URL). PORT=8080 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec node www/scripts/serve.mjs "${PORT:-8080}"
