/**
 * POST /api/v1/alarms/ack and /alarms/unack (operator role; the author is
 * the token's name): acknowledging a bad alarm, a series' or a node item's,
 * so that no reminders go out until its state changes, its `until` passes
 * or it is withdrawn (docs/alarms.md, "Acknowledging"). Also the answer
 * shapes GET /alarms and /alarms/history show acknowledgements in.
 * Refused requests name the field (400 malformed, 404 no such alarm, 409
 * an OK alarm or one not acknowledged) and record nothing.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkSeriesName, MAX_SERIES_LENGTH } from '../../slurpers/contract.js';
import {
  AckConflictError,
  ACK_ACTIONS,
  ALARM_STATUSES,
  isNodeItem,
  MAX_ACK_COMMENT_LENGTH,
  MAX_ACK_SECONDS,
  UnknownAlarmError,
  type AckEvent,
  type Acknowledgement,
  type AlarmEngine,
  type AlarmView,
} from '../alarms/index.js';
import { parseInstant } from '../downtimes/index.js';
import { ApiError } from '../errors.js';
import { Nullable, TimeOut, timeOut } from './schema-parts.js';

export interface AlarmAckRoutesOptions {
  readonly alarms: AlarmEngine;
}

const NODE_ITEM = /^node:[A-Za-z0-9._@:-]+$/;
/** Control characters: a comment is one line of text in tables and mails. */
const CONTROL = /[\u0000-\u001f\u007f]/u;

export const AckOut = Type.Object({
  author: Type.String({ description: "the token's name" }),
  comment: Type.String(),
  at: TimeOut,
  until: Nullable(TimeOut, 'when it ends by itself; null: at the next change of state or an unack'),
  state: Type.Enum(ALARM_STATUSES, { description: 'the state acknowledged: it holds while the alarm stays in it' }),
});

export const AckEventOut = Type.Object({
  id: Type.Integer(),
  series: Type.String(),
  action: Type.Enum(ACK_ACTIONS, { description: 'ack and unack: by an operator; expired: its until passed; ended: the state changed (comment says to what)' }),
  state: Type.Enum(ALARM_STATUSES, { description: 'the state acknowledged' }),
  author: Nullable(Type.String(), "the token's name; null for what the server recorded (expired, ended)"),
  comment: Nullable(Type.String(), 'why'),
  at: TimeOut,
  until: Nullable(TimeOut, 'the expiry the acknowledgement had'),
});

export function ackOut(a: Acknowledgement) {
  return { author: a.author, comment: a.comment, at: timeOut(a.at), until: a.until === null ? null : timeOut(a.until), state: a.status };
}

export function ackEventOut(e: AckEvent) {
  return { id: e.id, series: e.series, action: e.action, state: e.status, author: e.author, comment: e.comment, at: timeOut(e.at), until: e.until === null ? null : timeOut(e.until) };
}

const Series = Type.String({ minLength: 1, maxLength: MAX_SERIES_LENGTH, description: 'the series, or a node item (node:<name>, node:instance:<name>)' });
const Comment = Type.String({ minLength: 1, maxLength: MAX_ACK_COMMENT_LENGTH, description: 'why: one line of text' });

const AckBody = Type.Object(
  {
    series: Series,
    comment: Comment,
    until: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 40 })], {
        description: `when it ends by itself: ISO 8601 (2026-12-01T08:00Z) or Unix seconds, in the future and at most ${MAX_ACK_SECONDS / 86_400} days ahead; absent: at the next change of state or an unack`,
      }),
    ),
  },
  { additionalProperties: false },
);

const AckAnswer = Type.Object({
  series: Type.String(),
  state: Type.Enum(ALARM_STATUSES, { description: 'the state now' }),
  acknowledgement: Nullable(AckOut, 'the acknowledgement in force now; null after an unack'),
});

function ackAnswer(a: AlarmView) {
  return { series: a.series, state: a.status, acknowledgement: a.acknowledgement ? ackOut(a.acknowledgement) : null };
}

const UnackBody = Type.Object({ series: Series, comment: Type.Optional(Comment) }, { additionalProperties: false });

function refuse(code: 'invalid_request' | 'not_found' | 'conflict', field: string, message: string): never {
  throw new ApiError(code, `${field}: ${message}`, [{ field, message }]);
}

/** A series name as elsewhere (slurpers/contract.ts), or a node item's. */
function checkItem(series: string): void {
  const problem = isNodeItem(series) ? (NODE_ITEM.test(series) ? undefined : 'is not a node item: node:<name> or node:instance:<name>') : checkSeriesName(series);
  if (problem !== undefined) refuse('invalid_request', 'body/series', problem);
}

function checkComment(comment: string): string {
  if (CONTROL.test(comment)) refuse('invalid_request', 'body/comment', 'must be one line of text, without control characters');
  const trimmed = comment.trim();
  if (trimmed === '') refuse('invalid_request', 'body/comment', 'must say why, not be blank');
  return trimmed;
}

function readUntil(value: number | string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const t = parseInstant(value, 'UTC');
  if (typeof t === 'string') refuse('invalid_request', 'body/until', t);
  if (t <= now) refuse('invalid_request', 'body/until', 'must be in the future');
  if (t > now + MAX_ACK_SECONDS) refuse('invalid_request', 'body/until', `must be at most ${MAX_ACK_SECONDS / 86_400} days ahead`);
  return t;
}

/** Runs an engine call, its refusals as 404 and 409 naming body/series. */
async function answer(operation: () => Promise<AlarmView>): Promise<AlarmView> {
  try {
    return await operation();
  } catch (e) {
    if (e instanceof UnknownAlarmError) refuse('not_found', 'body/series', e.message);
    if (e instanceof AckConflictError) refuse('conflict', 'body/series', e.message);
    throw e;
  }
}

export const alarmAckRoutes: FastifyPluginAsyncTypebox<AlarmAckRoutesOptions> = async (app, options) => {
  const { alarms } = options;
  const tags = ['alarms'];
  const author = (principal: { name: string } | null): string => principal?.name ?? 'anonymous';
  app.post(
    '/alarms/ack',
    {
      onRequest: app.requireRole('operator'),
      schema: {
        summary: 'Acknowledge a bad alarm: no reminders until its state changes, its until passes or an unack',
        tags,
        body: AckBody,
        response: { 200: AckAnswer },
      },
    },
    async (request) => {
      const b = request.body;
      checkItem(b.series);
      const comment = checkComment(b.comment);
      const until = readUntil(b.until, Date.now() / 1000);
      return ackAnswer(await answer(() => alarms.acknowledge(b.series, author(request.principal), comment, until)));
    },
  );
  app.post(
    '/alarms/unack',
    {
      onRequest: app.requireRole('operator'),
      schema: { summary: "Withdraw an alarm's acknowledgement: reminders due go out again", tags, body: UnackBody, response: { 200: AckAnswer } },
    },
    async (request) => {
      const b = request.body;
      checkItem(b.series);
      const comment = b.comment === undefined ? null : checkComment(b.comment);
      return ackAnswer(await answer(() => alarms.unacknowledge(b.series, author(request.principal), comment)));
    },
  );
};
