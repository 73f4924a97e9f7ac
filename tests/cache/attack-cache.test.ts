import { copyFileSync, mkdtempSync, rmSync, writeFileSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAttack } from '../../src/lib/attack/load.js';
import { cachedAttackView, reduceAttack } from '../../src/lib/cache/index.js';
import { attackView } from '../../src/lib/pipeline/attack-view.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'attack-cache-'));
  made.push(root);
  const bundle = join(root, 'enterprise-attack.json');
  copyFileSync('samples/attack/enterprise-attack.json', bundle);
  const crosswalk = 'catalog/attack/crosswalk-v19.yaml';
  let loads = 0;
  const load = () => {
    loads++;
    return loadAttack(bundle, crosswalk).attack;
  };
  return { root, bundle, crosswalk, load, loads: () => loads, cacheDir: join(root, 'cache') };
}

const TAGS = ['T1059', 't1059.001', 'attack.t1055.012', 'T1086', 'T1685', 'T9999', 'TA0002', 'nonsense'];

describe('cachedAttackView', () => {
  it('reads the bundle once, then serves the same view from the cache', () => {
    const env = setup();
    const direct = attackView(env.load());
    const first = cachedAttackView(env.cacheDir, env.bundle, env.crosswalk, env.load);
    const second = cachedAttackView(env.cacheDir, env.bundle, env.crosswalk, env.load);
    expect(env.loads()).toBe(2); // `direct` and the first cached call
    for (const v of [first, second]) {
      expect(v.version).toBe(direct.version);
      expect(v.tactics).toEqual(direct.tactics);
      expect(v.techniques).toEqual(reduceAttack(env.load()).techniques);
      for (const tag of TAGS) expect(v.resolve(tag)).toEqual(direct.resolve(tag));
    }
  });

  it('reloads when the bundle content changes, even with the same size and mtime', () => {
    const env = setup();
    cachedAttackView(env.cacheDir, env.bundle, env.crosswalk, env.load);
    const text = readFileSync(env.bundle, 'utf8');
    const edited = text.replace('"name": "Command and Scripting Interpreter"', '"name": "Command and Scripting InterpreteR"');
    expect(edited).not.toBe(text);
    writeFileSync(env.bundle, edited);
    // Same size; a different mtime makes the cache hash the file again.
    utimesSync(env.bundle, new Date('2030-01-01'), new Date('2030-01-01'));
    const v = cachedAttackView(env.cacheDir, env.bundle, env.crosswalk, env.load);
    expect(env.loads()).toBe(2);
    expect(v.techniques.get('T1059')?.name).toBe('Command and Scripting InterpreteR');
  });
});
