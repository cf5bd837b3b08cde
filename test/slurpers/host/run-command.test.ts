import { describe, expect, it } from 'vitest';
import { CommandError, runCommand } from '../../../slurpers/host/run-command.js';

const never = new AbortController().signal;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('returns exit status, stdout and stderr; a non-zero exit is a result', async () => {
    const result = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'], {}, never);
    expect(result).toEqual({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
  });

  it('passes arguments as they are, with no shell between', async () => {
    const result = await runCommand('printf', ['%s|', '$HOME', 'a b', '`id`'], {}, never);
    expect(result.stdout).toBe('$HOME|a b|`id`|');
  });

  it('passes stdin, extra environment and working directory', async () => {
    const result = await runCommand('sh', ['-c', 'cat; echo " $GREETING"; pwd'], { input: 'hello', env: { GREETING: 'hi' }, cwd: '/tmp' }, never);
    expect(result.stdout).toBe('hello hi\n/tmp\n');
  });

  it('rejects a program that does not exist, naming it', async () => {
    await expect(runCommand('/nonexistent/check_thing', ['-x'], {}, never)).rejects.toThrow(new CommandError('/nonexistent/check_thing -x: cannot run: not found'));
  });

  it('kills a program whose output passes the limit', async () => {
    await expect(runCommand('sh', ['-c', 'yes'], { maxOutputBytes: 10_000 }, never)).rejects.toThrow('wrote more than 10000 bytes to stdout');
  });

  it('kills the whole process tree on abort, grandchildren included', async () => {
    const controller = new AbortController();
    // A duration no other process on the machine sleeps for, so pgrep finds only this test's grandchild.
    const sleep = `sleep 30.${process.pid}`;
    const running = runCommand('sh', ['-c', `${sleep} & echo $!; ${sleep}`], {}, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort(new Error('timed out after 0.3 s'));
    await expect(running).rejects.toThrow(`sh -c ${sleep} & echo $!; ${sleep}: killed: timed out after 0.3 s`);
    // The grandchild's pid went to stdout, which the rejection drops; find it by its parent instead.
    const deadline = Date.now() + 5000;
    let orphans: number[] = [];
    do {
      const { stdout } = await runCommand('pgrep', ['-f', `^${sleep.replace('.', '\\.')}$`], {}, never);
      orphans = stdout.split('\n').filter(Boolean).map(Number).filter(alive);
      if (orphans.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);
    expect(orphans).toEqual([]);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(runCommand('true', [], {}, controller.signal)).rejects.toThrow('true: not started: shutting down');
  });
});
