/**
 * The headers every answer carries, whatever route, status or content
 * (the web page, its assets, the API, /docs, a 404, a 401), so that a
 * browser never runs, frames, sniffs or leaks what ringmon serves:
 *
 * - Content-Security-Policy: only scripts, styles, images, fonts and
 *   requests from the server's own origin; no inline script, no eval, no
 *   plugins, no <base>, and no framing (frame-ancestors 'none'). The web
 *   client is an ES module bundle plus a stylesheet (web/build.ts moves the
 *   page's <style> into a file for this), and Lit's component styles are
 *   constructed style sheets, which style-src does not govern. Element
 *   `style` attributes are allowed (style-src-attr): the client positions a
 *   tooltip and sizes table columns with them, and an attribute cannot load
 *   anything or run script. Images may be `data:` URLs (swagger-ui's icons).
 *   Under the API documentation's prefix (/docs) inline <style> elements
 *   are allowed too: swagger-ui's bundle inserts its styles that way; its
 *   scripts are files, so script-src stays 'self' there as well.
 * - X-Frame-Options: DENY, for browsers older than frame-ancestors.
 * - Referrer-Policy: no-referrer: a link out of the page does not carry
 *   its URL (series names, filters).
 * - X-Content-Type-Options: nosniff: a JSON or text answer is never taken
 *   for a script or a page.
 *
 * Installed once on the root instance (fastify-plugin), as an onSend hook:
 * it runs for error answers and not-found answers too, after any header a
 * route set, and overrides none a route chose itself.
 */
import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

const policy = (styles: string): string => [
  "default-src 'self'",
  "script-src 'self'",
  `style-src ${styles}`,
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The Content-Security-Policy of every answer but the API documentation's. */
export const CONTENT_SECURITY_POLICY = policy("'self'");
/** The same with inline <style> elements allowed, for swagger-ui. */
export const DOCS_CONTENT_SECURITY_POLICY = policy("'self' 'unsafe-inline'");

/** Header name (lower case) → value, set on every answer that has not set it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export interface SecurityHeadersOptions {
  /** The API documentation's path prefix (swagger-ui), answered with DOCS_CONTENT_SECURITY_POLICY. */
  readonly docsPrefix?: string;
}

const plugin: FastifyPluginAsync<SecurityHeadersOptions> = async (app, options) => {
  const docs = options.docsPrefix;
  const isDocs = (url: string): boolean => docs !== undefined && (url === docs || url.startsWith(`${docs}/`) || url.startsWith(`${docs}?`));
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    if (isDocs(request.url) && reply.getHeader('content-security-policy') === CONTENT_SECURITY_POLICY) reply.header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY);
    return payload;
  });
};

/** Registers the hook on the instance it is given and every route of it, wherever declared. */
export const securityHeaders = fastifyPlugin(plugin, { name: 'ringmon-security-headers', fastify: '5.x' });
