/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/pin_project_lite-7cedd9b381b7c0ed.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/pin-project-lite-0.2.18/src/lib.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libpin_project_lite-7cedd9b381b7c0ed.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/pin-project-lite-0.2.18/src/lib.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libpin_project_lite-7cedd9b381b7c0ed.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/pin-project-lite-0.2.18/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/pin-project-lite-0.2.18/src/lib.rs:
