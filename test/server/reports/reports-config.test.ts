/** The `reports` section through loadConfig: its defaults, and errors that name the key at fault. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { reportRecipientProblems } from '../../../server/reports/config-section.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();

/** A config file with one `reports` list item per entry, each given as its YAML mapping lines. */
const reportsFile = (...reports: string[][]): string =>
  files.write(`reports:\n${reports.map((lines) => lines.map((line, i) => `${i === 0 ? '  - ' : '    '}${line}`).join('\n')).join('\n')}\n`);

describe('reports', () => {
  it('are none unless configured', () => {
    expect(loadConfig(undefined, { env: {} }).reports).toEqual([]);
  });

  it('fill in the defaults of a report', () => {
    const config = loadConfig(reportsFile(['name: daily', 'cron: "30 0 * * *"', 'notify: [ops]']), { env: {} });
    expect(config.reports).toEqual([
      { name: 'daily', cron: '30 0 * * *', timezone: 'UTC', notify: ['ops'], match: '**', groupBy: 2, statuses: ['WARNING', 'CRITICAL', 'NODATA'], keep: 90 * 86400 },
    ]);
  });

  it('keep what is given', () => {
    const lines = ['name: berlin-1', 'cron: "0 0 7 * * 1-5"', 'timezone: Europe/Berlin', 'notify: [ops, boss]', 'match: [s1.**, s2.**]', 'groupBy: 1', 'statuses: [CRITICAL]', 'title: Berlin morning', 'keep: 400d'];
    expect(loadConfig(reportsFile(lines), { env: {} }).reports[0]).toEqual({
      name: 'berlin-1',
      cron: '0 0 7 * * 1-5',
      timezone: 'Europe/Berlin',
      notify: ['ops', 'boss'],
      match: ['s1.**', 's2.**'],
      groupBy: 1,
      statuses: ['CRITICAL'],
      title: 'Berlin morning',
      keep: 400 * 86400,
    });
  });

  it('refuse a cron expression node-cron refuses, naming the key and the field', () => {
    const problems = problemsOf(reportsFile(['name: ok', 'cron: "30 0 * * *"', 'notify: [ops]'], ['name: bad', 'cron: "61 0 * * *"', 'notify: [ops]']));
    expect(problems).toEqual([
      {
        key: 'reports[1].cron',
        message: 'must be a cron expression (minute hour day month weekday, optionally seconds first), got "61 0 * * *" (minute: 61 is a invalid expression for minute)',
      },
    ]);
  });

  it('refuse a time zone the runtime does not know, naming the key', () => {
    const problems = problemsOf(reportsFile(['name: daily', 'cron: "30 0 * * *"', 'timezone: Europe/Atlantis', 'notify: [ops]']));
    expect(problems).toEqual([{ key: 'reports[0].timezone', message: 'must be an IANA time zone such as UTC or Europe/Berlin, got "Europe/Atlantis"' }]);
  });

  it('report every other problem with its key', () => {
    const problems = problemsOf(
      reportsFile(
        ['name: daily', 'cron: "30 0 * * *"', 'notify: [ops]'],
        ['name: weekly', 'cron: "30 0 * * 1"'],
        ['name: Daily', 'cron: "30 0 * * *"', 'notify: [ops]', 'groupBy: 0', 'statuses: [BROKEN]', 'every: 1d', 'keep: 1h'],
      ),
    );
    const keys = problems.map((p) => p.key).toSorted();
    expect(keys).toEqual(['reports[1].notify', 'reports[2].every', 'reports[2].groupBy', 'reports[2].keep', 'reports[2].name', 'reports[2].statuses[0]'].toSorted());
    expect(problems.find((p) => p.key === 'reports[2].keep')?.message).toMatch(/^must be a duration between 1d and 3660d/);
    expect(problems.find((p) => p.key === 'reports[1].notify')?.message).toBe('is required; must be a non-empty list of recipient names from alarms.recipients');
  });

  it('check patterns, duplicate names and statuses once the shape is right', () => {
    const problems = problemsOf(
      reportsFile(
        ['name: daily', 'cron: "30 0 * * *"', 'notify: [ops]', 'match: [s1.**, "s2.[0-9]"]', 'statuses: [WARNING, WARNING]'],
        ['name: daily', 'cron: "30 0 * * *"', 'notify: [ops]', 'match: "a..b"'],
      ),
    );
    expect(problems.map((p) => p.key)).toEqual(['reports[0].match[1]', 'reports[0].statuses[1]', 'reports[1].name', 'reports[1].match']);
    expect(problems[0].message).toMatch(/^'\[' is not allowed in a pattern/);
    expect(problems[2].message).toBe("'daily' names another report too; report names must be unique");
  });

  it('name recipients that alarms.recipients lacks, for the server to refuse at start', () => {
    expect(reportRecipientProblems([{ notify: ['ops'] }, { notify: ['ops', 'pager', 'boss'] }], ['ops', 'boss'])).toEqual([
      { key: 'reports[1].notify[1]', message: "'pager' is not in alarms.recipients" },
    ]);
  });
});
