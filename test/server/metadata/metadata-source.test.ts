/**
 * The mapping file watched: a change is read within checkEvery and the
 * listeners told; a bad, too large or missing file keeps the metadata in
 * force and is logged naming the problem; a bad file at start is a
 * ConfigError naming metadata.file.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../server/config-schema/index.js';
import { MetadataSource } from '../../../server/metadata/index.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-metadata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function logger() {
  const lines: string[] = [];
  return { lines, log: { info: (_: object, m: string) => lines.push(m), error: (_: object, m: string) => lines.push(m) } };
}

const settings = (file: string) => ({ file, key: 'broker.age.{node}', checkEvery: 1, maxBytes: 1024 });

describe('MetadataSource', () => {
  it('re-reads a changed file, and keeps the metadata in force when the new file is bad, too large or gone', async () => {
    const file = join(dir, 'nodes.yaml');
    writeFileSync(file, 'b01: { name: One }\n');
    const { lines, log } = logger();
    const source = MetadataSource.open(settings(file), log);
    try {
      let changes = 0;
      source.onChange(() => changes++);
      expect(source.snapshot().nodeOf('broker.age.b01')?.name).toBe('One');

      writeFileSync(file, 'b01: { name: Uno }\nb02: { name: Two }\n');
      await until(() => changes === 1, 'the change is seen', 10_000);
      expect(source.snapshot().nodeOf('broker.age.b02')?.name).toBe('Two');

      writeFileSync(file, 'b01: { contacts: [nope] }\n');
      await until(() => lines.some((l) => l.includes('refused')), 'the bad file is logged', 10_000);
      expect(lines.find((l) => l.includes('refused'))).toMatch(/line 1, node 'b01', field 'contacts': must be e-mail addresses/);
      expect(source.snapshot().nodeOf('broker.age.b01')?.name).toBe('Uno');

      writeFileSync(file, `b01: { name: "${'x'.repeat(2000)}" }\n`);
      expect(source.reread().problem).toMatch(/bytes; the limit is 1024 \(metadata\.maxBytes\)/);
      rmSync(file);
      expect(source.reread().problem).toMatch(/ENOENT/);
      expect(source.snapshot().nodes.size).toBe(2);
      expect(changes).toBe(1);

      // The same text again (a touch) is no change.
      writeFileSync(file, 'b01: { name: Uno }\nb02: { name: Two }\n');
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      expect(source.reread()).toEqual({ changed: false });
    } finally {
      source.stop();
    }
  });

  it('refuses a bad file at start with a ConfigError naming metadata.file', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'id,name\nb 1,x\n');
    const start = (): unknown => MetadataSource.open(settings(file), logger().log);
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/line 2, node 'b 1': a node id/);
  });

  it('without a file has no nodes', () => {
    const source = MetadataSource.open({ checkEvery: 5, maxBytes: 1024 }, logger().log);
    expect(source.snapshot().nodeOf('broker.age.b01')).toBeUndefined();
  });
});
