/**
 * `notify`: how alarm notifications leave the server. Who receives them is
 * `alarms.recipients`; this section says through which mail relay and with
 * which webhook settings, how hard to retry and how long the log of sent
 * notifications is kept. Secrets are never in the config text: the SMTP
 * password and the webhook token are read from files (mode 0600) at start.
 */
import { Type } from 'typebox';
import { defineSection, durationSeconds, EXPECTED, filePath, nameSchema, port, strictObject, type ReportProblem, type SectionValue } from '../config-schema/index.js';
import { compileText, MAX_BODY_TEMPLATE, MAX_SUBJECT_TEMPLATE } from './template.js';

const DAY = 86_400;

/** How a plain connection (`secure: false`) is upgraded with STARTTLS. */
export const STARTTLS_MODES = ['required', 'opportunistic', 'never'] as const;

/** The section's defaults. */
export const DEFAULT_NOTIFY = {
  email: { port: 25, secure: false, starttls: 'opportunistic', allowPlainAuth: false, timeoutSeconds: 30 },
  webhook: { timeoutSeconds: 10 },
  retry: { initialSeconds: 5, maxSeconds: 600 },
  keepSeconds: 90 * DAY,
} as const;

/** As alarms.recipients takes them. */
const EmailAddressSchema = Type.String({ pattern: '^[^@\\s,]+@[^@\\s,]+$', maxLength: 254, [EXPECTED]: 'an e-mail address' });
/** Most addresses in one list (notify.email.cc). */
const MAX_ADDRESSES = 100;

const EmailSchema = strictObject({
  /** The mail relay. */
  host: Type.String({ minLength: 1 }),
  port: port(DEFAULT_NOTIFY.email.port),
  /** Implicit TLS from the first byte (port 465); false: plain, upgraded as `starttls` says. */
  secure: Type.Boolean({ default: DEFAULT_NOTIFY.email.secure }),
  starttls: Type.Enum(STARTTLS_MODES, { default: DEFAULT_NOTIFY.email.starttls }),
  /** SMTP AUTH user; needs passwordFile. */
  user: Type.Optional(Type.String({ minLength: 1 })),
  /** A file holding the SMTP password (trailing newline ignored), mode 0600 or stricter. */
  passwordFile: Type.Optional(filePath()),
  /** Lets the password go over a connection without TLS (a relay on this host); off, a password requires TLS whatever `starttls` says. */
  allowPlainAuth: Type.Boolean({ default: DEFAULT_NOTIFY.email.allowPlainAuth }),
  /** PEM certificates to trust for the relay's TLS, besides the system's (a private CA, a self-signed relay). */
  caFile: Type.Optional(filePath()),
  /** The sender: `ringmon@example.com` or `ringmon <ringmon@example.com>`. */
  from: Type.String({ pattern: '^([^<>]*<[^@\\s<>]+@[^@\\s<>]+>|[^@\\s<>]+@[^@\\s<>]+)$', [EXPECTED]: 'an e-mail address (ringmon@example.com or ringmon <ringmon@example.com>)' }),
  /** For connecting, the greeting and each reply. */
  timeout: durationSeconds({ minimum: 1, maximum: 600, default: DEFAULT_NOTIFY.email.timeoutSeconds }),
  /** Addresses put in Cc of every e-mail (the support team that wants a copy of everything), each once. */
  cc: Type.Optional(Type.Array(EmailAddressSchema, { maxItems: MAX_ADDRESSES, [EXPECTED]: `a list of at most ${MAX_ADDRESSES} e-mail addresses` })),
});

function templateText(max: number) {
  return Type.String({ minLength: 1, maxLength: max, [EXPECTED]: `a text of 1 to ${max} characters` });
}

/** The parts of a template: each replaces the built-in one (template.ts). */
const TEMPLATE_PARTS = ['subject', 'text', 'html'] as const;

const TemplateSchema = strictObject({
  name: nameSchema('a template name', { maxLength: 64 }),
  /** Messages to these recipients (alarms.recipients) use it; the first of a message's recipients with a template wins. */
  recipients: Type.Array(nameSchema('a recipient name'), { default: [], maxItems: 1000, [EXPECTED]: 'a list of at most 1000 recipient names' }),
  /** Notices of these alarm rules use it, unless a recipient's template applies. */
  rules: Type.Array(nameSchema('a rule name'), { default: [], maxItems: 1000, [EXPECTED]: 'a list of at most 1000 rule names' }),
  subject: Type.Optional(templateText(MAX_SUBJECT_TEMPLATE)),
  text: Type.Optional(templateText(MAX_BODY_TEMPLATE)),
  /** Values are HTML-escaped in it; without it a templated message is text only. */
  html: Type.Optional(templateText(MAX_BODY_TEMPLATE)),
});

export const notifySection = defineSection({
  schema: strictObject(
    {
      /** The SMTP relay; required once a recipient has e-mail addresses (checked at start, as it spans two sections). */
      email: Type.Optional(EmailSchema),
      webhook: strictObject(
        {
          timeout: durationSeconds({ minimum: 1, maximum: 600, default: DEFAULT_NOTIFY.webhook.timeoutSeconds }),
          /** A file holding a token sent as `Authorization: Bearer`, mode 0600 or stricter. */
          tokenFile: Type.Optional(filePath()),
        },
        { default: {} },
      ),
      /** Backoff between attempts while a relay or receiver is unreachable: doubling from initial up to max, with jitter, forever. */
      retry: strictObject(
        {
          initial: durationSeconds({ minimum: 1, maximum: DAY, default: DEFAULT_NOTIFY.retry.initialSeconds }),
          max: durationSeconds({ minimum: 1, maximum: DAY, default: DEFAULT_NOTIFY.retry.maxSeconds }),
        },
        { default: {} },
      ),
      /** Subjects and bodies of alarm messages per recipient or rule, instead of the built-in ones (template.ts, docs/alarms.md). */
      templates: Type.Optional(Type.Array(TemplateSchema, { maxItems: 100, [EXPECTED]: 'a list of at most 100 templates' })),
      /** How long sent and failed notifications stay in the log (GET /api/v1/notifications). */
      keep: durationSeconds({ minimum: DAY, maximum: 3660 * DAY, default: DEFAULT_NOTIFY.keepSeconds }),
    },
    { default: {} },
  ),
  check: (value, report) => {
    const email = value.email;
    if (email?.user !== undefined && email.passwordFile === undefined) report(['email', 'passwordFile'], 'is required with notify.email.user');
    if (email?.passwordFile !== undefined && email.user === undefined) report(['email', 'user'], 'is required with notify.email.passwordFile');
    if (email?.passwordFile !== undefined && !email.secure && email.starttls === 'never' && !email.allowPlainAuth) {
      report(['email', 'starttls'], 'must not be never with notify.email.passwordFile: the password would go out in clear; use required (or notify.email.secure: true), or set notify.email.allowPlainAuth: true for a relay on this host');
    }
    if (value.retry.initial > value.retry.max) report(['retry', 'max'], `must not be shorter than notify.retry.initial (${value.retry.initial}s)`);
    checkTemplates(value.templates ?? [], report);
  },
});

/** The `notify` section as loaded: durations in seconds, paths absolute. */
export type NotifySettings = SectionValue<typeof notifySection.schema>;

type TemplateSettings = NonNullable<NotifySettings['templates']>;

/** Names unique, each template for someone and with something to say, placeholders known; a recipient or rule in one template only. */
function checkTemplates(templates: TemplateSettings, report: ReportProblem): void {
  const names = new Set<string>();
  const owners = { recipients: new Map<string, string>(), rules: new Map<string, string>() };
  templates.forEach((template, i) => {
    if (names.has(template.name)) report(['templates', i, 'name'], `'${template.name}' names another template too; names must be unique`);
    names.add(template.name);
    if (template.recipients.length === 0 && template.rules.length === 0) report(['templates', i], 'names no recipients and no rules: it would apply to nothing');
    if (TEMPLATE_PARTS.every((part) => template[part] === undefined)) report(['templates', i], 'gives no subject, text or html');
    for (const part of TEMPLATE_PARTS) {
      const text = template[part];
      const compiled = text === undefined ? undefined : compileText(text);
      if (compiled !== undefined && 'problem' in compiled) report(['templates', i, part], compiled.problem);
    }
    for (const kind of ['recipients', 'rules'] as const) {
      template[kind].forEach((name, j) => {
        const other = owners[kind].get(name);
        if (other !== undefined) report(['templates', i, kind, j], `'${name}' already has template '${other}'`);
        else owners[kind].set(name, template.name);
      });
    }
  });
}
