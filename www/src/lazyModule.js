// WebAssembly modules of their own (the Excel reader, the SQL rendering): each imported and
// initialised the first time it is needed, once, so the engine's .wasm does not carry them.

/**
 * `load(wasmUrl)` for the wasm-bindgen package `importGlue` imports: the package, initialised
 * once. `wasmUrl`: where its .wasm is, when a bundler renamed it (the widget's worker is told);
 * by default beside its glue. An import that fails is tried again on the next call.
 */
export function lazyModule(importGlue) {
  let loaded = null;
  return (wasmUrl) => {
    loaded ??= importGlue().then(
      async (module) => {
        await module.default(wasmUrl ? { module_or_path: wasmUrl } : undefined);
        return module;
      },
      (error) => {
        loaded = null;
        throw error;
      },
    );
    return loaded;
  };
}
