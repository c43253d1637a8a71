#!/usr/bin/env bash
# Builds the WASM package into pkg/ (wasm-pack, then wasm-opt from npm `binaryen`) and the site
# into www/dist/. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm-pack --quiet build --target web --release --out-dir pkg --no-pack
wasm=pkg/customer_lens_bg.wasm
www/node_modules/.bin/wasm-opt -O3 "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
printf 'pkg/%s: %s bytes, %s gzipped\n' "$(basename "$wasm")" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"

(cd www && npm run --silent build)
