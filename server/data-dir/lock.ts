/**
 * One server per data directory: `ringmon serve` holds a lock on it for as
 * long as it runs, and a second server on the same directory is refused
 * with the directory and the holder's pid, before it opens anything (two
 * servers would append to the same journal and archives).
 *
 * The lock is a Unix socket bound at `<dataDir>/ringmon.lock`. Binding is
 * exclusive (a second bind fails with EADDRINUSE), the holder answers each
 * connection with its pid, and it needs nothing native: Node has no flock.
 * The kernel stops accepting connections on the socket the moment its
 * process dies, even on kill -9 or a power cut, so a lock left behind is
 * told apart from a held one for certain by connecting to it (refused:
 * nobody holds it), with no pid guess to go wrong (a pid reused by another
 * program, a holder in another PID namespace). A pid file would need
 * exactly that guess. A clean stop removes the socket file; a stale one is
 * removed by the next start, only if it is still the very file found
 * refusing (same inode), so two starts racing on one stale lock do not
 * both win, bar the instant between that check and the removal.
 *
 * A socket path is limited to about 107 bytes: a longer data directory is
 * reached through /proc/self/fd (Linux) with a descriptor of the directory.
 */
import { closeSync, lstatSync, openSync, unlinkSync, chmodSync, constants } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { FILE_MODE } from '../../lib/durable-file.js';

/** The lock's file name in the data directory. */
export const LOCK_FILE = 'ringmon.lock';

/** How long a holder has to say its pid before it is reported without one. */
const ANSWER_MS = 2000;
/** Longest socket path that binds everywhere (sun_path is 108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

/** Another process holds the data directory. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    /** The holder's pid, when it said it. */
    readonly pid: number | undefined,
  ) {
    super(
      `data directory ${dataDir} is in use by another ringmon (${pid === undefined ? 'its pid unknown' : `pid ${pid}`}, holding ${join(dataDir, LOCK_FILE)}): ` +
        'stop that server first, or give this one another data directory (dataDir or RINGMON_DATA_DIR)',
    );
  }
}

export interface DataDirLock {
  /** Lets go of the lock (removes the socket file). Safe to call twice. */
  release(): Promise<void>;
}

/**
 * Takes the lock on `dataDir` (which must exist), or throws
 * DataDirLockedError. Other failures (permissions) throw the system error.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = join(dataDir, LOCK_FILE);
  const dirFd = Buffer.byteLength(file) > MAX_SOCKET_PATH ? openSync(dataDir, constants.O_RDONLY) : undefined;
  const address = dirFd === undefined ? file : `/proc/self/fd/${dirFd}/${LOCK_FILE}`;
  // Kept open while the lock is held: closing the server removes the socket file through this path.
  const closeDir = (): void => {
    if (dirFd !== undefined) closeSync(dirFd);
  };
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = await bind(address);
      if (server) {
        chmodSync(file, FILE_MODE); // connecting needs write permission: the owner only
        server.unref(); // the lock never keeps the process alive
        let released: Promise<void> | undefined;
        return { release: () => (released ??= new Promise<void>((resolve) => server.close(() => resolve())).finally(closeDir)) };
      }
      const found = inode(file);
      const holder = await ask(address);
      if (holder !== 'refused') throw new DataDirLockedError(dataDir, holder.pid);
      // Nobody holds it: a lock left by a process that died. Removed only if it is still that file.
      if (found !== undefined && inode(file) === found) unlinkSync(file);
    }
    throw new DataDirLockedError(dataDir, undefined);
  } catch (e) {
    closeDir();
    throw e;
  }
}

/** The listening socket, or undefined when the address is taken. */
function bind(address: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end(`${JSON.stringify({ pid: process.pid })}\n`));
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(undefined) : reject(e)));
    server.listen({ path: address, exclusive: true }, () => resolve(server));
  });
}

/** Whether a process accepts connections on the lock, and its pid if it says it in time. */
function ask(address: string): Promise<{ pid: number | undefined } | 'refused'> {
  return new Promise((resolve) => {
    let answer = '';
    let connected = false;
    const socket = createConnection(address);
    const done = (result: { pid: number | undefined } | 'refused'): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ pid: undefined }), ANSWER_MS);
    socket.on('connect', () => (connected = true));
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
      if (answer.includes('\n')) done({ pid: pidIn(answer) });
    });
    socket.on('end', () => done({ pid: pidIn(answer) }));
    // Refused, or gone (ENOENT): nobody holds it now. An error after connecting still means a live holder.
    socket.on('error', () => done(connected ? { pid: pidIn(answer) } : 'refused'));
  });
}

function pidIn(answer: string): number | undefined {
  try {
    const pid = (JSON.parse(answer.split('\n')[0]) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isSafeInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function inode(path: string): number | undefined {
  try {
    return lstatSync(path).ino;
  } catch {
    return undefined;
  }
}
