/**
 * Crash safety: a writer process is killed with SIGKILL at random moments
 * many times. After every kill each archive must open, keep its size, and
 * equal (state and every ring byte) an archive built from a prefix of its
 * samples that includes every acknowledged one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createArchive, openArchive, updateArchive, type ArchiveFile } from '../../archive/index.js';
import { ARCHIVES, START, SampleStream, appliedCount, definition } from './crash-scenario.js';

const KILLS = Number(process.env.RINGMON_CRASH_KILLS ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'ringmon-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runWriterAndKill(delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

function lastAcknowledged(): number[] {
  const acked = new Array<number>(ARCHIVES).fill(0);
  for (const line of readFileSync(join(dir, 'ack.log'), 'utf8').split('\n')) {
    const [a, k] = line.split(' ').map(Number);
    // A line torn by the kill has no second field; its update was not yet acknowledged to anyone.
    if (Number.isInteger(a) && Number.isInteger(k)) acked[a] = Math.max(acked[a], k);
  }
  return acked;
}

function snapshot(file: ArchiveFile): unknown {
  const { seq: _seq, ...state } = file.state;
  return {
    state: JSON.parse(JSON.stringify(state, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))),
    rings: definition.rras.map((_, r) => Buffer.from(file.readRing(r).buffer).toString('base64')),
  };
}

describe('archive crash safety under SIGKILL', () => {
  it(`survives ${KILLS} kills at random moments with every acknowledged sample and no torn update`, async () => {
    const paths = Array.from({ length: ARCHIVES }, (_, a) => join(dir, `a${a}.rma`));
    for (const p of paths) createArchive(p, definition, { start: START, initialRow: () => 0 });
    const size = statSync(paths[0]).size;
    let progressed = 0;
    let recoveries = 0;
    let previous = new Array<number>(ARCHIVES).fill(0);
    for (let kill = 0; kill < KILLS; kill++) {
      await runWriterAndKill(30 + Math.floor(Math.random() * 250));
      const acked = lastAcknowledged();
      const applied: number[] = [];
      for (let a = 0; a < ARCHIVES; a++) {
        expect(statSync(paths[a]).size).toBe(size);
        const file = openArchive(paths[a], { write: true });
        if (file.recovered) recoveries++;
        try {
          const k = appliedCount(a, file.state.lastUpdate);
          applied.push(k);
          expect(k, `archive ${a} lost acknowledged samples`).toBeGreaterThanOrEqual(acked[a]);
          const refPath = join(dir, `ref${a}.rma`);
          createArchive(refPath, definition, { start: START, initialRow: () => 0, overwrite: true });
          updateArchive(refPath, new SampleStream(a).take(k));
          const ref = openArchive(refPath);
          try {
            expect(snapshot(file), `archive ${a} after kill ${kill} is not the result of its first ${k} samples`).toEqual(snapshot(ref));
          } finally {
            ref.close();
          }
        } finally {
          file.close();
        }
      }
      if (applied.some((k, a) => k > previous[a])) progressed++;
      previous = applied;
    }
    // The kills must have landed while work was being done, not before the writer got going.
    expect(progressed).toBeGreaterThan(KILLS / 2);
    // And some must have landed inside a commit, so that recovery from the redo record was exercised.
    console.log(`crash test: ${KILLS} kills, ${recoveries} interrupted commits completed from the redo record`);
    expect(recoveries).toBeGreaterThan(0);
  }, 600_000);
});
