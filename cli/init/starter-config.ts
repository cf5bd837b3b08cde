/**
 * The text of the starter ringmon.yaml that `ringmon init` writes: the
 * settings a new installation usually changes first, with the demo set of
 * slurper instances (the ones that run when a config says nothing) written
 * out, so that adding an instance keeps them, and commented examples.
 *
 * Prose comments are `# ` and text; commented-out settings are `#` and the
 * YAML with its indentation (`#- slurper: http`, `#  name: web01.http`:
 * no space, or two or more, after the `#`), so that removing that `#` gives
 * settings that load (the tests check this).
 */
import { formatDuration } from '../../lib/duration.js';
import type { InstanceConfig } from '../../slurpers/index.js';

/** What the starter config is made from. */
export interface StarterSettings {
  /** The config file as the user named it, for the "Run with" line. */
  readonly file: string;
  /** `dataDir` as written in the file (relative to the file's folder, or absolute). */
  readonly dataDir: string;
  /** The demo set, written out as instances. */
  readonly instances: readonly InstanceConfig[];
}

/** A string as YAML reads it back unchanged (a JSON string is a YAML string). */
const quote = (text: string): string => (/^[A-Za-z0-9_./-]+$/.test(text) ? text : JSON.stringify(text));

function instanceLines(instance: InstanceConfig): string[] {
  const lines = [`    - slurper: ${instance.slurper}`, `      name: ${quote(instance.name)}`];
  lines.push(instance.every !== undefined ? `      every: ${formatDuration(instance.every)}` : `      cron: ${JSON.stringify(instance.cron ?? '')}`);
  if (Object.keys(instance.options).length > 0) lines.push(`      options: ${JSON.stringify(instance.options)}`);
  return lines;
}

/** The file's text. */
export function starterConfig(settings: StarterSettings): string {
  return [
    '# ringmon server configuration, written by `ringmon init`.',
    `# Run with:  ringmon serve --config ${settings.file}`,
    '# Every key is described in docs/configuration.md; a key left out takes its',
    '# built-in default. Durations: 30s 5m 1h. Relative paths are taken from',
    "# this file's folder.",
    '',
    'listen:',
    '  host: 127.0.0.1          # this host only; 0.0.0.0 listens on every interface',
    '  port: 8080',
    '',
    `dataDir: ${quote(settings.dataDir)}   # archives, journal, tokens (owner-only)`,
    '',
    'slurpers:',
    '  # The collectors the server runs itself. The first ones are the demo set,',
    '  # which runs when a config says nothing about slurpers: this host\'s CPU,',
    '  # load, memory, network and disks. A list of instances replaces the demo',
    '  # set rather than adding to it, so keep them here when you add your own',
    '  # (docs/slurpers.md describes each built-in slurper). `instances: []` runs none.',
    '  instances:',
    ...settings.instances.flatMap(instanceLines),
    '    # A web page, a Nagios plugin, a Prometheus exporter: remove the # to use.',
    '    #- slurper: http',
    '    #  name: web01.http',
    '    #  every: 30s',
    '    #  options: { url: "http://localhost/" }',
    '    #- slurper: nagios',
    '    #  name: web01.ssh',
    '    #  every: 5m',
    '    #  options: { command: check_ssh, args: ["-H", "localhost"] }',
    '    #- slurper: prometheus',
    '    #  name: web01.node',
    '    #  every: 1m',
    '    #  options: { url: "http://127.0.0.1:9100/metrics" }',
    '  # Folders of your own slurper files (docs/writing-a-slurper.md).',
    '  #dirs: [/etc/ringmon/slurpers]',
    '',
    '# Alarms on the series (docs/alarms.md): remove the # to use.',
    '#alarms:',
    '#  rules:',
    '#    - name: disk-full',
    '#      match: "disk.*.mount.**.used_percent"',
    '#      warning: "> 85"',
    '#      critical: "> 95"',
    '',
  ].join('\n');
}
