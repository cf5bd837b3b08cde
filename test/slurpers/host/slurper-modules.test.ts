/**
 * Slurper files in a folder outside this repository, with no node_modules
 * near them, loaded the way `ringmon serve` and `ringmon agent` load them:
 * in a Node process of their own with tsx registered as bin/ringmon.js
 * does, through the real loader (load-slurpers.ts). Under vitest, imports
 * go through vite's resolver instead of Node's, so only a process of its
 * own shows what a user gets.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTRACT_SPECIFIER, CONTRACT_URL } from '../../../slurpers/host/slurper-modules.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-user-slurpers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const moduleUrl = (path: string): string => JSON.stringify(pathToFileURL(join(root, path)).href);

/** Loads every slurper of SLURPER_DIR, runs each once, prints what happened as JSON. */
const DRIVER = `
import { register } from 'tsx/esm/api';
register();
const { loadSlurperFolder } = await import(${moduleUrl('slurpers/host/load-slurpers.ts')});
const { runOnce } = await import(${moduleUrl('slurpers/host/run-once.ts')});
const options = JSON.parse(process.env.SLURPER_OPTIONS);
const report = [];
try {
  for (const { definition } of await loadSlurperFolder(process.env.SLURPER_DIR)) {
    const instance = { name: 'user.' + definition.name.replace(/-/g, '_'), timeoutSeconds: 5, options: options[definition.name] ?? {} };
    const outcome = await runOnce(definition, instance, { stateRoot: process.env.STATE_ROOT });
    report.push({ name: definition.name, ok: outcome.ok, error: outcome.error, samples: outcome.samples.map((s) => [s.series, s.value]) });
  }
} catch (error) {
  report.push({ loadError: error.message });
}
console.log(JSON.stringify(report));
`;

interface Report {
  readonly name?: string;
  readonly ok?: boolean;
  readonly error?: string;
  readonly samples?: [string, number | null][];
  readonly loadError?: string;
}

/** Runs the driver in a process of its own (cwd: the repository, as bin/ringmon.js finds tsx next to itself). */
async function loadInOwnProcess(folder: string, options: object = {}): Promise<Report[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', DRIVER], {
    cwd: root,
    env: { ...process.env, SLURPER_DIR: folder, SLURPER_OPTIONS: JSON.stringify(options), STATE_ROOT: join(dir, 'state') },
    timeout: 30_000,
  });
  return JSON.parse(stdout) as Report[];
}

function hasNodeModulesAbove(folder: string): boolean {
  for (let at = folder; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) return true;
    if (dirname(at) === at) return false;
  }
}

const value = (report: Report | undefined, series: string): number | null | undefined => report?.samples?.find(([name]) => name === series)?.[1];

describe('slurper files outside the repository', () => {
  it('import ringmon/slurper, their helpers and nothing else, load as ES modules (.ts and .js), and run', async () => {
    const folder = join(dir, 'etc-ringmon-slurpers');
    mkdirSync(join(folder, 'lib'), { recursive: true });
    expect(hasNodeModulesAbove(folder)).toBe(false);
    copyFileSync(join(root, 'slurpers', 'examples', 'uptime.ts'), join(folder, 'uptime.ts'));
    copyFileSync(join(root, 'slurpers', 'examples', 'log-matches.ts'), join(folder, 'log-matches.ts'));
    writeFileSync(join(folder, 'lib', 'answer.ts'), 'export const answer = (): number => 42;\n');
    writeFileSync(
      join(folder, 'helped.ts'),
      [
        "import { defineSlurper, Type, type CollectedSample } from 'ringmon/slurper';",
        "import { answer } from './lib/answer.js';",
        '',
        'export default defineSlurper({',
        "  name: 'helped',",
        "  description: 'Uses a helper module next to it.',",
        '  options: Type.Object({}),',
        '  async collect(): Promise<CollectedSample[]> {',
        "    return [{ series: 'answer', value: answer(), kind: 'DCOUNTER' }];",
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    // No package.json says "type": "module" here; the loader makes it one anyway.
    writeFileSync(join(folder, 'plain.js'), "export default { name: 'plain', description: 'd', options: { type: 'object' }, async collect() { return [{ series: 'one', value: 1 }]; } };\n");
    const log = join(dir, 'app.log');
    writeFileSync(log, 'ERROR before\n');

    const first = await loadInOwnProcess(folder, { 'log-matches': { path: log } });
    expect(first.map((r) => [r.name, r.ok, r.error])).toEqual([
      ['helped', true, undefined],
      ['log-matches', true, undefined],
      ['plain', true, undefined],
      ['uptime', true, undefined],
    ]);
    const byName = new Map(first.map((r) => [r.name, r]));
    expect(value(byName.get('helped'), 'user.helped.answer')).toBe(42);
    expect(value(byName.get('plain'), 'user.plain.one')).toBe(1);
    expect(value(byName.get('uptime'), 'user.uptime.seconds')).toBeGreaterThan(0);
    expect(value(byName.get('log-matches'), 'user.log_matches.matches')).toBe(0);

    // A new process: the offset the first one left in the state folder counts, so only the new lines do.
    appendFileSync(log, 'ERROR new\nINFO fine\nERROR newer\n');
    const second = await loadInOwnProcess(folder, { 'log-matches': { path: log } });
    expect(value(second.find((r) => r.name === 'log-matches'), 'user.log_matches.matches')).toBe(2);
    expect(readFileSync(join(dir, 'state', 'user.log_matches', 'offset'), 'utf8')).toBe(String(readFileSync(log).length));
  }, 60_000);

  it('a file linked into the folder from elsewhere loads where it lies, with its helpers', async () => {
    const elsewhere = join(dir, 'opt-plugins');
    const folder = join(dir, 'linked');
    mkdirSync(elsewhere);
    mkdirSync(folder);
    writeFileSync(join(elsewhere, 'twice.ts'), 'export const twice = (n: number): number => 2 * n;\n');
    writeFileSync(
      join(elsewhere, 'doubled.ts'),
      "import { defineSlurper, Type } from 'ringmon/slurper';\nimport { twice } from './twice.js';\n" +
        "export default defineSlurper({ name: 'doubled', description: 'd', options: Type.Object({}), async collect() { return [{ series: 'v', value: twice(21) }]; } });\n",
    );
    symlinkSync(join(elsewhere, 'doubled.ts'), join(folder, 'doubled.ts'));
    const [report] = await loadInOwnProcess(folder);
    expect(report).toMatchObject({ name: 'doubled', ok: true });
    expect(value(report, 'user.doubled.v')).toBe(42);
  }, 60_000);

  it('a file importing a name ringmon does not export stops the load, naming the file', async () => {
    const folder = join(dir, 'bad');
    mkdirSync(folder);
    writeFileSync(join(folder, 'wrong.ts'), "import { defineSlurper } from 'ringmon/contract';\nexport default defineSlurper;\n");
    const [report] = await loadInOwnProcess(folder);
    expect(report.loadError).toMatch(new RegExp(`^${join(folder, 'wrong.ts')}: cannot load: .*ringmon`));
  }, 60_000);

  it("resolves the contract to the file package.json's exports name", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string> };
    expect(`${pkg.name}/slurper`).toBe(CONTRACT_SPECIFIER);
    expect(resolve(root, pkg.exports['./slurper'])).toBe(fileURLToPath(CONTRACT_URL));
    expect(existsSync(fileURLToPath(CONTRACT_URL))).toBe(true);
  });
});
