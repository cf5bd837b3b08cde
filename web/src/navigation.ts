/**
 * Views change the page state by asking <rm-app>: links carry the new URL
 * (so they open in a new tab too, and <rm-app> follows them in place), and
 * controls dispatch `rm-navigate` with the part of the state that changes.
 */
import { emit } from './events.js';
import { nodeOfItem } from './nodes.js';
import { DEFAULT_STATE, writeState, type PageState } from './url-state.js';

export interface NavigateDetail {
  readonly change: Partial<PageState>;
  /** Replace the history entry instead of adding one (typing in a filter box). */
  readonly replace?: boolean;
}

declare global {
  interface HTMLElementEventMap {
    'rm-navigate': CustomEvent<NavigateDetail>;
  }
}

export function navigate(from: EventTarget, change: Partial<PageState>, replace = false): void {
  emit(from, 'rm-navigate', { change, replace });
}

/** The link to `state` (relative to the page). */
export function hrefFor(state: PageState): string {
  return `./${writeState(state)}`;
}

/** The link to a graph of `series` with the default range and consolidation. */
export function graphHref(series: readonly string[]): string {
  return hrefFor({ ...DEFAULT_STATE, view: 'graph', series });
}

/** The host page of a group (`host.web01`) or node key (`web01`, `instance:host.web01`). */
export function hostHref(host: string): string {
  return hrefFor({ ...DEFAULT_STATE, view: 'host', host });
}

/** The overview with the nodes panel pointing out the row of the node whose key (nodes.ts nodeKey) is `key`. */
export function nodeHref(key: string): string {
  return hrefFor({ ...DEFAULT_STATE, node: key });
}

/** Where an alarm item leads: a series to its graph; a node-down item (`node:web03`), which has no graph, to its node's row. */
export function itemHref(series: string): string {
  const key = nodeOfItem(series);
  return key === undefined ? graphHref([series]) : nodeHref(key);
}
