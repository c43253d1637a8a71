#!/usr/bin/env bash
# Builds the WASM packages — the engine into pkg/, the Excel reader (xlsx/, a module of its own,
# loaded only when a workbook arrives) into xlsx/pkg/, the SQL rendering (sql/, a module of its
# own, loaded when SQL is first asked for) into sql/pkg/ — with wasm-pack, then wasm-opt from npm
# `binaryen`, and the site into www/dist/. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

# --low-memory-unused: Rust puts the stack first, so the lowest 1 KB is only ever the bottom of a
# 1 MB stack; promising it is unused lets wasm-opt fold address arithmetic; --converge repeats
# the passes while they still shrink the .wasm (the design allows 350 KB gzipped). The producers
# and target-features sections only describe the build.
optimise() {
  www/node_modules/.bin/wasm-opt -O3 --low-memory-unused --converge --strip-producers \
    --strip-target-features "$1" -o "$1.opt"
  mv "$1.opt" "$1"
  printf '%s: %s bytes, %s gzipped\n' "$1" "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"
}

wasm-pack --quiet build --target web --release --out-dir pkg --no-pack
optimise pkg/customer_lens_bg.wasm
wasm-pack --quiet build xlsx --target web --release --out-dir pkg --no-pack
optimise xlsx/pkg/customer_lens_xlsx_bg.wasm
wasm-pack --quiet build sql --target web --release --out-dir pkg --no-pack
optimise sql/pkg/customer_lens_sql_bg.wasm

(cd www && npm run --silent build)
