/**
 * The web client at `/`: the bundle web/build.ts writes (index.html and
 * content-hashed assets), with no token needed to load it (the client asks
 * for one when the API wants it). index.html is revalidated on every load;
 * hashed assets are cached for a year, as their names change with their
 * content. A missing bundle is built at start, so a fresh checkout serves
 * the UI; if that fails the API still starts and the failure is logged.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { buildWeb, DEFAULT_WEB_DIST } from '../../web/build.js';

export interface WebRoutesOptions {
  /** The built client; default web/dist. */
  readonly root?: string;
  /** Builds the client into root when root has no index.html; default web/build.ts. */
  readonly build?: (root: string) => Promise<unknown>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, options) => {
  const root = options.root ?? DEFAULT_WEB_DIST;
  if (!existsSync(join(root, 'index.html'))) {
    const started = performance.now();
    try {
      await (options.build ?? buildWeb)(root);
      app.log.info({ root }, `web client built in ${Math.round(performance.now() - started)} ms`);
    } catch (e) {
      app.log.error({ err: e, root }, 'web client: the bundle is missing and could not be built; the UI is not served (run npm run build:web)');
      return;
    }
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
