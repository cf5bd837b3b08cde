/**
 * rrdtool dump/restore compatibility, against the real rrdtool 1.7:
 * rrdtool's dumps restore into ringmon archives that fetch, dump and keep
 * updating exactly as rrdtool's; ringmon's dumps restore into rrd files that
 * do the same; dumps ringmon cannot hold are refused, leaving no file.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArchiveError,
  CONSOLIDATION_FUNCTIONS,
  InvalidDefinitionError,
  RestoreError,
  createArchive,
  dumpArchive,
  dumpArchiveToString,
  fetchArchive,
  openArchive,
  restoreArchive,
  updateArchive,
} from '../../archive/index.js';
import {
  comparableDump,
  definition,
  expectSameDump,
  expectSameFetch,
  generateSamples,
  rrdCreateArgs,
  rrdFetches,
  rrdUpdate,
  rrdtool,
  type TextSample,
} from './dump-restore-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-dump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = 1_700_000_000;
const RESOLUTIONS = [60, 180, 300, 720];

/** Every CF at several resolutions, over the recent past and a window reaching before the oldest rows. */
function expectSameFetches(ringmonPath: string, rrdPath: string, what: string): void {
  const last = openArchive(ringmonPath);
  const lastUpdate = last.state.lastUpdate;
  last.close();
  const windows: Array<[number, number]> = [
    [lastUpdate - 4 * 3600, lastUpdate],
    [lastUpdate - 30 * 3600, lastUpdate - 3600],
  ];
  const requests = CONSOLIDATION_FUNCTIONS.flatMap((cf) => RESOLUTIONS.flatMap((resolution) => windows.map(([start, end]) => ({ cf, start, end, resolution }))));
  const theirs = rrdFetches(rrdPath, requests);
  requests.forEach(({ cf, start, end, resolution }, i) => {
    const ours = fetchArchive(ringmonPath, { cf, start, end, resolution });
    expectSameFetch(ours, theirs[i], `${what} ${cf} -r ${resolution} ${start}..${end}`);
  });
}

function updateBoth(ringmonPath: string, rrdPath: string, samples: readonly TextSample[]): void {
  rrdUpdate(rrdPath, samples);
  updateArchive(ringmonPath, samples);
}

function leftovers(prefix: string): string[] {
  return readdirSync(dir).filter((f) => f.includes(prefix));
}

describe('restoring rrdtool dumps', () => {
  const rrdPath = join(dir, 'from-rrdtool.rrd');
  const xmlPath = join(dir, 'from-rrdtool.xml');
  const ringmonPath = join(dir, 'from-rrdtool.rma');
  const beforePath = join(dir, 'from-rrdtool-before-updates.rrd');
  const samples = generateSamples(1, START, 900);

  beforeAll(() => {
    rrdtool(...rrdCreateArgs(rrdPath, START));
    rrdUpdate(rrdPath, samples);
    writeFileSync(xmlPath, rrdtool('dump', rrdPath));
    copyFileSync(rrdPath, beforePath);
  });

  it('fetches, dumps and updates like the rrdtool archive it came from', async () => {
    const progress: number[] = [];
    await restoreArchive(xmlPath, ringmonPath, { onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(definition.rras.reduce((sum, r) => sum + r.rows, 0));

    expectSameFetches(ringmonPath, rrdPath, 'restored');
    expect(comparableDump(dumpArchiveToString(ringmonPath))).toBe(comparableDump(readFileSync(xmlPath, 'utf8')));

    // The PDP and CDP state survived the dump: both engines carry on identically.
    updateBoth(ringmonPath, rrdPath, generateSamples(2, samples.at(-1)!.time, 300));
    expectSameFetches(ringmonPath, rrdPath, 'restored, then updated');
    expectSameDump(dumpArchiveToString(ringmonPath), rrdtool('dump', rrdPath), 'restored, then updated');
  });

  it('reads a stream in small chunks, a version 0001 layout and a fractional lastupdate', async () => {
    const original = readFileSync(xmlPath, 'utf8');
    // Version 0001 dumps have <xff> directly in <rra> and no scratch CDP values; element names match in any case.
    const v1 = original
      .replace('<version>0005</version>', '<version>0001</version>')
      .replace(/<params>\s*<xff>([^<]*)<\/xff>\s*<\/params>/g, '<XFF>$1</XFF>')
      .replace(/\s*<(primary|secondary)_value>[^<]*<\/\1_value>/g, '')
      .replace(/<lastupdate>(\d+)<\/lastupdate>/, '<LastUpdate> $1.25 </LastUpdate>');
    const chunks: string[] = [];
    for (let i = 0; i < v1.length; i += 7) chunks.push(v1.slice(i, i + 7));
    const out = join(dir, 'v1.rma');
    await restoreArchive(Readable.from(chunks.map((c) => Buffer.from(c))), out);
    const file = openArchive(out);
    expect(file.state.lastUpdateUsec).toBe(250_000);
    file.close();
    expectSameFetches(out, beforePath, 'version 0001');
  });
});

describe('rrdtool restoring ringmon dumps', () => {
  const ringmonPath = join(dir, 'ringmon.rma');
  const xmlPath = join(dir, 'ringmon.xml');
  const rrdPath = join(dir, 'ringmon.rrd');
  const samples = generateSamples(3, START, 900);

  it('fetches, dumps and updates like the ringmon archive it came from', () => {
    createArchive(ringmonPath, definition, { start: START, initialRow: (rows) => rows - 7 });
    updateArchive(ringmonPath, samples);
    const chunks: string[] = [];
    dumpArchive(ringmonPath, (chunk) => chunks.push(chunk));
    expect(chunks.length).toBeGreaterThan(definition.rras.length);
    writeFileSync(xmlPath, chunks.join(''));
    rrdtool('restore', xmlPath, rrdPath);

    expectSameFetches(ringmonPath, rrdPath, 'rrdtool restore');
    const theirs = rrdtool('dump', rrdPath);
    expect(comparableDump(theirs)).toBe(comparableDump(chunks.join('')));
    // Byte for byte, scratch values aside, where the zone name cannot differ between strftime and Intl.
    if (Intl.DateTimeFormat().resolvedOptions().timeZone === 'UTC') {
      expect(theirs.replace(/<(primary|secondary)_value>[^<]*</g, '<$1_value>NaN<')).toBe(chunks.join(''));
    }

    // The PDP and CDP state survived the dump: both engines carry on identically.
    updateBoth(ringmonPath, rrdPath, generateSamples(4, samples.at(-1)!.time, 300));
    expectSameFetches(ringmonPath, rrdPath, 'rrdtool restore, then updated');
    expectSameDump(dumpArchiveToString(ringmonPath), rrdtool('dump', rrdPath), 'rrdtool restore, then updated');
  });
});

describe('restore refuses what it cannot hold, leaving no file', () => {
  const base = join(dir, 'small.rrd');
  const good = (): string => {
    if (!existsSync(base)) {
      rrdtool('create', base, '--start', String(START), '--step', '60', 'DS:x:GAUGE:120:U:U', 'RRA:AVERAGE:0.5:1:20');
      rrdUpdate(base, generateSamples(5, START, 30).map((s) => ({ time: s.time, values: [s.values[0]] })));
    }
    return rrdtool('dump', base);
  };

  async function expectRefusal(name: string, xml: string, error: new (...args: never[]) => Error, message: RegExp): Promise<void> {
    const xmlPath = join(dir, `${name}.xml`);
    writeFileSync(xmlPath, xml);
    const out = join(dir, `${name}.rma`);
    const attempt = restoreArchive(xmlPath, out);
    await expect(attempt).rejects.toBeInstanceOf(error);
    await expect(attempt).rejects.toThrow(message);
    expect(leftovers(`${name}.rma`)).toEqual([]);
  }

  it('refuses Holt-Winters RRAs', async () => {
    const hw = join(dir, 'hw.rrd');
    rrdtool('create', hw, '--start', String(START), '--step', '60', 'DS:x:GAUGE:120:U:U', 'RRA:AVERAGE:0.5:1:20', 'RRA:HWPREDICT:100:0.1:0.0035:20');
    await expectRefusal('hw', rrdtool('dump', hw), InvalidDefinitionError, /<cf>HWPREDICT<\/cf>.*Holt-Winters/);
  });

  it('refuses COMPUTE data sources', async () => {
    const cdef = join(dir, 'cdef.rrd');
    rrdtool('create', cdef, '--start', String(START), '--step', '60', 'DS:x:GAUGE:120:U:U', 'DS:y:COMPUTE:x,2,*', 'RRA:AVERAGE:0.5:1:20');
    await expectRefusal('cdef', rrdtool('dump', cdef), InvalidDefinitionError, /<type>COMPUTE<\/type>/);
  });

  it('refuses truncated XML', async () => {
    const xml = good();
    await expectRefusal('truncated', xml.slice(0, Math.floor(xml.length * 0.6)), RestoreError, /malformed XML|ends before/);
  });

  it('refuses a non-numeric value, naming it and its line', async () => {
    const xml = good().replace(/<v>[^<]*<\/v>/, '<v>12abc</v>');
    const line = xml.split('\n').findIndex((l) => l.includes('12abc')) + 1;
    await expectRefusal('nonnumeric', xml, RestoreError, new RegExp(`:${line}: <v>: '12abc' is not a number`));
  });

  it('refuses a missing element, naming it', async () => {
    const xml = good().replace(/\s*<minimal_heartbeat>\d+<\/minimal_heartbeat>/, '');
    await expectRefusal('missing', xml, RestoreError, /<ds> 0 lacks <minimal_heartbeat>/);
  });

  it('refuses a row with the wrong number of values and an unknown element', async () => {
    await expectRefusal('short-row', good().replace(/<row><v>[^<]*<\/v>/, '<row>'), RestoreError, /<row> has 0 <v>, expected 1/);
    await expectRefusal('unknown', good().replace('<step>', '<stride>1</stride><step>'), RestoreError, /unexpected <stride> in <rrd>/);
  });

  it('refuses to replace an existing file unless told to', async () => {
    const xmlPath = join(dir, 'exists.xml');
    writeFileSync(xmlPath, good());
    const out = join(dir, 'exists.rma');
    writeFileSync(out, 'keep me');
    await expect(restoreArchive(xmlPath, out)).rejects.toBeInstanceOf(ArchiveError);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    await restoreArchive(xmlPath, out, { overwrite: true });
    const file = openArchive(out);
    expect(file.definition.dataSources[0].name).toBe('x');
    file.close();
  });
});
