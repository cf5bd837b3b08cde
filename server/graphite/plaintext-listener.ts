/**
 * Graphite's plaintext protocol on TCP: one `path value timestamp` per line,
 * so collectd, Telegraf and netcat scripts can send without change. The
 * protocol has no replies: bad lines are logged (once per connection and
 * kind) and counted; good lines are batched and handed to the store. A
 * timestamp the store's time rule refuses (before 1980-01-27, or more than
 * `limits.maxFutureSeconds` ahead of the clock) is a bad line: the listener
 * needs no token, so one line must not be able to lock a series.
 *
 * Nor may a stranger hold the server's file descriptors: a connection idle
 * for `idleTimeoutSeconds` is closed (its partial line taken as at its
 * end), past `maxConnections` open ones a new connection is closed at once
 * (logged once per episode), and with an `allow` list a client not on it is
 * closed at once. Each is counted.
 */
import { createServer, type BlockList, type Server, type Socket } from 'node:net';
import { parseDecimal, parseTimeText } from '../../archive/index.js';
import { checkSeriesName } from '../config-schema/index.js';
import type { JournaledSample } from '../journal/index.js';
import { DEFAULT_MAX_FUTURE_SECONDS, timeProblem, type SampleSink } from '../store/index.js';

/** Where good lines go: the store (its ingest resolves once they are durable, with those refused as not newer than their series). */
export type PlaintextSink = SampleSink;

export interface PlaintextLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PlaintextStats {
  linesAccepted: number;
  linesInvalid: number;
  samplesRejected: number;
  /** Connections open now. */
  connectionsOpen: number;
  /** Connections closed at once because `maxConnections` were open. */
  connectionsOverLimit: number;
  /** Connections closed at once because their address is not on the allow list. */
  connectionsDenied: number;
  /** Connections closed after `idleTimeoutSeconds` without a byte. */
  connectionsIdleClosed: number;
}

/** Lines per batch handed to the store; a connection's partial batch goes after BATCH_MS. */
const BATCH_LINES = 5000;
const BATCH_MS = 100;
const MAX_LINE = 4096;
/** Denied addresses logged (each once); further ones are only counted. */
const MAX_DENIED_LOGGED = 100;
/** Carbon's forms of a value besides numbers: NaN (carbon drops it; here it is UNKNOWN), and rrdtool's U. */
const UNKNOWN_VALUE = /^(nan|NaN|U)$/;

/** Parses one line at `now`; a string is the problem with it. */
export function parsePlaintextLine(line: string, now: number, maxNameLength: number, maxFutureSeconds = DEFAULT_MAX_FUTURE_SECONDS): JournaledSample | string {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 2 || fields.length > 3) return `expected 'path value timestamp', got ${fields.length} fields`;
  const [series, valueText, timeText] = fields;
  const nameProblem = checkSeriesName(series, maxNameLength);
  if (nameProblem) return `path '${series.slice(0, 80)}' is not a valid series name: it ${nameProblem}`;
  // Decimal text only, read as the time is (rrdtool's reading): Number() would take 0x10 as 16, 0b1 and Infinity too.
  const value = UNKNOWN_VALUE.test(valueText) ? null : (parseDecimal(valueText) ?? NaN);
  if (value !== null && !Number.isFinite(value)) return `value '${valueText.slice(0, 40)}' is not a number in decimal (like 42, -2.5, 1e3, or nan)`;
  // Graphite clients send -1 or nothing for "now".
  // A fraction is read as rrdtool reads update times (archive/sample-time.ts), so it lands on rrdtool's microsecond.
  const time = timeText === undefined || timeText === '-1' || timeText === 'N' ? now : (parseTimeText(timeText) ?? NaN);
  if (!Number.isFinite(time) || time <= 0) return `timestamp '${String(timeText).slice(0, 40)}' is not Unix seconds`;
  const badTime = timeProblem(time, now, maxFutureSeconds);
  if (badTime !== undefined) return `timestamp ${badTime}`;
  return { series, time, value };
}

export interface PlaintextOptions {
  readonly host: string;
  readonly port: number;
  readonly sink: PlaintextSink;
  readonly log: PlaintextLogger;
  readonly seriesNameLength: number;
  /** `limits.maxFutureSeconds` (default DEFAULT_MAX_FUTURE_SECONDS). */
  readonly maxFutureSeconds?: number;
  /** A connection without a byte for this long is closed. */
  readonly idleTimeoutSeconds: number;
  /** Most connections open at once; further ones are closed as they come. */
  readonly maxConnections: number;
  /** The only client addresses served, when given (config-section.ts allowList). */
  readonly allow?: BlockList;
  readonly now?: () => number;
}

export class PlaintextListener {
  readonly stats: PlaintextStats = { linesAccepted: 0, linesInvalid: 0, samplesRejected: 0, connectionsOpen: 0, connectionsOverLimit: 0, connectionsDenied: 0, connectionsIdleClosed: 0 };
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<Promise<void>>();
  private readonly deniedLogged = new Set<string>();
  /** Connections refused over the limit since the last accepted one: an episode is logged at its start and end. */
  private overLimit = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: PlaintextOptions,
  ) {}

  /** Listens; resolves with the listener once bound. */
  static listen(options: PlaintextOptions): Promise<PlaintextListener> {
    const server = createServer();
    // Node closes a connection past this before it becomes a Socket, and says so with 'drop'.
    server.maxConnections = options.maxConnections;
    const listener = new PlaintextListener(server, options);
    server.on('connection', (socket) => listener.accept(socket));
    server.on('drop', (from) => listener.dropped(from?.remoteAddress));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve(listener));
    });
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Stops accepting connections, ends the open ones after their buffered lines, and waits until those are stored. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.end();
    await closed;
    await Promise.all(this.pending);
  }

  private dropped(remote: string | undefined): void {
    this.stats.connectionsOverLimit++;
    if (this.overLimit++ === 0) {
      this.options.log.warn({ remote, open: this.sockets.size }, `graphite: ${this.options.maxConnections} connections open (graphite.maxConnections): closing new ones until some close`);
    }
  }

  /** Whether the client may send; a refused one is closed, counted and (its address, the first time) logged. */
  private admit(socket: Socket): boolean {
    const { allow } = this.options;
    const remote = socket.remoteAddress;
    if (allow === undefined || (remote !== undefined && allow.check(remote, socket.remoteFamily === 'IPv6' ? 'ipv6' : 'ipv4'))) return true;
    this.stats.connectionsDenied++;
    socket.destroy();
    const address = remote ?? 'unknown';
    if (this.deniedLogged.size < MAX_DENIED_LOGGED && !this.deniedLogged.has(address)) {
      this.deniedLogged.add(address);
      this.options.log.warn({ remote: address }, `graphite: closed a connection from ${address}, not in graphite.allow${this.deniedLogged.size === MAX_DENIED_LOGGED ? ` (the last address logged: further ones are only counted in ringmon_graphite_connections_denied_total)` : ''}`);
    }
    return false;
  }

  private accept(socket: Socket): void {
    if (this.overLimit > 0) {
      this.options.log.info({ refused: this.overLimit }, `graphite: accepting connections again; ${this.overLimit} were closed over graphite.maxConnections`);
      this.overLimit = 0;
    }
    if (!this.admit(socket)) return;
    this.sockets.add(socket);
    this.stats.connectionsOpen = this.sockets.size;
    const now = this.options.now ?? (() => Date.now() / 1000);
    let buffered = '';
    let batch: JournaledSample[] = [];
    let timer: NodeJS.Timeout | undefined;
    const warned = new Set<string>();
    const send = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (batch.length === 0) return;
      const samples = batch;
      batch = [];
      const done = this.options.sink
        .ingest(samples)
        .then((r) => {
          this.stats.linesAccepted += samples.length - r.rejected.length;
          this.stats.samplesRejected += r.rejected.length;
        })
        .catch((e: unknown) => this.options.log.error({ err: e, samples: samples.length }, 'graphite: could not store samples'))
        .finally(() => this.pending.delete(done));
      this.pending.add(done);
    };
    const take = (line: string): void => {
      if (line.trim() === '') return;
      const parsed = parsePlaintextLine(line, now(), this.options.seriesNameLength, this.options.maxFutureSeconds);
      if (typeof parsed === 'string') {
        this.stats.linesInvalid++;
        const kind = parsed.split(' ')[0];
        if (!warned.has(kind)) {
          warned.add(kind);
          this.options.log.warn({ remote: socket.remoteAddress }, `graphite: ignoring bad line: ${parsed}`);
        }
        return;
      }
      batch.push(parsed);
      if (batch.length >= BATCH_LINES) send();
      else timer ??= setTimeout(send, BATCH_MS);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        take(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
      if (buffered.length > MAX_LINE) {
        this.stats.linesInvalid++;
        buffered = '';
      }
    });
    const finish = (): void => {
      take(buffered);
      buffered = '';
      send();
    };
    socket.on('end', finish);
    socket.setTimeout(this.options.idleTimeoutSeconds * 1000, () => {
      this.stats.connectionsIdleClosed++;
      finish();
      socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      send();
      this.sockets.delete(socket);
      this.stats.connectionsOpen = this.sockets.size;
    });
  }
}
