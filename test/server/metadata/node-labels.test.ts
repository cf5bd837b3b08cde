/**
 * Node metadata from labels on samples (server/metadata/node-labels.ts and
 * MetadataSource.offerLabels): labels fill the fields of the series' node
 * by metadata.key (the first segment without one), the mapping file wins
 * for the same field, a refused label (the file's field rules) is logged
 * and changes nothing, the labels held are bounded by metadata.maxBytes,
 * and the listeners (the rules compiled again) are told only when a node's
 * fields actually change, once per batch.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLabels, compileNodeKey, DEFAULT_LABEL_KEY, MetadataSource, NodeLabels } from '../../../server/metadata/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function logger() {
  const lines: string[] = [];
  return { lines, log: { info: (_: object, m: string) => lines.push(m), error: (_: object, m: string) => lines.push(m) } };
}

describe('checkLabels', () => {
  it("checks by the mapping file's field rules, naming the label at fault", () => {
    expect(checkLabels({ name: 'Broker one', site: 'ward-3', max_hours: 36, contacts: ['a@x.example'] }, false)).toEqual({
      fields: { name: 'Broker one', site: 'ward-3', max_hours: 36, contacts: ['a@x.example'] },
    });
    expect(checkLabels({ name: 'B', contacts: ['not-an-address'] }, false)).toEqual({ label: 'contacts', problem: 'must be e-mail addresses (a list, or separated by ;)' });
    expect(checkLabels({ 'bad name': 1 }, false)).toMatchObject({ label: 'bad name', problem: expect.stringContaining('a field name is') });
    expect(checkLabels({ name: 7 }, false)).toEqual({ label: 'name', problem: 'must be a string' });
    expect(checkLabels({ note: 'x'.repeat(1025) }, false)).toMatchObject({ label: 'note', problem: expect.stringContaining('the limit is 1024') });
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, i]));
    expect(checkLabels(many, false)).toEqual({ problem: '65 fields; the limit is 64' });
  });
});

describe('NodeLabels', () => {
  it("sets the node's fields by the key, says whether they changed, and refuses what the rules refuse", () => {
    const refused: string[] = [];
    const labels = new NodeLabels(compileNodeKey('broker.age.{node}'), 4096, (series, problem) => refused.push(`${series}: ${problem}`));
    expect(labels.apply([{ series: 'broker.age.b01', labels: { name: 'Broker one', max_hours: 36 } }])).toBe(true);
    const first = labels.fields.get('b01');
    const version = labels.version;
    // The same labels again (every run of a slurper): no change, the same fields.
    expect(labels.apply([{ series: 'broker.age.b01', labels: { name: 'Broker one', max_hours: 36 } }])).toBe(false);
    expect(labels.fields.get('b01')).toBe(first);
    expect(labels.version).toBe(version);
    // Another field merges in; the node's fields are a new object, the old one unchanged.
    expect(labels.apply([{ series: 'broker.age.b01', labels: { site: 'ward-3' } }])).toBe(true);
    expect(labels.fields.get('b01')).toEqual({ name: 'Broker one', max_hours: 36, site: 'ward-3' });
    expect(first).toEqual({ name: 'Broker one', max_hours: 36 });
    expect(labels.version).toBe(version + 1);
    // Not the key's: ignored. Refused: logged, nothing changed.
    expect(labels.apply([{ series: 'other.b02', labels: { name: 'x' } }])).toBe(false);
    expect(labels.apply([{ series: 'broker.age.b02', labels: { contacts: ['nope'] } }])).toBe(false);
    expect(labels.fields.has('b02')).toBe(false);
    expect(refused).toEqual(["broker.age.b02: label 'contacts': must be e-mail addresses (a list, or separated by ;)"]);
  });

  it('bounds the labels held by maxBytes: a node that would pass it keeps what it had', () => {
    const refused: string[] = [];
    const labels = new NodeLabels(compileNodeKey(DEFAULT_LABEL_KEY), 200, (_, problem) => refused.push(problem));
    for (let i = 0; i < 20; i++) labels.apply([{ series: `n${i}.up`, labels: { name: `Node number ${i}` } }]);
    expect(labels.fields.size).toBeLessThan(20);
    expect(labels.fields.size).toBeGreaterThan(3);
    expect(refused[0]).toMatch(/the labels held would weigh \d+ bytes; the limit is 200 \(metadata.maxBytes\)/);
  });
});

describe('MetadataSource.offerLabels', () => {
  it('fills what the file does not give (the file wins), and tells the listeners once per changing batch, awaiting them', async () => {
    const file = join(dir, 'nodes.yaml');
    writeFileSync(file, 'b01: { name: From the file, max_hours: 12 }\n');
    const { lines, log } = logger();
    const source = MetadataSource.open({ file, key: 'broker.age.{node}', checkEvery: 60, maxBytes: 4096 }, log);
    try {
      let refreshed = 0;
      let release = (): void => undefined;
      source.onChange(() => new Promise<void>((resolve) => (release = () => (refreshed++, resolve()))));
      const batch = [
        { series: 'broker.age.b01', labels: { name: 'From labels', max_hours: 36, site: 'ward-3' } },
        { series: 'broker.age.b02', labels: { name: 'Broker two', contacts: ['two@x.example'] } },
      ];
      const told = source.offerLabels(batch);
      expect(told).toBeInstanceOf(Promise);
      let settled = false;
      void told?.then(() => (settled = true));
      await new Promise((r) => setTimeout(r, 20));
      expect(settled).toBe(false); // waits for the listener (the rules compiled again)
      release();
      await told;
      expect(refreshed).toBe(1);

      const snapshot = source.snapshot();
      expect(snapshot.nodeOf('broker.age.b01')).toEqual({ id: 'b01', name: 'From the file', fields: { name: 'From the file', max_hours: 12, site: 'ward-3' } });
      expect(snapshot.nodeOf('broker.age.b02')?.name).toBe('Broker two');
      expect([...snapshot.nodes.keys()]).toEqual(['b01', 'b02']);

      // Unchanged labels: no new snapshot, no listener.
      expect(source.offerLabels(batch)).toBeUndefined();
      expect(source.snapshot()).toBe(snapshot);

      // A refused label is logged once, however often it comes.
      expect(source.offerLabels([{ series: 'broker.age.b03', labels: { name: ['a'] } }])).toBeUndefined();
      expect(source.offerLabels([{ series: 'broker.age.b03', labels: { name: ['a'] } }])).toBeUndefined();
      expect(lines.filter((l) => l.includes('labels of broker.age.b03 refused'))).toEqual(["metadata: labels of broker.age.b03 refused: label 'name': must be a string"]);

      // A new file keeps the labels' fields.
      writeFileSync(file, 'b01: { name: Renamed }\n');
      expect(source.reread().changed).toBe(true);
      release();
      expect(source.snapshot().nodeOf('broker.age.b01')?.fields).toEqual({ name: 'Renamed', max_hours: 36, site: 'ward-3' });
    } finally {
      source.stop();
    }
  });

  it('without a file or key: the node is the first segment of the series', () => {
    const source = MetadataSource.open({ checkEvery: 5, maxBytes: 4096 }, logger().log);
    void source.offerLabels([{ series: 'b07.hours_since_contact', labels: { name: 'Broker seven' } }]);
    expect(source.snapshot().nodeOf('b07.up')?.name).toBe('Broker seven');
    expect(source.snapshot().nodeOf('b08.up')).toBeUndefined();
  });
});

describe('MetadataSource.offerLabels, many changes at once', () => {
  it('tells the listeners once for the changes made while a telling is under way, and every batch waits for the telling that covers it', async () => {
    const source = MetadataSource.open({ checkEvery: 5, maxBytes: 1 << 20 }, logger().log);
    const releases: (() => void)[] = [];
    const seen: number[] = [];
    source.onChange(() => {
      seen.push(source.snapshot().nodes.size);
      return new Promise<void>((resolve) => releases.push(resolve));
    });
    const first = source.offerLabels([{ series: 'n0.x', labels: { name: 'N0' } }]);
    const later = Array.from({ length: 100 }, (_, i) => source.offerLabels([{ series: `n${i + 1}.x`, labels: { name: `N${i + 1}` } }]));
    expect(new Set(later).size).toBe(1); // one telling for the 100 changes
    expect(seen).toEqual([1]);
    releases[0]();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([1, 101]);
    let done = false;
    void later[0]?.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    releases[1]();
    await later[0];
    expect(source.offerLabels([{ series: 'n1.x', labels: { name: 'N1' } }])).toBeUndefined();
  });
});
