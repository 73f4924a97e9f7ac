/**
 * Why a source could not be fetched. Every failure a person can act on has its own code, a
 * one-line message naming the source, and a hint, so `fetch-sources` never ends on raw git output.
 */
export type FetchErrorCode =
  | 'git-missing'
  | 'remote-unreachable'
  | 'unknown-ref'
  | 'unknown-commit'
  | 'corrupt-cache'
  | 'bad-config'
  | 'bad-lock'
  | 'interrupted'
  | 'git-failed';

/** A fetch failure with an actionable hint; thrown by the fetch library, printed on one line by the CLI. */
export class FetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(oneLine(message));
    this.name = 'FetchError';
  }
}

/** `error[code]: message. hint: ...` on a single line, for CI logs. */
export function formatFetchError(err: unknown): string {
  if (err instanceof FetchError) return `error[${err.code}]: ${err.message} (hint: ${oneLine(err.hint)})`;
  const msg = err instanceof Error ? err.message : String(err);
  return `error: ${oneLine(msg)} (hint: this is a bug in fetch-sources; please report it with the command you ran)`;
}

/** Collapse whitespace so multi-line git output fits in one log line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The most telling line of git's stderr: the first `fatal:`/`error:` line, else the last non-empty one. */
export function gitReason(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return fatal ?? lines[lines.length - 1] ?? 'no output';
}

const UNREACHABLE = [
  /does not appear to be a git repository/i,
  /could not read from remote repository/i,
  /could not resolve host/i,
  /unable to access/i,
  /connection (refused|timed out|reset)/i,
  /failed to connect/i,
  /repository '.*' not found/i,
  /authentication failed/i,
  /terminal prompts disabled/i,
  /unable to connect/i,
];
const UNKNOWN_REF = [/couldn't find remote ref/i, /invalid refspec/i];
const SHA_REFUSED = [/not our ref/i, /unadvertised object/i, /no such remote ref/i];
const CORRUPT = [
  /corrupt/i,
  /bad object/i,
  /unable to read/i,
  /did not send all necessary objects/i,
  /object file .* is empty/i,
  /not a git repository/i,
  /bad signature/i,
  /index file smaller/i,
  /unable to create '.*\.lock'/i,
];

/** What a failed git command's stderr says went wrong; `sha-refused` means "try a full fetch of the ref". */
export type GitFailureKind = 'unreachable' | 'unknown-ref' | 'sha-refused' | 'corrupt' | 'other';

/** Sort git's (LC_ALL=C) stderr into the failures we explain; order matters: remote problems first. */
export function classifyGitFailure(stderr: string): GitFailureKind {
  if (UNKNOWN_REF.some((re) => re.test(stderr))) return 'unknown-ref';
  if (SHA_REFUSED.some((re) => re.test(stderr))) return 'sha-refused';
  if (UNREACHABLE.some((re) => re.test(stderr))) return 'unreachable';
  if (CORRUPT.some((re) => re.test(stderr))) return 'corrupt';
  return 'other';
}
