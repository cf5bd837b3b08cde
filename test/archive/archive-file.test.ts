/**
 * The file-level promises: never larger than rrdtool's file, fixed size,
 * foreign or damaged bytes reported as CorruptArchiveError, refused updates
 * and definitions changing nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CorruptArchiveError,
  InvalidDefinitionError,
  InvalidUpdateError,
  StaleUpdateError,
  archiveInfo,
  createArchive,
  fetchArchive,
  rrdtoolFileSize,
  updateArchive,
  type ArchiveDefinition,
} from '../../archive/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const START = 1_700_000_000;
let counter = 0;
const fresh = (): string => join(dir, `f${counter++}.rma`);

const definitionArb: fc.Arbitrary<ArchiveDefinition> = fc.record({
  step: fc.integer({ min: 1, max: 3600 }),
  dataSources: fc.uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9_]{0,18}$/),
      type: fc.constantFrom('GAUGE', 'COUNTER', 'DERIVE', 'ABSOLUTE', 'DCOUNTER', 'DDERIVE'),
      heartbeat: fc.integer({ min: 1, max: 100_000 }),
      min: fc.constant(NaN),
      max: fc.constant(NaN),
    }),
    { minLength: 1, maxLength: 12, selector: (d) => d.name },
  ),
  rras: fc.array(
    fc.record({
      cf: fc.constantFrom('AVERAGE', 'MIN', 'MAX', 'LAST'),
      xff: fc.constantFrom(0, 0.5, 0.99),
      pdpPerRow: fc.integer({ min: 1, max: 100 }),
      rows: fc.integer({ min: 1, max: 300 }),
    }),
    { minLength: 1, maxLength: 12 },
  ),
});

function rrdtoolArgs(def: ArchiveDefinition): string[] {
  return [
    '--step',
    String(def.step),
    ...def.dataSources.map((ds) => `DS:${ds.name}:${ds.type}:${ds.heartbeat}:U:U`),
    ...def.rras.map((r) => `RRA:${r.cf}:${r.xff}:${r.pdpPerRow}:${r.rows}`),
  ];
}

const simple: ArchiveDefinition = {
  step: 60,
  dataSources: [{ name: 'v', type: 'GAUGE', heartbeat: 120, min: 0, max: 100 }],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 100 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 10, rows: 10 },
  ],
};

describe('size', () => {
  it('is never larger than the file rrdtool creates for the same definition (random definitions)', () => {
    fc.assert(
      fc.property(definitionArb, (def) => {
        const mine = fresh();
        const theirs = join(dir, `r${counter}.rrd`);
        createArchive(mine, def, { start: START });
        execFileSync('rrdtool', ['create', theirs, '--start', String(START), ...rrdtoolArgs(def)]);
        const rrdSize = statSync(theirs).size;
        expect(rrdtoolFileSize(def)).toBe(rrdSize);
        expect(statSync(mine).size).toBeLessThanOrEqual(rrdSize);
      }),
      { numRuns: 40 },
    );
  });

  it('never changes, whatever is written', () => {
    const path = fresh();
    createArchive(path, simple, { start: START });
    const size = statSync(path).size;
    const samples = Array.from({ length: 5000 }, (_, i) => ({ time: START + 1 + i * 37, values: [i % 7 === 0 ? null : (i * 13) % 100] }));
    updateArchive(path, samples);
    expect(statSync(path).size).toBe(size);
    expect(archiveInfo(path).lastUpdate).toBe(samples[samples.length - 1].time);
  });
});

describe('damaged and foreign files', () => {
  const damaged = (mutate: (path: string) => void): unknown => {
    const path = fresh();
    createArchive(path, simple, { start: START });
    updateArchive(path, [{ time: START + 61, values: [5] }]);
    mutate(path);
    try {
      fetchArchive(path, { cf: 'AVERAGE', start: START - 600, end: START + 600 });
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it.each([
    ['truncated to 10 bytes', (p: string) => truncateSync(p, 10)],
    ['truncated inside a ring', (p: string) => truncateSync(p, statSync(p).size - 8)],
    ['empty', (p: string) => truncateSync(p, 0)],
    ['random bytes', (p: string) => writeFileSync(p, Buffer.from(Array.from({ length: 900 }, (_, i) => (i * 131) % 256)))],
    ['a header byte flipped', (p: string) => {
      const b = readFileSync(p);
      b[60] ^= 0xff;
      writeFileSync(p, b);
    }],
    ['a foreign byte order (float cookie)', (p: string) => {
      const b = readFileSync(p);
      b.writeDoubleBE(8.642135e130, 8);
      writeFileSync(p, b);
    }],
  ])('%s → CorruptArchiveError naming the file', (_name, mutate) => {
    const error = damaged(mutate);
    expect(error).toBeInstanceOf(CorruptArchiveError);
    expect((error as Error).message).toContain('.rma');
  });

  it('an rrdtool file is refused as foreign, not misread', () => {
    const path = join(dir, 'foreign.rrd');
    execFileSync('rrdtool', ['create', path, '--start', String(START), ...rrdtoolArgs(simple)]);
    expect(() => archiveInfo(path)).toThrow(CorruptArchiveError);
    expect(() => archiveInfo(path)).toThrow(/magic/);
  });

  it('a torn state with an intact redo record is completed, not reported', () => {
    const path = fresh();
    createArchive(path, simple, { start: START });
    updateArchive(path, [{ time: START + 61, values: [5] }, { time: START + 121, values: [7] }]);
    const before = fetchArchive(path, { cf: 'AVERAGE', start: START - 600, end: START + 600 });
    const b = readFileSync(path);
    // The live state starts right after the header (48 + 48 + 2 * 24 + 8 bytes); garble its last update.
    b.writeDoubleLE(12345, 152 + 8);
    writeFileSync(path, b);
    expect(fetchArchive(path, { cf: 'AVERAGE', start: START - 600, end: START + 600 })).toEqual(before);
  });
});

describe('refused input changes nothing', () => {
  const prepared = (): { path: string; bytes: Buffer } => {
    const path = fresh();
    createArchive(path, simple, { start: START });
    updateArchive(path, [{ time: START + 100, values: [1] }]);
    return { path, bytes: readFileSync(path) };
  };

  it('a time not after the last update', () => {
    const { path, bytes } = prepared();
    expect(() => updateArchive(path, [{ time: START + 160, values: [2] }, { time: START + 100, values: [3] }])).toThrow(StaleUpdateError);
    expect(() => updateArchive(path, [{ time: START + 100, values: [3] }])).toThrow(/sample 0: illegal attempt to update using time/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a malformed value anywhere in the batch', () => {
    const { path, bytes } = prepared();
    const batch = [{ time: START + 160, values: [2] }, { time: START + 220, values: ['12abc'] }];
    expect(() => updateArchive(path, batch)).toThrow(InvalidUpdateError);
    expect(() => updateArchive(path, batch)).toThrow("sample 1: DS 'v': '12abc' is not a number");
    expect(() => updateArchive(path, [{ time: START + 160, values: [1, 2] }])).toThrow('sample 0: expected 1 values, got 2');
    expect(() => updateArchive(path, [{ time: START + 160, values: [1] }], { template: ['nope'] })).toThrow("template: unknown DS name 'nope'");
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a definition that cannot be stored names the field and writes no file', () => {
    const bad: Array<[string, ArchiveDefinition]> = [
      ['step', { ...simple, step: 0 }],
      ['dataSources[0].name', { ...simple, dataSources: [{ ...simple.dataSources[0], name: 'has space' }] }],
      ['dataSources[0].heartbeat', { ...simple, dataSources: [{ ...simple.dataSources[0], heartbeat: -1 }] }],
      ['dataSources[0].min', { ...simple, dataSources: [{ ...simple.dataSources[0], min: 5, max: 1 }] }],
      ['rras[1].xff', { ...simple, rras: [simple.rras[0], { ...simple.rras[1], xff: 1 }] }],
      ['rras[0].rows', { ...simple, rras: [{ ...simple.rras[0], rows: 0 }] }],
      ['rras', { ...simple, rras: [] }],
    ];
    for (const [field, def] of bad) {
      const path = fresh();
      expect(() => createArchive(path, def, { start: START }), field).toThrow(InvalidDefinitionError);
      expect(() => createArchive(path, def, { start: START }), field).toThrow(field);
      expect(() => statSync(path)).toThrow(/ENOENT/);
    }
  });

  it('create does not overwrite an existing archive unless asked', () => {
    const { path, bytes } = prepared();
    expect(() => createArchive(path, simple, { start: START })).toThrow(/exists/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    createArchive(path, simple, { start: START, overwrite: true });
    expect(archiveInfo(path).lastUpdate).toBe(START);
  });
});
