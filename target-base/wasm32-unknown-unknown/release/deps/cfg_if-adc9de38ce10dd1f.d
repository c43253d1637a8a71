/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/cfg_if-adc9de38ce10dd1f.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libcfg_if-adc9de38ce10dd1f.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libcfg_if-adc9de38ce10dd1f.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/cfg-if-1.0.5/src/lib.rs:
