#!/usr/bin/env bash
# Installs what building and testing customer-lens needs, skipping whatever is already there.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's Chromium for the tests)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first (https://rustup.rs)"; exit 1; }
command -v npm >/dev/null || { echo "npm not found: install Node.js 20+ first"; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# cargo install, with --locked first; some locked versions are missing from registry mirrors.
cargo_install() {
  cargo install "$@" --locked || cargo install "$@"
}

if ! command -v wasm-pack >/dev/null; then
  step "wasm-pack (compiles once, a few minutes)"
  cargo_install wasm-pack
fi

# wasm-pack uses the wasm-bindgen on PATH when its version matches the crate's exact pin.
bindgen_version=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  step "wasm-bindgen-cli $bindgen_version (compiles once, a few minutes)"
  cargo_install wasm-bindgen-cli --version "$bindgen_version" --force
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  step "Chromium for the browser tests (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get install -y chromium || { $sudo_cmd apt-get update && $sudo_cmd apt-get install -y chromium; }
fi

# npm packages (Vite, Plot, binaryen's wasm-opt, playwright-core, TypeScript): reinstalled when the
# lock changes. This also fills the npm cache the package test installs its example host from.
if [ ! -f www/node_modules/.package-lock.json ] || [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then
  step "npm packages"
  (cd www && npm ci --no-audit --no-fund)
fi
