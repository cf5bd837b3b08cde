/**
 * Shared by the crash tests of the segment log and of its owners (the
 * journal): running a writer child process and killing it with SIGKILL, and
 * an io that writes in small pieces as a slow disk does, so that kills also
 * land in the middle of records.
 */
import { spawn } from 'node:child_process';
import { nodeFileIo, type FileIo } from '../../../lib/durable-file.js';

/**
 * Runs `script` (TypeScript, through tsx) with `args`, kills it `delayMs`
 * after its first output, and resolves with everything it printed. Rejects
 * when it exits by itself (with what it said on stderr).
 */
export function runWriterAndKill(script: string, args: readonly string[], delayMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (stdout === '') setTimeout(() => child.kill('SIGKILL'), delayMs);
      stdout += d.toString();
    });
    // 'close', not 'exit': every line the writer printed before it died has then been read.
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(stdout);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

/** The real io, writing 512 B to 2 KiB per call, each call `delayMs` late (0: at once). */
export function chunkyIo(delayMs: number): FileIo {
  return {
    fdatasync: nodeFileIo.fdatasync,
    async writev(fd, buffers, position) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      let room = 512 + Math.floor(Math.random() * 1536);
      const part: Buffer[] = [];
      for (const b of buffers) {
        if (room === 0) break;
        part.push(b.subarray(0, room));
        room -= part[part.length - 1].length;
      }
      return nodeFileIo.writev(fd, part, position);
    },
  };
}
