/**
 * docs/writing-a-slurper.md shows slurpers/examples/uptime.ts: the page must
 * hold the file's exact text, the file must load as a user's file would
 * (from a folder outside the source tree too) and must run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSlurperFile, loadSlurperFolder } from '../../slurpers/host/load-slurpers.js';
import { runOnce } from '../../slurpers/host/run-once.js';

const exampleFile = resolve('slurpers/examples/uptime.ts');
const example = readFileSync(exampleFile, 'utf8');
const doc = readFileSync(resolve('docs/writing-a-slurper.md'), 'utf8');

describe('the example of docs/writing-a-slurper.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-example-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is shown in the doc exactly as the file is', () => {
    expect(doc).toContain('```ts\n' + example + '```');
    expect(example.split('\n').length).toBeLessThanOrEqual(25);
  });

  it('loads and runs against the real /proc/uptime', async () => {
    const { definition } = await loadSlurperFile(exampleFile);
    const outcome = await runOnce(definition, { name: 'web01.uptime', timeoutSeconds: 5, options: {} });
    expect(outcome.ok).toBe(true);
    const seconds = outcome.samples.find((s) => s.series === 'web01.uptime.seconds');
    const reference = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(Math.abs((seconds?.value ?? 0) - reference)).toBeLessThan(5);
    expect(seconds?.thresholds).toEqual({ warning: '3600:' });
    expect(outcome.state?.status).toBe(reference < 3600 ? 'WARNING' : 'OK');
    expect(outcome.samples.map((s) => s.series)).toEqual(['web01.uptime.seconds', 'web01.uptime.up', 'web01.uptime.duration_seconds']);
  });

  it('gives the state and the errors the doc describes', async () => {
    const { definition } = await loadSlurperFile(exampleFile);
    const fake = join(dir, 'uptime');
    writeFileSync(fake, '120.5 200.1\n');
    expect((await runOnce(definition, { name: 'u', timeoutSeconds: 5, options: { path: fake } })).state).toEqual({ status: 'WARNING', message: 'up 0.00 days, rebooted recently' });
    writeFileSync(fake, 'garbage\n');
    expect((await runOnce(definition, { name: 'u', timeoutSeconds: 5, options: { path: fake } })).error).toBe(`${fake}: expected "<seconds> <idle seconds>", got "garbage\\n"`);
    expect((await runOnce(definition, { name: 'web01.uptime', timeoutSeconds: 5, options: { warnAfterRebootSeconds: '2h' } })).error).toBe(
      'slurpers.web01.uptime.options.warnAfterRebootSeconds: must be a number >= 0, got "2h"',
    );
  });

  it('works dropped into a folder outside the tree, importing the contract by its path', async () => {
    writeFileSync(join(dir, 'uptime.ts'), example.replace("'../contract.js'", JSON.stringify(resolve('slurpers/contract.js'))));
    const [loaded] = await loadSlurperFolder(dir);
    expect(loaded.definition.name).toBe('uptime');
    expect((await runOnce(loaded.definition, { name: 'x', timeoutSeconds: 5 })).ok).toBe(true);
  });

  it('the doc\'s plain JavaScript version loads and runs too', async () => {
    const js = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(js).toBeDefined();
    const folder = mkdtempSync(join(dir, 'js-'));
    writeFileSync(join(folder, 'uptime.mjs'), js!);
    const [loaded] = await loadSlurperFolder(folder);
    const jsOutcome = await runOnce(loaded.definition, { name: "x", timeoutSeconds: 5 });
    expect(jsOutcome.error).toBeUndefined();
    expect(jsOutcome.samples[0]).toMatchObject({ series: 'x.seconds', value: expect.any(Number) });
  });
});
