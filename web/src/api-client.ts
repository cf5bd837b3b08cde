/**
 * HTTP to ringmon's API: JSON in and out, the token from token-store in the
 * Authorization header, and error answers turned into HttpError with the
 * API's problems (`{ error: { code, message, problems } }`).
 *
 * When the API answers 401 (or 403 to a write), the client asks the page
 * for a token through `prompt` and, once one is given, tries again; a
 * request the user declines to authorise fails with that answer.
 */
import type { Problem } from './api-types.js';
import { readToken } from './token-store.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: readonly Problem[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Why a token is asked for. */
export interface TokenRequest {
  readonly status: 401 | 403;
  readonly message: string;
  readonly write: boolean;
}

/** Shows the token prompt; resolves true once a new token is saved, false when the user cancels. Never rejects. */
export type TokenPrompt = (request: TokenRequest) => Promise<boolean>;

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

const MAX_PROMPTS = 3;

function queryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function errorFrom(res: Response): Promise<HttpError> {
  let code = 'http_error';
  let message = `${res.status} ${res.statusText}`;
  let problems: Problem[] = [];
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; problems?: Problem[] } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
    problems = body.error?.problems ?? [];
  } catch {
    // Not the API's JSON (a proxy's error page): the status line says enough.
  }
  return new HttpError(res.status, code, message, problems);
}

export class ApiClient {
  constructor(
    private readonly prompt: TokenPrompt,
    private readonly base = '',
  ) {}

  get<T>(path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
    return this.send<T>('GET', `${path}${queryString(query)}`, undefined, signal);
  }

  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.send<T>('POST', path, body, signal);
  }

  patch<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.send<T>('PATCH', path, body, signal);
  }

  put<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.send<T>('PUT', path, body, signal);
  }

  delete<T = void>(path: string, signal?: AbortSignal): Promise<T> {
    return this.send<T>('DELETE', path, undefined, signal);
  }

  private async send<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const write = method !== 'GET';
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      const token = readToken();
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
      if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
      const error = await errorFrom(res);
      const needsToken = res.status === 401 || (res.status === 403 && write);
      if (!needsToken || attempt >= MAX_PROMPTS || signal?.aborted) throw error;
      const given = await this.prompt({ status: res.status as 401 | 403, message: error.message, write });
      if (!given) throw error;
    }
  }
}
