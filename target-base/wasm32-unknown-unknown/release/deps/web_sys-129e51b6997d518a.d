/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/web_sys-129e51b6997d518a.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/mod.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStream.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStreamDefaultReader.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libweb_sys-129e51b6997d518a.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/mod.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStream.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStreamDefaultReader.rs

/work/wt/split/target-base/wasm32-unknown-unknown/release/deps/libweb_sys-129e51b6997d518a.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/mod.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStream.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStreamDefaultReader.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/mod.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStream.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/web-sys-0.3.107/src/features/gen_ReadableStreamDefaultReader.rs:
