/**
 * What a process really asked of the file system: runs a TypeScript script
 * (through tsx) under strace and reads back how each replacement of a file
 * was done, so tests can check durability steps no file content shows (the
 * fsync of a file, the fsync of its folder after the rename).
 * `traceScript` gives undefined where strace is missing or not permitted
 * (tests skip then).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const TRACED = 'openat,open,fsync,fdatasync,rename,renameat,renameat2,link,linkat,close';

/** Whether strace can trace a child here (installed, and ptrace allowed). */
export const canTrace: boolean = (() => {
  const probe = spawnSync('strace', ['-qq', '-e', 'trace=none', 'true'], { stdio: 'ignore' });
  return probe.status === 0;
})();

/** The completed system calls of `script args...` and its threads, in completion order; throws if the script fails. */
export function traceScript(script: string, args: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-strace-'));
  try {
    const out = join(dir, 'trace');
    const run = spawnSync('strace', ['-f', '-qq', '-e', `trace=${TRACED}`, '-o', out, process.execPath, '--import', 'tsx', script, ...args], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`${script} failed under strace (${run.status}): ${run.stderr}`);
    return joinResumed(readFileSync(out, 'utf8').split('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Puts each call that another thread interrupted back in one line, where it completed. */
function joinResumed(lines: readonly string[]): string[] {
  const pending = new Map<string, string>();
  const calls: string[] = [];
  for (const line of lines) {
    const unfinished = /^(\d+)\s+(.*) <unfinished \.\.\.>$/.exec(line);
    if (unfinished) {
      pending.set(unfinished[1], unfinished[2]);
      continue;
    }
    const resumed = /^(\d+)\s+<\.\.\. \w+ resumed>(.*)$/.exec(line);
    if (resumed) calls.push(`${resumed[1]} ${pending.get(resumed[1]) ?? ''}${resumed[2]}`);
    else if (line.trim() !== '') calls.push(line);
  }
  return calls;
}

/** How one rename (or link, for a create that must not replace) onto a target was prepared and followed. */
export interface TracedReplace {
  /** The name renamed or linked to the target. */
  readonly temporary: string;
  /** 'rename' or 'link'. */
  readonly how: string;
  /** The flags and mode it was created with, as strace prints them ('' if not seen). */
  readonly createFlags: string;
  readonly createMode: string;
  /** Whether the temporary file was fsynced or fdatasynced before the rename. */
  readonly fileSynced: boolean;
  /** Whether the target's folder was fsynced after the rename. */
  readonly folderSyncedAfter: boolean;
}

/** Every rename or link onto `target` in `calls`, with what came before and after it. */
export function replacesOf(calls: readonly string[], target: string): TracedReplace[] {
  const open = new Map<string, string>(); // fd → path
  const created = new Map<string, { flags: string; mode: string }>();
  const synced: { path: string; at: number }[] = [];
  const renames: { from: string; how: string; at: number }[] = [];
  calls.forEach((line, at) => {
    const call = /^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line);
    if (!call) return;
    const [, name, args, result] = call;
    const paths = [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    if ((name === 'openat' || name === 'open') && Number(result) >= 0) {
      open.set(result, paths[0]);
      const rest = args.slice(args.indexOf(`"${paths[0]}"`) + paths[0].length + 2).split(',').map((s) => s.trim()).filter(Boolean);
      if (!created.has(paths[0])) created.set(paths[0], { flags: rest[0] ?? '', mode: rest[1] ?? '' });
    } else if ((name === 'fsync' || name === 'fdatasync') && result === '0') {
      const path = open.get(args.trim());
      if (path !== undefined) synced.push({ path, at });
    } else if (/^(rename|link)/.test(name) && result === '0' && paths[paths.length - 1] === target) {
      renames.push({ from: paths[0], how: name.startsWith('link') ? 'link' : 'rename', at });
    }
  });
  return renames.map(({ from, how, at }) => ({
    temporary: from,
    how,
    createFlags: created.get(from)?.flags ?? '',
    createMode: created.get(from)?.mode ?? '',
    fileSynced: synced.some((s) => s.path === from && s.at < at),
    folderSyncedAfter: synced.some((s) => s.path === dirname(target) && s.at > at),
  }));
}
