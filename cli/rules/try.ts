/**
 * `ringmon rules try`: what an alarm rule would have sent over a past range,
 * asked of a running server (POST /api/v1/rules/try), before the rule is
 * deployed. The rule comes from a YAML file (one `alarms.rules` entry) or
 * is a rule in force on the server, by name (GET /api/v1/rules).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defineCommand } from '../command.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS, type Connection } from '../downtime/client.js';
import { parseCliTime } from '../downtime/time-input.js';
import { CommandError, UsageError } from '../errors.js';
import { trialReport, type ApiTrial } from './format.js';

const HELP = `Usage: ringmon rules try (--rule FILE | --from-config NAME) [--from TIME] [--until TIME] [--json]

Runs an alarm rule over the archived rows of the series it matches, as the
server's alarm engine would have, and prints per series the transitions,
the notices and the time in each status, then what it would have sent in
all. Nothing is sent and nothing changes. Rows are the finest each archive
keeps over the range (LAST where kept, else AVERAGE); the table shows
their step. At most 31 days and 1000 series. Needs an operator token.

Options:
  --rule FILE         a YAML file holding one rule, as an entry of
                      alarms.rules in ringmon.yaml (name, match, warning,
                      critical, for, hysteresis, nodata, notify, renotify)
  --from-config NAME  the rule NAME in force on the server
  --from TIME         start of the range; default 7d (7 days ago)
  --until TIME        end of the range; default now
                      TIME: ISO 8601, Unix seconds, now, now-2d, -2d, or a
                      bare duration (7d) meaning that long ago
  --json              print the API's JSON answer (with the transitions and
                      notices themselves, up to 500 of each)
${CONNECTION_HELP}
  -h, --help          show this help

Examples:
  ringmon rules try --rule cpu-high.yaml
  ringmon rules try --from-config cpu-high --from 2d --until now
`;

/** Where a server's problem with the request came from, for the one-line error. */
function fieldOptions(ruleSource: string): Record<string, string> {
  const keys = ['name', 'match', 'warning', 'critical', 'for', 'hysteresis', 'nodata', 'notify', 'renotify', 'states'];
  return {
    ...Object.fromEntries(keys.map((key) => [`body/rule/${key}`, `${ruleSource}: ${key}`])),
    'body/rule': ruleSource,
    'body/from': '--from',
    'body/until': '--until',
  };
}

/** A time option; a bare duration (7d) is that long before now. */
function timeOption(text: string, what: string, now: number): number {
  return parseCliTime(/^\d+[a-z]+$/i.test(text.trim()) ? `-${text.trim()}` : text, what, now);
}

function ruleFromFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  let rule: unknown;
  try {
    rule = parse(text);
  } catch (e) {
    throw new CommandError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throw new CommandError(`${file}: must hold one rule as a mapping (name, match, critical, ...), as an entry of alarms.rules`);
  }
  return rule;
}

/** A rule the server has in force, back in the config's form (GET /api/v1/rules answers it compiled). */
interface ApiRule {
  readonly name: string;
  readonly match: readonly string[];
  readonly warning?: { readonly range: string };
  readonly critical?: { readonly range: string };
  readonly for: number;
  readonly hysteresis: number;
  readonly nodata: number | null;
  readonly notify: readonly string[];
  readonly renotify: number | null;
  /** The server's own rules (node-down): nothing of the config to try. */
  readonly builtIn?: boolean;
}

/** A rule of the config: not the offered one (no patterns of its own), nor a built-in one. */
const triable = (r: ApiRule): boolean => r.match.length > 0 && r.builtIn !== true;

async function ruleInForce(conn: Connection, name: string): Promise<unknown> {
  const { rules } = (await callApi(conn, 'GET', '/api/v1/rules')) as { rules: ApiRule[] };
  const rule = rules.find((r) => r.name === name && triable(r));
  if (!rule) {
    const names = rules.filter(triable).map((r) => r.name);
    throw new CommandError(`--from-config: the server has no rule '${name}' (${names.length > 0 ? `it has ${names.join(', ')}` : 'it has none'})`);
  }
  return {
    name: rule.name,
    match: [...rule.match],
    ...(rule.warning ? { warning: rule.warning.range } : {}),
    ...(rule.critical ? { critical: rule.critical.range } : {}),
    for: rule.for,
    hysteresis: rule.hysteresis,
    ...(rule.nodata === null ? {} : { nodata: rule.nodata }),
    notify: [...rule.notify],
    ...(rule.renotify === null ? {} : { renotify: rule.renotify }),
  };
}

export const tryCommand = defineCommand({
  name: 'try',
  summary: 'what a rule would have sent over the last days',
  help: HELP,
  options: {
    rule: { type: 'string' },
    'from-config': { type: 'string' },
    from: { type: 'string' },
    until: { type: 'string' },
    json: { type: 'boolean' },
    ...CONNECTION_OPTIONS,
  },
  positionals: [],
  async run({ values }, context) {
    if ((values.rule === undefined) === (values['from-config'] === undefined)) throw new UsageError('give one of --rule FILE or --from-config NAME');
    const now = context.now();
    const from = timeOption(values.from ?? '7d', '--from', now);
    const until = timeOption(values.until ?? 'now', '--until', now);
    const conn = connection(values);
    const rule = values.rule !== undefined ? ruleFromFile(values.rule) : await ruleInForce(conn, values['from-config'] as string);
    const source = values.rule ?? `--from-config ${values['from-config']}`;
    const answer = (await callApi(conn, 'POST', '/api/v1/rules/try', { rule, from, until }, fieldOptions(source))) as ApiTrial;
    context.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : trialReport(answer));
  },
});
