/**
 * One GET for the HTTP slurpers (json, prometheus), with the errors worded
 * for whoever reads the instance's state: the URL, the status, and a hint
 * about the token file on 401/403. The token and the answer's body are never
 * quoted, since an API may echo what it was sent.
 */
import type { SlurperContext } from '../../contract.js';
import { readTokenFile } from './token-file.js';

export interface GetOptions {
  readonly url: string;
  readonly accept: string;
  readonly tokenFile?: string;
  /** A limit of the request's own, within the run's. */
  readonly timeoutSeconds?: number;
}

/** Why a fetch failed, in a few words: undici hides the socket's error in `cause`. */
function failure(error: unknown, timeoutSeconds: number | undefined): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' && timeoutSeconds !== undefined) return `no answer within ${timeoutSeconds} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

/** The body and content type of a 2xx answer; throws an Error a human can act on otherwise. */
export async function getText(ctx: SlurperContext, options: GetOptions): Promise<{ text: string; contentType: string }> {
  const headers: Record<string, string> = { accept: options.accept };
  if (options.tokenFile !== undefined) headers.authorization = `Bearer ${await readTokenFile(options.tokenFile, ctx.signal)}`;
  const signal = options.timeoutSeconds === undefined ? undefined : AbortSignal.timeout(options.timeoutSeconds * 1000);
  let text: string;
  let response: Awaited<ReturnType<SlurperContext['fetch']>>;
  try {
    response = await ctx.fetch(options.url, { headers, ...(signal ? { signal } : {}) });
    text = await response.text();
  } catch (error) {
    // The run's own deadline or shutdown: let the host name it.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw new Error(`GET ${options.url}: ${failure(error, options.timeoutSeconds)}`);
  }
  if (!response.ok) {
    const auth = response.status === 401 || response.status === 403;
    const hint = !auth ? '' : options.tokenFile !== undefined ? `; check the token in ${options.tokenFile}` : '; it wants a token (tokenFile)';
    throw new Error(`GET ${options.url}: HTTP ${response.status} ${response.statusText}${hint}`);
  }
  return { text, contentType: response.headers.get('content-type') ?? '' };
}
