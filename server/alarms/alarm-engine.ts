/**
 * The alarm engine: samples in, transitions and notices out.
 *
 *   store.onAccepted ─► evaluator.observe ─► queue ─► flush: downtime in force,
 *   timer (1 s) ─► evaluator.checkNodata ─┘            notice policy, SQLite, outbox
 *
 * observe() runs on the ingest path and only evaluates; everything that
 * waits (the database, the outbox) happens in flush(), one at a time, soon
 * after (setImmediate), so an alarm is known within a second of its sample.
 *
 * Nothing is lost on a crash: a transition is committed with `noticed = 0`
 * before its notice is handed to the outbox, and marked once the outbox has
 * it; a start hands on whatever is still unmarked. The one window left
 * (the outbox took it, the mark did not happen) sends a notice twice, never
 * zero times. A transition the evaluator found but the process did not live
 * to commit is found again by the series' next sample, since the stored
 * state still says otherwise.
 */
import type { ServerConfig } from '../config/index.js';
import type { DatabaseSource } from '../database/index.js';
import type { ActiveDowntime } from '../downtimes/index.js';
import { AlarmEvaluator, type SeriesAlarm } from './evaluator.js';
import { AlarmStore, type HistoryQuery, type NewTransition, type RecordedTransition, type StoredAlarm } from './alarm-store.js';
import type { AlarmNotice, AlarmRule, AlarmState, NoticeKind, Thresholds, Transition } from './model.js';
import { decideAfterDowntime, decideOnChange, FRESH_MEMORY, reminderDue, type NoticeMemory } from './notice-policy.js';
import { compileRules, type RuleSet } from './rule-set.js';

/** The downtime questions alarms ask (server/downtimes' Downtimes answers them). */
export interface DowntimeQuestions {
  activePlannedDowntime(series: string, t: number, agent?: string): ActiveDowntime | undefined;
  activeUnplannedDowntime(series: string, t: number, agent?: string): ActiveDowntime | undefined;
}

/** Where notices go (server/notify's Notifier): durable once the promise resolves. */
export interface NoticeSink {
  notify(recipients: readonly string[], notices: readonly AlarmNotice[]): Promise<void>;
}

export interface AlarmLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface AlarmEngineOptions {
  /** The server's shared database connection, or a file of its own (server/database). */
  readonly file: DatabaseSource;
  readonly alarms: ServerConfig['alarms'];
  readonly downtimes: DowntimeQuestions;
  readonly notices: NoticeSink;
  readonly log: AlarmLogger;
  /** The link to a series' graph, for notices. */
  readonly graphUrl: (series: string) => string;
  /** The agent a series comes from, for downtimes scoped to agents (server/agents' AgentRegistry.agentOf). */
  readonly agentOf?: (series: string) => string | undefined;
  /** Unix seconds; injectable for tests. */
  readonly now?: () => number;
  /** How often nodata, downtime ends and reminders are looked at; default 1,000 ms. */
  readonly tickMs?: number;
}

/** The current state of an alarmed series, as the API shows it. */
export interface AlarmView extends AlarmState {
  readonly thresholds: Thresholds;
  /** The downtime in force now: a planned one first, else an unplanned one. */
  readonly downtime: ActiveDowntime | null;
  /** The last change was kept quiet by a planned downtime still in force. */
  readonly suppressed: boolean;
}

interface Counters {
  transitions: number;
  notices: number;
  suppressed: number;
  commitFailures: number;
}

export class AlarmEngine {
  private readonly memory = new Map<string, NoticeMemory>();
  /** Series whose memory says told-and-bad or kept-quiet: the only ones a tick looks at. */
  private readonly watched = new Set<string>();
  private queue: Transition[] = [];
  private flushScheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters: Counters = { transitions: 0, notices: 0, suppressed: 0, commitFailures: 0 };
  private readonly rulesByName: ReadonlyMap<string, AlarmRule>;
  private mayAlarm: boolean;

  private constructor(
    private readonly options: AlarmEngineOptions,
    readonly rules: RuleSet,
    private readonly store: AlarmStore,
    private readonly evaluator: AlarmEvaluator,
    private readonly now: () => number,
  ) {
    const offered = rules.offeredRule();
    this.rulesByName = new Map([...rules.rules, ...(offered ? [offered] : [])].map((r) => [r.name, r]));
    this.mayAlarm = rules.rules.length > 0;
  }

  /** Opens the alarm tables, restores the states, and hands the outbox what a crash left unsent. */
  static async open(options: AlarmEngineOptions): Promise<AlarmEngine> {
    const rules = compileRules(options.alarms);
    const store = await AlarmStore.open(options.file);
    try {
      const stored = await store.states();
      const evaluator = new AlarmEvaluator(rules, stored);
      const engine = new AlarmEngine(options, rules, store, evaluator, options.now ?? (() => Date.now() / 1000));
      const gone: string[] = [];
      if (stored.length > 0) engine.mayAlarm = true;
      for (const s of stored) {
        if (evaluator.get(s.series)) engine.remember(s.series, { notified: s.notified, lastNotifiedAt: s.lastNotifiedAt, suppressedBy: s.suppressedBy });
        else gone.push(s.series);
      }
      await store.forget(gone);
      await engine.handOnUnnoticed();
      engine.timer = setInterval(() => engine.runTimers(), options.tickMs ?? 1000);
      engine.timer.unref();
      return engine;
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  /** Evaluates accepted samples; the ingest path (store.onAccepted). */
  observe(samples: readonly { readonly series: string; readonly time: number; readonly value: number | null }[]): void {
    // A server without rules, offers or stored states alarms nothing: not even a lookup per sample.
    if (!this.mayAlarm) return;
    for (const s of samples) {
      const transition = this.evaluator.observe(s.series, s.time, s.value);
      if (transition) this.queue.push(transition);
    }
    if (this.queue.length > 0) this.scheduleFlush();
  }

  /** Thresholds a slurper offers for a series; a bad range is logged and ignored. */
  offer(series: string, thresholds: { readonly warning?: string; readonly critical?: string }): void {
    if (this.rules.offeredRule() !== undefined) this.mayAlarm = true;
    const problem = this.evaluator.offer(series, thresholds);
    if (problem !== undefined) this.options.log.warn({ series }, `alarms: ignoring the thresholds offered for ${series}: ${problem}`);
  }

  /** The series' last sample before this start (from its archive), so nodata counts from then. */
  seen(series: string, lastSampleAt: number): void {
    this.evaluator.seen(series, lastSampleAt);
  }

  current(): AlarmView[] {
    const now = this.now();
    const out: AlarmView[] = [];
    for (const a of this.evaluator.all()) out.push(this.view(a, now));
    return out;
  }

  get(series: string): AlarmView | undefined {
    const a = this.evaluator.get(series);
    return a && this.view(a, this.now());
  }

  history(query: HistoryQuery): Promise<RecordedTransition[]> {
    return this.store.history(query);
  }

  stats(): Readonly<Counters> & { readonly queued: number } {
    return { ...this.counters, queued: this.queue.length };
  }

  /** Resolves once everything evaluated so far is committed and handed to the outbox. */
  settle(): Promise<void> {
    if (!this.closed) this.chain = this.chain.then(() => this.flush());
    return this.chain;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.settle();
    this.closed = true;
    await this.chain;
    await this.store.close();
  }

  private view(a: SeriesAlarm, now: number): AlarmView {
    const planned = this.planned(a.series, now);
    const downtime = planned ?? this.unplanned(a.series, now) ?? null;
    const suppressedBy = this.memory.get(a.series)?.suppressedBy ?? null;
    return {
      ...stateOf(a),
      thresholds: a.thresholds,
      downtime,
      suppressed: suppressedBy !== null && planned?.downtime.id === suppressedBy,
    };
  }

  private planned(series: string, t: number): ActiveDowntime | undefined {
    return this.options.downtimes.activePlannedDowntime(series, t, this.options.agentOf?.(series));
  }

  private unplanned(series: string, t: number): ActiveDowntime | undefined {
    return this.options.downtimes.activeUnplannedDowntime(series, t, this.options.agentOf?.(series));
  }

  private remember(series: string, memory: NoticeMemory): void {
    if (memory === FRESH_MEMORY) this.memory.delete(series);
    else this.memory.set(series, memory);
    if (memory.notified || memory.suppressedBy !== null) this.watched.add(series);
    else this.watched.delete(series);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.chain = this.chain.then(() => this.flush());
    });
  }

  /** Commits the queued transitions with their states, then hands their notices to the outbox. */
  private async flush(): Promise<void> {
    const transitions = this.queue;
    if (transitions.length === 0) return;
    this.queue = [];
    const recorded: NewTransition[] = [];
    const notices: { rule: AlarmRule; notice: AlarmNotice; index: number }[] = [];
    const before = new Map<string, NoticeMemory>();
    transitions.forEach((t, index) => {
      const planned = this.planned(t.series, t.at);
      const downtime = planned ?? this.unplanned(t.series, t.at);
      const memory = this.memory.get(t.series) ?? FRESH_MEMORY;
      if (!before.has(t.series)) before.set(t.series, memory);
      const decision = decideOnChange(memory, t.to, t.at, planned?.downtime.id);
      this.remember(t.series, decision.memory);
      const rule = this.rulesByName.get(t.rule);
      const tellsSomeone = decision.notice !== undefined && rule !== undefined && rule.notify.length > 0;
      if (tellsSomeone) notices.push({ rule, notice: this.notice(decision.notice, t, downtime), index });
      recorded.push({
        ...t,
        downtime: downtime ? { id: downtime.downtime.id, kind: downtime.downtime.kind } : null,
        suppressed: planned !== undefined,
        noticed: !tellsSomeone,
      });
    });
    let committed: RecordedTransition[];
    try {
      committed = await this.store.commit(recorded, [...before.keys()].map((series) => this.stored(series)));
    } catch (e) {
      // Keep them for the next flush, and the memory as the database has it.
      this.counters.commitFailures++;
      for (const [series, memory] of before) this.remember(series, memory);
      this.queue = [...transitions, ...this.queue];
      this.options.log.error({ err: e, transitions: transitions.length }, 'alarms: could not record transitions; retrying at the next tick');
      return;
    }
    this.counters.transitions += committed.length;
    this.counters.suppressed += recorded.filter((t) => t.suppressed).length;
    await this.handOn(notices.map((n) => ({ rule: n.rule, notice: n.notice, transitionId: committed[n.index].id })));
  }

  /** Gives notices to the outbox, one call per recipient list, then marks their transitions. */
  private async handOn(notices: readonly { rule: AlarmRule; notice: AlarmNotice; transitionId?: number }[]): Promise<void> {
    const byRecipients = new Map<string, { recipients: readonly string[]; notices: AlarmNotice[]; ids: number[] }>();
    for (const { rule, notice, transitionId } of notices) {
      const key = rule.notify.join(',');
      let group = byRecipients.get(key);
      if (!group) byRecipients.set(key, (group = { recipients: rule.notify, notices: [], ids: [] }));
      group.notices.push(notice);
      if (transitionId !== undefined) group.ids.push(transitionId);
    }
    for (const group of byRecipients.values()) {
      try {
        await this.options.notices.notify(group.recipients, group.notices);
        this.counters.notices += group.notices.length;
        await this.store.markNoticed(group.ids);
      } catch (e) {
        // Unmarked transitions are handed on again at the next start.
        this.options.log.error({ err: e, recipients: group.recipients, notices: group.notices.length }, 'alarms: the outbox did not take the notices; they are handed on again at the next start');
      }
    }
  }

  /** At start: notices of transitions committed before a stop that never reached the outbox. */
  private async handOnUnnoticed(): Promise<void> {
    const pending = await this.store.unnoticed();
    const notices: { rule: AlarmRule; notice: AlarmNotice; transitionId: number }[] = [];
    const orphans: number[] = [];
    for (const t of pending) {
      const rule = this.rulesByName.get(t.rule);
      if (!rule || rule.notify.length === 0) orphans.push(t.id);
      else {
        const kind: NoticeKind = t.to === 'OK' ? 'recovery' : 'problem';
        const downtime = t.downtime ? (this.unplanned(t.series, t.at) ?? undefined) : undefined;
        notices.push({ rule, notice: this.notice(kind, t, downtime), transitionId: t.id });
      }
    }
    await this.store.markNoticed(orphans);
    if (notices.length > 0) this.options.log.info({ notices: notices.length }, 'alarms: handing on notices a stop left unsent');
    await this.handOn(notices);
  }

  private notice(kind: NoticeKind, t: Transition, downtime: ActiveDowntime | undefined): AlarmNotice {
    const state = this.evaluator.get(t.series);
    return {
      kind,
      series: t.series,
      rule: t.rule,
      status: t.to,
      previous: t.from,
      since: kind === 'problem' || kind === 'recovery' ? t.at : (state?.since ?? t.at),
      at: kind === 'problem' || kind === 'recovery' ? t.at : this.now(),
      value: t.value,
      threshold: t.threshold,
      ...(downtime ? { downtime: { id: downtime.downtime.id, kind: downtime.downtime.kind, reason: downtime.downtime.reason } } : {}),
      graphUrl: this.options.graphUrl(t.series),
    };
  }

  private stored(series: string): StoredAlarm {
    const a = this.evaluator.get(series);
    const memory = this.memory.get(series) ?? FRESH_MEMORY;
    if (!a) throw new Error(`alarms: no state for ${series}`);
    return { ...stateOf(a), notified: memory.notified, lastNotifiedAt: memory.lastNotifiedAt, suppressedBy: memory.suppressedBy };
  }

  /** Nodata, ended downtimes and reminders, then a flush; the timer's work (tests with an injected clock call it). */
  runTimers(): void {
    if (this.closed) return;
    const now = this.now();
    for (const t of this.evaluator.checkNodata(now)) this.queue.push(t);
    const later: { rule: AlarmRule; notice: AlarmNotice }[] = [];
    const changed: string[] = [];
    for (const series of this.watched) {
      const a = this.evaluator.get(series);
      const memory = this.memory.get(series);
      if (!a || !memory || a.status === 'OK') continue;
      const rule = this.rulesByName.get(a.rule);
      let kind: NoticeKind | undefined;
      let next = memory;
      if (memory.suppressedBy !== null) {
        const decision = decideAfterDowntime(memory, now, this.planned(series, now)?.downtime.id);
        kind = decision.notice;
        next = decision.memory;
      } else if (reminderDue(memory, now, rule?.renotifySeconds) && !this.planned(series, now)) {
        kind = 'reminder';
        next = { ...memory, lastNotifiedAt: now };
      }
      if (next === memory) continue;
      this.remember(series, next);
      changed.push(series);
      if (kind && rule && rule.notify.length > 0) {
        const asTransition: Transition = { series, rule: a.rule, from: a.status, to: a.status, at: a.since, value: a.value, threshold: a.threshold };
        const downtime = this.unplanned(series, now);
        later.push({ rule, notice: this.notice(kind, asTransition, downtime) });
      }
    }
    if (changed.length > 0) {
      // Told first, then remembered: a crash in between repeats the notice rather than losing it.
      this.chain = this.chain.then(async () => {
        await this.handOn(later);
        try {
          await this.store.commit([], changed.map((s) => this.stored(s)));
        } catch (e) {
          this.options.log.error({ err: e }, 'alarms: could not record notice times');
        }
      });
    }
    if (this.queue.length > 0) this.scheduleFlush();
  }
}

/** The state fields alone, without the evaluator's extras. */
function stateOf(a: AlarmState): AlarmState {
  return { series: a.series, rule: a.rule, status: a.status, since: a.since, value: a.value, threshold: a.threshold, lastSampleAt: a.lastSampleAt };
}
