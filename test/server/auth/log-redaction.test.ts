/**
 * Tokens never reach the log: fastify with a pino logger at trace level
 * writing to memory, `authLogRedaction` configured, and handlers and a
 * request serializer that log the headers as debugging code might; refusals
 * are logged with the principal's name. A control run without the redaction
 * shows the same setup would catch a leak.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Fastify, { type FastifyRequest } from 'fastify';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { authLogRedaction, authPlugin } from '../../../server/auth/auth-plugin.js';
import { addToken, tokenFileResolver } from '../../../server/auth/token-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-redact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'tokens');
const NOW = new Date('2024-05-01T12:00:00.000Z');
const writer = addToken(file, 'collector', 'writer', NOW);
const viewer = addToken(file, 'grafana', 'viewer', NOW);
const unknown = `rmt_${'Z'.repeat(43)}`;

/** Boots an app logging to memory, sends requests carrying tokens, and returns everything it logged. */
async function logOfRequests(redact: boolean): Promise<string> {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const app = Fastify({
    logger: {
      level: 'trace',
      stream,
      ...(redact ? { redact: [...authLogRedaction] } : {}),
      // A serializer that includes the headers, as one added while debugging might.
      serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: req.url, headers: req.headers }) },
    },
  });
  await app.register(authPlugin, { resolveToken: tokenFileResolver(file) });
  app.post('/write', { onRequest: app.requireRole('ingest') }, async (req) => {
    req.log.info({ headers: req.headers }, 'headers');
    req.log.info({ incoming: { headers: req.headers } }, 'nested headers');
    req.log.info({ req }, 'the request');
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const base = `http://127.0.0.1:${address.port}`;
    for (const token of [writer, viewer, unknown]) {
      const res = await request(`${base}/write`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      await res.body.dump();
    }
  } finally {
    await app.close();
  }
  return chunks.join('');
}

describe('log redaction', () => {
  it('keeps every token out of the log, while the log names who wrote', async () => {
    const log = await logOfRequests(true);
    for (const token of [writer, viewer, unknown]) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.slice(4));
    }
    expect(log).toContain('[Redacted]');
    expect(log).toContain('"principal":"collector"');
    expect(log).toMatch(/"principal":"grafana".*"refused":"forbidden"/);
    expect(log).toMatch(/"principal":"grafana".*"statusCode":403/);
    expect(log).toMatch(/"refused":"unauthorized".*"msg":"unknown or revoked token"/);
    expect(log).toContain('"statusCode":401');
  });

  it('would catch a leak: without the redaction the same log holds the token', async () => {
    const log = await logOfRequests(false);
    expect(log).toContain(writer);
  });
});
