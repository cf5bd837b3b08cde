/** Drives `rrdtool -` (pipe mode): commands on stdin, one OK/ERROR line per command. */
import { spawn } from 'node:child_process';

/** Runs the commands through one rrdtool process; resolves with the wall time in ms once all are done. */
export function runRrdtoolPipe(commands: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('rrdtool', ['-'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let answered = 0;
    let pending = '';
    const started = performance.now();
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith('ERROR')) {
          child.kill();
          reject(new Error(`rrdtool: ${line}`));
          return;
        }
        if (line.startsWith('OK')) answered++;
      }
      if (answered === commands.length) {
        const elapsed = performance.now() - started;
        child.stdin.end();
        child.on('exit', () => resolve(elapsed));
      }
    });
    child.on('error', reject);
    child.stdin.write(commands.join('\n') + '\n');
  });
}
