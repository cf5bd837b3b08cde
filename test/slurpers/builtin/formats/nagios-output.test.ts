/**
 * The perfdata parser against output the real Monitoring Plugins print at
 * test time (Debian's monitoring-plugins-basic), and a round-trip property:
 * any perfdata item written as the guidelines say reads back as written.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePerfdata, parsePluginOutput, scaleRange } from '../../../../slurpers/builtin/formats/nagios-output.js';
import { freePort } from '../../../helpers/free-port.js';
import { closingListener } from '../closing-listener.js';

const PLUGINS = '/usr/lib/nagios/plugins';

/** Runs a plugin; a non-zero exit is an answer, not an error. */
async function plugin(name: string, ...args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await promisify(execFile)(`${PLUGINS}/${name}`, args, { env: { ...process.env, LC_ALL: 'C' } });
    return { stdout, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; code: number };
    return { stdout: e.stdout, code: e.code };
  }
}

describe('real plugins', () => {
  const listener = closingListener();

  it('check_dummy: the status line, no perfdata', async () => {
    const { stdout, code } = await plugin('check_dummy', '1', 'disk nearly full');
    expect(code).toBe(1);
    expect(parsePluginOutput(stdout)).toEqual({ status: 'WARNING: disk nearly full', longText: [], perfdata: [], problems: [] });
  });

  it('check_dummy: long output with perfdata after | on later lines', async () => {
    const text = "all good | 'first one'=1;2;3\nnode a fine\nnode b fine | b=2ms;10;20;0;100\n'it''s'=3KB c=42c";
    const { stdout } = await plugin('check_dummy', '0', text);
    const out = parsePluginOutput(stdout);
    expect(out.status).toBe('OK: all good');
    expect(out.longText).toEqual(['node a fine', 'node b fine ']);
    expect(out.problems).toEqual([]);
    expect(out.perfdata).toEqual([
      { label: 'first one', value: 1, uom: '', kind: 'GAUGE', warning: '2', critical: '3' },
      { label: 'b', value: 0.002, uom: 'ms', unit: 's', kind: 'GAUGE', warning: '0.01', critical: '0.02', min: 0, max: 0.1 },
      { label: "it's", value: 3072, uom: 'KB', unit: 'B', kind: 'GAUGE' },
      { label: 'c', value: 42, uom: 'c', unit: 'count', kind: 'COUNTER' },
    ]);
  });

  it('check_disk: bytes used on /, thresholds in bytes, agreeing with its own text', async () => {
    const { stdout, code } = await plugin('check_disk', '-w', '1%', '-c', '0%', '-p', '/');
    expect(code).toBe(0);
    const out = parsePluginOutput(stdout);
    expect(out.status).toMatch(/^DISK OK/);
    const [root] = out.perfdata;
    expect(root).toMatchObject({ label: '/', uom: 'B', unit: 'B', kind: 'GAUGE', min: 0 });
    // df counts the same filesystem; a busy disk moves by a little between the two calls.
    const [used, size] = (await promisify(execFile)('df', ['-B1', '--output=used,size', '/'])).stdout.trim().split('\n')[1].trim().split(/\s+/).map(Number);
    expect(Math.abs(root.value! - used) / size).toBeLessThan(0.01);
    expect(Math.abs(root.max! - size) / size).toBeLessThan(0.01);
    expect(Number(root.critical)).toBeCloseTo(root.max!, -1);
  });

  it('check_load: three loads with their warn/crit', async () => {
    const { stdout } = await plugin('check_load', '-w', '50,40,30', '-c', '100,80,60');
    const out = parsePluginOutput(stdout);
    expect(out.perfdata.map((d) => [d.label, d.warning, d.critical])).toEqual([['load1', '50', '100'], ['load5', '40', '80'], ['load15', '30', '60']]);
    for (const d of out.perfdata) expect(d.value).toBeGreaterThanOrEqual(0);
  });

  it('check_tcp: response time in seconds against a listener, and the refusal text when closed', async () => {
    const up = parsePluginOutput((await plugin('check_tcp', '-H', '127.0.0.1', '-p', String(listener.port), '-w', '5', '-c', '10')).stdout);
    expect(up.status).toMatch(/^TCP OK/);
    expect(up.perfdata).toEqual([{ label: 'time', value: expect.any(Number), uom: 's', unit: 's', kind: 'GAUGE', warning: '5', critical: '10', min: 0, max: 10 }]);
    const closed = await freePort();
    const down = await plugin('check_tcp', '-H', '127.0.0.1', '-p', String(closed));
    expect(down.code).toBe(2);
    expect(parsePluginOutput(down.stdout)).toMatchObject({ status: expect.stringMatching(/Connection refused/), perfdata: [] });
  });

  it('check_procs: several items, trailing semicolons', async () => {
    const out = parsePluginOutput((await plugin('check_procs', '-w', '1:100000', '-c', '1:200000', '-m', 'RSS')).stdout);
    expect(out.perfdata.map((d) => d.label)).toEqual(['procs', 'procs_warn', 'procs_crit']);
    expect(out.problems).toEqual([]);
  });
});

describe('perfdata edge cases', () => {
  it('reads U, ranges with @ and ~, exponents, and reports broken items without losing the rest', () => {
    const { perfdata, problems } = parsePerfdata("a=U;@10:20;~:5 b=1e-3s;10: broken c=abc 'unterminated=1");
    expect(perfdata).toEqual([
      { label: 'a', value: null, uom: '', kind: 'GAUGE', warning: '@10:20', critical: '~:5' },
      { label: 'b', value: 0.001, uom: 's', unit: 's', kind: 'GAUGE', warning: '10:' },
    ]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('"broken"');
  });

  it('scales every number of a range and refuses what is not a range', () => {
    const ms = (n: number) => n / 1e3;
    expect(scaleRange('@100:250', ms)).toBe('@0.1:0.25');
    expect(scaleRange('~:5', ms)).toBe('~:0.005');
    expect(scaleRange('', ms)).toBeUndefined();
    expect(scaleRange(':', ms)).toBeNull();
    expect(scaleRange('1:2:3', ms)).toBeNull();
  });

  it('an empty output is an empty status', () => {
    expect(parsePluginOutput('')).toEqual({ status: '', longText: [], perfdata: [], problems: [] });
  });
});

describe('round trip', () => {
  const label = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[=\n\r|]/.test(s) && s.trim() === s);
  const num = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
  const FACTORS: Record<string, number> = { '': 1, s: 1, ms: 1e-3, us: 1e-6, '%': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, c: 1 };
  const unit = fc.constantFrom(...Object.keys(FACTORS));

  it('parse(format(items)) gives the items back, converted to base units', () => {
    fc.assert(fc.property(fc.array(fc.record({ label, value: fc.option(num), unit, warn: fc.option(num), min: fc.option(num) }), { maxLength: 6 }), (items) => {
      const text = items.map(({ label: l, value, unit: uom, warn, min }) => {
        const quoted = /[\s']/.test(l) || l.startsWith("'") ? `'${l.replaceAll("'", "''")}'` : l;
        return `${quoted}=${value === null ? 'U' : value}${uom};${warn ?? ''};;${min ?? ''};`;
      }).join(' ');
      const { perfdata, problems } = parsePerfdata(text);
      expect(problems).toEqual([]);
      expect(perfdata).toHaveLength(items.length);
      perfdata.forEach((d, i) => {
        const { label: l, value, unit: uom, warn, min } = items[i];
        const factor = FACTORS[uom];
        expect(d.label).toBe(l);
        expect(d.uom).toBe(uom);
        expect(d.kind).toBe(uom === 'c' ? 'COUNTER' : 'GAUGE');
        if (value === null) expect(d.value).toBeNull();
        else expect(d.value).toBeCloseTo(value * factor, 6);
        if (warn === null) expect(d.warning).toBeUndefined();
        else expect(Number(d.warning)).toBeCloseTo(warn * factor, 6);
        if (min === null) expect(d.min).toBeUndefined();
        else expect(d.min).toBeCloseTo(min * factor, 6);
      });
    }));
  });

  it('never throws, whatever a plugin prints', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(..."a=19;'|\n \t;U:~@.-ems%c".split('')), maxLength: 60 }), (text) => {
      const out = parsePluginOutput(text);
      for (const d of out.perfdata) expect(d.value === null || Number.isFinite(d.value)).toBe(true);
    }), { numRuns: 2000 });
    expect(parsePerfdata('a=1e999 b=1;;;1e999').problems).toEqual(['"a=1e999": value is out of range', '"b=1;;;1e999": min or max is not a finite number']);
  });

  it('splits any status text from perfdata at the first |', () => {
    fc.assert(fc.property(fc.string().filter((s) => !/[|\n\r]/.test(s)), fc.integer(), (status, n) => {
      const out = parsePluginOutput(`${status}|x=${n}\n`);
      expect(out.status).toBe(status.trim());
      expect(out.perfdata).toEqual([{ label: 'x', value: n, uom: '', kind: 'GAUGE' }]);
    }));
  });
});
