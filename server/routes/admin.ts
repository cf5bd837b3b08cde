/**
 * Admin operations on the write-behind store, like rrdcached's FLUSHALL:
 * write every pending sample to its archive now (before a backup, or to
 * measure), instead of at the next timed flush.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Store } from '../store/index.js';

const FlushResultSchema = Type.Object({
  series: Type.Integer({ description: 'Series whose archives took samples.' }),
  samples: Type.Integer({ description: 'Samples written to archives.' }),
  ms: Type.Number({ description: 'How long the flush took, including the file-system sync.' }),
});

export interface AdminOptions {
  readonly store: Pick<Store, 'flush'>;
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminOptions> = async (app, options) => {
  app.post(
    '/admin/flush',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: 'Write every pending sample to its archive now and sync them to disk',
        description: 'Waits for a flush already under way, then flushes what is pending; answers once the archives are on disk and the journal checkpointed.',
        tags: ['admin'],
        response: { 200: FlushResultSchema },
      },
    },
    async (request) => {
      const result = await options.store.flush();
      request.log.info(result, 'flushed on request');
      return result;
    },
  );
};
