#!/usr/bin/env bash
# Sets everything up and runs every test: formatting, lints, Rust tests, a short fuzzing run,
# the JS API under Node, the page in headless Chromium, and the generated SQL on real engines.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser

step() { printf '\n== %s\n' "$*"; }
step "cargo fmt --check"
cargo fmt --check
step "clippy (native and wasm32), warnings denied"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --workspace --target wasm32-unknown-unknown -- -D warnings
step "cargo test (the engine and the Excel reader, xlsx/)"
cargo test --workspace
step "fuzzing, a short run (scripts/fuzz.sh --long for the long one)"
scripts/fuzz.sh
step "build the WASM package and the site"
scripts/build.sh
step "JS API tests (Node) and browser tests (headless Chromium)"
(cd www && npm test)
step "generated SQL on DuckDB and PostgreSQL (tests/sql)"
tests/sql/run.sh
