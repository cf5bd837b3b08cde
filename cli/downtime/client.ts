/**
 * What the `ringmon downtime` commands share: the server's address and the
 * token (never from an argument, which other users can see in `ps`), and
 * calls to the HTTP API whose failures become one line naming the option
 * at fault where the server named a field.
 */
import { request } from 'undici';
import { OwnerOnlyError, readOwnerOnlySync } from '../../lib/owner-only.js';
import { CommandError, UsageError } from '../errors.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

export const CONNECTION_OPTIONS = {
  server: { type: 'string' },
  'token-file': { type: 'string' },
} as const;

export const CONNECTION_HELP = `  --server URL        the ringmon server; default $RINGMON_URL or ${DEFAULT_SERVER}
  --token-file FILE   a file holding just the API token, mode 0600; default: $RINGMON_TOKEN`;

/** How to reach the API: base URL and token (undefined: send none, for servers with open reads). */
export interface Connection {
  readonly server: string;
  readonly token: string | undefined;
}

export function connection(values: { readonly server?: string; readonly 'token-file'?: string }): Connection {
  const server = (values.server ?? process.env.RINGMON_URL ?? DEFAULT_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(server)) throw new UsageError(`--server: '${server}' is not an http:// or https:// URL`);
  let token = process.env.RINGMON_TOKEN?.trim() || undefined;
  const file = values['token-file'];
  if (file !== undefined) {
    // An fs error (no such file) is reported by the CLI as "FILE: no such file"; the file must be owner-only like every secret file.
    try {
      token = readOwnerOnlySync(file).trim();
    } catch (e) {
      if (e instanceof OwnerOnlyError) throw new CommandError(e.message);
      throw e;
    }
    if (token === '' || /\s/.test(token)) throw new CommandError(`${file}: must hold just the token, on one line`);
  }
  return { server, token };
}

interface ErrorAnswer {
  readonly error?: { readonly message?: string; readonly problems?: readonly { readonly field: string; readonly message: string }[] };
}

/** The server's problems as one line, with its field names (`body/end`) replaced by the options that set them. */
function describeAnswer(status: number, answer: ErrorAnswer, options: Readonly<Record<string, string>>): string {
  const problems = answer.error?.problems;
  if (problems && problems.length > 0) {
    const named = problems.map((p) => {
      const field = Object.entries(options).find(([prefix]) => p.field === prefix || p.field.startsWith(`${prefix}/`));
      return `${field ? field[1] : p.field}: ${p.message}`;
    });
    return named.join('; ');
  }
  return answer.error?.message ?? `the server answered ${status}`;
}

/**
 * Calls the API and returns its JSON answer. Throws CommandError with the
 * server's message for a 4xx/5xx answer or when the server cannot be
 * reached. `fieldOptions` maps field paths to option names for messages.
 */
export async function callApi(
  conn: Connection,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  fieldOptions: Readonly<Record<string, string>> = {},
): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (conn.token !== undefined) headers.authorization = `Bearer ${conn.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await request(`${conn.server}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CommandError(`cannot reach ${conn.server}: ${code ?? (e as Error).message}`);
  }
  const text = await response.body.text();
  let answer: unknown;
  try {
    answer = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new CommandError(`${conn.server} answered ${response.statusCode} with something other than JSON: is it a ringmon server?`);
  }
  if (response.statusCode >= 400) throw new CommandError(describeAnswer(response.statusCode, answer as ErrorAnswer, fieldOptions));
  return answer;
}

/** A downtime id argument. */
export function parseId(text: string): number {
  if (!/^[1-9]\d{0,14}$/.test(text)) throw new UsageError(`'${text}' is not a downtime id (a positive whole number)`);
  return Number(text);
}
