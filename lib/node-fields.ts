/**
 * The rules of a node's metadata fields, wherever they come from: the
 * server's mapping file (server/metadata/read-file.ts) and labels on
 * samples (a slurper's, checked by the agent before it spools them and by
 * the server at its door). One checker, so that what an agent sends is what
 * the server takes.
 *
 *   field names  a letter or _, then letters, digits, _ and -, up to 64
 *   values       a number, a string (up to MAX_STRING characters) or a list
 *                of them (up to MAX_LIST_ITEMS); an empty value is absent
 *   `name`, `owner`  strings; `contacts`: e-mail addresses (a list, or one
 *                string with the addresses separated by `;`)
 *   at most MAX_FIELDS fields
 */

export const MAX_FIELDS = 64;
export const MAX_STRING = 1024;
export const MAX_LIST_ITEMS = 100;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/**
 * An e-mail address from metadata: one address, nothing a mail header would
 * read as a list, a display name or a comment (`,` `;` `<` `>` quotes,
 * brackets, whitespace), at most 254 characters. Stricter than
 * alarms.recipients[].email, since the file or a sender may be another system.
 */
export const EMAIL_ADDRESS = /^(?=.{3,254}$)[^@\s,;<>"'()[\]\\]+@[^@\s,;<>"'()[\]\\]+$/;

/** A field's value: a number, a string, or a list of them. */
export type FieldValue = number | string | readonly (number | string)[];

/** Fields checked, or the first problem: the index of the field at fault (undefined: their number) and why. */
export type CheckedFields = { readonly fields: Record<string, FieldValue> } | { readonly at?: number; readonly problem: string };

/** Checks `fields` (name, value, anything else) in order; never throws. */
export function checkFields(fields: readonly (readonly [name: string, value: unknown, ...rest: unknown[]])[]): CheckedFields {
  if (fields.length > MAX_FIELDS) return { problem: `${fields.length} fields; the limit is ${MAX_FIELDS}` };
  const out: Record<string, FieldValue> = {};
  for (let at = 0; at < fields.length; at++) {
    const [name, value] = fields[at];
    if (!FIELD_NAME.test(name)) return { at, problem: 'a field name is a letter or _, then letters, digits, _ and -, up to 64 characters' };
    if (Object.hasOwn(out, name)) return { at, problem: 'the field is given twice' };
    const read = fieldValue(name, value);
    if (typeof read === 'string' && read.startsWith('!')) return { at, problem: read.slice(1) };
    // defineProperty: a field named __proto__ is a field like another.
    if (read !== undefined) Object.defineProperty(out, name, { value: read, enumerable: true });
  }
  return { fields: out };
}

/**
 * Why a label may not come from over the network: `contacts` choose where
 * alarm mail goes, so only the mapping file and the server's own slurpers
 * (both the config's) may give them, never a token's samples or an agent's.
 */
export const CONTACTS_NOT_FROM_CLIENTS = "may come only from the metadata file or a slurper the server runs: a token or an agent does not choose where alarm mail goes";

/**
 * A sample's labels (fields of its series' node) checked: the label at
 * fault named. `fromClient`: sent over the network (an ingest token, an
 * agent), which may not give `contacts`.
 */
export function checkLabels(labels: Readonly<Record<string, unknown>>, fromClient: boolean): { readonly fields: Record<string, FieldValue> } | { readonly label?: string; readonly problem: string } {
  if (fromClient && Object.hasOwn(labels, 'contacts')) return { label: 'contacts', problem: CONTACTS_NOT_FROM_CLIENTS };
  const entries = Object.entries(labels);
  const checked = checkFields(entries);
  if ('fields' in checked) return checked;
  return checked.at === undefined ? { problem: checked.problem } : { label: entries[checked.at][0], problem: checked.problem };
}

/** The value, undefined for an empty one, or the problem prefixed with `!`. */
function fieldValue(name: string, value: unknown): FieldValue | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (name === 'contacts') {
    const list = typeof value === 'string' ? value.split(/[;\s,]+/).filter((s) => s !== '') : value;
    if (!Array.isArray(list) || list.some((a) => typeof a !== 'string' || !EMAIL_ADDRESS.test(a) || a.length > MAX_STRING)) return '!must be e-mail addresses (a list, or separated by ;)';
    if (list.length > MAX_LIST_ITEMS) return `!${list.length} addresses; the limit is ${MAX_LIST_ITEMS}`;
    return list as string[];
  }
  if ((name === 'name' || name === 'owner') && typeof value !== 'string') return '!must be a string';
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ITEMS) return `!a list of ${value.length} items; the limit is ${MAX_LIST_ITEMS}`;
    const items = value.map(scalar);
    const bad = items.find((i) => typeof i === 'string' && i.startsWith('!'));
    if (bad !== undefined) return `${bad} (in the list)`;
    return items as (number | string)[];
  }
  return scalar(value);
}

function scalar(value: unknown): number | string {
  if (typeof value === 'number') return Number.isFinite(value) ? value : '!must be a finite number';
  if (typeof value !== 'string') return '!must be a number, a string or a list of them';
  if (value.length > MAX_STRING) return `!is ${value.length} characters long; the limit is ${MAX_STRING}`;
  return value;
}
