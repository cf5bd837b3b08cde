/**
 * The agent's connection to the ringmon server: JSON POSTs with the bearer
 * token, over one keep-alive undici dispatcher shared by the uploader and
 * the heartbeat. The token is read from its file at the first request and
 * again after every 401/403, so an operator can fix a token without
 * restarting the agent.
 */
import { Agent, request } from 'undici';
import { OwnerOnlyError, readOwnerOnly } from '../../lib/owner-only.js';

/** An HTTP answer: its status and body text. */
export interface ServerReply {
  readonly status: number;
  readonly body: string;
}

/**
 * Posts to the server. `post` resolves with any HTTP answer (2xx to 5xx)
 * and rejects when there is none: connection refused, timeout, `signal`
 * aborted, or the token file unreadable. close() aborts nothing in flight;
 * it waits for it.
 */
export interface ServerClient {
  post(path: string, json: string, signal?: AbortSignal): Promise<ServerReply>;
  close(): Promise<void>;
}

export interface ServerClientOptions {
  /** http(s)://host:port of the server, with or without a trailing slash. */
  readonly url: string;
  /** The file holding the token (its first line; surrounding white space is ignored). */
  readonly tokenFile: string;
  /** Limit for the answer's headers and for each chunk of its body. */
  readonly timeoutSeconds: number;
}

/**
 * The token in `path` (its first line, trimmed). Throws Error naming the file
 * when it cannot be read, is empty, or is not owner-only (lib/owner-only.ts:
 * the same check, and the same message, as the server's token file).
 */
export async function readTokenFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readOwnerOnly(path);
  } catch (e) {
    if (e instanceof OwnerOnlyError) throw e;
    throw new Error(`cannot read the token file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const token = text.split('\n')[0].trim();
  if (token === '') throw new Error(`the token file ${path} is empty; put an ingest token in it ('ringmon token add NAME --role ingest')`);
  return token;
}

export function createServerClient(options: ServerClientOptions): ServerClient {
  const base = options.url.replace(/\/+$/, '');
  const timeout = options.timeoutSeconds * 1000;
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, headersTimeout: timeout, bodyTimeout: timeout, connections: 4 });
  let token: string | undefined;
  return {
    async post(path, json, signal) {
      token ??= await readTokenFile(options.tokenFile);
      const response = await request(`${base}${path}`, {
        method: 'POST',
        dispatcher,
        signal,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: json,
      });
      const body = await response.body.text();
      if (response.statusCode === 401 || response.statusCode === 403) token = undefined;
      return { status: response.statusCode, body };
    },
    close: () => dispatcher.close(),
  };
}

/** The `error.message` of a ringmon error answer, or the start of the body when it is something else. */
export function serverMessage(reply: ServerReply): string {
  try {
    const message = (JSON.parse(reply.body) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: a proxy's page, say; show its beginning.
  }
  return reply.body.slice(0, 200) || `HTTP ${reply.status}`;
}
