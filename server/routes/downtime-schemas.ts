/**
 * The downtime API's JSON shapes (OpenAPI via typebox) and the conversion of
 * a stored downtime into its answer. Times go in as ISO 8601 or Unix
 * seconds and come out as ISO 8601 in UTC (`2026-12-01T08:00:00Z`).
 */
import { Type, type Static } from 'typebox';
import { Nullable, TimeOut } from './schema-parts.js';
import { DOWNTIME_KINDS, DOWNTIME_STATUSES, formatInstant, MAX_REASON_LENGTH, REVISION_ACTIONS, type DowntimeListing, type Revision } from '../downtimes/index.js';

const TIME_IN =
  'ISO 8601 (2026-12-01T08:00Z, 2026-12-01T09:00+01:00; without an offset: wall time in the downtime\'s timezone) or Unix seconds; from 1970 to 2199';

export const TimeIn = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 40 })], { description: TIME_IN });

const Kind = Type.Enum(DOWNTIME_KINDS, { description: 'planned silences alarms; unplanned only explains graphs' });

const ScopeIn = Type.Object(
  {
    series: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 1000, description: 'series patterns: * within a segment, ** for whole segments' })),
    agents: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000, description: 'agent names: every series of these agents' })),
  },
  { additionalProperties: false, description: 'at least one series pattern or agent' },
);

const draftFields = {
  kind: Type.Optional(Kind),
  scope: ScopeIn,
  start: Type.Optional(TimeIn),
  end: Type.Optional(Nullable(TimeIn, `${TIME_IN}; leave out or null: open (unplanned only)`)),
  rrule: Type.Optional(Nullable(Type.String({ maxLength: 500 }), 'iCalendar RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=TU; start/end are the first occurrence')),
  timezone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA zone the rule repeats in; default UTC' })),
  reason: Type.String({ maxLength: MAX_REASON_LENGTH }),
};

export const CreateBody = Type.Object(
  { ...draftFields, start: Type.Optional(Type.Union([TimeIn], { description: `${TIME_IN}; default now` })) },
  { additionalProperties: false },
);
export const PatchBody = Type.Object(
  { ...draftFields, scope: Type.Optional(ScopeIn), reason: Type.Optional(draftFields.reason) },
  { additionalProperties: false, minProperties: 1 },
);
export type CreateBody = Static<typeof CreateBody>;
export type PatchBody = Static<typeof PatchBody>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Downtimes in one page of the listing without a range: the default and the most. */
export const MAX_DOWNTIMES_PAGE = 1000;

export const ListQuery = Type.Object(
  {
    series: Type.Optional(Type.String({ maxLength: 1024, description: 'only downtimes covering this series' })),
    agent: Type.Optional(Type.String({ maxLength: 64, description: 'the agent the series comes from' })),
    from: Type.Optional(Type.Union([TimeIn], { description: `with to: only downtimes with a window overlapping [from, to), windows listed; ${TIME_IN}` })),
    to: Type.Optional(Type.Union([TimeIn], { description: 'with from; exclusive' })),
    active: Type.Optional(Type.Boolean({ description: 'only downtimes in effect now' })),
    kind: Type.Optional(Kind),
    include: Type.Optional(Type.Literal('cancelled', { description: 'cancelled downtimes too' })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_DOWNTIMES_PAGE, description: `without from and to: downtimes per page (1 to ${MAX_DOWNTIMES_PAGE}, default ${MAX_DOWNTIMES_PAGE})` }),
    ),
    after: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,16}(\\.[0-9]{1,9})?:[0-9]{1,16}$', maxLength: 44, description: "without from and to: only downtimes after this place (start:id): the previous page's `next`" }),
    ),
  },
  { additionalProperties: false },
);

const Window = Type.Object({ start: TimeOut, end: Nullable(TimeOut, 'exclusive; null while open') });

export const DowntimeOut = Type.Object({
  id: Type.Integer(),
  kind: Kind,
  status: Type.Enum(DOWNTIME_STATUSES),
  scope: Type.Object({ series: Type.Array(Type.String()), agents: Type.Array(Type.String()) }),
  start: TimeOut,
  end: Nullable(TimeOut, 'exclusive; null while an unplanned downtime is open'),
  rrule: Nullable(Type.String(), 'the recurrence rule, if it recurs'),
  timezone: Type.String(),
  reason: Type.String(),
  author: Type.String({ description: 'the token that filed it' }),
  created: TimeOut,
  updatedBy: Type.String(),
  updated: TimeOut,
  revision: Type.Integer({ description: 'number of its latest history entry' }),
  windows: Type.Optional(Type.Array(Window, { description: 'with from/to or active: its windows overlapping the range' })),
});

export const ListOut = Type.Object({
  downtimes: Type.Array(DowntimeOut),
  next: Type.Optional(Type.String({ description: 'without from and to, present when more downtimes follow: ask again with after=<next>' })),
});

export const HistoryOut = Type.Object({
  revisions: Type.Array(
    Type.Object({
      revision: Type.Integer(),
      action: Type.Enum(REVISION_ACTIONS),
      author: Type.String(),
      at: TimeOut,
      downtime: DowntimeOut,
    }),
  ),
});

export function downtimeOut({ downtime: d, windows }: DowntimeListing): Static<typeof DowntimeOut> {
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    scope: { series: [...d.scope.series], agents: [...d.scope.agents] },
    start: formatInstant(d.start),
    end: d.end === null ? null : formatInstant(d.end),
    rrule: d.rrule,
    timezone: d.timezone,
    reason: d.reason,
    author: d.author,
    created: formatInstant(d.createdAt),
    updatedBy: d.updatedBy,
    updated: formatInstant(d.updatedAt),
    revision: d.revision,
    ...(windows ? { windows: windows.map((w) => ({ start: formatInstant(w.start), end: w.end === null ? null : formatInstant(w.end) })) } : {}),
  };
}

export function revisionOut(r: Revision): Static<typeof HistoryOut>['revisions'][number] {
  return { revision: r.revision, action: r.action, author: r.author, at: formatInstant(r.at), downtime: downtimeOut({ downtime: r.snapshot }) };
}
