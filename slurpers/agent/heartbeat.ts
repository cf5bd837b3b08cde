/**
 * Tells the server, every `intervalSeconds`, that this agent is alive and
 * how its instances are doing: POST /api/v1/agents/heartbeat. The first
 * heartbeat goes at start. A failed heartbeat is not retried (the next one
 * comes soon); failures are logged when they start and when they end.
 */
import type { SlurperLogger } from '../contract.js';
import { errorText } from '../host/error-text.js';
import { serverMessage, type ServerClient } from './server-client.js';

export const HEARTBEAT_PATH = '/api/v1/agents/heartbeat';

/** One instance as the heartbeat reports it. */
export interface HeartbeatInstance {
  readonly name: string;
  readonly slurper: string;
  /** Whether the last run succeeded; null before the first run. */
  readonly up: boolean | null;
  /** Unix seconds at which the last finished run started; null before the first run. */
  readonly lastRun: number | null;
}

/** The heartbeat's body. */
export interface HeartbeatBody {
  readonly name: string;
  readonly version: string;
  readonly hostname: string;
  readonly instances: readonly HeartbeatInstance[];
  /** Samples spooled and not yet acknowledged by the server. */
  readonly spooledSamples: number;
}

export interface HeartbeatOptions {
  readonly client: Pick<ServerClient, 'post'>;
  readonly log: SlurperLogger;
  readonly intervalSeconds: number;
  /** The body, as of now; called for every heartbeat. */
  readonly body: () => HeartbeatBody;
}

/** A running heartbeat; stop() cancels the timer and the heartbeat in flight. */
export interface Heartbeat {
  stop(): Promise<void>;
}

export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { client, log } = options;
  const abort = new AbortController();
  let failing: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const beat = async (): Promise<void> => {
    let problem: string | undefined;
    try {
      const reply = await client.post(HEARTBEAT_PATH, JSON.stringify(options.body()), abort.signal);
      if (reply.status !== 204 && reply.status !== 200) problem = `HTTP ${reply.status}: ${serverMessage(reply)}`;
    } catch (e) {
      if (abort.signal.aborted) return;
      problem = errorText(e);
    }
    if (problem !== undefined && failing === undefined) log.warn({ reason: problem }, `heartbeat: not delivered (${problem}); trying again every ${options.intervalSeconds} s`);
    if (problem === undefined && failing !== undefined) log.info('heartbeat: delivered again');
    failing = problem;
  };

  const schedule = (): void => {
    inFlight = beat().finally(() => {
      if (!abort.signal.aborted) timer = setTimeout(schedule, options.intervalSeconds * 1000);
    });
  };
  schedule();

  return {
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await inFlight;
    },
  };
}
