/** The `computed` section: what it loads to, and each problem refused at start under its key. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();
const load = (text: string) => loadConfig(files.write(text), { env: {}, cwd: files.dir });

describe('computed settings', () => {
  it('loads a list, with durations and a default of none', () => {
    expect(load('dataDir: d\n').computed).toEqual([]);
    const config = load("computed:\n  - { name: tb.nodes_up, op: count, match: 'ringmon.nodes.*.up', where: '>= 1', step: 1m }\n  - { name: tb.web.sum, op: sum, match: [tb.a.web, tb.b.web] }\n");
    expect(config.computed).toEqual([
      { name: 'tb.nodes_up', op: 'count', match: 'ringmon.nodes.*.up', where: '>= 1', step: 60 },
      { name: 'tb.web.sum', op: 'sum', match: ['tb.a.web', 'tb.b.web'] },
    ]);
  });

  it('refuses each bad entry naming its key', () => {
    const problems = problemsOf(
      files.write(
        [
          'computed:',
          "  - { name: 'bad..name', op: sum, match: 'a.*' }",
          "  - { name: a.all, op: count, match: 'a.*', where: '>= 1' }",
          "  - { name: sums.b, op: sum, match: 'b.*', where: '> 1' }",
          "  - { name: pcs.c, op: percent, match: ['c.*', 'x{y}'] }",
          "  - { name: sums.b, op: max, match: 'd.*' }",
          "  - { name: counts.e, op: count, match: 'e.*', where: 'lots' }",
          "  - { name: ringmon.nodes.all, op: count, match: 'ringmon.nodes.*.up' }",
          '',
        ].join('\n'),
      ),
    );
    const byKey = new Map(problems.map((p) => [p.key, p.message]));
    expect(byKey.get('computed[0].name')).toMatch(/empty segment/);
    expect(byKey.get('computed[1].match')).toMatch(/matches its own name 'a.all'/);
    expect(byKey.get('computed[2].where')).toMatch(/only count and percent/);
    expect(byKey.get('computed[3].where')).toMatch(/required for percent/);
    expect(byKey.get('computed[3].match[1]')).toMatch(/not allowed/);
    expect(byKey.get('computed[4].name')).toMatch(/'sums.b' is also computed\[2\]/);
    expect(byKey.get('computed[5].where')).toMatch(/expected/);
    expect(byKey.get('computed[6].name')).toMatch(/the server's own series/);
    expect(problems).toHaveLength(8);
  });

  it('refuses an unknown op, naming the key and the ops', () => {
    const problems = problemsOf(files.write("computed:\n  - { name: f.n, op: median, match: 'f.*' }\n"));
    expect(problems.map((p) => [p.key, p.message])).toEqual([['computed[0].op', expect.stringMatching(/count, sum, min, max, avg, percent/)]]);
  });
});
