/**
 * Query strings and path parameters are text, coerced by ajv to the schema's
 * types; ajv turns 'Infinity', '-Infinity' and '1e400' into numbers that then
 * pass `integer`, `minimum` and `maximum` (the bounds are checked against the
 * text). Such a value reached handlers as a page size of -Infinity (500s from
 * GET /api/v1/agents?limit=-Infinity and /api/v1/alarms/history, found by the
 * fuzz test). `finiteNumbersOnly` wraps a compiled validator of a query
 * string or of path parameters: after it passes, any number left that is not
 * finite (at the top level or in a list, the shapes those parts have) is a
 * validation error naming the field, as a schema's own errors are.
 */

/** A compiled ajv validator as fastify calls it: true or false, with `errors` after false. */
export type Validator = ((data: unknown) => unknown) & { errors?: unknown };

const notFinite = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);

export function finiteNumbersOnly(validate: Validator): Validator {
  const checked: Validator = (data) => {
    const result = validate(data);
    checked.errors = validate.errors;
    if (result !== true || data === null || typeof data !== 'object') return result;
    for (const [key, value] of Object.entries(data)) {
      if (notFinite(value) || (Array.isArray(value) && value.some(notFinite))) {
        checked.errors = [{ instancePath: `/${key}`, schemaPath: '#/finite', keyword: 'finite', params: {}, message: 'must be a finite number' }];
        return false;
      }
    }
    return result;
  };
  return checked;
}
