/**
 * How a request appears in the log: fastify's own `req` fields, with the
 * value of every query parameter that is a credential replaced by
 * `[Redacted]`. A feed's read-only token travels in its URL
 * (`/api/v1/feeds/NAME.atom?token=...`, server/routes/feeds.ts), and
 * fastify logs the URL of every request; pino's `redact` can only hide the
 * whole URL, so the serializer rewrites it instead. Headers are redacted by
 * path (auth-plugin.ts authLogRedaction).
 *
 * Both loggers use it: the server's pino instance (start.ts: fastify keeps
 * an instance's own serializers over its defaults) and the one buildApp
 * makes from options (app.ts).
 */

/** Query parameters whose value is a secret, compared with the name as a query parser decodes it. */
export const CREDENTIAL_PARAMETERS: ReadonlySet<string> = new Set(['token']);

const REDACTED = '[Redacted]';

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return name;
  }
}

/** `url` with the value of each credential parameter replaced; the rest as it was. */
export function redactedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const fields = url.slice(at + 1).split('&').map((field) => {
    const eq = field.indexOf('=');
    const name = eq === -1 ? field : field.slice(0, eq);
    return CREDENTIAL_PARAMETERS.has(decodedName(name).toLowerCase()) ? `${name}=${REDACTED}` : field;
  });
  return `${url.slice(0, at + 1)}${fields.join('&')}`;
}

/** What fastify's request serializer reads of a request. */
interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, unknown>;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number };
}

/** pino serializers for the server's loggers. */
export const LOG_SERIALIZERS = {
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: redactedUrl(req.url),
    version: typeof req.headers?.['accept-version'] === 'string' ? req.headers['accept-version'] : undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
};
