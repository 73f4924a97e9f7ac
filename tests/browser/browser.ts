/**
 * Headless Debian Chromium through playwright-core, cut off from everything but 127.0.0.1, with
 * every console error, page error and blocked request of a tab recorded so tests can assert on them.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The Chromium binary the suite drives; `CHROMIUM_PATH` points at another Chromium/Chrome. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Flags that keep Chromium quiet, offline and runnable as root in CI containers. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A tab plus what went wrong in it: the things a user would see in DevTools. */
export interface WatchedTab {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests aborted because they left 127.0.0.1. */
  blocked: string[];
  /** Everything above in one list, for `expect(...).toEqual([])`. */
  problems(): string[];
  close(): Promise<void>;
}

/** Open a tab whose network is limited to 127.0.0.1 and whose errors are collected. */
export async function openTab(browser: Browser): Promise<WatchedTab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      /* data:, blob: … have no host; they never leave the machine. */
      return route.continue();
    }
    if (host === '127.0.0.1' || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return {
    page,
    context,
    consoleErrors,
    pageErrors,
    blocked,
    problems: () => [...consoleErrors.map((e) => `console: ${e}`), ...pageErrors.map((e) => `pageerror: ${e}`), ...blocked.map((u) => `blocked: ${u}`)],
    close: () => context.close().catch(() => undefined),
  };
}
