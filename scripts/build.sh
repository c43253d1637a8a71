#!/usr/bin/env bash
# Builds the WASM package into pkg/ (wasm-pack, then wasm-opt from npm `binaryen`) and the site
# into www/dist/. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm-pack --quiet build --target web --release --out-dir pkg --no-pack
wasm=pkg/customer_lens_bg.wasm
# --low-memory-unused: Rust puts the stack first, so the lowest 1 KB is only ever the bottom of a
# 1 MB stack; promising it is unused lets wasm-opt fold address arithmetic. With --converge it
# keeps the gzipped .wasm within its 250 KB budget. The producers and target-features sections
# only describe the build.
www/node_modules/.bin/wasm-opt -O3 --low-memory-unused --converge --strip-producers \
  --strip-target-features "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
printf 'pkg/%s: %s bytes, %s gzipped\n' "$(basename "$wasm")" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"

(cd www && npm run --silent build)
