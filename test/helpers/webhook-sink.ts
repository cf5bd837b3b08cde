/** A real HTTP receiver on 127.0.0.1 (node:http) that records every POST and answers with the statuses it is given. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedCall {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly status: number;
}

export class WebhookSink {
  readonly calls: ReceivedCall[] = [];
  /** Statuses for the next calls, in order; 200 once they run out. */
  readonly answers: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<WebhookSink> {
    let sink: WebhookSink | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = sink?.answers.shift() ?? 200;
        sink?.calls.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
      });
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    sink = new WebhookSink(server, port);
    return sink;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Calls answered with 2xx. */
  delivered(): ReceivedCall[] {
    return this.calls.filter((c) => c.status >= 200 && c.status < 300);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
