/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/csv_core-d757f13a947004af.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/reader.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/writer.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libcsv_core-d757f13a947004af.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/reader.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/writer.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libcsv_core-d757f13a947004af.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/reader.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/writer.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/reader.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/csv-core-0.1.13/src/writer.rs:
