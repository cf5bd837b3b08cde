/**
 * The `status` section: defaults (no groups: no page), durations in their
 * text forms, and every mistake refused at start under its own key: a group
 * that shows nothing, a bad pattern, a name used twice, unknown keys, and
 * values out of range.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();

describe('status settings', () => {
  it('has no groups by default, and reads durations and patterns', () => {
    expect(loadConfig(undefined, { env: {} }).status).toEqual({ title: 'Service status', refresh: 10, upcoming: 7 * 86_400, reasons: true, maxItems: 200, groups: [] });
    const text = ['status:', '  title: Lab', '  refresh: 30s', '  upcoming: 2d', '  reasons: false', '  groups:', '    - { name: web, title: Web sites, series: "site.*.latency" }', "    - { name: gw, nodes: ['gw*', 'router.**'] }"].join('\n');
    const config = loadConfig(files.write(text), { env: {}, cwd: files.dir });
    expect(config.status).toEqual({
      title: 'Lab',
      refresh: 30,
      upcoming: 2 * 86_400,
      reasons: false,
      maxItems: 200,
      groups: [
        { name: 'web', title: 'Web sites', series: 'site.*.latency' },
        { name: 'gw', nodes: ['gw*', 'router.**'] },
      ],
    });
  });

  it('refuses what the schema forbids under its key', () => {
    const problems = problemsOf(files.write(['status:', '  refresh: 0s', '  colour: red', '  groups:', '    - { name: Web, nodes: c }'].join('\n')));
    expect(problems.map((p) => p.key).toSorted()).toEqual(['status.colour', 'status.groups[0].name', 'status.refresh']);
  });

  it('refuses a group that shows nothing, a bad pattern and a name used twice, each under its key', () => {
    const text = [
      'status:',
      '  groups:',
      '    - { name: empty }',
      "    - { name: bad, series: 'site.[ab].x', nodes: ['gw*', 'a..b'] }",
      '    - { name: web, series: a.b }',
      '    - { name: web, nodes: c }',
    ].join('\n');
    const problems = problemsOf(files.write(text));
    expect(problems.map((p) => p.key).toSorted()).toEqual(['status.groups[0]', 'status.groups[1].nodes[1]', 'status.groups[1].series', 'status.groups[3].name']);
    const message = (key: string) => problems.find((p) => p.key === key)?.message;
    expect(message('status.groups[0]')).toMatch(/needs `nodes` or `series`/);
    expect(message('status.groups[3].name')).toMatch(/already the name of groups\[2\]/);
  });
});
