/** The munin slurper's state folder and the folder of its wildcard links are owner-only (the links' folder was made 0755). */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import munin from '../../../slurpers/builtin/munin.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-munin-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('munin state folders', () => {
  it('are 0700 under umask 022, the folder of wildcard links included', async () => {
    const plugin = join(dir, 'count_');
    writeFileSync(plugin, '#!/bin/sh\nif [ "$1" = config ]; then echo "n.label n"; else echo "n.value 1"; fi\n');
    chmodSync(plugin, 0o755);
    const stateDir = join(dir, 'state');
    const saved = process.umask(0o022);
    try {
      const outcome = await runOnce(munin, { name: 'm', timeoutSeconds: 20, options: { plugin, runAs: 'count_x', stateDir } });
      expect(outcome.ok).toBe(true);
    } finally {
      process.umask(saved);
    }
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(stateDir, 'plugins')).mode & 0o777).toBe(0o700);
  });
});
