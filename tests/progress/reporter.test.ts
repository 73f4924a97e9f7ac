import { describe, expect, it } from 'vitest';
import { formatSeconds, startStep } from '../../src/lib/progress/index.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (c: string) => chunks.push(c) }, text: () => chunks.join(''), chunks };
}

function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('startStep in logs (not a TTY)', () => {
  it('prints start, each quarter once, and the end, without carriage returns', () => {
    const out = fakeStream(false);
    const clock = fakeClock();
    const step = startStep('index', 8, { stream: out.stream, now: clock.now });
    for (let i = 0; i < 8; i++) {
      clock.advance(250);
      step.tick();
    }
    step.done('7,412 rules');
    expect(out.text()).toBe(
      [
        '[index] started: 8 to do',
        '[index] 25% 2/8 (0.5s)',
        '[index] 50% 4/8 (1.0s)',
        '[index] 75% 6/8 (1.5s)',
        '[index] done: 8/8 in 2.0s; 7,412 rules',
        '',
      ].join('\n'),
    );
  });

  it('a step that counts nothing reports only its time', () => {
    const out = fakeStream(false);
    const clock = fakeClock();
    const step = startStep('render', undefined, { stream: out.stream, now: clock.now });
    clock.advance(6400);
    step.done('1121 pages');
    expect(out.text()).toBe('[render] started\n[render] done: in 6.4s; 1121 pages\n');
  });

  it('a big tick that crosses several quarters prints only the last one', () => {
    const out = fakeStream(false);
    const clock = fakeClock();
    const step = startStep('render', 100, { stream: out.stream, now: clock.now });
    step.tick(60);
    step.tick(40);
    step.done();
    expect(out.text()).toBe('[render] started: 100 to do\n[render] 50% 60/100 (0.0s)\n[render] done: 100/100 in 0.0s\n');
  });

  it('without a total prints a heartbeat at most every heartbeatMs', () => {
    const out = fakeStream(false);
    const clock = fakeClock();
    const step = startStep('fetch', undefined, { stream: out.stream, now: clock.now, heartbeatMs: 10_000 });
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      step.tick();
    }
    step.fail('remote gone');
    expect(out.text()).toBe(
      [
        '[fetch] started',
        '[fetch] 10 so far (10.0s)',
        '[fetch] 20 so far (20.0s)',
        '[fetch] 30 so far (30.0s)',
        '[fetch] failed after 30.0s at 30: remote gone',
        '',
      ].join('\n'),
    );
  });

  it('ignores ticks after done and closes only once', () => {
    const out = fakeStream(false);
    const step = startStep('x', 2, { stream: out.stream, now: fakeClock().now });
    step.done();
    step.tick();
    step.done('again');
    expect(step.count).toBe(0);
    expect(out.text()).toBe('[x] started: 2 to do\n[x] done: 0/2 in 0.0s\n');
  });
});

describe('startStep on a terminal', () => {
  it('redraws one line, throttled, and ends with a plain summary line', () => {
    const out = fakeStream(true);
    const clock = fakeClock();
    const step = startStep('pagefind', 4, { stream: out.stream, now: clock.now, redrawMs: 100 });
    step.tick(); // within 100 ms of the first draw: skipped
    clock.advance(150);
    step.tick();
    step.note('indexed 1 language');
    clock.advance(150);
    step.done();
    expect(out.chunks).toEqual([
      '\r\x1b[2K[pagefind] --------------------   0% 0/4 0.0s',
      '\r\x1b[2K[pagefind] ##########----------  50% 2/4 0.1s',
      '\r\x1b[2K',
      '[pagefind] indexed 1 language\n',
      '\r\x1b[2K[pagefind] ##########----------  50% 2/4 0.1s',
      '\r\x1b[2K',
      '[pagefind] done: 2/4 in 0.3s\n',
    ]);
  });
});

describe('formatSeconds', () => {
  it('reads at a glance', () => {
    expect(formatSeconds(400)).toBe('0.4s');
    expect(formatSeconds(12_345)).toBe('12.3s');
    expect(formatSeconds(125_000)).toBe('2m05s');
  });
});
