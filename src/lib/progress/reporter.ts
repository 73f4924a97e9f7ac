/**
 * Progress of a long build step (fetch, index, render, search index). On a terminal it redraws one
 * line; in CI logs (not a TTY) it prints plain lines only at the start, at every quarter and at the
 * end, never a carriage return, so logs stay short and greppable.
 */

/** Where progress goes; `isTTY` decides the mode unless `tty` is forced. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Default process.stderr, so progress never mixes with a command's real output on stdout. */
  stream?: ProgressStream;
  /** Milliseconds clock; injectable for tests. Default performance.now. */
  now?: () => number;
  /** Force the terminal (true) or log (false) mode. */
  tty?: boolean;
  /** Terminal mode: least time between redraws. Default 100 ms. */
  redrawMs?: number;
  /** Log mode without a total: least time between "still working" lines. Default 10 s. */
  heartbeatMs?: number;
}

/** A running step. `tick` counts work done, `note` prints a line, `done`/`fail` close it. */
export interface StepHandle {
  tick(n?: number): void;
  /** Set or change the total once it is known (e.g. after listing files). */
  setTotal(total: number): void;
  note(message: string): void;
  done(summary?: string): void;
  fail(message: string): void;
  readonly count: number;
}

const MILESTONES = [25, 50, 75];

/** Start a step named `name` with an optional total count of items. */
export function startStep(name: string, total?: number, opts: ProgressOptions = {}): StepHandle {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => performance.now());
  const tty = opts.tty ?? stream.isTTY === true;
  const redrawMs = opts.redrawMs ?? 100;
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const started = now();
  let count = 0;
  let max = total;
  let nextMilestone = 0;
  let lastDraw = -Infinity;
  let lastBeat = started;
  let drawn = false;
  let closed = false;

  const elapsed = () => formatSeconds(now() - started);
  const counts = () => (max !== undefined ? `${count}/${max}` : `${count}`);
  const line = (text: string) => stream.write(`[${name}] ${text}\n`);
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - lastDraw < redrawMs) return;
    lastDraw = t;
    const pct = max ? Math.min(100, Math.floor((count / max) * 100)) : undefined;
    const bar = pct !== undefined ? `${renderBar(pct, 20)} ${String(pct).padStart(3)}% ` : '';
    stream.write(`\r\x1b[2K[${name}] ${bar}${counts()} ${elapsed()}`);
    drawn = true;
  };
  const logMilestones = () => {
    if (max) {
      const pct = (count / max) * 100;
      let crossed: number | undefined;
      while (nextMilestone < MILESTONES.length && pct >= MILESTONES[nextMilestone]! && count < max) crossed = MILESTONES[nextMilestone++];
      if (crossed !== undefined) line(`${crossed}% ${counts()} (${elapsed()})`);
    } else if (now() - lastBeat >= heartbeatMs) {
      lastBeat = now();
      line(`${counts()} so far (${elapsed()})`);
    }
  };

  if (tty) draw(true);
  else line(max !== undefined ? `started: ${max} to do` : 'started');

  return {
    get count() {
      return count;
    },
    tick(n = 1) {
      if (closed) return;
      count += n;
      if (tty) draw(false);
      else logMilestones();
    },
    setTotal(t: number) {
      max = t;
      if (tty && !closed) draw(true);
    },
    note(message: string) {
      if (closed) return void line(message);
      if (tty) {
        clear();
        line(message);
        draw(true);
      } else line(message);
    },
    done(summary?: string) {
      if (closed) return;
      closed = true;
      if (tty) clear();
      // A step that counted nothing (one opaque call, such as Astro's render) reports only its time.
      const what = count === 0 && max === undefined ? '' : `${counts()} `;
      line(`done: ${what}in ${elapsed()}${summary ? `; ${summary}` : ''}`);
    },
    fail(message: string) {
      if (closed) return;
      closed = true;
      if (tty) clear();
      line(`failed after ${elapsed()} at ${counts()}: ${message}`);
    },
  };
}

/** `0.4s`, `12.3s`, `2m05s`: elapsed time a person reads at a glance. */
export function formatSeconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
}

function renderBar(pct: number, width: number): string {
  const full = Math.round((pct / 100) * width);
  return '#'.repeat(full) + '-'.repeat(width - full);
}
