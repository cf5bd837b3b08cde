/**
 * `tcp`: can a TCP connection to host:port be made, and how long does it
 * take. Samples: `success` (1/0) and `connect_seconds` (unknown when the
 * connection failed). A refused or unanswered connection is a measurement
 * (success 0, CRITICAL), not a failed run; only the run's own timeout is.
 */
import { connect } from 'node:net';
import { defineSlurper, Type } from '../contract.js';
import { describeNetError } from './system/net-error.js';

/** Resolves with the connect time in seconds, or rejects with the socket's error; always closes the socket. */
function timeConnect(host: string, port: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve((performance.now() - started) / 1000);
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

export default defineSlurper({
  name: 'tcp',
  description: 'Connect time and success of a TCP connection to host:port.',
  options: Type.Object(
    {
      host: Type.String({ minLength: 1 }),
      port: Type.Integer({ minimum: 1, maximum: 65535 }),
      connectTimeoutSeconds: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'Longer than this is a failed connection (keep it under the instance timeout).' }),
    },
    { additionalProperties: false },
  ),
  async collect(ctx, { host, port, connectTimeoutSeconds }) {
    const target = `${host}:${port}`;
    const deadline = AbortSignal.timeout(connectTimeoutSeconds * 1000);
    try {
      const seconds = await timeConnect(host, port, AbortSignal.any([ctx.signal, deadline]));
      return {
        samples: [
          { series: 'success', value: 1 },
          { series: 'connect_seconds', value: seconds, unit: 's' },
        ],
        state: { status: 'OK', message: `${target}: connected in ${(seconds * 1000).toFixed(1)} ms` },
      };
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const why = deadline.aborted ? `no connection within ${connectTimeoutSeconds} s` : describeNetError(error);
      return {
        samples: [
          { series: 'success', value: 0 },
          { series: 'connect_seconds', value: null, unit: 's' },
        ],
        state: { status: 'CRITICAL', message: `${target}: ${why}` },
      };
    }
  },
});
