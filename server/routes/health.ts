/** GET /healthz: liveness for load balancers and supervisors. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
});

export interface HealthOptions {
  readonly version: string;
}

export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, options) => {
  const started = process.hrtime.bigint();
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: answers 200 while the server runs',
        tags: ['server'],
        security: [],
        response: { 200: HealthSchema },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: options.version,
      uptimeSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    }),
  );
};
