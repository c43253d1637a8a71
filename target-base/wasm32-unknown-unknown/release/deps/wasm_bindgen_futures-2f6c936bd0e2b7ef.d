/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/wasm_bindgen_futures-2f6c936bd0e2b7ef.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/wasm-bindgen-futures-0.4.80/src/lib.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libwasm_bindgen_futures-2f6c936bd0e2b7ef.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/wasm-bindgen-futures-0.4.80/src/lib.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libwasm_bindgen_futures-2f6c936bd0e2b7ef.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/wasm-bindgen-futures-0.4.80/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/wasm-bindgen-futures-0.4.80/src/lib.rs:
