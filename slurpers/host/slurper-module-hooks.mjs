// @ts-check
/**
 * Node module hooks for users' slurper files; they run on Node's loader
 * thread, registered by slurper-modules.ts. Plain JavaScript because that
 * thread loads this file before (and without) any TypeScript loader.
 *
 * - `ringmon/slurper` resolves to this installation's contract, from any
 *   folder: a file in /etc/ringmon/slurpers has no node_modules to find
 *   ringmon in.
 * - A `.ts` or `.js` file inside an admitted slurper folder is an ES
 *   module, as if the folder held a package.json saying "type": "module".
 *   Outside any package, tsx would load it as CommonJS, where its
 *   `export default` cannot be imported.
 *
 * Folders are admitted over the port given at registration; each is
 * answered with the same message once it counts.
 */

/** @type {Map<string, string>} bare specifier → file URL */
let specifiers = new Map();
/** @type {string[]} file URLs of admitted folders, each ending in `/` */
const folders = [];

/**
 * @param {{ specifiers: Record<string, string>, port: import('node:worker_threads').MessagePort }} data
 */
export function initialize(data) {
  specifiers = new Map(Object.entries(data.specifiers));
  data.port.on('message', (/** @type {string} */ folder) => {
    if (!folders.includes(folder)) folders.push(folder);
    data.port.postMessage(folder);
  });
}

const ES_MODULE_CANDIDATE = /\.(ts|js)$/;

/**
 * @param {string} specifier
 * @param {{ parentURL?: string, conditions: string[], importAttributes: Record<string, string> }} context
 * @param {(specifier: string, context?: object) => Promise<{ url: string, format?: string | null, shortCircuit?: boolean }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifiers.get(specifier) ?? specifier, context);
  const inFolder = folders.some((folder) => resolved.url.startsWith(folder));
  if (inFolder && resolved.format === 'commonjs' && ES_MODULE_CANDIDATE.test(resolved.url)) return { ...resolved, format: 'module' };
  return resolved;
}
