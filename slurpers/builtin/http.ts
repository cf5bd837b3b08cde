/**
 * `http`: one request, timed. Samples: `success` (1/0: answered, with an
 * expected status, and the body matched), `status`, `ttfb_seconds` (until
 * the response headers), `total_seconds` (until the body's end),
 * `body_bytes`, `tls_days_left` (https: until the server certificate's
 * notAfter) and `body_match` (1/0, when `bodyMatch` is set).
 *
 * Each run opens its own connection (a fresh undici Agent, closed after),
 * so the times include connect and TLS handshake and the certificate is
 * always seen. A server that is down is a measurement (success 0,
 * CRITICAL); only the run's own timeout fails the run.
 */
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { defineSlurper, Type, type CheckState, type CollectedSample } from '../contract.js';
import { describeNetError } from './system/net-error.js';

/** The body's first `limit` bytes as text, and its full length (read to the end: total time is the whole download). */
async function readBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<{ text: string; bytes: number }> {
  if (body === null) return { text: '', bytes: 0 };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    if (bytes < limit) chunks.push(chunk.subarray(0, limit - bytes));
    bytes += chunk.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes };
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(0)} ms`;

export default defineSlurper({
  name: 'http',
  description: 'Status, total time, time to first byte, TLS certificate days left and an optional body match of one HTTP(S) request.',
  options: Type.Object(
    {
      url: Type.String({ pattern: '^https?://', 'x-expected': 'an http:// or https:// URL' }),
      method: Type.Union([Type.Literal('GET'), Type.Literal('HEAD')], { default: 'GET' }),
      headers: Type.Record(Type.String(), Type.String(), { default: {} }),
      expectStatus: Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { default: [], description: 'Accepted statuses; default: 200-399.' }),
      bodyMatch: Type.Optional(Type.String({ description: 'A regular expression the body must match.' })),
      followRedirects: Type.Boolean({ default: true }),
      tlsVerify: Type.Boolean({ default: true }),
      tlsWarningDays: Type.Number({ default: 21 }),
      tlsCriticalDays: Type.Number({ default: 7 }),
      requestTimeoutSeconds: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'Longer than this is a failed request (keep it under the instance timeout).' }),
      maxBodyBytes: Type.Integer({ minimum: 0, default: 1024 * 1024, description: 'How much of the body is kept for bodyMatch.' }),
    },
    { additionalProperties: false },
  ),
  async collect(ctx, options) {
    const pattern = options.bodyMatch === undefined ? undefined : new RegExp(options.bodyMatch);
    let certificate: ReturnType<TLSSocket['getPeerCertificate']> | undefined;
    const connect = buildConnector({ rejectUnauthorized: options.tlsVerify });
    const agent = new Agent({
      connect: (connectOptions, callback) =>
        connect(connectOptions, (...args) => {
          const socket = args[1];
          if (socket && 'getPeerCertificate' in socket) certificate = socket.getPeerCertificate();
          callback(...args);
        }),
    });
    const deadline = AbortSignal.timeout(options.requestTimeoutSeconds * 1000);
    const started = performance.now();
    try {
      const response = await ctx.fetch(options.url, {
        method: options.method,
        headers: options.headers,
        redirect: options.followRedirects ? 'follow' : 'manual',
        dispatcher: agent,
        signal: deadline,
      });
      const ttfb = (performance.now() - started) / 1000;
      const body = await readBody(response.body, options.maxBodyBytes);
      const total = (performance.now() - started) / 1000;

      const expected = options.expectStatus.length > 0 ? options.expectStatus.includes(response.status) : response.status >= 200 && response.status < 400;
      const matched = pattern === undefined ? undefined : pattern.test(body.text);
      const daysLeft = certificate?.valid_to ? (Date.parse(certificate.valid_to) / 1000 - ctx.now) / 86400 : undefined;
      const samples: CollectedSample[] = [
        { series: 'success', value: expected && matched !== false ? 1 : 0 },
        { series: 'status', value: response.status },
        { series: 'ttfb_seconds', value: ttfb, unit: 's' },
        { series: 'total_seconds', value: total, unit: 's' },
        { series: 'body_bytes', value: body.bytes, unit: 'B' },
      ];
      if (daysLeft !== undefined) {
        const thresholds = { warning: `${options.tlsWarningDays}:`, critical: `${options.tlsCriticalDays}:` };
        samples.push({ series: 'tls_days_left', value: daysLeft, unit: 'days', thresholds });
      }
      if (matched !== undefined) samples.push({ series: 'body_match', value: matched ? 1 : 0 });

      const problems: Array<[CheckState['status'], string]> = [];
      if (!expected) problems.push(['CRITICAL', `status ${response.status}, expected ${options.expectStatus.join(', ') || '200-399'}`]);
      if (matched === false) problems.push(['CRITICAL', `body does not match /${options.bodyMatch}/`]);
      if (daysLeft !== undefined && daysLeft < options.tlsWarningDays) {
        problems.push([daysLeft < options.tlsCriticalDays ? 'CRITICAL' : 'WARNING', `TLS certificate expires in ${daysLeft.toFixed(1)} days`]);
      }
      const status = problems.some(([s]) => s === 'CRITICAL') ? 'CRITICAL' : problems.length > 0 ? 'WARNING' : 'OK';
      const summary = `${response.status} in ${ms(total)}`;
      return { samples, state: { status, message: [summary, ...problems.map(([, text]) => text)].join('; ') } };
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const why = deadline.aborted ? `no answer within ${options.requestTimeoutSeconds} s` : describeNetError(error);
      return {
        samples: [
          { series: 'success', value: 0 },
          { series: 'status', value: null },
          { series: 'total_seconds', value: null, unit: 's' },
        ],
        state: { status: 'CRITICAL', message: `${options.url}: ${why}` },
      };
    } finally {
      await agent.destroy().catch(() => {});
    }
  },
});
