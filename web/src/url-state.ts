/**
 * The page state lives in the URL's query string so that a link shows
 * someone else the same thing: the view, the overview's filter, the graph's
 * series, range and consolidation. Defaults are left out of the URL.
 * The token never goes here (see token-store).
 */
import { CONSOLIDATION_FUNCTIONS, type ConsolidationFunction } from './api-types.js';
import { DEFAULT_PRESET, DEFAULT_RANGE, isPreset, type TimeRange } from './time-range.js';
import { STATUS_KINDS, type StatusKind } from './series-status.js';

export const VIEWS = ['overview', 'graph', 'downtimes', 'alarms', 'heatmap', 'reports', 'dashboard', 'host'] as const;
export type View = (typeof VIEWS)[number];

export interface PageState {
  readonly view: View;
  /** Overview: the text series names must contain. */
  readonly filter: string;
  /** Overview: show only series in these states; empty for all. */
  readonly states: readonly StatusKind[];
  /** Overview: show only series whose samples miss their archive (drift) or wait for one (held); absent for all. */
  readonly problems?: boolean;
  /** Overview: the key of the node whose row the nodes panel points out (a node-down alarm's link: `web03`, `instance:web`); absent for none. */
  readonly node?: string;
  /** Graph: the series drawn. */
  readonly series: readonly string[];
  readonly range: TimeRange;
  readonly cf: ConsolidationFunction;
  /** Heatmap: the configured view shown (`hv`), a series pattern in its place or over it (`hm`), the bucket (`hb`, a duration); absent for the defaults. */
  readonly heatmap?: string;
  readonly match?: string;
  readonly bucket?: string;
  /** Dashboard: the one shown (`d`); absent for the list of them. */
  readonly dashboard?: string;
  /** Host page: the group (a series prefix, `host.web01`) or node key (`web01`, `instance:host.web01`) shown (`h`). */
  readonly host?: string;
}

export const DEFAULT_STATE: PageState = { view: 'overview', filter: '', states: [], series: [], range: DEFAULT_RANGE, cf: 'AVERAGE' };

export function readState(search: string): PageState {
  const p = new URLSearchParams(search);
  const view = p.get('view');
  const range = p.get('range');
  const from = Number(p.get('from'));
  const to = Number(p.get('to'));
  const cf = p.get('cf');
  const node = p.get('node');
  const states = (p.get('state') ?? '').split(',').filter((s): s is StatusKind => (STATUS_KINDS as readonly string[]).includes(s));
  return {
    view: VIEWS.find((v) => v === view) ?? DEFAULT_STATE.view,
    filter: p.get('q') ?? '',
    states,
    ...(p.get('problems') === '1' ? { problems: true } : {}),
    ...(node ? { node } : {}),
    series: p.getAll('s').filter((s) => s !== ''),
    range: p.has('from') && p.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from ? { from, to } : range !== null && isPreset(range) ? { preset: range } : DEFAULT_STATE.range,
    cf: CONSOLIDATION_FUNCTIONS.find((c) => c === cf) ?? DEFAULT_STATE.cf,
    ...(p.get('hv') ? { heatmap: p.get('hv') as string } : {}),
    ...(p.get('hm') ? { match: p.get('hm') as string } : {}),
    ...(p.get('hb') ? { bucket: p.get('hb') as string } : {}),
    ...(p.get('d') ? { dashboard: p.get('d') as string } : {}),
    ...(p.get('h') ? { host: p.get('h') as string } : {}),
  };
}

export function writeState(state: PageState): string {
  const p = new URLSearchParams();
  if (state.view !== DEFAULT_STATE.view) p.set('view', state.view);
  if (state.filter) p.set('q', state.filter);
  if (state.states.length > 0) p.set('state', state.states.join(','));
  if (state.problems) p.set('problems', '1');
  if (state.node) p.set('node', state.node);
  for (const s of state.series) p.append('s', s);
  if ('preset' in state.range) {
    if (state.range.preset !== DEFAULT_PRESET) p.set('range', state.range.preset);
  } else {
    p.set('from', String(state.range.from));
    p.set('to', String(state.range.to));
  }
  if (state.cf !== DEFAULT_STATE.cf) p.set('cf', state.cf);
  if (state.heatmap) p.set('hv', state.heatmap);
  if (state.match) p.set('hm', state.match);
  if (state.bucket) p.set('hb', state.bucket);
  if (state.dashboard) p.set('d', state.dashboard);
  if (state.host) p.set('h', state.host);
  const text = p.toString();
  return text ? `?${text}` : '';
}
