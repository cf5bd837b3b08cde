/**
 * `alarms`: threshold rules and who hears about them. A series is alarmed by
 * the first rule whose `match` fits it; a series no rule matches is alarmed
 * only when a slurper offers thresholds for it (Nagios perfdata, Munin
 * warning/critical), with the `offered` settings. See docs/alarms.md.
 */
import { Type, type Static } from 'typebox';
import { checkMatch, defineSection, durationSeconds, EXPECTED, matchSchema, nameSchema, strictObject, unitSchema, type SectionValue } from '../config-schema/index.js';
import { isMetaRef, metaFieldSchema, metaOr, type MetaOr } from '../metadata/index.js';
import { publicUrlProblem } from '../../lib/public-url.js';
import { MAX_UNIT_LENGTH } from '../../slurpers/contract.js';
import { parseThreshold, type NagiosRange } from './nagios-range.js';
import { DEFAULT_MAX_PENDING_TRANSITIONS } from './pending-changes.js';
import { checkStateSetRule, StateSetSchema } from './state-set-setting.js';

const DAY = 86_400;

/** A threshold: a Nagios range (`80`, `~:80`, `5:`, `@10:20`) or a comparison (`> 80`, `< 5`, `< 5 or > 80`). */
const ThresholdSchema = Type.Union([Type.String({ minLength: 1 }), Type.Number()], {
  [EXPECTED]: 'a Nagios range (80, ~:80, 5:, 10:20, @10:20) or a comparison (> 80, < 5, < 5 or > 80)',
});
export type ThresholdSetting = Static<typeof ThresholdSchema>;

const RenotifySchema = durationSeconds({ minimum: 60, maximum: 365 * DAY });

/** A unit as notices print it after a value: short, one line; the same bound as a unit a sample declares. */
export { MAX_UNIT_LENGTH };
const UnitSchema = unitSchema();

/** Who is told, and when again. */
const notifyBody = {
  /** Names from `alarms.recipients`. */
  notify: Type.Array(nameSchema('a recipient name'), { default: [] }),
  /** Tell again at this interval while the alarm stays bad (e.g. 14d); never when left out. */
  renotify: Type.Optional(RenotifySchema),
};

/** The bounds of the rule settings a node's metadata may give (server/metadata setting.ts), checked again when a field is read. */
export const RULE_DURATION_BOUNDS = { for: [0, 7 * DAY], nodata: [1, 365 * DAY], renotify: [60, 365 * DAY] } as const;

export const AlarmRuleSchema = strictObject({
  name: nameSchema('a rule name', { maxLength: 64 }),
  /** One pattern or several (config-schema/series-glob.ts). */
  match: matchSchema(),
  /** Thresholds and durations may come from the node's metadata: `{ meta: <field>, default: <value> }` (docs/metadata.md). */
  warning: Type.Optional(metaOr(ThresholdSchema)),
  critical: Type.Optional(metaOr(ThresholdSchema)),
  /** How long a value must stay out of bounds before the state changes. */
  for: metaOr(durationSeconds({ minimum: 0, maximum: 7 * DAY }), { default: 0 }),
  /** A raised alarm clears only once the value is this far back inside its bound (in the series' units). */
  hysteresis: Type.Number({ minimum: 0, default: 0 }),
  /** No sample for this long: NODATA. Never when left out. */
  nodata: Type.Optional(metaOr(durationSeconds({ minimum: 1, maximum: 365 * DAY }))),
  /** Good values in a window instead of thresholds (state-set.ts): `{ ok: [6], window: 1m, require: all, level: critical }`; `ok` may come from metadata. */
  states: Type.Optional(strictObject({ ...StateSetSchema.properties, ok: metaOr(StateSetSchema.properties.ok) })),
  /** Names from `alarms.recipients`, and `{ meta: <field> }`: the e-mail addresses in that field of the series' node (contacts). */
  notify: Type.Array(Type.Union([nameSchema('a recipient name'), strictObject({ meta: metaFieldSchema() })], { [EXPECTED]: 'a recipient name, or { meta: <field> } for the addresses in that field of the node' }), { default: [] }),
  renotify: Type.Optional(metaOr(RenotifySchema)),
  /** The unit of the values, for notices (`hours`, `%`, `°C`); may come from the node's metadata. */
  unit: Type.Optional(metaOr(UnitSchema)),
});
export type AlarmRuleSetting = Static<typeof AlarmRuleSchema>;

const RecipientSchema = strictObject({
  name: nameSchema('a recipient name', { maxLength: 64 }),
  /** The To addresses of its messages. */
  email: Type.Array(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', [EXPECTED]: 'an e-mail address' }), { default: [] }),
  /** Addresses put in Cc of its messages (an address also in To gets one copy, in To). */
  cc: Type.Optional(Type.Array(Type.String({ pattern: '^[^@\\s,]+@[^@\\s,]+$', maxLength: 254, [EXPECTED]: 'an e-mail address' }), { maxItems: 100, [EXPECTED]: 'a list of at most 100 e-mail addresses' })),
  /** URLs that receive each notification as a JSON POST. */
  webhook: Type.Array(Type.String({ pattern: '^https?://', [EXPECTED]: 'an http:// or https:// URL' }), { default: [] }),
});

export const DEFAULT_GROUP_WAIT_SECONDS = 1;

export const alarmsSection = defineSection({
  schema: strictObject(
    {
      rules: Type.Array(AlarmRuleSchema, { default: [] }),
      recipients: Type.Array(RecipientSchema, { default: [] }),
      /** Series alarmed only by thresholds their slurper offers: who is told. */
      offered: strictObject(
        {
          enabled: Type.Boolean({ default: true }),
          for: durationSeconds({ minimum: 0, maximum: 7 * DAY, default: 0 }),
          ...notifyBody,
        },
        { default: {} },
      ),
      /**
       * Notices for one recipient within this window after the first go out as
       * one message, so an alarm storm is one mail, not hundreds. Small by
       * default: each second waited is a second later to the pager.
       */
      groupWait: durationSeconds({ minimum: 0, maximum: 3600, default: DEFAULT_GROUP_WAIT_SECONDS }),
      /** How the server's web client is reached from a mail reader (a proxy's https:// address), for graph links; none: notices carry no link. */
      publicUrl: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 2048, [EXPECTED]: 'an http:// or https:// URL' })),
      /**
       * While the database refuses writes, the transitions kept one by one;
       * past it each series' are folded into one (pending-changes.ts), so
       * memory stays bounded however long the outage lasts.
       */
      maxPendingTransitions: Type.Integer({ minimum: 10, maximum: 10_000_000, default: DEFAULT_MAX_PENDING_TRANSITIONS }),
    },
    { default: {} },
  ),
  check: (value, report) => {
    const urlProblem = value.publicUrl === undefined ? undefined : publicUrlProblem(value.publicUrl);
    if (urlProblem !== undefined) report(['publicUrl'], urlProblem);
    const recipients = new Set<string>();
    value.recipients.forEach((recipient, i) => {
      if (recipients.has(recipient.name)) report(['recipients', i, 'name'], `'${recipient.name}' names another recipient too; names must be unique`);
      recipients.add(recipient.name);
      if (recipient.email.length === 0 && recipient.webhook.length === 0 && (recipient.cc ?? []).length === 0) report(['recipients', i], 'gives no email, cc or webhook');
    });
    const names = new Set<string>();
    value.rules.forEach((rule, i) => {
      if (names.has(rule.name)) report(['rules', i, 'name'], `'${rule.name}' names another rule too; rule names must be unique`);
      names.add(rule.name);
      checkMatch(rule.match, ['rules', i, 'match'], report);
      for (const level of ['warning', 'critical'] as const) {
        // A node's own threshold is checked when its field is read; the default here.
        const setting = plainOrDefault(rule[level]);
        if (setting === undefined) continue;
        const range = thresholdRange(setting);
        if (typeof range === 'string') report(['rules', i, level], range);
        else if (!range.inside && range.high - range.low < 2 * rule.hysteresis) {
          report(['rules', i, 'hysteresis'], `${rule.hysteresis} leaves no value inside ${range.text} that clears the ${level} alarm`);
        }
      }
      checkStateSetRule(rule, ['rules', i], report);
      if (rule.warning === undefined && rule.critical === undefined && rule.nodata === undefined && rule.states === undefined) {
        // A rule that only names recipients is allowed: it routes the thresholds a slurper offers.
        if (rule.notify.length === 0) report(['rules', i], 'gives no warning, critical or nodata and notifies no one: it does nothing');
      }
      rule.notify.forEach((name, j) => {
        if (typeof name === 'string' && !recipients.has(name)) report(['rules', i, 'notify', j], `'${name}' is not in alarms.recipients`);
      });
    });
    value.offered.notify.forEach((name, j) => {
      if (!recipients.has(name)) report(['offered', 'notify', j], `'${name}' is not in alarms.recipients`);
    });
  },
});

/** The `alarms` section as loaded: durations in seconds. */
export type AlarmsSettings = SectionValue<typeof alarmsSection.schema>;

/** A setting's plain value, or a metadata reference's default. */
export function plainOrDefault<T>(setting: MetaOr<T> | undefined): T | undefined {
  return isMetaRef(setting) ? setting.default : setting;
}

/** The range a threshold setting stands for, or the problem with it; a bare number is Nagios' `0:N`. */
export function thresholdRange(setting: ThresholdSetting): NagiosRange | string {
  return parseThreshold(String(setting));
}
