/**
 * The registry's file, agents.json, as lib/durable-file writes it: owner-only
 * (it was created 0644), under a temporary name of its own (it was a fixed
 * `agents.json.tmp`, which two writers shared and a crash's leftover
 * blocked), and with its folder synced after the rename (it never was).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentRegistry, type AgentHeartbeat } from '../../../server/agents/index.js';
import { canTrace, replacesOf, traceScript } from '../../helpers/syscall-trace.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-agent-registry-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => mkdtempSync(join(root, `d${n++}-`));

const beat = (name: string): AgentHeartbeat => ({ name, hostname: `${name}.example`, version: '0.1.0', spooledSamples: 0, instances: [] });

/** A log that keeps what it was told. */
function recordingLog(): { warn: (f: object, m: string) => void; error: (f: object, m: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (_f, m) => lines.push(m), error: (_f, m) => lines.push(m) };
}

describe('agents.json', () => {
  it('is written mode 0600, also over an old 0644 file', async () => {
    const path = join(freshDir(), 'agents.json');
    writeFileSync(path, JSON.stringify({ version: 1, agents: [] }), { mode: 0o644 });
    const registry = AgentRegistry.open(path, { log: recordingLog() });
    registry.record(beat('edge-1'), 'token-a', 100);
    await registry.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('is whole and parsed again when two registries write it at the same moment, with no warning and no temporary file left', async () => {
    const dir = freshDir();
    const path = join(dir, 'agents.json');
    const log = recordingLog();
    const a = AgentRegistry.open(path, { log });
    const b = AgentRegistry.open(path, { log });
    for (let i = 0; i < 200; i++) a.record(beat(`edge-a${i}`), 'token-a', 100);
    b.record(beat('edge-b'), 'token-b', 100);
    await Promise.all([a.flush(), b.flush()]);
    await Promise.all([a.close(), b.close()]);
    expect(log.lines).toEqual([]);
    expect(readdirSync(dir)).toEqual(['agents.json']);
    const reopened = AgentRegistry.open(path, { log });
    expect([1, 200]).toContain(reopened.size);
    expect(log.lines).toEqual([]);
    await reopened.close();
  });

  it('neither follows nor reuses a leftover agents.json.tmp (here a symlink to another file)', async () => {
    const dir = freshDir();
    const path = join(dir, 'agents.json');
    const victim = join(dir, 'elsewhere.txt');
    writeFileSync(victim, 'not the registry');
    symlinkSync(victim, `${path}.tmp`);
    const registry = AgentRegistry.open(path, { log: recordingLog() });
    registry.record(beat('edge-1'), 'token-a', 100);
    await registry.close();
    expect(readFileSync(victim, 'utf8')).toBe('not the registry');
    expect(statSync(path).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).agents).toHaveLength(1);
  });

  it('is still saved when a leftover agents.json.tmp cannot be written (here a folder)', async () => {
    const dir = freshDir();
    const path = join(dir, 'agents.json');
    mkdirSync(`${path}.tmp`);
    const log = recordingLog();
    const registry = AgentRegistry.open(path, { log });
    registry.record(beat('edge-1'), 'token-a', 100);
    await registry.close();
    expect(log.lines).toEqual([]);
    expect(JSON.parse(readFileSync(path, 'utf8')).agents).toHaveLength(1);
  });

  it.skipIf(!canTrace)('is created exclusively 0600, fsynced, renamed into place, and then its folder is fsynced (seen with strace)', () => {
    const path = join(freshDir(), 'agents.json');
    const calls = traceScript(join(import.meta.dirname, 'registry-writer.ts'), [path]);
    const replaces = replacesOf(calls, path);
    expect(replaces).toHaveLength(1);
    expect(replaces[0]).toMatchObject({ folderSyncedAfter: true, fileSynced: true, createMode: '0600', createFlags: expect.stringContaining('O_EXCL') });
    expect(replaces[0].temporary).not.toBe(`${path}.tmp`);
  });
});
