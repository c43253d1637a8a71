#!/usr/bin/env node
// A tiny static server for the built site (www/dist), with no dependency.
//
//   node scripts/serve.mjs [port] [root]      PORT=0 node scripts/serve.mjs
//
// Port from argv, else $PORT, else 8080; 0 picks any free port. Listens on 127.0.0.1 only and
// prints `http://127.0.0.1:PORT/` on stdout once it accepts connections (tests read that line).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
};

/**
 * The same policy as the page's <meta> tag, sent as a header too: a dedicated worker takes its
 * policy from its own response, not from the page that started it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self'",
  // The user may type the URL of their own export on any host; nothing else is ever fetched.
  "connect-src 'self' https: http:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Starts the server; resolves to `{ server, url }` once it listens. `contentSecurityPolicy` and
 * `headers` (extra response headers) let tests serve pages as a host with its own policy would.
 */
export function serve({ port = 8080, root = fileURLToPath(new URL('../dist/', import.meta.url)), contentSecurityPolicy = CONTENT_SECURITY_POLICY, headers = {} } = {}) {
  const rootDirectory = resolve(root);
  const server = createServer(async (request, response) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const { pathname } = new URL(request.url, 'http://localhost');
      let filePath = normalize(join(rootDirectory, decodeURIComponent(pathname)));
      if (filePath !== rootDirectory && !filePath.startsWith(rootDirectory + sep)) {
        response.writeHead(403).end('forbidden');
        return;
      }
      let info = await stat(filePath).catch(() => null);
      if (info?.isDirectory()) {
        filePath = join(filePath, 'index.html');
        info = await stat(filePath).catch(() => null);
      }
      if (!info?.isFile()) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      const type = MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
      response.writeHead(200, {
        'Content-Type': type,
        'Content-Length': info.size,
        'Content-Security-Policy': contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        // Hashed assets never change; the page and the sample are revalidated.
        'Cache-Control': pathname.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...headers,
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      createReadStream(filePath).pipe(response);
    } catch (error) {
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(String(error?.message ?? error));
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actualPort } = server.address();
      resolvePromise({ server, url: `http://127.0.0.1:${actualPort}/` });
    });
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const portArgument = process.argv[2] ?? process.env.PORT ?? '8080';
  const port = Number(portArgument);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port: ${portArgument} (use 0 for any free port)`);
    process.exit(2);
  }
  const root = process.argv[3];
  serve({ port, ...(root ? { root } : {}) }).then(
    ({ url }) => console.log(url),
    (error) => {
      console.error(`cannot listen on 127.0.0.1:${port}: ${error.message}`);
      process.exit(1);
    },
  );
}
