/**
 * The same Graphite plaintext stream for every server: `series` series, one
 * sample each per round, rounds 10 s apart in sample time.
 */
import { connect, type Socket } from 'node:net';

export interface StreamShape {
  readonly series: number;
  /** Sample time of round 0 (Unix seconds). */
  readonly t0: number;
  readonly stepSeconds: number;
}

/** 100k names spread like hosts and metrics: bench.h0123.m45 */
export function seriesName(prefix: string, i: number): string {
  return `${prefix}.h${String(Math.floor(i / 100)).padStart(4, '0')}.m${String(i % 100).padStart(2, '0')}`;
}

/** One round as plaintext lines, in chunks of about 64 KiB. */
export function roundChunks(shape: StreamShape, round: number, range: readonly [number, number] = [0, shape.series]): Buffer[] {
  const t = shape.t0 + round * shape.stepSeconds;
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  for (let i = range[0]; i < range[1]; i++) {
    lines.push(`${seriesName('bench', i)} ${(i % 1000) + round} ${t}\n`);
    if (lines.length === 1500) {
      chunks.push(Buffer.from(lines.join('')));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(lines.join('')));
  return chunks;
}

export function openStream(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes the chunks, honouring backpressure. */
export async function send(socket: Socket, chunks: readonly Buffer[]): Promise<void> {
  for (const chunk of chunks) {
    if (!socket.write(chunk)) await new Promise<void>((r) => socket.once('drain', () => r()));
  }
}

export function closeStream(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
  });
}
