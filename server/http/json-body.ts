/**
 * JSON bodies are parsed by fastify's own parser (secure-json-parse: a key
 * `__proto__` or `constructor.prototype` is refused, so a body cannot reach a
 * handler with a poisoned prototype). Its refusal says only "Body is not
 * valid JSON", for a typo and for a `__proto__` label alike; this wrapper
 * keeps the parser and its refusals and adds what was wrong, as a problem on
 * the field `body`, so a client can tell the two apart.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

/** What to say of a body the parser refused; undefined: keep fastify's own answer (an empty body). */
export function jsonBodyProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    JSON.parse(text);
  } catch (error) {
    // V8's message quotes the start of the text: cut, as the answer must stay small.
    return `is not valid JSON: ${(error as Error).message.slice(0, 200)}`;
  }
  return 'holds a key named __proto__ (or constructor with a prototype), which is refused: it could change every object of the server';
}

export function explainJsonRefusals(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8'); // parseAs 'string': always text
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (error === null) return done(null, value);
      const problem = jsonBodyProblem(text);
      if (problem === undefined) return done(error, undefined);
      done(new ApiError('invalid_request', `body ${problem}`, [{ field: 'body', message: problem }]), undefined);
    });
  });
}
