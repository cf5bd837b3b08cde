/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it
 * accepts, parsed; it can refuse recipients for good (550) or for now (451).
 */
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './received-mail.js';

export interface ReceivedMail extends ParsedMail {
  readonly envelopeTo: readonly string[];
  readonly raw: string;
  /** Date.now() when the message was accepted. */
  readonly acceptedAt: number;
}

export interface SinkOptions {
  /** An SMTP reply code (and text) for this recipient address, or undefined to accept it. */
  readonly refuse?: (address: string) => { code: number; message: string } | undefined;
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** Listens on `port` (0: any free one). */
  static async start(port = 0, options: SinkOptions = {}): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // A reverse DNS lookup of 127.0.0.1 costs each connection 100 ms or more.
      disableReverseLookup: true,
      // Pooled clients keep connections open; a test stopping the sink should not wait 30 s for them.
      closeTimeout: 100,
      onRcptTo(address, _session, callback) {
        const refusal = options.refuse?.(address.address);
        if (refusal === undefined) return callback();
        return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const acceptedAt = Date.now();
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          parseMail(raw).then(
            (parsed) => {
              sink?.accept({ ...parsed, raw, envelopeTo, acceptedAt });
              callback();
            },
            (e: Error) => callback(e),
          );
        });
      },
    });
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      const listener = server.listen(port, '127.0.0.1', () => resolve((listener.address() as { port: number }).port));
    });
    sink = new SmtpSink(server, bound);
    return sink;
  }

  /** Resolves once `count` messages have arrived in all; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} messages, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(mail: ReceivedMail): void {
    this.received.push(mail);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
