/**
 * The shell examples of README.md and docs/*.md that need nothing but
 * ringmon itself run for real. Such a block is marked on the line before its
 * fence with `<!-- run: sh -->`; the test runs it with bash (`set -euo
 * pipefail`) in an empty folder, `ringmon` and `npx ringmon` being this
 * checkout's bin/ringmon.js, and wants exit 0. Blocks that need a running
 * server, another host or the network (agents, downtimes, curl) stay
 * unmarked; their ringmon command lines are checked against the commands'
 * --help by command-examples.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeBlocks, docFiles, readDoc, ROOT } from './markdown-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-doc-sh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRELUDE = [
  'set -euo pipefail',
  `ringmon() { ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin', 'ringmon.js'))} "$@"; }`,
  'npx() { "$@"; }',
  '',
].join('\n');

/** Runs `script` as a marked block runs; the exit code and what it wrote. */
function runBlock(script: string): { status: number | null; output: string } {
  const cwd = mkdtempSync(join(dir, 'block-'));
  const result = spawnSync('bash', ['-c', PRELUDE + script], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: cwd } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const marked = docFiles().flatMap((file) => codeBlocks(file, readDoc(file)).filter((block) => block.marker === 'run: sh'));

describe('the runnable shell examples of README.md and docs/', () => {
  it('are marked on sh blocks', () => {
    expect(marked.length).toBeGreaterThanOrEqual(3);
    for (const block of marked) expect(block.lang, `${block.file}:${block.line}`).toBe('sh');
  });

  it.each(marked.map((block) => [`${block.file}:${block.line}`, block] as const))('%s runs', (where, block) => {
    const { status, output } = runBlock(block.text);
    expect(status, `${where} failed:\n${output}`).toBe(0);
  });

  it('fails a block whose command fails', () => {
    // README's archive example before issue 13: an update older than the one before it.
    const stale = 'ringmon archive create a.rma --step 300 DS:load:GAUGE:600:0:U RRA:AVERAGE:0.5:1:288\nringmon archive update a.rma N:0.42\nringmon archive update a.rma 1700000300:0.5\n';
    const { status, output } = runBlock(stale);
    expect(status).toBe(1);
    expect(output).toContain('illegal attempt to update using time 1700000300');
  });
});
