/**
 * GET /api/v1/metadata (viewer role): the node metadata in force (the
 * mapping file, server/metadata), read-only, a page at a time by node id in
 * the file's order: `limit` (bounded) and `after` the previous page's `next`.
 * Each node with its display name and every field as the file gave it;
 * to a reader without a token (auth.openReads) the id and display name
 * only, as fields hold people's addresses (`contacts`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { MetadataSnapshot } from '../metadata/index.js';

export interface MetadataRoutesOptions {
  /** The metadata in force now. */
  readonly metadata: () => MetadataSnapshot;
}

export const DEFAULT_METADATA_PAGE = 100;
export const MAX_METADATA_PAGE = 1000;

const FieldValue = Type.Union([Type.Number(), Type.String(), Type.Array(Type.Union([Type.Number(), Type.String()]))]);

const NodeOut = Type.Object({
  id: Type.String({ description: 'the node id: the {node} segment of its series (metadata.key)' }),
  displayName: Type.Optional(Type.String({ description: 'the `name` field' })),
  fields: Type.Record(Type.String(), FieldValue, { description: 'every field of the node, name, owner and contacts included; empty for a reader without a token (auth.openReads)' }),
});

export const metadataRoutes: FastifyPluginAsyncTypebox<MetadataRoutesOptions> = async (app, options) => {
  app.get(
    '/metadata',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'The node metadata in force (the mapping file), in the file order, a page at a time',
        tags: ['nodes'],
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_METADATA_PAGE, default: DEFAULT_METADATA_PAGE, description: `nodes per page (1 to ${MAX_METADATA_PAGE}, default ${DEFAULT_METADATA_PAGE})` })),
            after: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 255, description: "only nodes after this id in the file's order: the previous page's `next`" })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            nodes: Type.Array(NodeOut),
            next: Type.Optional(Type.String({ description: 'present when more nodes follow: ask again with after=<next>' })),
          }),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_METADATA_PAGE;
      const { after } = request.query;
      const ids = [...options.metadata().nodes.keys()];
      // An id no longer in the file (it changed between pages) starts the list afresh rather than failing.
      const start = after === undefined ? 0 : ids.indexOf(after) + 1;
      const page = ids.slice(start, start + limit).map((id) => {
        const node = options.metadata().nodes.get(id);
        // An anonymous reader (auth.openReads) gets no field: `contacts` are people's addresses, and any other field may be too.
        const fields = request.principal === null ? {} : { ...node?.fields };
        return { id, ...(node?.name === undefined ? {} : { displayName: node.name }), fields: fields as Record<string, number | string | (number | string)[]> };
      });
      const more = start + limit < ids.length;
      return more ? { nodes: page, next: ids[start + limit - 1] } : { nodes: page };
    },
  );
};
