/**
 * `nodes`: when a node (an agent, from its heartbeats) counts as late and
 * as down (node-states.ts). A node is `late` once no heartbeat has come for
 * `heartbeatInterval` × `graceFactor`, and `down` once none has come for
 * `downAfter`; `downAfter` must be longer than the late time, or a node
 * would skip `late`. `heartbeatInterval` is the interval the agents are
 * configured with (their `heartbeatSeconds`, 30 s by default): a heartbeat
 * does not carry it. A server-run slurper instance is a node too: its late
 * time is `graceFactor` × its own interval, its down time `downAfter` (at
 * least one interval after late; node-states.ts instanceStateAt).
 *
 * A node that goes down raises the built-in node-down alarm (`node:<name>`),
 * told to `notify` (names from alarms.recipients; checked against them by
 * nodeRecipientProblems, as a section check sees only its own section) and
 * again every `renotify` while it stays down. While a node is late or down
 * the alarms of its series, and of the series its `dependencies` name, are
 * inhibited (server/alarms/node-alarms.ts, docs/alarms.md).
 */
import { Type } from 'typebox';
import {
  checkMatch,
  ConfigError,
  defineSection,
  durationSeconds,
  EXPECTED,
  matchSchema,
  nameSchema,
  strictObject,
  type ConfigProblem,
  type SectionValue,
  unknownRecipientProblems,
} from '../config-schema/index.js';

/** Agents heartbeat every 30 s by default (slurpers/agent/agent-config.ts); two missed ones make a node late, five minutes of silence down. */
export const DEFAULT_NODES = { heartbeatInterval: 30, graceFactor: 2, downAfter: 300 } as const;

export const nodesSection = defineSection({
  schema: strictObject(
    {
      heartbeatInterval: durationSeconds({ minimum: 1, maximum: 3600, default: DEFAULT_NODES.heartbeatInterval }),
      graceFactor: Type.Number({ minimum: 1, maximum: 100, default: DEFAULT_NODES.graceFactor }),
      downAfter: durationSeconds({ minimum: 2, maximum: 30 * 86_400, default: DEFAULT_NODES.downAfter }),
      /** Recipient names (alarms.recipients) told when a node goes down and when it is back. */
      notify: Type.Array(nameSchema('a recipient name'), { default: [], maxItems: 100 }),
      /** Tell again at this interval while a node stays down; never when left out. */
      renotify: Type.Optional(durationSeconds({ minimum: 60, maximum: 365 * 86_400 })),
      /** Series that hang on a node besides their own ("site.b.** depends on router-b"): inhibited while it is late or down. */
      dependencies: Type.Array(
        strictObject({
          match: matchSchema(),
          node: Type.String({ minLength: 1, maxLength: 255, [EXPECTED]: 'a node name (an agent name)' }),
        }),
        { default: [], maxItems: 1000 },
      ),
    },
    { default: {} },
  ),
  check: (value, report) => {
    const late = value.heartbeatInterval * value.graceFactor;
    if (value.downAfter <= late) {
      report(['downAfter'], `must be longer than heartbeatInterval × graceFactor (${late} s), when a node turns late; it is ${value.downAfter} s`);
    }
    value.dependencies.forEach((dependency, i) => checkMatch(dependency.match, ['dependencies', i, 'match'], report));
  },
});

/** The `nodes` section as loaded. */
export type NodesSettings = SectionValue<typeof nodesSection.schema>;

/** The names in nodes.notify that alarms.recipients does not define, one problem each (`nodes.notify[j]`). */
export function nodeRecipientProblems(nodes: { readonly notify: readonly string[] }, recipients: readonly { readonly name: string }[]): ConfigProblem[] {
  return unknownRecipientProblems(nodes.notify, ['nodes', 'notify'], new Set(recipients.map((r) => r.name)));
}

/** Throws ConfigError (no source file) when nodes.notify names a recipient alarms.recipients lacks. */
export function checkNodeRecipients(nodes: { readonly notify: readonly string[] }, recipients: readonly { readonly name: string }[]): void {
  const problems = nodeRecipientProblems(nodes, recipients);
  if (problems.length > 0) throw new ConfigError(undefined, problems);
}
