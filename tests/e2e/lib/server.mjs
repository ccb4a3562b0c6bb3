// A small static file server for dist/: serves the folder as the root of an origin on
// a free localhost port, with correct MIME types (application/wasm for streaming
// instantiation). Only GET and HEAD; no directory listings; nothing outside the root.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
};

export function mimeType(file) {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Start serving `root`. Resolves to { url, port, close() }; `url` ends in '/'.
 * `requests` records every request as { method, path, status } (useful in tests).
 */
export async function startStaticServer(root, { host = '127.0.0.1', port = 0 } = {}) {
  const absRoot = path.resolve(root);
  if (!fs.existsSync(path.join(absRoot, 'index.html'))) {
    throw new Error(`no index.html in ${absRoot}: build the bundle first (trunk build --release)`);
  }
  const requests = [];
  const server = http.createServer((req, res) => {
    const record = (status) => requests.push({ method: req.method, path: req.url, status });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      record(405);
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      record(400);
      res.writeHead(400).end();
      return;
    }
    let file = path.join(absRoot, pathname);
    if (file !== absRoot && !file.startsWith(absRoot + path.sep)) {
      record(403);
      res.writeHead(403).end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        file = path.join(file, 'index.html');
      }
      fs.stat(file, (err2, st2) => {
        if (err2 || !st2.isFile()) {
          record(404);
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
          return;
        }
        record(200);
        res.writeHead(200, {
          'Content-Type': mimeType(file),
          'Content-Length': st2.size,
          'Cache-Control': 'no-cache',
        });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        fs.createReadStream(file).pipe(res);
      });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}/`,
    port: actualPort,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

// `node lib/server.mjs [dir] [port]`: serve a folder by hand (e.g. dist/).
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'dist';
  const srv = await startStaticServer(dir, { port: Number(process.argv[3] ?? 0) });
  console.log(`serving ${path.resolve(dir)} at ${srv.url}`);
}
