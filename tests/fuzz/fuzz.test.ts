/**
 * Seeded fuzzing of the three adapters (src/lib/fuzz): 1,000 mutants of the sample rules per
 * format, each loaded by the adapter's raw loader (no safety net) in a worker thread that is
 * stopped if a mutant hangs. Contract: nothing throws, nothing hangs, every rejected file carries
 * an error diagnostic with the file and a 1-based position inside it, output stays bounded.
 * Replay a reported mutant with the printed `npx tsx scripts/fuzz.ts ... --mutant N` line.
 * FUZZ_SEED / FUZZ_COUNT change the run (default seed 20240601, 1,000 mutants per format).
 */
import { describe, expect, it } from 'vitest';
import { reproLine, superviseFuzz, type MutantOutcome, type SupervisedSummary } from '../../src/lib/fuzz/index.js';
import type { Vendor } from '../../src/lib/model/rule.js';

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const COUNT = Number(process.env.FUZZ_COUNT ?? 1000);
/** Per-file bound: a mutant slower than this fails the test (the slowest legitimate ones take ~0.2 s). */
const SLOW_MS = 2000;
/** A mutant still running after this is a hang: its worker is stopped and the test fails. */
const HANG_MS = 8000;

function failures(s: SupervisedSummary): string[] {
  const byIndex = new Map<number, MutantOutcome>();
  for (const o of [...s.bad, ...s.slow, ...s.hangs]) byIndex.set(o.index, o);
  return [...byIndex.values()]
    .sort((a, b) => a.index - b.index)
    .map((o) => [reproLine(s.format, BASE_SEED, o), ...o.problems, ...(o.ms > SLOW_MS ? [`took ${o.ms.toFixed(0)} ms`] : [])].join('\n    '));
}

describe.each(['sigma', 'elastic', 'splunk'] as Vendor[])('fuzzing the %s adapter', (format) => {
  it(`survives ${COUNT} seeded mutants`, async () => {
    const t0 = performance.now();
    const s = await superviseFuzz({ format, baseSeed: BASE_SEED, count: COUNT, slowMs: SLOW_MS, hangMs: HANG_MS, maxHangs: 2, maxHeapMb: 1024 });
    const ops = Object.keys(s.opCounts).length;
    console.log(
      `fuzz ${format}: ${s.mutants} mutants, ${s.published} published, ${s.rejected} rejected (with diagnostics), ${s.ignored} ignored, ` +
        `${s.crashes} crashes, ${s.hangs.length} hangs; max ${s.maxMs.toFixed(0)} ms per file; ${ops} operators; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(failures(s)).toEqual([]);
    expect(s.crashes).toBe(0);
    expect(s.mutants).toBe(COUNT);
    // The run exercised both outcomes: a fuzzer that only breaks (or never breaks) files tests little.
    expect(s.published).toBeGreaterThan(COUNT / 10);
    expect(s.rejected).toBeGreaterThan(COUNT / 10);
  }, 180_000);
});
