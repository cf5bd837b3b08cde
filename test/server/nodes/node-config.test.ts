/**
 * The `nodes` section: durations in their text forms, and a down time that
 * is not past the late time refused, naming nodes.downAfter; the node-down
 * alarm's recipients (checked against alarms.recipients by the checks of a
 * start, `config check` and a reload) and dependencies with their patterns.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { checkConfig } from '../../../server/reload/check-config.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();

describe('nodes settings', () => {
  it('reads durations and the grace factor', () => {
    const config = loadConfig(files.write('nodes: { heartbeatInterval: 10s, graceFactor: 2.5, downAfter: 2m }\n'), { env: {}, cwd: files.dir });
    expect(config.nodes).toEqual({ heartbeatInterval: 10, graceFactor: 2.5, downAfter: 120, notify: [], dependencies: [] });
  });

  it('refuses a down time not longer than the late time, naming the key', () => {
    const problems = problemsOf(files.write('nodes: { heartbeatInterval: 30s, graceFactor: 2, downAfter: 1m }\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe('nodes.downAfter');
    expect(problems[0].message).toMatch(/longer than heartbeatInterval × graceFactor \(60 s\)/);
  });

  it('refuses values out of range, each under its key', () => {
    const problems = problemsOf(files.write('nodes: { heartbeatInterval: 0s, graceFactor: 0.5, downAfter: soon }\n'));
    expect(problems.map((p) => p.key).toSorted()).toEqual(['nodes.downAfter', 'nodes.graceFactor', 'nodes.heartbeatInterval']);
  });

  it('reads the recipients, reminders and dependencies of the node-down alarm', () => {
    const text = [
      'alarms: { recipients: [{ name: ops, email: [ops@example.org] }] }',
      'nodes:',
      '  notify: [ops]',
      '  renotify: 1h',
      '  dependencies:',
      "    - { match: 'site.b.**', node: router-b }",
      "    - { match: ['lab.x.*', 'lab.y.*'], node: switch-3 }",
    ].join('\n');
    const config = loadConfig(files.write(text), { env: {}, cwd: files.dir });
    expect(config.nodes).toMatchObject({ notify: ['ops'], renotify: 3600, dependencies: [{ match: 'site.b.**', node: 'router-b' }, { match: ['lab.x.*', 'lab.y.*'], node: 'switch-3' }] });
  });

  it('refuses a bad dependency pattern, naming it', () => {
    expect(problemsOf(files.write("nodes: { dependencies: [{ match: ['ok.*', 'a..b'], node: r }] }\n")).map((p) => p.key)).toEqual(['nodes.dependencies[0].match[1]']);
    expect(problemsOf(files.write("nodes: { dependencies: [{ match: 'x.*' }] }\n")).map((p) => p.key)).toEqual(['nodes.dependencies[0].node']);
  });

  it('refuses a recipient alarms.recipients does not define, naming nodes.notify', async () => {
    const config = loadConfig(files.write("alarms: { recipients: [{ name: ops, webhook: ['http://127.0.0.1:9/hook'] }] }\nnodes: { notify: [ops, pager] }\n"), { env: {}, cwd: files.dir });
    await expect(checkConfig(config)).rejects.toMatchObject({ problems: [{ key: 'nodes.notify[1]', message: "'pager' is not in alarms.recipients" }] });
  });
});
