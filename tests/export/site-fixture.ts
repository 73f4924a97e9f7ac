import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { archiveMtime, createSiteArchive } from '../../src/lib/export/index.js';

export const ASSETS = fileURLToPath(new URL('../../scripts/export-assets/', import.meta.url));

/** Write a small static site: pages keyed by path relative to `dir`. */
export function writeSite(dir: string, pages: Record<string, string>): void {
  for (const [rel, text] of Object.entries(pages)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

/** A page with a marked search body, as the real build writes them. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><nav data-pagefind-ignore>Menu</nav><main data-pagefind-body><h1>${title}</h1><p>${body}</p></main></body></html>\n`;
}

/** Export `dist` the way `npm run export` does, then unpack it into `into`. */
export async function exportAndUnpack(dist: string, outFile: string, into: string): Promise<void> {
  await createSiteArchive({
    distDir: dist,
    outFile,
    files: { 'serve.mjs': join(ASSETS, 'serve.mjs'), 'README.txt': join(ASSETS, 'README.txt') },
    mtime: archiveMtime({}),
  });
  mkdirSync(into, { recursive: true });
  await tar.x({ file: outFile, cwd: into });
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Start the unpacked `serve.mjs` on a free port and wait for the URL it prints. */
export function startServer(dir: string, extraArgs: string[] = []): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, 'serve.mjs'), '--port', '0', ...extraArgs], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve.mjs did not start within 10 s: ${out} ${err}`));
    }, 10_000);
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child, stop });
      }
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${err}`));
    });
  });
}
