/**
 * The public status page (docs/status-page.md): the `status` section, the
 * board built from the server's parts at most once per status.refresh, and
 * its HTML. server/routes/status.ts serves it without a token.
 */
import { answerCache, type AnswerCache } from './answer-cache.js';
import { boardBuilder } from './build-board.js';
import type { StatusSettings } from './config-section.js';
import type { StatusBoard } from './model.js';
import { nodeAlarmItem, statusSources, type StatusParts } from './sources.js';

export { statusSection, DEFAULT_STATUS, type StatusSettings } from './config-section.js';
export type { Level, StatusBoard, StatusDowntime, StatusGroup, StatusItem } from './model.js';
export { STATUS_PAGE_PATH, STATUS_STYLESHEET, STATUS_STYLESHEET_PATH, statusPageHtml } from './page.js';
export type { StatusParts } from './sources.js';

/** The board as anonymous requests get it: built at most once per status.refresh (answer-cache.ts). */
export type StatusPage = AnswerCache<StatusBoard>;

/** The page of `settings` over the server's parts; undefined when no group is configured (no status page). */
export function statusPage(settings: StatusSettings, parts: StatusParts): StatusPage | undefined {
  if (settings.groups.length === 0) return undefined;
  return answerCache(settings.refresh * 1000, boardBuilder(settings, statusSources(parts), nodeAlarmItem));
}
