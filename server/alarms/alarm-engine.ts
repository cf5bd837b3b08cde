/**
 * The alarm engine: samples in, transitions recorded, notices handed on.
 *
 *   store.onAccepted ─► evaluator.observe ─┐
 *   timer (1 s) ─► evaluator.checkNodata ──┴─► pending ─► flush: notice policy (decideOnChange),
 *                                                         one commit, then the outbox
 *   timer (1 s) ─► notice policy (decideOnTick) ─► the outbox, then the memory committed
 *
 * What changed is the evaluator's to say (evaluator.ts) and who hears of it
 * the notice policy's (notice-policy.ts); the engine looks up downtimes,
 * commits and hands on. observe() runs on the ingest path and only
 * evaluates; everything that waits (the database, the outbox) happens in
 * flush(), one at a time, soon after (setImmediate), so an alarm is known
 * within a second of its sample.
 *
 * Nothing is lost on a crash: a transition is committed with `noticed = 0`
 * before its notice is handed to the outbox, and marked once the outbox has
 * it; a start hands on whatever is still unmarked. The one window left
 * (the outbox took it, the mark did not happen) sends a notice twice, never
 * zero times. A transition the evaluator found but the process did not live
 * to commit is found again by the series' next sample, since the stored
 * state still says otherwise. While commits fail (a full disk, a closed
 * database) the transitions wait, bounded (pending-changes.ts), and every
 * tick tries again; the notice memory moves only with a commit, so what is
 * owed is decided again then, and told once.
 *
 * Nodes (node-alarms.ts): nodeChanged() turns a node's down and return into
 * the transitions of its `node:<name>` item, carried like any other. While
 * a node is late or down, the transitions of the series hanging on it are
 * recorded with `inhibitedBy` and tell no one, nor are their reminders
 * sent; the notice memory stays what people last heard. When it is back,
 * those series are decided afresh by their next sample, which is told
 * only where it differs from what people heard: a problem still there is
 * told once, a recovery they missed is told, the rest is quiet. A node
 * gone (forgotten, removed by a reload) ends its alarm: recorded OK, a
 * recovery told only to whoever heard of its down, and its item forgotten
 * once that is committed (dropGoneNodes).
 */
import type { ActiveDowntime } from '../downtimes/index.js';
import { AckConflictError, UnknownAlarmError, type AckEvent, type Acknowledgement } from './ack-records.js';
import { Acknowledgements } from './acknowledgements.js';
import { AlarmEvaluator, type SeriesAlarm } from './evaluator.js';
import { AlarmStore } from './alarm-store.js';
import { CommitOutage } from './commit-outage.js';
import type { AlarmEngineOptions, AlarmView, EngineCounters, EngineStats } from './engine-options.js';
import { handOn, type Handing } from './hand-on.js';
import type { AlarmNotice, AlarmRule, AlarmState, AlarmStatus, Transition } from './model.js';
import { isNodeItem, NODE_REMOVED, NodeAlarms, type NodeEvent } from './node-alarms.js';
import { changeNoticeKind, decideOnChange, decideOnTick, FRESH_MEMORY, needsTicks, type NoticeMemory } from './notice-policy.js';
import { changeNotice, standingNotice, type NoticeMore } from './notices.js';
import { PendingChanges } from './pending-changes.js';
import type { HistoryQuery, NewTransition, RecordedTransition, StoredAlarm } from './records.js';
import { compileRules, type RuleSet } from './rule-set.js';

export class AlarmEngine {
  /** What people were told, per series, as last committed (reminders and downtime-over: as told). */
  private readonly memory = new Map<string, NoticeMemory>();
  /** Series whose memory says told-and-bad or kept-quiet: the only ones a tick looks at. */
  private readonly watched = new Set<string>();
  private readonly pending: PendingChanges;
  private flushScheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters: EngineCounters = { transitions: 0, notices: 0, suppressed: 0, inhibited: 0, commitFailures: 0 };
  private readonly nodes: NodeAlarms;
  /** Nodes back since the last pass of decideAfresh, by key. */
  private readonly returned = new Set<string>();
  private readonly outage: CommitOutage;
  private rulesByName: ReadonlyMap<string, AlarmRule>;
  /** The settings of the last replaceRules call (undefined: the start's), which refreshRules compiles again. */
  private alarmsAsked: AlarmEngineOptions['alarms'] | undefined;
  private mayAlarm: boolean;
  /** The acknowledgements in force (acknowledgements.ts); set by open. */
  private acks!: Acknowledgements;

  private constructor(
    private readonly options: AlarmEngineOptions,
    private ruleSet: RuleSet,
    private readonly store: AlarmStore,
    private evaluator: AlarmEvaluator,
    private readonly now: () => number,
  ) {
    this.nodes = new NodeAlarms(options.nodes, options.nodeOf ?? (() => undefined), now());
    this.rulesByName = byName(ruleSet, this.nodes.rule);
    this.mayAlarm = ruleSet.rules.length > 0;
    this.pending = new PendingChanges(options.maxPendingTransitions);
    this.outage = new CommitOutage(options.log, this.pending.limit);
  }

  /** Opens the alarm tables, restores the states, and hands the outbox what a crash left unsent. */
  static async open(options: AlarmEngineOptions): Promise<AlarmEngine> {
    const rules = compileFor(options.alarms, options);
    const store = await AlarmStore.open(options.file);
    try {
      const stored = await store.states();
      const evaluator = new AlarmEvaluator(rules, stored);
      const engine = new AlarmEngine(options, rules, store, evaluator, options.now ?? (() => Date.now() / 1000));
      const gone: string[] = [];
      if (stored.length > 0) engine.mayAlarm = true;
      for (const s of stored) {
        if (evaluator.get(s.series) || engine.nodes.restore(s)) engine.remember(s.series, { notified: s.notified, lastNotifiedAt: s.lastNotifiedAt, suppressedBy: s.suppressedBy });
        else gone.push(s.series);
      }
      await store.forget(gone);
      engine.acks = await Acknowledgements.open(store.acks, (series) => engine.alarmOf(series)?.status, engine.now());
      await engine.handOnUnnoticed();
      engine.timer = setInterval(() => engine.runTimers(), options.tickMs ?? 1000);
      engine.timer.unref();
      return engine;
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  /** The rules in force: those of the start, or of the last replaceRules. */
  get rules(): RuleSet {
    return this.ruleSet;
  }

  /**
   * The unit printed after `series`' values (notices, feeds): its rule's
   * `unit` when set, else the series' own (EngineOptions.unitOf). The
   * values alarms judge are the samples as sent, so it is the unit as sent
   * (a byte counter's `B`, not the `B/s` of its archive). Undefined for a
   * node item and for a series with neither.
   */
  unitOf(series: string): string | undefined {
    if (isNodeItem(series)) return undefined;
    return this.ruleSet.ruleFor(series)?.unit ?? this.options.unitOf?.(series);
  }

  /** The built-in rule of node items (`node-down`, node-alarms.ts): recipients and reminders from the `nodes` section. */
  get nodeRule(): AlarmRule {
    return this.nodes.rule;
  }

  /**
   * Puts the rules of `alarms` (a reloaded config's, already checked) in
   * force, keeping the state of every series a rule still alarms, as a
   * restart would (evaluator.ts: restored states take the current rule);
   * the others are forgotten. Offered thresholds count again from their
   * slurper's next run. Done between two flushes, so no transition of the
   * old rules is left waiting; resolves to false, changing nothing, when
   * the database is behind and transitions keep waiting. `atSwap` runs at
   * the moment of the swap (the notifier takes the new recipients then).
   */
  replaceRules(alarms: AlarmEngineOptions['alarms'], atSwap?: () => void): Promise<boolean> {
    const rules = compileFor(alarms, this.options);
    // Asked for now, so a refreshRules queued behind this one compiles these settings, not the ones they replace.
    this.alarmsAsked = alarms;
    const replaced = this.chain.then(async () => {
      for (let i = 0; i < 3 && !this.pending.isEmpty; i++) await this.flush();
      if (this.closed || !this.pending.isEmpty) return false;
      const states = [...this.evaluator.all()].map(stateOf);
      const evaluator = new AlarmEvaluator(rules, states);
      const gone = states.filter((s) => !evaluator.get(s.series)).map((s) => s.series);
      atSwap?.();
      this.ruleSet = rules;
      this.rulesByName = byName(rules, this.nodes.rule);
      this.evaluator = evaluator;
      for (const series of gone) this.remember(series, FRESH_MEMORY);
      this.mayAlarm ||= rules.rules.length > 0;
      // The stored rows of forgotten series would be dropped at the next start anyway.
      await this.store.forget(gone).catch((e: unknown) => this.options.log.warn({ err: e }, 'alarms: could not forget the stored states of series no rule alarms now'));
      return true;
    });
    this.chain = replaced.then(() => undefined, () => undefined);
    return replaced;
  }

  /**
   * The rules in force compiled again against the metadata as it is now
   * (options.metadata changed), as replaceRules does: states kept, each
   * series' settings from its node's new fields from its next sample.
   */
  refreshRules(): Promise<boolean> {
    return this.replaceRules(this.alarmsAsked ?? this.options.alarms);
  }

  /** Evaluates accepted samples; the ingest path (store.onAccepted). */
  observe(samples: readonly { readonly series: string; readonly time: number; readonly value: number | null }[]): void {
    // A server without rules, offers or stored states alarms nothing: not even a lookup per sample.
    if (!this.mayAlarm) return;
    let found = false;
    for (const s of samples) {
      const transition = this.evaluator.observe(s.series, s.time, s.value);
      if (transition) {
        this.found(this.held(transition));
        found = true;
      }
    }
    if (found) this.scheduleFlush();
  }

  /**
   * A node's change of state (server/nodes' NodeTracker.onChange, wired by
   * start.ts): its node-down alarm moves, and on its return its series are
   * decided afresh; a node gone ends its alarm. Synchronous; the commit
   * and notices follow as for samples.
   */
  nodeChanged(event: NodeEvent): void {
    if (this.closed) return;
    const { transition, back, key } = this.nodes.change(event);
    if (back) {
      // One pass over the series for every node back in the same look of the tracker (a network come back: hundreds).
      if (this.returned.size === 0) queueMicrotask(() => this.decideAfresh());
      this.returned.add(key);
    }
    if (transition) this.found(transition);
    // A flush also forgets the items of nodes gone.
    if (transition || event.to === 'gone') this.scheduleFlush();
  }

  /**
   * At a start, once every node there is known (the agents registered, the
   * instances configured; `keys` as nodeKey gives them): the stored alarms
   * of nodes not among them (an instance dropped from the config while the
   * server was off) end as those of a node gone.
   */
  nodesKnown(keys: readonly string[]): void {
    for (const event of this.nodes.missing(new Set(keys), this.now())) this.nodeChanged(event);
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
    for (const a of this.nodes.all()) out.push(this.view(a, now));
    return out;
  }

  get(series: string): AlarmView | undefined {
    const a = this.alarmOf(series);
    return a && this.view(a, this.now());
  }

  history(query: HistoryQuery): Promise<RecordedTransition[]> {
    return this.store.history(query);
  }

  /**
   * Acknowledges the bad alarm of `series` (a series or a node item) as it
   * is now, by `author`, until `until` (Unix seconds) or a change of its
   * state; replaces an acknowledgement it has. Throws UnknownAlarmError,
   * AckConflictError for an OK alarm; a refused request records nothing.
   */
  async acknowledge(series: string, author: string, comment: string, until: number | null): Promise<AlarmView> {
    const a = this.alarmOf(series);
    if (a === undefined) throw new UnknownAlarmError(series);
    const status = a.status;
    if (status === 'OK') throw new AckConflictError(`'${series}' is OK: only a WARNING, CRITICAL or NODATA alarm can be acknowledged`);
    await this.acks.give({ series, status, author, comment, at: this.now(), until }, () => this.alarmOf(series)?.status === status);
    return this.view(this.alarmOf(series) ?? a, this.now());
  }

  /** Withdraws the acknowledgement of `series` (reminders due are sent again). Throws UnknownAlarmError, AckConflictError when none holds. */
  async unacknowledge(series: string, author: string, comment: string | null): Promise<AlarmView> {
    const a = this.alarmOf(series);
    if (a === undefined) throw new UnknownAlarmError(series);
    await this.acks.withdraw(series, author, comment, this.now());
    return this.view(this.alarmOf(series) ?? a, this.now());
  }

  /** Acknowledgement events (ack, unack, expired, ended), newest first. */
  ackHistory(query: HistoryQuery): Promise<AckEvent[]> {
    return this.acks.store.history(query);
  }

  /** Counters since the start; `queued`: transitions waiting for a commit; `dropped`: folded away while the database was behind; `limit`: maxPendingTransitions. */
  stats(): EngineStats {
    return { ...this.counters, queued: this.pending.size, dropped: this.pending.dropped, limit: this.pending.limit };
  }

  /** Resolves once everything evaluated so far is committed (or the commit tried and failed) and handed to the outbox. */
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
    if (!this.pending.isEmpty) {
      this.options.log.error({ transitions: this.pending.size }, 'alarms: stopping with transitions the database did not record; the next samples find them again');
    }
    await this.store.close();
  }

  /** Nodata, ended downtimes and reminders, then a flush; the timer's work (tests with an injected clock call it). */
  runTimers(): void {
    if (this.closed) return;
    const now = this.now();
    for (const t of this.evaluator.checkNodata(now)) this.found(this.held(t));
    for (const t of this.nodes.confirm(now)) this.found(t);
    this.acks.sweep(now, (series) => this.alarmOf(series)?.status);
    const told: Handing[] = [];
    const changed: string[] = [];
    for (const series of this.watched) {
      const a = this.alarmOf(series);
      const memory = this.memory.get(series);
      // A change not yet recorded is told first; the memory it leaves is looked at then. An inhibited series waits for its node.
      if (!a || !memory || this.pending.hasChange(series) || this.nodes.inhibitorOf(series) !== undefined) continue;
      const rule = this.ruleOf(series, a.rule);
      const acknowledged = this.acks.of(series, a.status, now) !== undefined;
      const decision = decideOnTick(memory, a.status, now, rule?.renotifySeconds, () => this.planned(series, now)?.downtime.id, acknowledged);
      if (decision.memory === memory) continue;
      this.remember(series, decision.memory);
      changed.push(series);
      if (decision.notice && rule && rule.notify.length > 0) {
        told.push({ rule, notice: standingNotice(decision.notice, a, now, this.unplanned(series, now), ...this.about(series)) });
      }
    }
    if (changed.length > 0) {
      // Told first, then remembered: a crash in between repeats the notice rather than losing it.
      this.chain = this.chain.then(async () => {
        await this.handOn(told);
        for (const series of changed) this.pending.touch(series);
      });
    }
    if (changed.length > 0 || !this.pending.isEmpty || this.acks.owes) this.scheduleFlush();
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
      inhibitedBy: this.nodes.inhibitorOf(a.series) ?? null,
      ...acknowledged(this.acks.of(a.series, a.status, now)),
      ...displayName(this.ruleSet.displayNameOf(a.series)),
    };
  }

  /** The series of the nodes just back are decided afresh by their next sample. */
  private decideAfresh(): void {
    const back = new Set(this.returned);
    this.returned.clear();
    if (!this.closed) this.evaluator.afresh((series) => this.nodes.hangsOn(series, back), this.now());
  }

  /** An alarmed series' state, or a node item's. */
  private alarmOf(series: string): SeriesAlarm | undefined {
    return isNodeItem(series) ? this.nodes.get(series) : this.evaluator.get(series);
  }

  /** A transition found: it waits for the next commit, and a change of status ends the series' acknowledgement. */
  private found(t: Transition): void {
    this.acks.changed(t);
    this.pending.add(t);
  }

  /** The transition with the node that inhibits its series now, if one does. */
  private held(t: Transition): Transition {
    const node = this.nodes.inhibitorOf(t.series);
    return node === undefined ? t : { ...t, inhibitedBy: node };
  }

  private planned(series: string, t: number): ActiveDowntime | undefined {
    return this.options.downtimes.activePlannedDowntime(series, t, this.agentOf(series));
  }

  private unplanned(series: string, t: number): ActiveDowntime | undefined {
    return this.options.downtimes.activeUnplannedDowntime(series, t, this.agentOf(series));
  }

  /** The agent whose downtimes cover `series`: an agent's node item is covered by its own agent's (an instance's key, `instance:<name>`, names no agent). */
  private agentOf(series: string): string | undefined {
    return isNodeItem(series) ? series.slice(series.indexOf(':') + 1) : this.options.agentOf?.(series);
  }

  /** What a notice tells of its series besides the alarm: the graph's link, the series' last message as it is now, its node's display name, its unit and last sample. */
  private about(series: string): [graphUrl: string | undefined, message: string | undefined, displayName: string | undefined, more: NoticeMore] {
    const message = this.nodes.isLeaving(series) ? NODE_REMOVED : this.options.messageOf?.(series);
    const unit = this.unitOf(series);
    const lastSampleAt = this.alarmOf(series)?.lastSampleAt;
    return [this.options.graphUrl(series), message, this.ruleSet.displayNameOf(series), { ...(unit === undefined ? {} : { unit }), ...(lastSampleAt === undefined ? {} : { lastSampleAt }) }];
  }

  /** The rule `name` as it applies to `series` (its node's metadata resolved): the series' own when it still has that rule. */
  private ruleOf(series: string, name: string): AlarmRule | undefined {
    const own = isNodeItem(series) ? undefined : this.ruleSet.ruleFor(series);
    return own?.name === name ? own : this.rulesByName.get(name);
  }

  private remember(series: string, memory: NoticeMemory): void {
    if (memory === FRESH_MEMORY) this.memory.delete(series);
    else this.memory.set(series, memory);
    if (needsTicks(memory)) this.watched.add(series);
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

  /**
   * Commits what waits, the transitions with the states and notice memory
   * they leave behind, then hands their notices to the outbox. The policy
   * decides on a copy of the memory, kept only if the commit works.
   */
  private async flush(): Promise<void> {
    if (this.pending.isEmpty && !this.acks.owes) return this.dropGoneNodes();
    const batch = this.pending.take();
    // Acknowledgements these transitions (or a sweep) ended: recorded with them, so none outlives a recorded change.
    const ackEnds = this.acks.takeOwed();
    const decided = new Map<string, NoticeMemory>();
    const recorded: NewTransition[] = [];
    const notices: { rule: AlarmRule; notice: AlarmNotice; index: number }[] = [];
    for (const t of batch.transitions) {
      const memory = decided.get(t.series) ?? this.memoryOf(t.series);
      const inhibitedBy = t.inhibitedBy ?? null;
      // Decided afresh to the status it had: news only to whoever heard otherwise.
      if (t.from === t.to && (inhibitedBy !== null || heardAs(memory, t.to))) {
        decided.set(t.series, memory);
        continue;
      }
      const planned = this.planned(t.series, t.at);
      const downtime = planned ?? this.unplanned(t.series, t.at);
      // Inhibited: recorded, told to no one, and the memory stays what people last heard.
      const decision = inhibitedBy !== null ? { notice: undefined, memory } : decideOnChange(memory, t.to, t.at, planned?.downtime.id);
      decided.set(t.series, decision.memory);
      const rule = this.ruleOf(t.series, t.rule);
      const tellsSomeone = decision.notice !== undefined && rule !== undefined && rule.notify.length > 0;
      if (tellsSomeone) notices.push({ rule, notice: changeNotice(decision.notice, t, downtime, ...this.about(t.series)), index: recorded.length });
      recorded.push({
        ...t,
        downtime: downtime ? { id: downtime.downtime.id, kind: downtime.downtime.kind } : null,
        suppressed: planned !== undefined,
        inhibitedBy,
        noticed: !tellsSomeone,
      });
    }
    const states = [...new Set([...batch.series, ...decided.keys()])].map((series) => this.stored(series, decided.get(series) ?? this.memoryOf(series)));
    let committed: RecordedTransition[];
    try {
      committed = await this.store.commit(recorded, states, this.acks.store.endsWriter(ackEnds));
    } catch (e) {
      // Kept for the next tick; the memory stays as the database has it.
      this.counters.commitFailures++;
      this.pending.putBack(batch);
      this.acks.putBack(ackEnds);
      this.outage.failed(e, this.pending.size, this.pending.dropped);
      return;
    }
    this.pending.committed();
    this.outage.worked(this.pending.dropped);
    for (const [series, memory] of decided) this.remember(series, memory);
    this.counters.transitions += committed.length;
    this.counters.suppressed += recorded.filter((t) => t.suppressed).length;
    this.counters.inhibited += recorded.filter((t) => t.inhibitedBy !== null).length;
    await this.handOn(notices.map((n) => ({ rule: n.rule, notice: n.notice, transitionId: committed[n.index].id })));
    await this.dropGoneNodes();
  }

  /** The items of nodes gone whose last transition is committed leave the list, the memory and the database. */
  private async dropGoneNodes(): Promise<void> {
    const dropped = this.nodes.dropLeaving((item) => !this.pending.hasChange(item));
    if (dropped.length === 0) return;
    for (const item of dropped) this.remember(item, FRESH_MEMORY);
    await this.store.forget(dropped).catch((e: unknown) => this.options.log.warn({ err: e }, 'alarms: could not forget the stored states of nodes gone'));
  }

  private async handOn(notices: readonly Handing[]): Promise<void> {
    this.counters.notices += await handOn(notices, this.options.notices, (ids) => this.store.markNoticed(ids), this.options.log);
  }

  /** At start: notices of transitions committed before a stop that never reached the outbox. */
  private async handOnUnnoticed(): Promise<void> {
    const pending = await this.store.unnoticed();
    const notices: Handing[] = [];
    const orphans: number[] = [];
    for (const t of pending) {
      const rule = this.ruleOf(t.series, t.rule);
      if (!rule || rule.notify.length === 0) orphans.push(t.id);
      else {
        const downtime = t.downtime ? this.unplanned(t.series, t.at) : undefined;
        notices.push({ rule, notice: changeNotice(changeNoticeKind(t.to), t, downtime, ...this.about(t.series)), transitionId: t.id });
      }
    }
    await this.store.markNoticed(orphans);
    if (notices.length > 0) this.options.log.info({ notices: notices.length }, 'alarms: handing on notices a stop left unsent');
    await this.handOn(notices);
  }

  private memoryOf(series: string): NoticeMemory {
    return this.memory.get(series) ?? FRESH_MEMORY;
  }

  private stored(series: string, memory: NoticeMemory): StoredAlarm {
    const a = this.alarmOf(series);
    if (!a) throw new Error(`alarms: no state for ${series}`);
    return { ...stateOf(a), notified: memory.notified, lastNotifiedAt: memory.lastNotifiedAt, suppressedBy: memory.suppressedBy };
  }
}

/** The rules of `alarms` against the metadata in force, a node field they refuse logged. */
function compileFor(alarms: AlarmEngineOptions['alarms'], options: AlarmEngineOptions): RuleSet {
  return compileRules(alarms, options.metadata?.(), (problem) => options.log.warn({}, `alarms: ${problem}`));
}

function displayName(name: string | undefined): { displayName?: string } {
  return name === undefined ? {} : { displayName: name };
}

function acknowledged(ack: Acknowledgement | undefined): { acknowledgement?: Acknowledgement } {
  return ack === undefined ? {} : { acknowledgement: ack };
}

function byName(rules: RuleSet, nodeRule: AlarmRule): ReadonlyMap<string, AlarmRule> {
  const offered = rules.offeredRule();
  return new Map([nodeRule, ...rules.rules, ...(offered ? [offered] : [])].map((r) => [r.name, r]));
}

/** Whether people last heard of the series as being in `status`'s kind: told of a problem and still bad, or told nothing and OK. */
function heardAs(memory: NoticeMemory, status: AlarmStatus): boolean {
  return memory.notified === (status !== 'OK');
}

/** The state fields alone, without the evaluator's extras. */
function stateOf(a: AlarmState): AlarmState {
  return { series: a.series, rule: a.rule, status: a.status, since: a.since, value: a.value, threshold: a.threshold, lastSampleAt: a.lastSampleAt };
}
