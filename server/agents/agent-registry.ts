/**
 * The agents the server has heard from: each one's last heartbeat and when
 * it came. Kept in memory and persisted to `<dataDir>/agents.json` — at most
 * once per `persistIntervalSeconds` (heartbeats from 10,000 agents must not
 * mean 300 file writes a second), replaced whole by lib/durable-file's
 * replaceFile (mode 0600, a uniquely named temporary file synced and renamed
 * over the old one, the folder synced), so the file is always one complete
 * version, and a leftover of a crash is never reused.
 * A crash loses at most the last interval's heartbeats, which the agents
 * send again within their own interval.
 */
import { readFileSync, renameSync } from 'node:fs';
import { replaceFile } from '../../lib/durable-file.js';

/** An instance as an agent reported it. */
export interface AgentInstance {
  readonly name: string;
  readonly slurper: string;
  readonly up: boolean | null;
  readonly lastRun: number | null;
}

/** What a heartbeat says. */
export interface AgentHeartbeat {
  readonly name: string;
  readonly hostname: string;
  readonly version: string;
  readonly instances: readonly AgentInstance[];
  readonly spooledSamples: number;
}

/** An agent as the registry knows it: its last heartbeat, when it came (Unix seconds) and with whose token (its name, never the token itself). */
export interface AgentRecord extends AgentHeartbeat {
  readonly lastSeen: number;
  readonly principal: string;
}

/** What logs the registry's trouble (pino fits). */
export interface RegistryLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface AgentRegistryOptions {
  readonly log: RegistryLogger;
  /** Least time between two writes of the file (default 5 s). */
  readonly persistIntervalSeconds?: number;
}

const FILE_VERSION = 1;

export class AgentRegistry {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Instance name → the agent that last reported running it: instance names prefix their series. */
  private readonly byInstance = new Map<string, string>();

  private constructor(
    private readonly path: string,
    private readonly agents: Map<string, AgentRecord>,
    private readonly log: RegistryLogger,
    private readonly intervalMs: number,
  ) {
    for (const record of agents.values()) this.index(record);
  }

  /**
   * The registry persisted at `path`; empty when the file does not exist.
   * A file that cannot be parsed is logged and set aside (renamed to
   * `<path>.bad`), and the registry starts empty: last-seen times are not
   * worth refusing to start the server for.
   */
  static open(path: string, options: AgentRegistryOptions): AgentRegistry {
    const agents = new Map<string, AgentRecord>();
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text !== undefined) {
      try {
        const data = JSON.parse(text) as { version?: unknown; agents?: unknown };
        if (data.version !== FILE_VERSION || !Array.isArray(data.agents)) throw new Error(`expected {"version":${FILE_VERSION},"agents":[...]}`);
        for (const record of data.agents as AgentRecord[]) agents.set(record.name, record);
      } catch (e) {
        options.log.error({ file: path, err: e }, `agent registry: ${path} cannot be read (${(e as Error).message}); set aside as ${path}.bad, starting empty`);
        renameSync(path, `${path}.bad`);
        agents.clear();
      }
    }
    return new AgentRegistry(path, agents, options.log, (options.persistIntervalSeconds ?? 5) * 1000);
  }

  /** Records a heartbeat received at `now` (Unix seconds) with the token named `principal`; persisted within the interval. */
  record(heartbeat: AgentHeartbeat, principal: string, now: number): AgentRecord {
    const record: AgentRecord = { ...heartbeat, lastSeen: now, principal };
    const before = this.agents.get(heartbeat.name);
    if (before) for (const instance of before.instances) if (this.byInstance.get(instance.name) === before.name) this.byInstance.delete(instance.name);
    this.agents.set(heartbeat.name, record);
    this.index(record);
    this.dirty = true;
    if (this.timer === undefined && !this.closed) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.intervalMs);
      this.timer.unref();
    }
    return record;
  }

  /**
   * The agent a series comes from: the one whose instance name is the
   * longest dotted prefix of the series (`web01.http.status` from the agent
   * running `web01.http`), as its last heartbeat listed its instances; for
   * downtimes scoped to agents.
   */
  agentOf(series: string): string | undefined {
    for (let end = series.lastIndexOf('.'); end > 0; end = series.lastIndexOf('.', end - 1)) {
      const agent = this.byInstance.get(series.slice(0, end));
      if (agent !== undefined) return agent;
    }
    return undefined;
  }

  private index(record: AgentRecord): void {
    for (const instance of record.instances) this.byInstance.set(instance.name, record.name);
  }

  /** Every agent, by name. */
  list(): AgentRecord[] {
    return [...this.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.agents.size;
  }

  /** Writes the file now if anything changed. Never rejects: a failed write is logged and tried again at the next change. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await replaceFile(this.path, JSON.stringify({ version: FILE_VERSION, agents: this.list() }));
      } catch (e) {
        this.dirty = true;
        this.log.warn({ file: this.path, err: e }, `agent registry: cannot write ${this.path}: ${(e as Error).message}`);
      }
    });
    return this.writing;
  }

  /** Stops the timer and writes what changed. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
