/**
 * Polls a JSON HTTP API. `series` picks numbers out of the document with a
 * path (json-path.ts) and names them with a template; `states` maps values
 * to check states (state-map.ts), emits each as a series (0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN) and gives the instance the worst of them.
 *
 *     slurper: json
 *     options:
 *       url: https://cluster.example/api/nodes
 *       tokenFile: /etc/ringmon/secrets/cluster-token
 *       series: [{ path: 'nodes[*].load', name: 'node.{name}.load' }]
 *       states: [{ path: 'nodes[*].currentState', series: 'node.{name}.state', ok: [6],
 *                  overrideBy: site, overrides: { site-a: { ok: [5, 6] } } }]
 */
import { defineSlurper, SAMPLE_KINDS, Type, type CheckStatus, type CollectedSample } from '../contract.js';
import { getText } from './formats/http-get.js';
import { compilePath, evaluatePath, expandTemplate } from './formats/json-path.js';
import { admitSamples } from './formats/series-name.js';
import { mapStates, STATUS_CODE, worstStatus } from './formats/state-map.js';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const Sets = { ok: Type.Array(Scalar), warning: Type.Optional(Type.Array(Scalar)) };

/** A JSON value as a sample value: numbers, numeric text, booleans as 1/0; anything else is not a number. */
function numberOf(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export default defineSlurper({
  name: 'json',
  description: 'Polls a JSON HTTP API: numbers to series by path, values to check states by set.',
  options: Type.Object({
    url: Type.String({ pattern: '^https?://', 'x-expected': 'an http:// or https:// URL' }),
    tokenFile: Type.Optional(Type.String({ description: 'A file holding a bearer token, read at every run; never put the token in the config.' })),
    series: Type.Array(Type.Object({
      path: Type.String(),
      name: Type.String({ minLength: 1, description: 'Series-name template: {1}, {1.field}, {field}.' }),
      kind: Type.Optional(Type.Union(SAMPLE_KINDS.map((kind) => Type.Literal(kind)))),
    }, { additionalProperties: false }), { default: [] }),
    states: Type.Array(Type.Object({
      path: Type.String(),
      series: Type.String({ minLength: 1 }),
      ...Sets,
      otherwise: Type.Optional(Type.Union([Type.Literal('WARNING'), Type.Literal('CRITICAL'), Type.Literal('UNKNOWN')])),
      overrideBy: Type.Optional(Type.String()),
      overrides: Type.Optional(Type.Record(Type.String(), Type.Object({ ok: Type.Optional(Sets.ok), warning: Sets.warning }, { additionalProperties: false }))),
    }, { additionalProperties: false }), { default: [] }),
  }, { additionalProperties: false }),

  async collect(ctx, options) {
    const { text } = await getText(ctx, { ...options, accept: 'application/json' });
    let document: unknown;
    try { document = JSON.parse(text); } catch { throw new Error(`GET ${options.url}: the answer is not JSON (${text.length} characters)`); }

    const samples: CollectedSample[] = [];
    const warn = (why: string) => ctx.log.warn(`${options.url}: ${why}`);
    for (const mapping of options.series) {
      const matches = evaluatePath(document, compilePath(mapping.path));
      if (matches.length === 0 && !mapping.path.includes('*')) warn(`series ${JSON.stringify(mapping.path)}: nothing at this path`);
      for (const match of matches) {
        const named = expandTemplate(mapping.name, match);
        const value = numberOf(match.value);
        if ('problem' in named) { warn(`series ${JSON.stringify(mapping.path)}: ${named.problem}`); continue; }
        if (value === undefined) warn(`series ${named.name}: ${JSON.stringify(match.value).slice(0, 40)} is not a number`);
        samples.push({ series: named.name, value: value ?? null, ...(mapping.kind ? { kind: mapping.kind } : {}) });
      }
    }

    let status: CheckStatus = 'OK';
    const notOk: string[] = [];
    let ok = 0;
    let checked = 0;
    for (const rule of options.states) {
      const { states, problems } = mapStates(document, rule);
      problems.forEach(warn);
      if (states.length === 0) { status = worstStatus(status, 'UNKNOWN'); notOk.push(`nothing at ${rule.path}`); }
      for (const s of states) {
        checked++;
        status = worstStatus(status, s.status);
        if (s.status === 'OK') ok++;
        else notOk.push(`${s.series} ${s.status} (${JSON.stringify(s.value ?? null)})`);
        if (s.seriesOk) samples.push({ series: s.series, value: STATUS_CODE[s.status] });
      }
    }
    const admitted = admitSamples(samples, ctx.instance, warn);
    if (options.states.length === 0) return admitted;
    const listed = notOk.length <= 5 ? notOk.join(', ') : `${notOk.slice(0, 5).join(', ')} and ${notOk.length - 5} more`;
    const message = `${ok} of ${checked} OK${listed ? `; ${listed}` : ''}`;
    return { samples: admitted, state: { status, message } };
  },
});
