/**
 * The API's error catalogue: every error answer has the body
 * `{ "error": { "code", "message", "problems"? } }` with a code from this
 * list and its HTTP status. Bad input is always a 4xx naming the field; a 5xx
 * means a bug or a failing disk, never a client's mistake.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const ERROR_CODES = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
  insufficient_storage: 507,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One thing wrong with a request, e.g. `{ field: "body/0/series", message: "must match pattern ..." }`. */
export interface Problem {
  readonly field: string;
  readonly message: string;
}

/** An error a handler throws to answer with a catalogued code. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems?: readonly Problem[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get statusCode(): number {
    return ERROR_CODES[this.code];
  }
}

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly problems?: readonly Problem[] };
}

export function errorBody(code: ErrorCode, message: string, problems?: readonly Problem[]): ErrorBody {
  return { error: problems ? { code, message, problems } : { code, message } };
}

/** fastify's own client-error codes and what they mean in the catalogue. */
const FASTIFY_CLIENT_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
};

function validationProblems(error: FastifyError): Problem[] {
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = `${error.validationContext ?? 'request'}${v.instancePath}${missing ? `/${missing}` : ''}`;
    return { field: path, message: v.message ?? 'is invalid' };
  });
}

/** Installs the handlers that turn every error into a catalogued answer. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send(errorBody(error.code, error.message, error.problems));
    }
    if (error.validation) {
      const problems = validationProblems(error);
      return reply.status(400).send(errorBody('invalid_request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems));
    }
    const mapped = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (mapped) return reply.status(ERROR_CODES[mapped]).send(errorBody(mapped, error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(errorBody('invalid_request', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('internal', 'internal error; see the server log'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
