/**
 * Issue 16: what the config says of notices is checked at load, each error
 * naming the key: template placeholders (a small closed language), template
 * sizes and targets, Cc addresses, units and alarms.publicUrl.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { ConfigError } from '../../../server/config-schema/index.js';
import { checkTemplateTargets } from '../../../server/notify/destinations.js';
import { compileText, MAX_RENDERED, renderText } from '../../../server/notify/template.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';
import { notice } from './helpers/fixtures.js';

const configs = tempConfigDir();
const problems = (yaml: string) => problemsOf(configs.write(yaml)).map((p) => `${p.key}: ${p.message}`);

describe('templates', () => {
  it('refuse an unknown placeholder, naming the key and the placeholder', () => {
    const found = problems(['notify:', '  templates:', '    - { name: wards, recipients: [wards], subject: "{{name}} {{valeu}}" }'].join('\n'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^notify\.templates\[0\]\.subject: has an unknown placeholder \{\{valeu\}\}; known are \{\{series\}\}, /);
  });

  it('refuse what is not a placeholder, code included', () => {
    for (const text of ['{{ constructor.constructor("x")() }}', '{{name', 'a }} b', '{{#each notices}}', '${process.exit()} {{__proto__}}']) {
      expect(compileText(text), text).toHaveProperty('problem');
    }
    expect(compileText('{{ name }} = {{value}}{{unit}}')).not.toHaveProperty('problem');
  });

  it('refuse a template too large, for no one, saying nothing, or a name given twice', () => {
    const found = problems(
      [
        'notify:',
        '  templates:',
        '    - { name: big, rules: [cpu], text: "{{name}}" }',
        '    - { name: nobody, subject: "{{name}}" }',
        '    - { name: empty, rules: [disk] }',
        '    - { name: empty, rules: [cpu2], subject: "{{name}}" }',
      ].join('\n'),
    );
    expect(problems(['notify:', '  templates:', `    - { name: big, rules: [cpu], text: "${'x'.repeat(16_385)}" }`].join('\n')).join('\n')).toContain(
      'notify.templates[0].text: must be a text of 1 to 16384 characters',
    );
    expect(found).toContain('notify.templates[1]: names no recipients and no rules: it would apply to nothing');
    expect(found).toContain('notify.templates[2]: gives no subject, text or html');
    expect(found).toContain("notify.templates[3].name: 'empty' names another template too; names must be unique");
  });

  it('must name recipients and rules that exist (checked at start)', () => {
    const config = loadConfig(
      configs.write(['alarms:', '  recipients: [{ name: ops, email: [ops@x.example] }]', 'notify:', '  templates:', '    - { name: t, recipients: [ops, opz], rules: [node-down, cpu], subject: "{{name}}" }'].join('\n')),
      { env: {} },
    );
    let error: unknown;
    try {
      checkTemplateTargets(config.notify, config.alarms);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { key: 'notify.templates[0].recipients[1]', message: "'opz' is not in alarms.recipients" },
      { key: 'notify.templates[0].rules[1]', message: "'cpu' is not in alarms.rules" },
    ]);
  });

  it('render at most MAX_RENDERED characters of one notice, whatever the values hold', () => {
    const text = compileText('{{message}}'.repeat(1000));
    if ('problem' in text) throw new Error(text.problem);
    const rendered = renderText(text, notice({ message: 'm'.repeat(1000) }));
    expect(rendered).toHaveLength(MAX_RENDERED);
    expect(rendered.endsWith('...')).toBe(true);
  });

  it('render values as given, escaped for HTML where asked', () => {
    const text = compileText('<b>{{name}}</b> {{quantity}} {{previous}}|{{link}}');
    if ('problem' in text) throw new Error(text.problem);
    const n = notice({ displayName: '<i>&"', value: 30.0004, unit: 'h' });
    expect(renderText(text, n)).toBe('<b><i>&"</b> 30.0 h |http://ringmon.example/graph?series=host.web01.cpu.user');
    expect(renderText(text, n, (v) => v.replace(/[<>&"]/g, '#'))).toBe('<b>#i###</b> 30.0 h |http://ringmon.example/graph?series=host.web01.cpu.user');
  });
});

describe('addresses, units and the public URL', () => {
  it('refuse a Cc that is not an address, too many, and a unit on more than one line', () => {
    const found = problems(
      [
        'alarms:',
        '  recipients: [{ name: ops, cc: [not-an-address] }]',
        '  rules: [{ name: r, match: a.b, critical: 1, unit: "h\\nBcc: x@y" }]',
        'notify:',
        `  email: { host: h.example, from: r@h.example, cc: [${Array.from({ length: 101 }, (_, i) => `a${i}@x.example`).join(', ')}] }`,
      ].join('\n'),
    );
    expect(found.join('\n')).toMatch(/alarms\.recipients\[0\]\.cc\[0\]: .*e-mail address/);
    expect(found.join('\n')).toMatch(/alarms\.rules\[0\]\.unit: /);
    expect(found.join('\n')).toContain('notify.email.cc: must be a list of at most 100 e-mail addresses, got a list');
  });

  it('take alarms.publicUrl only as an http(s) URL without query, fragment or credentials', () => {
    expect(problems('alarms: { publicUrl: "ftp://monitor.example" }').join('\n')).toMatch(/^alarms\.publicUrl: /);
    expect(problems('alarms: { publicUrl: "https://user:secret@monitor.example/" }')).toEqual(['alarms.publicUrl: must not hold a user or password (it is put in every mail)']);
    expect(problems('alarms: { publicUrl: "https://monitor.example/?a=1" }')).toEqual(['alarms.publicUrl: must not have a query (?) or fragment (#): links add their own']);
    expect(problems('alarms: { publicUrl: "https://" }').join('\n')).toMatch(/^alarms\.publicUrl: /);
    expect(loadConfig(configs.write('alarms: { publicUrl: "https://monitor.example/ringmon/" }'), { env: {} }).alarms.publicUrl).toBe('https://monitor.example/ringmon/');
  });
});
