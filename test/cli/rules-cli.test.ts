/**
 * `ringmon rules try` through the real launcher (node bin/ringmon.js) as a
 * child process, against a real server whose archives hold a known week
 * (test/helpers/trial-history.ts): a rule from a YAML file and a rule in
 * force by name, the table and the total line with figures that could be
 * wrong, and failures as one stderr line with a non-zero exit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from '../docs/markdown-examples.js';
import { FROM, ROWS, startTrialServer, UNTIL, type TrialServer } from '../helpers/trial-history.js';
import { runRingmon, type CommandRun } from '../helpers/ringmon-command.js';

let server: TrialServer;
let dir: string;
let operatorFile: string;

beforeAll(async () => {
  server = await startTrialServer(
    [
      'alarms:',
      '  recipients:',
      '    - { name: ops, webhook: ["http://127.0.0.1:9/hook"] }',
      '  rules:',
      '    - { name: sine-high, match: host.a.cpu, critical: "> 80", notify: [ops] }',
      '',
    ].join('\n'),
  );
  dir = server.config.dataDir;
  operatorFile = join(dir, 'operator.token');
  writeFileSync(operatorFile, `${server.operator}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'cpu-high.yaml'), ['name: cpu-high', 'match: host.*.cpu', "critical: '> 80'", 'for: 10m', 'notify: [ops]', ''].join('\n'));
  writeFileSync(join(dir, 'bad.yaml'), ['name: cpu-high', 'match: host.*.cpu', "critical: 'above 80'", ''].join('\n'));
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

type Run = CommandRun;

/** `ringmon rules try ARGS` with RINGMON_URL at the server and the operator's token file unless `args` says otherwise. */
function rulesTry(args: readonly string[], token: string[] = ['--token-file', operatorFile]): Promise<Run> {
  return runRingmon(['rules', 'try', ...args, ...token], { cwd: dir, env: { RINGMON_URL: server.base, RINGMON_TOKEN: undefined } });
}

const range = ['--from', String(FROM), '--until', String(UNTIL)];

describe('ringmon rules try', () => {
  it('tries a rule from a YAML file: a row per series with its step, and what would have been sent in all', async () => {
    const run = await rulesTry(['--rule', 'cpu-high.yaml', ...range]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`rule cpu-high tried from ${iso(FROM)} to ${iso(UNTIL)}`);
    expect(lines[2]).toMatch(/^SERIES\s+ROWS\s+TRANSITIONS\s+NOTICES\s+OK\s+WARNING\s+CRITICAL\s+NODATA\s+AT END$/);
    // for: 10m keeps the 7 long crossings of the sine and none of the 42 five-minute spikes.
    expect(lines[3]).toMatch(new RegExp(`^host\\.a\\.cpu\\s+${ROWS} × 1m AVERAGE\\s+14\\s+14\\s+5d \\d+h\\s+0s\\s+1d \\d+h\\s+0s\\s+OK$`));
    expect(lines[4]).toMatch(new RegExp(`^host\\.b\\.cpu\\s+${ROWS} × 1m LAST\\s+0\\s+0\\s+7d\\s+0s\\s+0s\\s+0s\\s+OK$`));
    expect(run.stdout).toContain('would have sent 14 notices to ops over 7d from 2 series (7 problems, 7 recoveries)\n');
  });

  it('tries a rule in force on the server by name, over the last 7 days by default', async () => {
    const run = await rulesTry(['--from-config', 'sine-high']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^host\.a\.cpu .* OK$/m);
    // The default range ends now, a few minutes after the known week: 7 days back from now holds 6 or 7 crossings.
    expect(run.stdout).toMatch(/would have sent 1[234] notices to ops over 7d from 1 series \(\d problems, \d recoveries\)/);
  });

  it('reports a bad rule as one line naming the file and the key, with a non-zero exit', async () => {
    const run = await rulesTry(['--rule', 'bad.yaml', ...range]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ringmon rules try: bad\.yaml: critical: [^\n]+\n$/);
  });

  it('reports usage errors, a rule the server does not have, a range too long and a viewer token as one line each', async () => {
    const usage = await rulesTry([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^ringmon rules try: give one of --rule FILE or --from-config NAME\n$/);
    const unknown = await rulesTry(['--from-config', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ringmon rules try: --from-config: the server has no rule 'nope' \(it has sine-high\)\n$/);
    const long = await rulesTry(['--rule', 'cpu-high.yaml', '--from', '40d']);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/^ringmon rules try: --from: the range is 40d; a trial covers at most 31d[^\n]*\n$/);
    writeFileSync(join(dir, 'viewer.token'), `${server.tokens.viewer}\n`, { mode: 0o600 });
    const viewer = await rulesTry(['--rule', 'cpu-high.yaml'], ['--token-file', join(dir, 'viewer.token')]);
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toMatch(/^ringmon rules try: [^\n]*operator[^\n]*\n$/);
  });

  it('tries the rule file of docs/alarms.md as it is written there', async () => {
    const doc = 'docs/alarms.md';
    const text = readFileSync(resolve(import.meta.dirname, '../..', doc), 'utf8');
    const section = text.indexOf('## Trying a rule before you deploy it');
    const block = codeBlocks(doc, text.slice(section)).find((b) => b.lang === 'yaml');
    expect(block?.text).toMatch(/^name: cpu-high\n/);
    writeFileSync(join(dir, 'doc-rule.yaml'), block!.text);
    const run = await rulesTry(['--rule', 'doc-rule.yaml', ...range]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^would have sent \d+ notices to ops over 7d from 2 series/m);
  });

  it('prints the API answer with --json', async () => {
    const run = await rulesTry(['--rule', 'cpu-high.yaml', ...range, '--json']);
    const answer = JSON.parse(run.stdout);
    expect(answer.totals.notices).toMatchObject({ problem: 7, recovery: 7, total: 14 });
    expect(answer.notices).toHaveLength(14);
  });
});

function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000', '');
}
