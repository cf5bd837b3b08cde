/**
 * Polls a JSON HTTP API. `series` picks numbers out of the document with a
 * path (json-path.ts) and names them with a template; `states` maps values
 * to check states (state-map.ts), emits each as a series (0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN), optionally the raw value beside it (`raw`), and
 * gives the instance the worst of them. A series may be derived instead of
 * read (derived-value.ts): the age of a timestamp (`since`) or a ratio of
 * two fields (`divideBy`).
 *
 *     slurper: json
 *     options:
 *       url: https://cluster.example/api/nodes
 *       tokenFile: /etc/ringmon/secrets/cluster-token
 *       series: [{ path: 'nodes[*].load', name: 'node.{name}.load' },
 *                { path: 'nodes[*].lastContact', name: 'node.{name}.hours_since_contact', since: hours },
 *                { path: 'nodes[*].errors', divideBy: imports, name: 'node.{name}.error_rate' }]
 *       states: [{ path: 'nodes[*].currentState', series: 'node.{name}.state', raw: 'node.{name}.code', ok: [6],
 *                  overrideBy: site, overrides: { site-a: { ok: [5, 6] } } }]
 */
import { defineSlurper, SAMPLE_KINDS, Type, type CheckStatus, type CollectedSample } from '../contract.js';
import { AGE_UNITS, deriveValue, numberOf } from './formats/derived-value.js';
import { getText } from './formats/http-get.js';
import { compilePath, evaluatePath, expandTemplate } from './formats/json-path.js';
import { admitSamples } from './formats/series-name.js';
import { mapStates, STATUS_CODE, worstStatus } from './formats/state-map.js';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const Sets = { ok: Type.Array(Scalar), warning: Type.Optional(Type.Array(Scalar)) };
const literals = <T extends string>(names: readonly T[]) => Type.Union(names.map((name) => Type.Literal(name)));

export default defineSlurper({
  name: 'json',
  description: 'Polls a JSON HTTP API: numbers to series by path, values to check states by set.',
  options: Type.Object({
    url: Type.String({ pattern: '^https?://', 'x-expected': 'an http:// or https:// URL' }),
    tokenFile: Type.Optional(Type.String({ description: 'A file holding a bearer token, read at every run; never put the token in the config.' })),
    series: Type.Array(Type.Object({
      path: Type.String(),
      name: Type.String({ minLength: 1, description: 'Series-name template: {1}, {1.field}, {field}.' }),
      kind: Type.Optional(literals(SAMPLE_KINDS)),
      since: Type.Optional(literals(Object.keys(AGE_UNITS) as (keyof typeof AGE_UNITS)[])),
      epoch: Type.Optional(literals(['seconds', 'milliseconds'])),
      divideBy: Type.Optional(Type.String({ minLength: 1 })),
    }, {
      additionalProperties: false,
      // An age divided by a count means nothing; saying so at start beats a silent odd number.
      not: { required: ['since', 'divideBy'] },
      dependentRequired: { epoch: ['since'] },
      'x-expected': 'a mapping with since or divideBy, not both (and epoch only with since)',
    }), { default: [] }),
    states: Type.Array(Type.Object({
      path: Type.String(),
      series: Type.String({ minLength: 1 }),
      raw: Type.Optional(Type.String({ minLength: 1, description: 'Series-name template for the raw value beside its state code.' })),
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
        if ('problem' in named) { warn(`series ${JSON.stringify(mapping.path)}: ${named.problem}`); continue; }
        const { value, problem } = deriveValue(document, match, mapping, ctx.now);
        if (problem !== undefined) warn(`series ${named.name}: ${problem}`);
        samples.push({ series: named.name, value, ...(mapping.kind ? { kind: mapping.kind } : {}) });
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
        // The raw value (5, not "2"): text has no number, and is a gap here; its state series still says OK or not.
        if (s.raw !== undefined) samples.push({ series: s.raw, value: numberOf(s.value) ?? null });
      }
    }
    const admitted = admitSamples(samples, ctx.instance, warn);
    if (options.states.length === 0) return admitted;
    const listed = notOk.length <= 5 ? notOk.join(', ') : `${notOk.slice(0, 5).join(', ')} and ${notOk.length - 5} more`;
    const message = `${ok} of ${checked} OK${listed ? `; ${listed}` : ''}`;
    return { samples: admitted, state: { status, message } };
  },
});
