/**
 * The agents the server has heard from: each one's last heartbeat and when
 * it came. Kept in memory and persisted to `<dataDir>/agents.json` — at most
 * once per `persistIntervalSeconds` (heartbeats from 10,000 agents must not
 * mean 300 file writes a second), replaced whole by lib/durable-file's
 * replaceFile (mode 0600, a uniquely named temporary file synced and renamed
 * over the old one, the folder synced), so the file is always one complete
 * version, and a leftover of a crash is never reused.
 * A crash loses at most the last interval's heartbeats, which the agents
 * send again within their own interval; a removal is written at once.
 *
 * Bounded (config-section.ts): a heartbeat that would bring the registry past
 * `agents.maxAgents` agents or `agents.maxInstances` instances in all is
 * refused with AgentRegistryFullError, and nothing changes; known agents
 * within the bounds keep reporting.
 */
import { readFileSync, renameSync } from 'node:fs';
import { replaceFile } from '../../lib/durable-file.js';
import { dottedPrefixes } from '../../lib/dotted-prefix.js';
import { DEFAULT_AGENTS } from './config-section.js';

/** Most instances one heartbeat may list (the route's schema says so too). */
export const MAX_HEARTBEAT_INSTANCES = 1000;

/** A heartbeat the registry has no room for; the message names the setting. */
export class AgentRegistryFullError extends Error {
  override name = 'AgentRegistryFullError';
}

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
  /** agents.maxAgents, agents.maxInstances (defaults DEFAULT_AGENTS). */
  readonly maxAgents?: number;
  readonly maxInstances?: number;
}

/** One page of the agents, by name, and the name to ask `after` for the next (undefined on the last). */
export interface AgentPage {
  readonly agents: AgentRecord[];
  readonly next?: string;
}

const FILE_VERSION = 1;

export class AgentRegistry {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Instance name → the agent that last reported running it: instance names prefix their series. */
  private readonly byInstance = new Map<string, string>();
  /** Instances the agents' last heartbeats list, all together. */
  private instances = 0;

  private constructor(
    private readonly path: string,
    private readonly agents: Map<string, AgentRecord>,
    private readonly log: RegistryLogger,
    private readonly intervalMs: number,
    private readonly bounds: { readonly maxAgents: number; readonly maxInstances: number },
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
    const bounds = { maxAgents: options.maxAgents ?? DEFAULT_AGENTS.maxAgents, maxInstances: options.maxInstances ?? DEFAULT_AGENTS.maxInstances };
    return new AgentRegistry(path, agents, options.log, (options.persistIntervalSeconds ?? 5) * 1000, bounds);
  }

  /**
   * Records a heartbeat received at `now` (Unix seconds) with the token named
   * `principal`; persisted within the interval. Throws AgentRegistryFullError,
   * changing nothing, when it would pass agents.maxAgents or agents.maxInstances.
   */
  record(heartbeat: AgentHeartbeat, principal: string, now: number): AgentRecord {
    const before = this.agents.get(heartbeat.name);
    const { maxAgents, maxInstances } = this.bounds;
    if (before === undefined && this.agents.size >= maxAgents) {
      throw new AgentRegistryFullError(`the server knows ${this.agents.size} agents, agents.maxAgents is ${maxAgents}; remove retired ones with DELETE /api/v1/agents/<name>`);
    }
    const instances = this.instances - (before?.instances.length ?? 0) + heartbeat.instances.length;
    if (instances > maxInstances) {
      throw new AgentRegistryFullError(
        `this heartbeat's ${heartbeat.instances.length} instances would bring the agents' instances to ${instances}, agents.maxInstances is ${maxInstances}; remove retired agents with DELETE /api/v1/agents/<name>`,
      );
    }
    const record: AgentRecord = { ...heartbeat, lastSeen: now, principal };
    if (before) this.unindex(before);
    this.agents.set(heartbeat.name, record);
    this.index(record);
    this.changed();
    return record;
  }

  /** Forgets the agent `name` and writes the file at once (false: no such agent). Never rejects: a failed write is logged and tried again at the next change, as for heartbeats. */
  async remove(name: string): Promise<boolean> {
    const record = this.agents.get(name);
    if (record === undefined) return false;
    this.unindex(record);
    this.agents.delete(name);
    this.dirty = true;
    await this.flush();
    return true;
  }

  /** Marks the registry changed and schedules its write. */
  private changed(): void {
    this.dirty = true;
    if (this.timer === undefined && !this.closed) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  /**
   * The agent a series comes from: the one whose instance name is the
   * longest dotted prefix of the series (`web01.http.status` from the agent
   * running `web01.http`), as its last heartbeat listed its instances; for
   * downtimes scoped to agents.
   */
  agentOf(series: string): string | undefined {
    for (const prefix of dottedPrefixes(series)) {
      const agent = this.byInstance.get(prefix);
      if (agent !== undefined) return agent;
    }
    return undefined;
  }

  private index(record: AgentRecord): void {
    this.instances += record.instances.length;
    for (const instance of record.instances) this.byInstance.set(instance.name, record.name);
  }

  private unindex(record: AgentRecord): void {
    this.instances -= record.instances.length;
    for (const instance of record.instances) if (this.byInstance.get(instance.name) === record.name) this.byInstance.delete(instance.name);
  }

  /** Every agent, by name. */
  list(): AgentRecord[] {
    return [...this.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** At most `limit` agents by name, those after the name `after` when given (the previous page's `next`). */
  page(limit: number, after?: string): AgentPage {
    const all = this.list();
    const start = after === undefined ? 0 : all.findIndex((a) => a.name > after);
    const agents = start === -1 ? [] : all.slice(start, start + limit);
    const more = start !== -1 && start + limit < all.length;
    return more ? { agents, next: agents[agents.length - 1].name } : { agents };
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
