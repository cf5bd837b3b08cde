/**
 * The templates in force (notify.templates), compiled, and which one a
 * message is written with: the template of the first of its recipients
 * (in the order the rule names them) that has one, else the template of
 * the notice's rule, else none (the built-in words). The choice is made
 * when a notice is queued and kept with it; a template gone by the time the
 * message is sent (a reload) leaves the built-in words.
 */
import type { NotifySettings } from './config-section.js';
import { compileText, type CompiledText } from './template.js';

export interface CompiledTemplate {
  readonly name: string;
  readonly subject?: CompiledText;
  readonly text?: CompiledText;
  readonly html?: CompiledText;
}

export interface TemplateSet {
  /** The template for a notice of `rule` to the recipient list `names`; null: the built-in. */
  choose(names: readonly string[], rule: string): string | null;
  /** The template called `name`; undefined for null or a name no longer configured. */
  get(name: string | null): CompiledTemplate | undefined;
}

/** Compiles notify.templates; throws Error for a template the section's check would have refused (it was bypassed). */
export function templateSet(settings: NotifySettings['templates']): TemplateSet {
  const byName = new Map<string, CompiledTemplate>();
  const byRecipient = new Map<string, string>();
  const byRule = new Map<string, string>();
  for (const t of settings ?? []) {
    const part = (text: string | undefined): CompiledText | undefined => {
      if (text === undefined) return undefined;
      const compiled = compileText(text);
      if ('problem' in compiled) throw new Error(`notify.templates '${t.name}': ${compiled.problem}`);
      return compiled;
    };
    const subject = part(t.subject);
    const text = part(t.text);
    const html = part(t.html);
    byName.set(t.name, { name: t.name, ...(subject && { subject }), ...(text && { text }), ...(html && { html }) });
    for (const name of t.recipients) if (!byRecipient.has(name)) byRecipient.set(name, t.name);
    for (const rule of t.rules) if (!byRule.has(rule)) byRule.set(rule, t.name);
  }
  return {
    choose: (names, rule) => {
      for (const name of names) {
        const found = byRecipient.get(name);
        if (found !== undefined) return found;
      }
      return byRule.get(rule) ?? null;
    },
    get: (name) => (name === null ? undefined : byName.get(name)),
  };
}

/** No templates: every message in the built-in words. */
export const BUILT_IN_ONLY: TemplateSet = templateSet([]);
