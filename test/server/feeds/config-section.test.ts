/** The `feeds` section through loadConfig: its defaults, and errors that name the key at fault. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();

describe('feeds', () => {
  it('are none unless configured (the built-in one needs no entry)', () => {
    expect(loadConfig(undefined, { env: {} }).feeds).toEqual([]);
  });

  it('fill in the defaults, and take a token file from the config file’s folder', () => {
    const config = loadConfig(files.write('feeds:\n  - name: testbed\n    match: testbed.**\n    tokenFile: secrets/testbed.token\n'), { env: {} });
    expect(config.feeds).toEqual([
      { name: 'testbed', match: 'testbed.**', statuses: ['OK', 'WARNING', 'CRITICAL', 'NODATA'], entries: 50, tokenFile: `${files.dir}/secrets/testbed.token` },
    ]);
  });

  it('refuse what they cannot serve, each problem naming its key', () => {
    const problems = problemsOf(
      files.write(
        [
          'feeds:',
          '  - { name: alarms }',
          '  - { name: lab, match: "lab.[0-9]" }',
          '  - { name: lab, statuses: [CRITICAL, CRITICAL] }',
          '  - { name: Big, entries: 501 }',
          '  - { name: ok, statuses: [] }',
          '  - { name: ok2, colour: red }',
          '',
        ].join('\n'),
      ),
    );
    expect(problems.map((p) => p.key)).toEqual(['feeds[3].name', 'feeds[3].entries', 'feeds[4].statuses', 'feeds[5].colour']);
    const checked = problemsOf(files.write('feeds:\n  - { name: alarms }\n  - { name: lab, match: "lab.[0-9]" }\n  - { name: lab, statuses: [CRITICAL, CRITICAL] }\n'));
    expect(checked).toEqual([
      { key: 'feeds[0].name', message: "'alarms' is the built-in feed of every transition; choose another name" },
      { key: 'feeds[1].match', message: "'[' is not allowed in a pattern; use A-Z a-z 0-9 _ - in dotted segments, * within a segment and ** for whole segments" },
      { key: 'feeds[2].name', message: "'lab' names another feed too; feed names must be unique" },
      { key: 'feeds[2].statuses[1]', message: "'CRITICAL' is listed twice" },
    ]);
  });
});
