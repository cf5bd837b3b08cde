/**
 * The command-line clients check their token file like the server checks its
 * own (lib/owner-only.ts): `ringmon agent` refuses a file group or others
 * may read at start, and `ringmon downtime` before any request, each with
 * one stderr line naming the file and the chmod that fixes it, and a
 * non-zero exit, before any connection is tried.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRingmon } from '../helpers/ringmon-command.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-agent-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ringmon(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runRingmon(args, { cwd: dir, timeoutMs: 60_000 });
}

const agent = (tokenFile: string) => ringmon(['agent', '--server', 'http://127.0.0.1:9', '--token-file', tokenFile, '--config', join(dir, 'agent.yaml')]);

describe.concurrent('ringmon agent --token-file', () => {
  for (const mode of [0o644, 0o640, 0o604]) {
    it(`refuses a ${mode.toString(8)} token file in one line that names the file and the fix`, async () => {
      const file = join(dir, `token-${mode.toString(8)}`);
      writeFileSync(file, 'rmt_secret-token-text\n');
      chmodSync(file, mode);
      const run = await agent(file);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `ringmon agent: ${file}: permissions 0${mode.toString(8)} are too open: group and others must have no access to a secret file; fix with: chmod 600 ${file}\n`,
      );
      expect(run.stderr).not.toContain('rmt_secret');
    }, 60_000);
  }
});

describe('ringmon downtime --token-file', () => {
  it('refuses a 0644 token file in one line that names the file and the fix', async () => {
    const file = join(dir, 'downtime-token');
    writeFileSync(file, 'rmt_secret-token-text\n');
    chmodSync(file, 0o644);
    const run = await ringmon(['downtime', 'list', '--server', 'http://127.0.0.1:9', '--token-file', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`ringmon downtime list: ${file}: permissions 0644 are too open: group and others must have no access to a secret file; fix with: chmod 600 ${file}\n`);
  }, 60_000);
});
