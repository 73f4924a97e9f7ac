import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

/**
 * The GitHub workflows can only be run on GitHub, so check here what can break silently: their
 * shape, that every `npm run X` they call exists, and that every local file they name exists.
 */
const WORKFLOWS = '.github/workflows';
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts?: Record<string, string> };
const scripts = pkg.scripts ?? {};

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
  id?: string;
}
interface Job {
  'runs-on'?: string;
  steps?: Step[];
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: { name: string; url?: string } | string;
}
interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  permissions?: Record<string, string>;
}

function load(file: string): Workflow {
  return yaml.load(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
}
function allSteps(w: Workflow): Step[] {
  return Object.values(w.jobs).flatMap((j) => j.steps ?? []);
}

/** `npm run X`, `npm run-script X`, `npm test`/`npm t` in a run block. */
export function npmScriptsCalled(run: string): string[] {
  const names: string[] = [];
  for (const m of run.matchAll(/\bnpm\s+(?:run|run-script)\s+([\w:.-]+)/g)) names.push(m[1]!);
  for (const m of run.matchAll(/\bnpm\s+(test|t)\b/g)) names.push(m[1] === 't' ? 'test' : 'test');
  return names;
}

/**
 * Project files named in a command: scripts/, src/, tests/, catalog/ and .ci/ paths with an
 * extension, and the file after `--config` (vitest/astro configs).
 */
export function localFilesNamed(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/(?:^|[\s='"(])(?:\.\/)?((?:scripts|src|tests|catalog|\.ci)\/[\w./@-]*\.\w+)/g)) out.push(m[1]!);
  for (const m of command.matchAll(/--config[=\s]+(?:\.\/)?([\w./@-]+\.\w+)/g)) out.push(m[1]!);
  return out;
}

describe.each(files)('workflow %s', (file) => {
  const w = load(file);

  it('has a trigger and jobs whose steps run or use something', () => {
    expect(w.on).toBeTypeOf('object');
    expect(Object.keys(w.on).length).toBeGreaterThan(0);
    expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
    for (const [id, job] of Object.entries(w.jobs)) {
      expect(job['runs-on'], id).toBeTruthy();
      expect(job.steps?.length, id).toBeGreaterThan(0);
      for (const step of job.steps ?? []) {
        expect(Boolean(step.run) !== Boolean(step.uses), `${id}: ${JSON.stringify(step)}`).toBe(true);
        if (step.uses) expect(step.uses, id).toMatch(/^[\w.-]+\/[\w./-]+@v\d+$/);
      }
      if (job.needs) for (const n of [job.needs].flat()) expect(Object.keys(w.jobs)).toContain(n);
    }
  });

  it('calls only npm scripts that package.json defines', () => {
    const called = allSteps(w).flatMap((s) => (s.run ? npmScriptsCalled(s.run) : []));
    const missing = [...new Set(called.filter((n) => !(n in scripts)))];
    expect(missing, `npm scripts missing from package.json: ${missing.join(', ')}`).toEqual([]);
  });

  it('names only local files that exist (also inside the npm scripts it calls)', () => {
    const commands = allSteps(w).flatMap((s) => (s.run ? [s.run, ...npmScriptsCalled(s.run).map((n) => scripts[n] ?? '')] : []));
    const missing = [...new Set(commands.flatMap(localFilesNamed).filter((f) => !existsSync(f)))];
    expect(missing, `files named by ${file} that do not exist: ${missing.join(', ')}`).toEqual([]);
  });
});

describe('site.yml', () => {
  const w = load('site.yml');
  const steps = allSteps(w);
  const runIndex = (needle: string) => steps.findIndex((s) => s.run?.includes(needle));
  const usesIndex = (action: string) => steps.findIndex((s) => s.uses?.startsWith(`${action}@`));

  it('runs daily, by hand and on a rules-updated dispatch, one deploy at a time', () => {
    expect(w.on).toHaveProperty('schedule');
    expect((w.on.schedule as Array<{ cron: string }>)[0]?.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(w.on).toHaveProperty('workflow_dispatch');
    expect(w.on.repository_dispatch).toEqual({ types: ['rules-updated'] });
    expect(w.concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('caches npm, node_modules, the source checkouts and the index', () => {
    const cached = steps.filter((s) => s.uses?.startsWith('actions/cache@')).flatMap((s) => String(s.with?.path ?? '').split('\n').map((p) => p.trim()));
    expect(cached).toEqual(expect.arrayContaining(['~/.npm', 'node_modules', '.cache/sources', '.cache/index']));
  });

  it('uses Node 20 and runs install, fetch, build, check, upload in that order', () => {
    for (const s of steps.filter((x) => x.uses?.startsWith('actions/setup-node@'))) expect(String(s.with?.['node-version'])).toBe('20');
    const order = [
      runIndex('npm ci'),
      runIndex('npm run fetch-sources -- --update'),
      runIndex('npm run build -- --sources catalog/sources.upstream.yaml --root .cache/sources'),
      runIndex('npm run check-site'),
      usesIndex('actions/upload-pages-artifact'),
    ];
    expect(order.every((i) => i >= 0), JSON.stringify(order)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('deploys with Pages permissions to the github-pages environment', () => {
    const deploy = Object.values(w.jobs).find((j) => j.steps?.some((s) => s.uses?.startsWith('actions/deploy-pages@')));
    expect(deploy?.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    expect(deploy?.environment).toMatchObject({ name: 'github-pages' });
  });
});

describe('ci.yml', () => {
  const w = load('ci.yml');
  it('runs on pull requests and pushes to main: install, typecheck, tests', () => {
    expect(w.on).toHaveProperty('pull_request');
    expect(w.on.push).toEqual({ branches: ['main'] });
    const runs = allSteps(w).flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npm run typecheck', 'npm test', 'npm run test:browser']));
  });
});

describe('workflow helpers', () => {
  it('find npm scripts and local files in commands', () => {
    expect(npmScriptsCalled('npm ci && npm run build -- --x && npm test')).toEqual(['build', 'test']);
    expect(localFilesNamed('tsx scripts/fetch-sources.ts --sources catalog/sources.upstream.yaml --root .cache/sources')).toEqual([
      'scripts/fetch-sources.ts',
      'catalog/sources.upstream.yaml',
    ]);
    expect(localFilesNamed('vitest run --config vitest.browser.config.ts')).toEqual(['vitest.browser.config.ts']);
  });
});
