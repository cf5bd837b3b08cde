/**
 * Runs a Munin plugin unchanged, as munin-node would: `plugin config` for
 * the fields and their types, then `plugin` for the values. Field types map
 * one to one to the archive's (GAUGE, COUNTER, DERIVE, ABSOLUTE); warning and
 * critical are offered as thresholds; `graph_vlabel` gives the unit
 * (formats/munin-unit.ts). Series: `<field>`, or
 * `<multigraph>.<field>` for a multigraph plugin (the graph name's dots nest).
 *
 *     slurper: munin
 *     options: { plugin: cpu }      → user, nice, system, idle, ... (DERIVE)
 *     options: { plugin: if_, runAs: if_eth0 }    (a wildcard plugin)
 */
import { readlink, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory } from '../../lib/durable-file.js';
import { defineSlurper, Type, type CollectedSample, type SlurperContext } from '../contract.js';
import { parseMuninConfig, parseMuninFetch, type MuninField, type MuninValue } from './formats/munin-protocol.js';
import { muninUnit } from './formats/munin-unit.js';
import { admitSamples, seriesPath, seriesSegment } from './formats/series-name.js';

/** Wildcard plugins read their argument from their own name, so they are run through a link of that name. */
async function linkAs(stateDir: string, target: string, name: string): Promise<string> {
  const dir = join(stateDir, 'plugins');
  const link = join(dir, name);
  await makeDirectory(dir);
  if (await readlink(link).catch(() => undefined) === target) return link;
  await rm(link, { force: true });
  await symlink(target, link);
  return link;
}

async function run(ctx: SlurperContext, file: string, args: string[], env: Record<string, string>, what: string): Promise<string> {
  const result = await ctx.runCommand(file, args, { env });
  if (result.exitCode !== 0) {
    const why = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
    throw new Error(`${what} ${why}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n')[0]}` : ''}`);
  }
  return result.stdout;
}

export default defineSlurper({
  name: 'munin',
  description: 'Runs a Munin plugin (config, then fetch): its fields become series of the same DS types.',
  options: Type.Object({
    plugin: Type.String({ minLength: 1, description: 'The plugin: a path, or a file name looked up in pluginDir.' }),
    pluginDir: Type.String({ default: '/usr/share/munin/plugins' }),
    runAs: Type.Optional(Type.String({ pattern: '^[^/]+$', description: "The name to run it under, for wildcard plugins (if_eth0 for if_)." })),
    env: Type.Record(Type.String(), Type.String(), { default: {}, description: "Extra environment, as munin-node's env.* settings." }),
    stateDir: Type.Optional(Type.String({ description: "Where plugins keep state between runs (default: the instance's own state folder, kept across restarts)." })),
    dirtyConfig: Type.Boolean({ default: false, description: 'Let the plugin print values with its config, saving the second run.' }),
  }, { additionalProperties: false }),

  async collect(ctx, options) {
    const target = options.plugin.includes('/') ? options.plugin : join(options.pluginDir, options.plugin);
    const name = options.runAs ?? target.slice(target.lastIndexOf('/') + 1);
    // munin-node keeps plugin state in /var/lib; the instance's own lasting folder is ringmon's equivalent.
    const stateDir = options.stateDir ?? ctx.stateDir;
    await makeDirectory(stateDir);
    const file = options.runAs === undefined ? target : await linkAs(stateDir, target, options.runAs);
    const env = {
      LC_ALL: 'C',
      MUNIN_LIBDIR: '/usr/share/munin',
      MUNIN_PLUGSTATE: stateDir,
      MUNIN_STATEFILE: join(stateDir, `${name}.state`),
      MUNIN_CAP_MULTIGRAPH: '1',
      ...(options.dirtyConfig ? { MUNIN_CAP_DIRTYCONFIG: '1' } : {}),
      ...options.env,
    };

    const config = parseMuninConfig(await run(ctx, file, ['config'], env, `${name} config`));
    let values: readonly MuninValue[] = config.values;
    const problems = [...config.problems];
    if (!(options.dirtyConfig && values.length > 0)) {
      const fetched = parseMuninFetch(await run(ctx, file, [], env, name));
      values = fetched.values;
      problems.push(...fetched.problems);
    }
    for (const problem of problems) ctx.log.warn(`${name}: ${problem}`);

    const fields = new Map<string, { field: MuninField; unit: string | undefined }>();
    for (const graph of config.graphs) {
      for (const field of graph.fields) fields.set(JSON.stringify([graph.name, field.name]), { field, unit: muninUnit(graph.attributes.vlabel, field, graph.attributes.period) });
    }
    const samples = values.map((v): CollectedSample => {
      const { field, unit } = fields.get(JSON.stringify([v.graph, v.field])) ?? {};
      const thresholds = { ...(field?.warning ? { warning: field.warning } : {}), ...(field?.critical ? { critical: field.critical } : {}) };
      return {
        series: v.graph === null ? seriesSegment(v.field) : `${seriesPath(v.graph)}.${seriesSegment(v.field)}`,
        value: v.value,
        ...(v.time === undefined ? {} : { time: v.time }),
        ...(field && field.type !== 'GAUGE' ? { kind: field.type } : {}),
        ...(unit === undefined ? {} : { unit }),
        ...(Object.keys(thresholds).length > 0 ? { thresholds } : {}),
      };
    });
    if (samples.length === 0) throw new Error(`${name} printed no values${problems.length > 0 ? `: ${problems[0]}` : ''}`);
    return admitSamples(samples, ctx.instance, (why) => ctx.log.warn(`${name}: ${why}`));
  },
});
