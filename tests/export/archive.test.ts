import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveMtime, checkDist, createSiteArchive } from '../../src/lib/export/index.js';
import { ASSETS, exportAndUnpack, page, startServer, writeSite, type RunningServer } from './site-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'export-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SITE = {
  'index.html': page('Home', 'Catalog home'),
  '404.html': page('Not found', 'No such page'),
  'techniques/T1055/index.html': page('Process Injection', 'T1055'),
  'techniques/T1055/012/index.html': page('Process Hollowing', 'T1055.012'),
  'style.css': 'body{}',
  'pagefind/pagefind.js': 'export {}',
  'pagefind/wasm.en.pagefind': 'bin',
  'pagefind/pagefind.en_abc.pf_meta': 'bin',
  'pagefind/index/en_1.pf_index': 'bin',
  'pagefind/fragment/en_2.pf_fragment': 'bin',
  'pagefind/pagefind-entry.json': '{}',
  'a-b.html': 'x',
};

async function listArchive(file: string) {
  const rows: Array<{ path: string; mode?: number; mtime?: Date; uid?: number; gid?: number; uname?: string; gname?: string }> = [];
  await tar.t({ file, onReadEntry: (e) => rows.push({ path: e.path, mode: e.mode, mtime: e.mtime, uid: e.uid, gid: e.gid, uname: e.uname, gname: e.gname }) });
  return rows;
}

describe('createSiteArchive', () => {
  it('packs site/, serve.mjs and README.txt in sorted order with no machine metadata', async () => {
    const dist = join(tmp, 'dist-a');
    writeSite(dist, SITE);
    const out = join(tmp, 'a.tar.gz');
    await createSiteArchive({ distDir: dist, outFile: out, files: { 'serve.mjs': join(ASSETS, 'serve.mjs'), 'README.txt': join(ASSETS, 'README.txt') }, mtime: new Date(0) });
    const rows = await listArchive(out);
    const names = rows.map((r) => r.path);
    expect(names).toEqual([
      'README.txt',
      'serve.mjs',
      'site/',
      'site/404.html',
      'site/a-b.html',
      'site/index.html',
      'site/pagefind/',
      'site/pagefind/fragment/',
      'site/pagefind/fragment/en_2.pf_fragment',
      'site/pagefind/index/',
      'site/pagefind/index/en_1.pf_index',
      'site/pagefind/pagefind-entry.json',
      'site/pagefind/pagefind.en_abc.pf_meta',
      'site/pagefind/pagefind.js',
      'site/pagefind/wasm.en.pagefind',
      'site/style.css',
      'site/techniques/',
      'site/techniques/T1055/',
      'site/techniques/T1055/012/',
      'site/techniques/T1055/012/index.html',
      'site/techniques/T1055/index.html',
    ]);
    for (const r of rows) {
      expect(r.mode).toBe(r.path.endsWith('/') ? 0o755 : 0o644);
      expect(r.uname ?? '').toBe('');
      expect(r.gname ?? '').toBe('');
      expect(r.uid ?? 0).toBe(0);
      if (!r.path.endsWith('/')) expect(r.mtime?.getTime()).toBe(0);
    }
  });

  it('is byte-identical across file times, permissions and creation order', async () => {
    const one = join(tmp, 'dist-1');
    const two = join(tmp, 'dist-2');
    writeSite(one, SITE);
    writeSite(two, Object.fromEntries(Object.entries(SITE).reverse()));
    utimesSync(join(two, 'index.html'), new Date(2_000_000_000_000), new Date(2_000_000_000_000));
    spawnSync('chmod', ['600', join(two, 'style.css')]);
    const files = { 'serve.mjs': join(ASSETS, 'serve.mjs'), 'README.txt': join(ASSETS, 'README.txt') };
    await createSiteArchive({ distDir: one, outFile: join(tmp, '1.tar.gz'), files, mtime: archiveMtime({ SOURCE_DATE_EPOCH: '1700000000' }) });
    await createSiteArchive({ distDir: two, outFile: join(tmp, '2.tar.gz'), files, mtime: archiveMtime({ SOURCE_DATE_EPOCH: '1700000000' }) });
    expect(readFileSync(join(tmp, '1.tar.gz')).equals(readFileSync(join(tmp, '2.tar.gz')))).toBe(true);
    const rows = await listArchive(join(tmp, '1.tar.gz'));
    expect(rows.find((r) => r.path === 'site/index.html')?.mtime?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('takes its timestamp from SOURCE_DATE_EPOCH, else the epoch', () => {
    expect(archiveMtime({ SOURCE_DATE_EPOCH: '86400' }).toISOString()).toBe('1970-01-02T00:00:00.000Z');
    expect(archiveMtime({ SOURCE_DATE_EPOCH: 'yesterday' }).getTime()).toBe(0);
    expect(archiveMtime({}).getTime()).toBe(0);
  });
});

describe('checkDist', () => {
  it('needs index.html and warns without the Pagefind bundle', () => {
    expect(checkDist(join(tmp, 'nowhere'))[0]?.severity).toBe('error');
    const d = join(tmp, 'dist-nosearch');
    writeSite(d, { 'index.html': page('Home', 'x') });
    expect(checkDist(d).map((p) => p.severity)).toEqual(['warning']);
  });
});

describe('export CLI', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', resolve('scripts/export.ts'), ...args], { encoding: 'utf8' });

  it('writes the archive and refuses a folder that is not a built site', async () => {
    const dist = join(tmp, 'dist-cli');
    writeSite(dist, SITE);
    const out = join(tmp, 'cli.tar.gz');
    const ok = run(['--dist', dist, '--out', out]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/\[export\] done: 21\/21 in [\d.]+s; 21 entries/);
    expect((await listArchive(out)).length).toBe(21);
    const bad = run(['--dist', join(tmp, 'nowhere'), '--out', join(tmp, 'bad.tar.gz')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('does not exist or is not a folder (hint: run `npm run build` first, or pass --dist)');
  });
});

describe('serve.mjs', () => {
  let server: RunningServer;
  const root = join(tmp, 'unpacked');
  beforeAll(async () => {
    const dist = join(tmp, 'dist-serve');
    writeSite(dist, SITE);
    await exportAndUnpack(dist, join(tmp, 'serve.tar.gz'), root);
    writeFileSync(join(root, 'secret.txt'), 'do not serve');
    symlinkSync(join(root, 'secret.txt'), join(root, 'site', 'link.txt'));
    server = await startServer(root);
  });
  afterAll(() => server?.stop());

  /** A raw request: the path is sent exactly as written (fetch() would normalize `..`). */
  function get(path: string, method = 'GET'): Promise<{ status: number; type: string; body: string; location?: string }> {
    const { hostname, port } = new URL(server.url);
    return new Promise((done, fail) => {
      const req = request({ hostname, port, path, method }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body, ...(res.headers.location ? { location: res.headers.location } : {}) }));
      });
      req.on('error', fail);
      req.end();
    });
  }

  it('binds 127.0.0.1 and serves index.html for folders', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await get('/');
    expect(home).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(home.body).toContain('Catalog home');
    expect((await get('/techniques/T1055/012/')).body).toContain('Process Hollowing');
    expect(await get('/techniques/T1055?x=1')).toMatchObject({ status: 301, location: '/techniques/T1055/?x=1' });
  });

  it('serves Pagefind and wasm files with their content types', async () => {
    expect((await get('/pagefind/pagefind.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get('/pagefind/pagefind-entry.json')).type).toBe('application/json; charset=utf-8');
    for (const p of ['/pagefind/wasm.en.pagefind', '/pagefind/pagefind.en_abc.pf_meta', '/pagefind/index/en_1.pf_index', '/pagefind/fragment/en_2.pf_fragment']) {
      expect(await get(p)).toMatchObject({ status: 200, type: 'application/octet-stream' });
    }
    expect((await get('/style.css')).type).toBe('text/css; charset=utf-8');
  });

  it('answers unknown pages with the site 404 page, and HEAD without a body', async () => {
    const missing = await get('/techniques/T9999/');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('No such page');
    expect(await get('/index.html', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await get('/', 'POST')).status).toBe(405);
  });

  it('never serves files outside site/', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/techniques/..%2f..%2fsecret.txt', '/link.txt', '/../serve.mjs']) {
      const r = await get(p);
      expect(r.body, p).not.toContain('do not serve');
      expect(r.body, p).not.toContain('createServer');
      expect([400, 404], p).toContain(r.status);
    }
    expect((await get('/%00')).status).toBe(400);
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('can serve a site built for a sub-path', async () => {
    const sub = await startServer(root, ['--base', '/catalog/']);
    try {
      const { hostname, port } = new URL(sub.url);
      expect(sub.url).toBe(`http://${hostname}:${port}/catalog/`);
      const res = await fetch(`${sub.url}techniques/T1055/`);
      expect(await res.text()).toContain('Process Injection');
      expect((await fetch(`http://${hostname}:${port}/`, { redirect: 'manual' })).headers.get('location')).toBe('/catalog/');
    } finally {
      await sub.stop();
    }
  });
});
