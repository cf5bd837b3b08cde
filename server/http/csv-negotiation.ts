/**
 * Whether an answer that can be JSON or CSV is CSV (GET /api/v1/fetch,
 * GET /api/v1/alarms/history): `format=csv` says so; without `format`, an
 * Accept header that names text/csv and not JSON does. One rule for every
 * route that offers both, with its query parameter and content type.
 */
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';

/** RFC 4180's media type, saying the first record is a header (RFC 4180 §3). */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/** The optional `format` query parameter; `csv` says what the CSV holds. */
export function formatParameter(csv: string) {
  return Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: `json (default), or csv: ${csv}, RFC 4180 with a header. Without it, an Accept header that asks for text/csv and not JSON gets CSV`,
    }),
  );
}

/** CSV when asked by `format`, or, without it, by an Accept header that names text/csv and not JSON. */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

/** Sends `csv` (a stream of CSV text) as the answer; the JSON answer's response schema does not apply to it. */
export function sendCsv(reply: FastifyReply, csv: Readable): FastifyReply {
  return reply.type(CSV_CONTENT_TYPE).send(csv);
}
