/**
 * The web client at `/`: the bundle web/build.ts writes at install time
 * (`npm ci` runs it as `prepare`; `npm run build:web` runs it again), with
 * index.html and content-hashed assets, no token needed to load them (the
 * client asks for one when the API wants it). index.html is revalidated on
 * every load; hashed assets are cached for a year, as their names change
 * with their content.
 *
 * The server only serves the bundle, it never builds it: building needs
 * esbuild and the sources, which a server should not run at start. A
 * missing bundle leaves the API running and `/` answering 503 with the
 * command that builds it.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where web/build.ts writes the bundle by default (a path, not an import: the server does not load the build tool). */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface WebRoutesOptions {
  /** The built client; default web/dist. */
  readonly root?: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT = 'The ringmon web client is not built. Build it with: npm run build:web (npm ci does it too), then reload.\n';

export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, options) => {
  const root = options.root ?? DEFAULT_WEB_DIST;
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'web client: no bundle here; the API runs without the UI (build it with npm run build:web)');
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // swagger-ui decorates the reply with its own static instance.
    decorateReply: false,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (res, path) => {
      const inAssets = path.includes(`${sep}assets${sep}`);
      res.setHeader('cache-control', inAssets ? IMMUTABLE : 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
    },
  });
};
