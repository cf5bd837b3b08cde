/** The agent.yaml of a test node: one nagios check_dummy instance run every second, heartbeats every second, its own spool. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `<dir>/<name>.yaml` for agent `name` and returns its file name (relative to `dir`). */
export function writeTestAgentYaml(dir: string, name: string): string {
  writeFileSync(
    join(dir, `${name}.yaml`),
    [
      `name: ${name}`,
      'instances:',
      `  - { slurper: nagios, name: ${name}.check, every: 1s, options: { command: check_dummy, args: ["0", "fine"] } }`,
      `spool: { dir: spool-${name}, maxBytes: 1MiB }`,
      'upload: { maxBackoffSeconds: 0.5 }',
      'heartbeatSeconds: 1',
      '',
    ].join('\n'),
  );
  return `${name}.yaml`;
}
