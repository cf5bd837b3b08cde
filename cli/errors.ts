/**
 * The CLI's expected failures and how any error becomes the one line a user
 * sees. Expected failures (bad arguments, archive errors, missing files)
 * never show a stack trace; anything else is a bug and keeps its stack.
 */
import { ArchiveError } from '../archive/index.js';
import { TokenError } from '../server/auth/errors.js';
import { ConfigError, formatConfigProblem } from '../server/config/index.js';

/** The command line cannot be understood: unknown option, missing argument, malformed value. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the CLI itself detected in otherwise well-formed input (e.g. a file that exists). Exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** What the errno codes users meet most often mean, worded for a file name in front. */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EEXIST: 'file exists',
};

function isErrnoError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The one-line message and exit code for an expected failure, or undefined
 * for an unexpected one (a bug), which the caller reports with its stack.
 */
export function describeFailure(e: unknown): { message: string; exitCode: number } | undefined {
  let message: string;
  let exitCode = EXIT_FAILURE;
  if (e instanceof UsageError) {
    message = e.message;
    exitCode = EXIT_USAGE;
  } else if (e instanceof ConfigError) {
    message = `invalid configuration${e.source ? ` in ${e.source}` : ''}: ${e.problems.map(formatConfigProblem).join('; ')}`;
  } else if (e instanceof ArchiveError || e instanceof CommandError || e instanceof TokenError) {
    message = e.message;
  } else if (isErrnoError(e)) {
    const what = ERRNO_WORDS[e.code ?? ''] ?? e.message;
    message = e.path ? `${e.path}: ${what}` : what;
  } else {
    return undefined;
  }
  // One line, whatever the message: callers and scripts read stderr line by line.
  return { message: message.replace(/\s*\n\s*/g, ' '), exitCode };
}
