/**
 * The built-in archive's sizes: each ladder step's archive is created for
 * real and its file measured, and docs/configuration.md's table of bytes per
 * series must say exactly that, so the doc cannot drift from the code.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../../archive/index.js';
import { formatDuration } from '../../../lib/duration.js';
import { templateDefinition } from '../../../server/store/default-template.js';
import { snapToLadder, STEP_LADDER } from '../../../server/store/step-ladder.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DOC = resolve(import.meta.dirname, '../../../docs/configuration.md');

/** `| 1s | 228,776 |` rows of the docs' bytes-per-series table. */
function documentedSizes(): Map<string, number> {
  const text = readFileSync(DOC, 'utf8');
  const table = text.slice(text.indexOf('| step | bytes per series |'));
  const rows = new Map<string, number>();
  for (const line of table.split('\n').slice(2)) {
    const m = /^\| (\w+) \| ([\d,]+) \|$/.exec(line);
    if (!m) break;
    rows.set(m[1], Number(m[2].replaceAll(',', '')));
  }
  return rows;
}

describe('the built-in template', () => {
  it('creates, at every ladder step, a file of the size the docs state, under 256 KiB', () => {
    const measured = new Map<string, number>();
    for (const step of STEP_LADDER) {
      const path = join(dir, `s${step}.rrd`);
      createArchive(path, templateDefinition(step, 'GAUGE', 'value'), { start: 1_700_000_000 - step, sync: false });
      const size = statSync(path).size;
      expect(size).toBeLessThanOrEqual(256 * 1024);
      measured.set(formatDuration(step), size);
    }
    expect(documentedSizes()).toEqual(measured);
  });

  it('snaps an interval to the largest step not above it plus 10 %', () => {
    const cases: [number, number][] = [
      [0.2, 1], [1, 1], [4.4, 1], [4.9, 5], [5, 5], [9.2, 10], [10, 10], [10.5, 10], [14, 15], [20, 15], [29, 30], [55, 60],
      [60, 60], [90, 60], [299, 300], [3300, 3600], [7200, 3600], [86400, 86400], [10 * 86400, 7 * 86400], [31 * 86400, 28 * 86400], [400 * 86400, 28 * 86400],
    ];
    for (const [interval, step] of cases) expect([interval, snapToLadder(interval)]).toEqual([interval, step]);
  });
});
