/**
 * `npx tsx scripts/fuzz.ts [--format sigma|elastic|splunk] [--count 1000] [--base-seed 1]`
 * runs seeded mutants of the sample rules through the adapters (src/lib/fuzz) and prints counts;
 * `--hang-ms`/`--max-hangs` bound how long a stuck mutant may run and how many are tolerated;
 * `--mutant N [--write FILE]` replays one mutant: prints its operators and diagnostics, writes its text.
 * Exits 1 when a mutant crashed, hung or broke the adapter contract.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Vendor } from '../src/lib/model/rule.js';
import { createFuzzEnv, generateMutant, loadFile, runMutant, reproLine, superviseFuzz } from '../src/lib/fuzz/index.js';

const { values } = parseArgs({
  options: {
    format: { type: 'string' },
    count: { type: 'string', default: '1000' },
    'base-seed': { type: 'string', default: '1' },
    mutant: { type: 'string' },
    write: { type: 'string' },
    'slow-ms': { type: 'string', default: '2000' },
    'hang-ms': { type: 'string', default: '20000' },
    'max-hangs': { type: 'string', default: '5' },
  },
});
const formats = (values.format ? [values.format] : ['sigma', 'elastic', 'splunk']) as Vendor[];
const baseSeed = Number(values['base-seed']);

if (values.mutant !== undefined) {
  const format = formats[0]!;
  const env = createFuzzEnv(format);
  const m = generateMutant(format, env.seeds, baseSeed, Number(values.mutant));
  console.log(`${format} mutant #${m.index}: seed ${m.seed}, from ${m.seedPath}, ops ${m.ops.join(' + ')}, ${m.text.length} chars`);
  if (m.extraMacros.length) console.log(`extra macros: ${m.extraMacros.map((x) => x.name).join(', ')}`);
  if (values.write) writeFileSync(values.write, m.text);
  const o = runMutant(env, m);
  console.log(`status ${o.status}: ${o.rules} rules, ${o.failed} failed, ${o.diagnostics} diagnostics in ${o.ms.toFixed(0)} ms`);
  for (const p of o.problems) console.log(`  problem: ${p}`);
  const { result } = loadFile(env, { path: m.path, text: m.text }, m.extraMacros);
  for (const d of (result?.diagnostics ?? []).slice(0, 20)) console.log(`  ${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message.slice(0, 160)}`);
  process.exit(o.status === 'crash' || o.problems.length ? 1 : 0);
}

let bad = 0;
for (const format of formats) {
  const t0 = performance.now();
  const s = await superviseFuzz({ format, baseSeed, count: Number(values.count), slowMs: Number(values['slow-ms']), hangMs: Number(values['hang-ms']), maxHangs: Number(values['max-hangs']) });
  console.log(`${format}: ${s.mutants} mutants, ${s.published} published, ${s.rejected} rejected, ${s.ignored} ignored, ${s.crashes} crashes, ${s.hangs.length} hangs; max ${s.maxMs.toFixed(0)} ms per file; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const listed = new Map([...s.bad, ...s.slow, ...s.hangs].map((o) => [o.index, o]));
  for (const o of [...listed.values()].sort((a, b) => a.index - b.index)) {
    bad++;
    console.log(`  ${reproLine(format, baseSeed, o)}`);
    for (const p of o.problems) console.log(`    ${p}`);
    if (o.ms > Number(values['slow-ms'])) console.log(`    took ${o.ms.toFixed(0)} ms`);
  }
}
process.exit(bad > 0 ? 1 : 0);
