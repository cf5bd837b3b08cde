/**
 * `nodes`: when a node (an agent, from its heartbeats) counts as late and
 * as down (node-states.ts). A node is `late` once no heartbeat has come for
 * `heartbeatInterval` × `graceFactor`, and `down` once none has come for
 * `downAfter`; `downAfter` must be longer than the late time, or a node
 * would skip `late`. `heartbeatInterval` is the interval the agents are
 * configured with (their `heartbeatSeconds`, 30 s by default): a heartbeat
 * does not carry it.
 */
import { Type } from 'typebox';
import { defineSection, durationSeconds, strictObject, type SectionValue } from '../config-schema/index.js';

/** Agents heartbeat every 30 s by default (slurpers/agent/agent-config.ts); two missed ones make a node late, five minutes of silence down. */
export const DEFAULT_NODES = { heartbeatInterval: 30, graceFactor: 2, downAfter: 300 } as const;

export const nodesSection = defineSection({
  schema: strictObject(
    {
      heartbeatInterval: durationSeconds({ minimum: 1, maximum: 3600, default: DEFAULT_NODES.heartbeatInterval }),
      graceFactor: Type.Number({ minimum: 1, maximum: 100, default: DEFAULT_NODES.graceFactor }),
      downAfter: durationSeconds({ minimum: 2, maximum: 30 * 86_400, default: DEFAULT_NODES.downAfter }),
    },
    { default: {} },
  ),
  check: (value, report) => {
    const late = value.heartbeatInterval * value.graceFactor;
    if (value.downAfter <= late) {
      report(['downAfter'], `must be longer than heartbeatInterval × graceFactor (${late} s), when a node turns late; it is ${value.downAfter} s`);
    }
  },
});

/** The `nodes` section as loaded. */
export type NodesSettings = SectionValue<typeof nodesSection.schema>;
