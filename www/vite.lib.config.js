// The library build: dist/lib/customer-lens.js (one ES module: the <customer-lens> element, its
// views and charts, and its own worker) + customer-lens.wasm + customer-lens.d.ts.
// `npm run build` runs it after the site's build (vite.config.js).
import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const pkg = (file) => fileURLToPath(new URL(`../pkg/${file}`, import.meta.url));
const WASM_DEFAULT_URL = "new URL('customer_lens_bg.wasm', import.meta.url)";

/**
 * The wasm-bindgen glue names its .wasm with a literal `new URL(…, import.meta.url)`, which a
 * library build would inline as base64 (a third larger, and compiled from a string). The worker
 * passes the URL itself, so the glue's default is replaced by one Vite leaves alone, and the
 * .wasm is emitted as a file beside the module, with the hand-written types.
 */
const wasmBesideModule = {
  name: 'customer-lens-wasm-beside-module',
  enforce: 'pre',
  transform(code, id) {
    if (!id.endsWith('/pkg/customer_lens.js')) return null;
    if (!code.includes(WASM_DEFAULT_URL)) throw new Error(`pkg/customer_lens.js no longer contains ${WASM_DEFAULT_URL}; update vite.lib.config.js`);
    return `const CUSTOMER_LENS_WASM = 'customer-lens.wasm';\n${code.replace(WASM_DEFAULT_URL, 'new URL(CUSTOMER_LENS_WASM, import.meta.url)')}`;
  },
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'customer-lens.wasm', source: readFileSync(pkg('customer_lens_bg.wasm')) });
    this.emitFile({ type: 'asset', fileName: 'customer-lens.d.ts', source: readFileSync(new URL('./src/customer-lens.d.ts', import.meta.url)) });
  },
};

/** The example admin page (examples/) goes beside the library, as a host would serve it. */
const copyExamples = {
  name: 'customer-lens-copy-examples',
  closeBundle() {
    cpSync(fileURLToPath(new URL('./examples/', import.meta.url)), fileURLToPath(new URL('./dist/examples/', import.meta.url)), { recursive: true });
  },
};

export default defineConfig({
  plugins: [wasmBesideModule, copyExamples],
  publicDir: false,
  resolve: {
    alias: { 'customer-lens-wasm': pkg('customer_lens.js') },
  },
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    reportCompressedSize: true,
    lib: {
      entry: fileURLToPath(new URL('./src/lib.js', import.meta.url)),
      formats: ['es'],
      fileName: () => 'customer-lens.js',
    },
    rollupOptions: {
      output: { codeSplitting: false, minify: true },
    },
  },
});
