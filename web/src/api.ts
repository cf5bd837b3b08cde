/**
 * The API calls the views make, typed. Alarm calls answer null when the
 * server has no alarms API (404): the views then show what series and
 * downtimes alone can tell.
 */
import type { ApiClient } from './api-client.js';
import { HttpError } from './api-client.js';
import { readToken } from './token-store.js';
import type { Dashboard, DashboardDraft, DashboardSummary } from './dashboard-types.js';
import type { Heatmap, HeatmapAsk, HeatmapViewInfo } from './heatmap-data.js';
import type { AckAnswer, AckEvent, Alarm, AlarmRule, CompactSeries, ConsolidationFunction, Downtime, DowntimeDraft, DowntimePatch, FetchedSeries, FetchOutcome, MetadataNode, NodeInfo, NotificationEntry, SeriesInfo, SeriesValues, Transition } from './api-types.js';

async function unlessAbsent<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return null;
    throw e;
  }
}

/** The largest page GET /api/v1/nodes and /metadata answer: fewest round trips. */
const PAGE = 1000;

const iso = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString();

export class RingmonApi {
  constructor(readonly client: ApiClient) {}

  async series(match: string | undefined, signal?: AbortSignal): Promise<SeriesInfo[]> {
    return (await this.client.get<{ series: SeriesInfo[] }>('/api/v1/series', { match }, signal)).series;
  }

  /** Rows of each series in [start, end] at the resolution giving about `points` rows. */
  async fetch(series: readonly string[], range: { start: number; end: number; points: number; cf?: ConsolidationFunction }, signal?: AbortSignal): Promise<FetchedSeries[]> {
    if (series.length === 0) return [];
    const q = { series, cf: range.cf ?? 'AVERAGE', start: range.start, end: range.end, points: Math.max(1, Math.round(range.points)) };
    return (await this.client.get<{ series: FetchedSeries[] }>('/api/v1/fetch', q, signal)).series;
  }

  /**
   * Each series in [start, end] consolidated on the server to at most `width` values (one a pixel of a chart that
   * wide), with the lowest and highest row of each (format=compact).
   */
  async fetchCompact(series: readonly string[], range: { start: number; end: number; width: number; cf?: ConsolidationFunction }, signal?: AbortSignal): Promise<CompactSeries[]> {
    if (series.length === 0) return [];
    const q = { series, cf: range.cf ?? 'AVERAGE', start: range.start, end: range.end, width: Math.min(10_000, Math.max(1, Math.round(range.width))), format: 'compact' };
    return (await this.client.get<{ series: CompactSeries[] }>('/api/v1/fetch', q, signal)).series;
  }

  /**
   * `fetchSome` of all `series`, then series by series where the API knows
   * some not: its 404 (an unknown series, or one whose samples are held)
   * fails the whole request, so the others are then asked for alone and
   * each 404 is kept as words.
   */
  async fetchEach(series: readonly string[], fetchSome: (names: readonly string[]) => Promise<SeriesValues[]>): Promise<FetchOutcome[]> {
    const missing = (name: string, e: unknown): FetchOutcome => {
      if (e instanceof HttpError && e.status === 404) return { series: name, missing: e.message };
      throw e;
    };
    try {
      return (await fetchSome(series)).map((fetched) => ({ series: fetched.series, fetched }));
    } catch (e) {
      if (series.length === 1) return [missing(series[0], e)];
      missing('', e);
    }
    return Promise.all(series.map((name) => fetchSome([name]).then(([fetched]) => ({ series: name, fetched }), (e: unknown) => missing(name, e))));
  }

  async downtimes(query: { series?: string; from?: number; to?: number; active?: boolean; include?: 'cancelled' }, signal?: AbortSignal): Promise<Downtime[]> {
    const q = { ...query, from: query.from === undefined ? undefined : iso(query.from), to: query.to === undefined ? undefined : iso(query.to) };
    // Without a range the server answers a page at a time: follow `next` to the end.
    const downtimes: Downtime[] = [];
    let after: string | undefined;
    do {
      const page = await this.client.get<{ downtimes: Downtime[]; next?: string }>('/api/v1/downtimes', { ...q, after }, signal);
      downtimes.push(...page.downtimes);
      after = page.next;
    } while (after !== undefined);
    return downtimes;
  }

  createDowntime(draft: DowntimeDraft, signal?: AbortSignal): Promise<Downtime> {
    return this.client.post<Downtime>('/api/v1/downtimes', draft, signal);
  }

  /** Changes the fields given (operator role); the old version stays in the downtime's history. */
  updateDowntime(id: number, changes: DowntimePatch, signal?: AbortSignal): Promise<Downtime> {
    return this.client.patch<Downtime>(`/api/v1/downtimes/${id}`, changes, signal);
  }

  /** Cancels a downtime (operator role): it is no longer listed nor in force, and stays in the history. */
  cancelDowntime(id: number, signal?: AbortSignal): Promise<Downtime> {
    return this.client.delete<Downtime>(`/api/v1/downtimes/${id}`, signal);
  }

  /** The alarm rules in force (GET /api/v1/rules); null when the server has no alarms API. */
  async rules(signal?: AbortSignal): Promise<AlarmRule[] | null> {
    return (await unlessAbsent(this.client.get<{ rules: AlarmRule[] }>('/api/v1/rules', {}, signal)))?.rules ?? null;
  }

  endDowntime(id: number, signal?: AbortSignal): Promise<Downtime> {
    return this.client.post<Downtime>(`/api/v1/downtimes/${id}/end`, undefined, signal);
  }

  async alarms(signal?: AbortSignal): Promise<Alarm[] | null> {
    return (await unlessAbsent(this.client.get<{ alarms: Alarm[] }>('/api/v1/alarms', {}, signal)))?.alarms ?? null;
  }

  /** Alarm state changes, newest first; the API answers at most `limit` (default 1000). */
  async alarmHistory(query: { series?: string; from?: number; to?: number; limit?: number }, signal?: AbortSignal): Promise<Transition[] | null> {
    return (await this.alarmChanges(query, signal))?.transitions ?? null;
  }

  /** Alarm state changes and acknowledgement events, each newest first and at most `limit`; null without the alarms API. */
  async alarmChanges(query: { series?: string; from?: number; to?: number; limit?: number }, signal?: AbortSignal): Promise<{ transitions: Transition[]; acknowledgements: AckEvent[] } | null> {
    const q = { series: query.series, from: query.from === undefined ? undefined : iso(query.from), to: query.to === undefined ? undefined : iso(query.to), limit: query.limit };
    const answer = await unlessAbsent(this.client.get<{ transitions: Transition[]; acknowledgements?: AckEvent[] }>('/api/v1/alarms/history', q, signal));
    return answer === null ? null : { transitions: answer.transitions, acknowledgements: answer.acknowledgements ?? [] };
  }

  /** A heatmap: series × time buckets, each cell a value and its colour class (GET /api/v1/heatmap). */
  heatmap(ask: HeatmapAsk, signal?: AbortSignal): Promise<Heatmap> {
    return this.client.get<Heatmap>('/api/v1/heatmap', { view: ask.view, match: ask.match, bucket: ask.bucket, from: ask.from, to: ask.to, cf: ask.cf }, signal);
  }

  /** The heatmap views the config names (GET /api/v1/heatmaps). */
  async heatmapViews(signal?: AbortSignal): Promise<HeatmapViewInfo[]> {
    return (await this.client.get<{ views: HeatmapViewInfo[] }>('/api/v1/heatmaps', {}, signal)).views;
  }

  /** The saved dashboards, by name, without their panels. */
  async dashboards(signal?: AbortSignal): Promise<DashboardSummary[]> {
    return (await this.client.get<{ dashboards: DashboardSummary[] }>('/api/v1/dashboards', {}, signal)).dashboards;
  }

  dashboard(name: string, signal?: AbortSignal): Promise<Dashboard> {
    return this.client.get<Dashboard>(`/api/v1/dashboards/${encodeURIComponent(name)}`, {}, signal);
  }

  /** Creates (version 0) or replaces (the version edited) a dashboard (operator role); a stale version is an HttpError 409. */
  saveDashboard(name: string, draft: DashboardDraft, version: number, signal?: AbortSignal): Promise<Dashboard> {
    return this.client.put<Dashboard>(`/api/v1/dashboards/${encodeURIComponent(name)}`, { ...draft, version }, signal);
  }

  deleteDashboard(name: string, version: number, signal?: AbortSignal): Promise<void> {
    return this.client.delete(`/api/v1/dashboards/${encodeURIComponent(name)}?version=${version}`, signal);
  }

  /** Acknowledges a bad alarm (operator role): no reminders until its state changes or `until` (Unix seconds). */
  acknowledge(series: string, comment: string, until: number | undefined, signal?: AbortSignal): Promise<AckAnswer> {
    return this.client.post<AckAnswer>('/api/v1/alarms/ack', { series, comment, ...(until === undefined ? {} : { until }) }, signal);
  }

  /** Withdraws an alarm's acknowledgement (operator role). */
  unacknowledge(series: string, signal?: AbortSignal): Promise<AckAnswer> {
    return this.client.post<AckAnswer>('/api/v1/alarms/unack', { series }, signal);
  }

  /**
   * The notification log, newest first; null when it cannot be read: no such API (404), a token without the operator
   * role (403), or no token at all (under auth.openReads the rest reads without one; asking for one would interrupt).
   */
  async notifications(limit: number, signal?: AbortSignal): Promise<NotificationEntry[] | null> {
    if (!readToken()) return null;
    try {
      return (await unlessAbsent(this.client.get<{ notifications: NotificationEntry[] }>('/api/v1/notifications', { limit }, signal)))?.notifications ?? null;
    } catch (e) {
      if (e instanceof HttpError && e.status === 403) return null;
      throw e;
    }
  }

  /** Every node with its state, all pages (by name); null when the server has no nodes API (404). */
  async nodes(signal?: AbortSignal): Promise<NodeInfo[] | null> {
    const nodes: NodeInfo[] = [];
    let after: string | undefined;
    do {
      const page = await unlessAbsent(this.client.get<{ nodes: NodeInfo[]; next?: string }>('/api/v1/nodes', { limit: PAGE, after }, signal));
      if (page === null) return null;
      nodes.push(...page.nodes);
      after = page.next;
    } while (after !== undefined);
    return nodes;
  }

  /**
   * The display names the node metadata gives the nodes in `wanted` (node
   * id → name), read page by page until each is found or the list ends.
   * null when the names cannot be read (no metadata API, 404; or a token
   * that may not, 403): the page then shows node names alone.
   */
  async displayNames(wanted: Iterable<string>, signal?: AbortSignal): Promise<Map<string, string> | null> {
    const missing = new Set(wanted);
    const names = new Map<string, string>();
    let after: string | undefined;
    try {
      while (missing.size > 0) {
        const page = await this.client.get<{ nodes: MetadataNode[]; next?: string }>('/api/v1/metadata', { limit: PAGE, after }, signal);
        for (const node of page.nodes) {
          if (!missing.delete(node.id) || node.displayName === undefined) continue;
          names.set(node.id, node.displayName);
        }
        if (page.next === undefined) break;
        after = page.next;
      }
    } catch (e) {
      if (e instanceof HttpError && (e.status === 403 || e.status === 404)) return null;
      throw e;
    }
    return names;
  }
}
