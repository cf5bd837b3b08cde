/**
 * Makes a folder of users' slurper files importable by Node wherever it
 * lies: `import { defineSlurper } from 'ringmon/slurper'` finds this
 * installation's contract, and the folder's `.ts`/`.js` files load as ES
 * modules (slurper-module-hooks.mjs says how). The hooks are registered
 * with node:module once per process, at the first folder admitted.
 *
 * package.json's `exports` maps `ringmon/slurper` to the same file, which
 * is what files inside this repository (slurpers/examples) resolve it by.
 */
import { once } from 'node:events';
import { realpath } from 'node:fs/promises';
import { register } from 'node:module';
import { resolve as resolvePath, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/** The bare specifier a slurper file imports the contract by. */
export const CONTRACT_SPECIFIER = 'ringmon/slurper';

/** The contract's file, as the hooks resolve CONTRACT_SPECIFIER to it. */
export const CONTRACT_URL = new URL('../contract.ts', import.meta.url).href;

let port: MessagePort | undefined;
const admitted = new Map<string, Promise<void>>();

function hooksPort(): MessagePort {
  if (port !== undefined) return port;
  const channel = new MessageChannel();
  register(new URL('./slurper-module-hooks.mjs', import.meta.url), {
    data: { specifiers: { [CONTRACT_SPECIFIER]: CONTRACT_URL }, port: channel.port2 },
    transferList: [channel.port2],
  });
  // Only an admission in progress may keep the process alive.
  channel.port1.unref();
  port = channel.port1;
  return port;
}

async function admit(dir: string): Promise<void> {
  // Node resolves symbolic links before the hooks see a URL; the folder must be compared the same way.
  const real = await realpath(dir);
  const folder = pathToFileURL(real.endsWith(sep) ? real : real + sep).href;
  const channel = hooksPort();
  channel.ref();
  try {
    const answered = once(channel, 'message');
    channel.postMessage(folder);
    // One folder at a time (admit is chained below), so the next answer is this folder's.
    await answered;
  } finally {
    channel.unref();
  }
}

let chain: Promise<unknown> = Promise.resolve();

/**
 * Resolves once files in `dir` (and its subfolders) can be imported as
 * slurpers. Idempotent per folder; rejects with the file system's error
 * when `dir` does not exist.
 */
export function admitSlurperFolder(dir: string): Promise<void> {
  const key = resolvePath(dir);
  let done = admitted.get(key);
  if (done === undefined) {
    done = chain.then(() => admit(key));
    chain = done.catch(() => undefined);
    admitted.set(key, done);
    done.catch(() => admitted.delete(key));
  }
  return done;
}
