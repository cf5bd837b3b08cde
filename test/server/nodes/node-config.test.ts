/** The `nodes` section: durations in their text forms, and a down time that is not past the late time refused, naming nodes.downAfter. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();

describe('nodes settings', () => {
  it('reads durations and the grace factor', () => {
    const config = loadConfig(files.write('nodes: { heartbeatInterval: 10s, graceFactor: 2.5, downAfter: 2m }\n'), { env: {}, cwd: files.dir });
    expect(config.nodes).toEqual({ heartbeatInterval: 10, graceFactor: 2.5, downAfter: 120 });
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
});
