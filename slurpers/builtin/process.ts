/**
 * `process`: how many processes match a name or a command-line pattern,
 * read from /proc — for the daemons that must run. `name` matches the
 * program name exactly (/proc/<pid>/comm, or the base name of argv[0],
 * since comm is cut at 15 characters); `pattern` is a regular expression
 * tried on the whole command line (arguments joined by spaces). Given
 * both, a process must match both. Sample: `count`; CRITICAL outside
 * [min, max].
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { defineSlurper, Type } from '../contract.js';

interface ProcessInfo {
  readonly pid: number;
  readonly comm: string;
  readonly argv: readonly string[];
}

/** Every process's name and arguments; one that exits while being read is left out. */
async function listProcesses(signal: AbortSignal): Promise<ProcessInfo[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const found = await Promise.all(
    pids.map(async (pid): Promise<ProcessInfo | undefined> => {
      try {
        const [comm, cmdline] = await Promise.all([
          readFile(`/proc/${pid}/comm`, { encoding: 'utf8', signal }),
          readFile(`/proc/${pid}/cmdline`, { encoding: 'utf8', signal }),
        ]);
        return { pid: Number(pid), comm: comm.trimEnd(), argv: cmdline.split('\0').filter((arg, i, all) => arg !== '' || i < all.length - 1) };
      } catch (error) {
        if (signal.aborted) throw error;
        return undefined;
      }
    }),
  );
  return found.filter((p): p is ProcessInfo => p !== undefined);
}

export default defineSlurper({
  name: 'process',
  description: 'How many processes match a name or a command-line pattern (from /proc).',
  options: Type.Object(
    {
      name: Type.Optional(Type.String({ minLength: 1, description: 'The program name, e.g. sshd.' })),
      pattern: Type.Optional(Type.String({ minLength: 1, description: 'A regular expression on the command line, e.g. "java .*-jar app\\.jar".' })),
      min: Type.Integer({ minimum: 0, default: 1 }),
      max: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  async collect(ctx, options) {
    if (options.name === undefined && options.pattern === undefined) throw new Error('options: give name, pattern, or both');
    const pattern = options.pattern === undefined ? undefined : new RegExp(options.pattern);
    const matches = (await listProcesses(ctx.signal)).filter(
      (p) =>
        p.pid !== process.pid &&
        (options.name === undefined || p.comm === options.name || (p.argv.length > 0 && basename(p.argv[0]) === options.name)) &&
        (pattern === undefined || pattern.test(p.argv.join(' '))),
    );
    const count = matches.length;
    const range = options.max === undefined ? `${options.min}:` : `${options.min}:${options.max}`;
    const what = [options.name && `named ${options.name}`, options.pattern && `matching /${options.pattern}/`].filter(Boolean).join(' and ');
    const inRange = count >= options.min && (options.max === undefined || count <= options.max);
    const expected = options.max === undefined ? `at least ${options.min}` : `${options.min} to ${options.max}`;
    return {
      samples: [{ series: 'count', value: count, unit: 'processes', thresholds: { critical: range } }],
      state: { status: inRange ? 'OK' : 'CRITICAL', message: `${count} processes ${what}${inRange ? '' : `; expected ${expected}`}` },
    };
  },
});
