import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const wasmPackage = fileURLToPath(new URL('../pkg/customer_lens.js', import.meta.url));
const excelPackage = fileURLToPath(new URL('../xlsx/pkg/customer_lens_xlsx.js', import.meta.url));
const sqlPackage = fileURLToPath(new URL('../sql/pkg/customer_lens_sql.js', import.meta.url));

/**
 * `vite` (dev server) injects CSS as <style> elements, which the page's strict policy blocks;
 * only while developing, let inline styles through. Built pages keep the strict policy.
 */
const devInlineStyles = {
  name: 'customer-lens-dev-inline-styles',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  plugins: [devInlineStyles],
  // Relative asset URLs, so dist/ works from any static host path (e.g. a project page).
  base: './',
  resolve: {
    // The wasm-pack `--target web` output of the crate, generated into ../pkg by scripts/build.sh,
    // and of the Excel reader (xlsx/), into ../xlsx/pkg: a chunk of its own, loaded with its .wasm
    // only when a workbook arrives; the SQL module (sql/, into ../sql/pkg) likewise, when SQL is
    // first asked for.
    alias: { 'customer-lens-wasm': wasmPackage, 'customer-lens-xlsx': excelPackage, 'customer-lens-sql': sqlPackage },
  },
  worker: {
    // The worker imports the WASM package as an ES module.
    format: 'es',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The .wasm must stay a separate file (instantiated by streaming), never an inline data URL.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: ['..'] },
  },
  preview: { host: '127.0.0.1' },
});
