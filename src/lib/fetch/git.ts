import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FetchError } from './errors.js';

/** How to run git: which binary, extra environment, cancellation, and a hook for tests and logs. */
export interface GitOptions {
  /** Working directory; must exist (a missing cwd would otherwise look like a missing git). */
  cwd?: string;
  /** The git executable, looked up on `env.PATH`; default `git`. */
  gitBinary?: string;
  /** Environment overrides merged over process.env (`PATH`, `GIT_CONFIG_*` ...). */
  env?: NodeJS.ProcessEnv;
  /** Aborting kills git with SIGKILL, the way a cancelled CI job or a power cut would. */
  signal?: AbortSignal;
  /** Called with the arguments of every git command just after it starts. */
  onCommand?: (args: readonly string[]) => void;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables that would point git at another repository than the one in cwd. */
const REPO_OVERRIDES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE', 'GIT_PREFIX'];

/**
 * The environment git runs with: English messages (we classify stderr), never a credential prompt
 * (CI has no terminal; a private or mistyped https URL must fail, not hang), no repository
 * discovery above cwd (the cache lives inside the project's own checkout).
 */
export function gitEnv(cwd: string | undefined, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of REPO_OVERRIDES) delete env[k];
  Object.assign(env, overrides, { LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0' });
  if (cwd) env.GIT_CEILING_DIRECTORIES = dirname(resolve(cwd));
  return env;
}

/**
 * Run one git command without a shell (arguments as an array) and collect its output. Resolves
 * with the exit code; rejects only when git cannot run at all (`git-missing`) or was cancelled
 * (`interrupted`), so callers decide what a non-zero exit means.
 */
export function runGit(args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  const bin = opts.gitBinary ?? 'git';
  if (opts.cwd !== undefined && !isDir(opts.cwd)) {
    return Promise.reject(new FetchError('corrupt-cache', `working directory ${opts.cwd} vanished while fetching`, 'delete the cache folder and run fetch-sources again'));
  }
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(interrupted(args));
    const child = spawn(bin, args as string[], {
      cwd: opts.cwd,
      env: gitEnv(opts.cwd, opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let failed = false;
    child.on('spawn', () => opts.onCommand?.(args));
    child.on('error', (e: NodeJS.ErrnoException) => {
      failed = true;
      if (e.code === 'ENOENT') {
        reject(new FetchError('git-missing', `cannot run \`${bin}\`: not found on PATH`, 'install git (e.g. `apt-get install git`) or put it on PATH'));
      } else if (e.name === 'AbortError') {
        reject(interrupted(args));
      } else {
        reject(new FetchError('git-failed', `cannot run \`${bin}\`: ${e.message}`, 'check that git is installed and executable'));
      }
    });
    child.on('close', (code, sig) => {
      if (failed) return;
      if (opts.signal?.aborted || (code === null && sig)) return reject(interrupted(args));
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function interrupted(args: readonly string[]): FetchError {
  const command = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c') ?? '';
  return new FetchError('interrupted', `git ${command} was interrupted`, 'run fetch-sources again; the previous checkout was left as it was');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
