/**
 * Authentication's errors, in two kinds. The token file's errors are thrown
 * (TokenError and its subclass TokenFileError) and say how to fix things,
 * since an operator reads them at start-up or from `ringmon token`. The HTTP
 * answers (401, 403) use codes from the API's catalogue in ../errors.ts, so
 * that every error body has the same shape.
 *
 * No message here ever contains a token or a line of the token file: both
 * end up in logs.
 */
import { ERROR_CODES, errorBody, type ErrorBody, type ErrorCode } from '../errors.js';

/** A token request that cannot be carried out: an invalid name or role. Callers branch on the class. */
export class TokenError extends Error {
  override name = 'TokenError';
}

/**
 * The token file at `path` cannot be used as it is: missing, too open, owned
 * by someone else, malformed, or without (or already with) a given name.
 * The message names the file and, where there is one, the command that fixes it.
 */
export class TokenFileError extends TokenError {
  override name = 'TokenFileError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** The catalogued codes the auth plugin answers with. */
export type AuthErrorCode = Extract<ErrorCode, 'unauthorized' | 'forbidden'>;

/** The status and JSON body of an authentication (401) or authorisation (403) failure. */
export function authFailure(code: AuthErrorCode, message: string): { readonly status: number; readonly body: ErrorBody } {
  return { status: ERROR_CODES[code], body: errorBody(code, message) };
}
