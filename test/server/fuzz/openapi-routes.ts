/**
 * The routes to fuzz, read from the server's own OpenAPI document (served by
 * @fastify/swagger at /docs/json), so a route added to the server is fuzzed
 * without editing the fuzzer. Each operation becomes one FuzzRoute with the
 * JSON schemas of its path parameters, query parameters and body.
 */

/** A JSON schema as the OpenAPI document writes it (a subset of draft 7 with `nullable`). */
export type JsonSchema = Record<string, any>; // any: schemas are walked generically

export interface FuzzRoute {
  /** Upper case: GET, POST, PATCH, DELETE. */
  readonly method: string;
  /** As the document writes it: /api/v1/downtimes/{id}. */
  readonly path: string;
  readonly pathParams: readonly { readonly name: string; readonly schema: JsonSchema }[];
  readonly query: readonly { readonly name: string; readonly schema: JsonSchema; readonly required: boolean }[];
  /** The JSON body's schema, when the operation takes one. */
  readonly body?: JsonSchema;
}

interface OpenApiParameter {
  readonly in: string;
  readonly name: string;
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

export interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: JsonSchema }> };
}

/** Every operation of `document` (the parsed /docs/json). Throws when it has no paths. */
export function routesOf(document: { paths?: Record<string, Record<string, OpenApiOperation>> }): FuzzRoute[] {
  if (!document.paths || Object.keys(document.paths).length === 0) throw new Error('the OpenAPI document lists no paths');
  const routes: FuzzRoute[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required === true })),
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return routes;
}
