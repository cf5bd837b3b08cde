/**
 * Crash safety: a writer process is killed with SIGKILL at random moments
 * many times. After every kill each archive must open, keep its size, and
 * equal (state and every ring byte) an archive built from a prefix of its
 * samples that includes every acknowledged one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createArchive, openArchive, sidecarPath, updateArchiveFile, type ArchiveFile } from '../../archive/index.js';
import { ARCHIVES, START, SampleStream, definition } from './crash-scenario.js';

const KILLS = Number(process.env.RINGMON_CRASH_KILLS ?? 30);
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

/** A reference archive per scenario archive, advanced through the same samples as far as the recovered file got. */
class Reference {
  private readonly stream: SampleStream;
  private applied = 0;
  readonly file: ArchiveFile;

  constructor(
    private readonly a: number,
    path: string,
  ) {
    this.stream = new SampleStream(a);
    createArchive(path, definition, { start: START, initialRow: () => 0 });
    this.file = openArchive(path, { write: true });
  }

  /** Applies samples up to the one at `lastUpdate`; returns how many samples the reference now holds. */
  advanceTo(lastUpdate: number): number {
    const batch = [];
    while (this.file.state.lastUpdate < lastUpdate) {
      const [sample] = this.stream.take(1);
      if (sample.time > lastUpdate) throw new Error(`archive ${this.a}: last update ${lastUpdate} is not a sample time`);
      batch.push(sample);
      if (sample.time === lastUpdate) break;
    }
    if (batch.length > 0) updateArchiveFile(this.file, batch);
    this.applied += batch.length;
    return this.applied;
  }
}

describe('archive crash safety under SIGKILL', () => {
  it(`survives random kills with every acknowledged sample and no torn update`, async () => {
    const paths = Array.from({ length: ARCHIVES }, (_, a) => join(dir, `a${a}.rma`));
    for (const p of paths) createArchive(p, definition, { start: START, initialRow: () => 0 });
    const references = paths.map((_, a) => new Reference(a, join(dir, `ref${a}.rma`)));
    const size = statSync(paths[0]).size;
    let progressed = 0;
    let recoveries = 0;
    let sidecarRecoveries = 0;
    let previous = new Array<number>(ARCHIVES).fill(0);
    // At least KILLS kills, and more until both recovery paths have been seen twice (within a bound).
    let kill = 0;
    for (; kill < KILLS || ((recoveries - sidecarRecoveries < 2 || sidecarRecoveries < 2) && kill < 4 * KILLS); kill++) {
      await runWriterAndKill(30 + Math.floor(Math.random() * 250));
      const acked = lastAcknowledged();
      const applied: number[] = [];
      for (let a = 0; a < ARCHIVES; a++) {
        expect(statSync(paths[a]).size).toBe(size);
        const file = openArchive(paths[a], { write: true });
        if (file.recovered) recoveries++;
        if (file.recovered === 'sidecar') sidecarRecoveries++;
        if (file.recovered) expect(existsSync(sidecarPath(paths[a])), 'recovery removes the sidecar').toBe(false);
        try {
          const k = references[a].advanceTo(file.state.lastUpdate);
          applied.push(k);
          expect(k, `archive ${a} lost acknowledged samples`).toBeGreaterThanOrEqual(acked[a]);
          expect(snapshot(file), `archive ${a} after kill ${kill} is not the result of its first ${k} samples`).toEqual(snapshot(references[a].file));
        } finally {
          file.close();
        }
      }
      if (applied.some((k, a) => k > previous[a])) progressed++;
      previous = applied;
    }
    for (const r of references) r.file.close();
    // The kills must have landed while work was being done, not before the writer got going.
    expect(progressed).toBeGreaterThan(kill / 2);
    // And inside commits, so that recovery from the redo area and from a sidecar were both exercised.
    console.log(`crash test: ${kill} kills, ${recoveries} interrupted commits completed (${sidecarRecoveries} with a sidecar)`);
    expect(recoveries - sidecarRecoveries).toBeGreaterThanOrEqual(2);
    expect(sidecarRecoveries).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
