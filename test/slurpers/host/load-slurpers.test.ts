import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSlurper, loadSlurperFile, loadSlurperFolder, SlurperLoadError, slurperRegistry } from '../../../slurpers/host/load-slurpers.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const contract = resolve('slurpers/contract.js');

const tsSlurper = (name: string) => `
import { defineSlurper, Type } from ${JSON.stringify(contract)};
export default defineSlurper({
  name: ${JSON.stringify(name)},
  description: 'A test slurper in TypeScript.',
  options: Type.Object({ value: Type.Number({ default: 7 }) }),
  async collect(_ctx, options): Promise<Array<{ series: string; value: number }>> {
    return [{ series: 'value', value: options.value }];
  },
});
`;
const jsSlurper = (name: string) => `
export default {
  name: ${JSON.stringify(name)},
  description: 'Plain JavaScript, plain JSON Schema, no imports.',
  options: { type: 'object', properties: { value: { type: 'number', default: 3 } } },
  async collect(ctx, options) { return [{ series: 'value', value: options.value }]; },
};
`;

describe('loading slurper files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ringmon-slurpers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every .ts, .js and .mjs file of a folder, in name order, and they run', async () => {
    writeFileSync(join(dir, 'b.ts'), tsSlurper('beta'));
    writeFileSync(join(dir, 'a.mjs'), jsSlurper('alpha'));
    writeFileSync(join(dir, 'c.js'), jsSlurper('gamma').replace('export default', 'export default /* js */'));
    writeFileSync(join(dir, 'notes.txt'), 'not a slurper');
    writeFileSync(join(dir, 'types.d.ts'), 'export {};');
    writeFileSync(join(dir, 'b.test.ts'), 'throw new Error("must not be loaded")');
    const loaded = await loadSlurperFolder(dir);
    expect(loaded.map((l) => [l.definition.name, l.source])).toEqual([
      ['alpha', join(dir, 'a.mjs')],
      ['beta', join(dir, 'b.ts')],
      ['gamma', join(dir, 'c.js')],
    ]);
    const outcome = await runOnce(loaded[1].definition, { name: 'x', timeoutSeconds: 5, options: {} });
    expect(outcome.samples[0]).toMatchObject({ series: 'x.value', value: 7 });
  });

  it('names the file and every problem with its default export', async () => {
    const file = join(dir, 'bad.mjs');
    writeFileSync(file, `export default { name: 'Bad Name', options: { type: 'string' }, collect: 5, interval: 10 };`);
    const error = await loadSlurperFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlurperLoadError);
    expect((error as Error).message.split('\n')).toEqual([
      `${file}: name must match [a-z][a-z0-9_-]*, got "Bad Name"`,
      `${file}: description must be a non-empty string`,
      `${file}: options must be an object schema: Type.Object({...}) or { type: 'object', properties: {...} }`,
      `${file}: collect must be a function (ctx, options) => Promise<samples>`,
      `${file}: unknown keys interval (allowed: name, description, options, collect)`,
    ]);
  });

  it('names a file without a default export, and one that does not compile', async () => {
    writeFileSync(join(dir, 'none.mjs'), 'export const slurper = {};');
    writeFileSync(join(dir, 'broken.ts'), 'export default {{{');
    await expect(loadSlurperFile(join(dir, 'none.mjs'))).rejects.toThrow(`${join(dir, 'none.mjs')}: has no default export`);
    await expect(loadSlurperFile(join(dir, 'broken.ts'))).rejects.toThrow(`${join(dir, 'broken.ts')}: cannot load:`);
  });

  it('reports the problems of all files of a folder at once', async () => {
    writeFileSync(join(dir, 'one.mjs'), 'export default 1;');
    writeFileSync(join(dir, 'two.mjs'), 'export default 2;');
    writeFileSync(join(dir, 'ok.mjs'), jsSlurper('ok'));
    const message = (await loadSlurperFolder(dir).catch((e: Error) => e)) as Error;
    expect(message.message).toContain(join(dir, 'one.mjs'));
    expect(message.message).toContain(join(dir, 'two.mjs'));
  });

  it('names a folder that cannot be read', async () => {
    await expect(loadSlurperFolder(join(dir, 'missing'))).rejects.toThrow(`${join(dir, 'missing')}: cannot read the slurper folder`);
  });
});

describe('slurperRegistry', () => {
  const definition = (name: string) => checkSlurper({ name, description: 'd', options: { type: 'object' }, collect: async () => [] }, 'test');

  it('maps names to slurpers', () => {
    const registry = slurperRegistry([
      { definition: definition('a'), source: 'built-in' },
      { definition: definition('b'), source: '/etc/ringmon/slurpers/b.ts' },
    ]);
    expect([...registry.keys()]).toEqual(['a', 'b']);
  });

  it('refuses a name given twice, naming both sources', () => {
    expect(() =>
      slurperRegistry([
        { definition: definition('http'), source: 'built-in' },
        { definition: definition('http'), source: '/etc/ringmon/slurpers/http.ts' },
      ]),
    ).toThrow("/etc/ringmon/slurpers/http.ts: a slurper named 'http' is already defined by built-in");
  });
});
