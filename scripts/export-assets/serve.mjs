#!/usr/bin/env node
// Offline viewer for the ATT&CK coverage catalog export.
// usage: node serve.mjs [--port N] [--base /path/]
// Serves the site/ folder next to this file on http://127.0.0.1 only. No dependencies: Node >= 18.
// Why a server: the search (Pagefind) fetches its index over HTTP, which browsers refuse for file:// pages.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.gz': 'application/gzip',
  // Pagefind's index files: compressed binary chunks the search script decodes itself.
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
};

/** @param {string[]} argv */
function parseArgs(argv) {
  const opts = { port: 8080, base: '/' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--port' || flag === '-p') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) fail(`--port needs a number from 0 to 65535, got ${v ?? 'nothing'}`);
      opts.port = Number(v);
    } else if (flag === '--base') {
      const v = value() ?? '/';
      opts.base = `/${v.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
    } else if (flag === '--help' || flag === '-h') {
      console.log('usage: node serve.mjs [--port N] [--base /path/]\n  --port N   port on 127.0.0.1 (default 8080; 0 picks a free one)\n  --base P   URL path the site was built for (default /)');
      process.exit(0);
    } else fail(`unknown argument ${argv[i]} (try --help)`);
  }
  return opts;
}

function fail(message) {
  console.error(`serve.mjs: ${message}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const here = dirname(fileURLToPath(import.meta.url));
let root;
try {
  root = await realpath(join(here, 'site'));
} catch {
  fail(`no site/ folder next to ${join(here, 'serve.mjs')}: unpack the whole archive first (see README.txt)`);
}

/** Resolve a URL path to a file inside root, or null when it would leave root. */
async function locate(pathname) {
  const candidate = resolve(root, `.${pathname}`);
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  let real;
  try {
    real = await realpath(candidate);
  } catch {
    return { path: candidate, stat: null };
  }
  if (real !== root && !real.startsWith(root + sep)) return null; // a symlink pointing outside
  return { path: real, stat: await stat(real) };
}

function send(res, status, headers, body = '') {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

async function sendFile(req, res, status, path, size) {
  res.writeHead(status, {
    'Content-Type': MIME[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

async function notFound(req, res) {
  const page = await locate('/404.html');
  if (page?.stat?.isFile()) return sendFile(req, res, 404, page.path, page.stat.size);
  send(res, 404, {}, req.method === 'HEAD' ? '' : 'Not found\n');
}

async function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { Allow: 'GET, HEAD' }, 'Method not allowed\n');
  let url;
  let pathname;
  try {
    url = new URL(req.url ?? '/', `http://${HOST}`);
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, {}, 'Bad request\n');
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return send(res, 400, {}, 'Bad request\n');
  if (opts.base !== '/') {
    if (pathname === '/' || pathname === opts.base.slice(0, -1)) return send(res, 302, { Location: opts.base });
    if (!pathname.startsWith(opts.base)) return notFound(req, res);
    pathname = pathname.slice(opts.base.length - 1);
  }
  const found = await locate(pathname);
  if (!found || !found.stat) return notFound(req, res);
  if (found.stat.isDirectory()) {
    if (!url.pathname.endsWith('/')) return send(res, 301, { Location: `${url.pathname}/${url.search}` });
    const index = await locate(`${pathname.replace(/\/?$/, '/')}index.html`);
    if (!index?.stat?.isFile()) return notFound(req, res);
    return sendFile(req, res, 200, index.path, index.stat.size);
  }
  if (!found.stat.isFile()) return notFound(req, res);
  return sendFile(req, res, 200, found.path, found.stat.size);
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) send(res, 500, {}, 'Internal error\n');
    else res.destroy();
    console.error(`serve.mjs: ${req.url}: ${e?.message ?? e}`);
  });
});
server.on('error', (e) => {
  if (e.code === 'EADDRINUSE') fail(`port ${opts.port} is in use; try --port ${opts.port + 1}, or --port 0 for any free port`);
  fail(e.message);
});
server.listen(opts.port, HOST, () => {
  const { port } = server.address();
  console.log(`Serving ${root} at http://${HOST}:${port}${opts.base}`);
  console.log('Open that address in a browser; press Ctrl+C to stop.');
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)).closeAllConnections?.());
