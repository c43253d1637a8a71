#!/usr/bin/env bash
# Builds the WASM package into pkg/ (wasm-pack, then wasm-opt from npm `binaryen`) and the site
# into www/dist/. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm-pack --quiet build --target web --release --out-dir pkg --no-pack
wasm=pkg/customer_lens_bg.wasm
# --low-memory-unused: Rust puts the stack first, so the lowest 1 KB is only ever the bottom of a
# 1 MB stack; promising it is unused lets wasm-opt fold address arithmetic; --converge repeats
# the passes while they still shrink the .wasm (the design allows 350 KB gzipped). The producers
# and target-features sections only describe the build.
www/node_modules/.bin/wasm-opt -O3 --low-memory-unused --converge --strip-producers \
  --strip-target-features "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
printf 'pkg/%s: %s bytes, %s gzipped\n' "$(basename "$wasm")" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"

(cd www && npm run --silent build)
