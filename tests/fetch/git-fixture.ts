import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Env for deterministic, unsigned commits whatever the machine's git config says. */
export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.test',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A bare "upstream" repository plus a work clone to commit into; `url` is its file:// remote. */
export interface UpstreamRepo {
  root: string;
  bare: string;
  url: string;
  /** Write files, commit them on `main`, push, and return the new commit hash. */
  commit(files: Record<string, string>, message: string): string;
}

export function makeUpstream(name = 'upstream'): UpstreamRepo {
  const root = mkdtempSync(join(tmpdir(), 'fetch-test-'));
  const bare = join(root, `${name}.git`);
  const work = join(root, `${name}-work`);
  git(root, 'init', '-q', '--bare', bare);
  git(root, 'init', '-q', work);
  git(work, 'remote', 'add', 'origin', bare);
  return {
    root,
    bare,
    url: `file://${bare}`,
    commit(files, message) {
      for (const [rel, text] of Object.entries(files)) {
        const p = join(work, rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, text);
      }
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', message);
      git(work, 'push', '-q', 'origin', 'HEAD:main');
      return git(work, 'rev-parse', 'HEAD');
    },
  };
}
