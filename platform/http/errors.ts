/**
 * One shape for every error response: `{ error: { code, message, field? } }`, with a 4xx
 * for anything the caller can fix and 500 `internal` (details only in the log) otherwise.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isProtocolError } from '../../protocol';
import { UnsafeIntegerError } from '../db/bigint';
import { isPlatformError, PlatformError } from '../errors';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('stable snake_case code to switch on'),
      message: z.string(),
      field: z.string().optional().describe('dotted path of the offending input'),
    }),
  })
  .describe('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A route's documented refusals: each status answers the typed error body. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody])) as Record<
    S,
    typeof ErrorBody
  >;
}

const FASTIFY_ERRORS: Readonly<Record<string, [number, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_content_length'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'bad_content_type'],
};

// Postgres constraint errors that escaped a unit's own validation: still the caller's input.
const PG_ERRORS: Readonly<Record<string, [number, string]>> = {
  '23505': [409, 'conflict'],
  '23503': [400, 'invalid_reference'],
  '23514': [400, 'invalid_value'],
  '22P02': [400, 'invalid_value'],
  '22003': [400, 'invalid_value'],
};

function validationField(context: string | undefined, instancePath: string): string {
  const path = instancePath.split('/').filter(Boolean).join('.');
  if (context === undefined || context === 'body') return path || 'body';
  return path === '' ? context : `${context}.${path}`;
}

/** Maps any error to its status and typed body. */
export function describeError(error: unknown): {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
} {
  const body = (code: string, message: string, field?: string): ErrorBody => ({
    error: field === undefined ? { code, message } : { code, message, field },
  });
  if (isPlatformError(error)) {
    return {
      status: error.statusCode,
      body: body(error.code, error.message, error.field),
      ...(error.headers ? { headers: { ...error.headers } } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const field = validationField(error.validationContext, first?.instancePath ?? '');
    if (first?.keyword === 'unrecognized_keys') return unknownField(field, first.params.keys);
    return {
      status: 400,
      body: body('invalid_request', first?.message ?? 'invalid request', field),
    };
  }
  if (isProtocolError(error)) {
    return { status: 400, body: body(`protocol_${error.code}`, error.message, error.field) };
  }
  const fastifyError = error as Partial<FastifyError> & { code?: unknown };
  const code = typeof fastifyError.code === 'string' ? fastifyError.code : '';
  const known = FASTIFY_ERRORS[code] ?? PG_ERRORS[code];
  if (known) return { status: known[0], body: body(known[1], publicMessage(known[1])) };
  const status = fastifyError.statusCode;
  if (
    !(error instanceof UnsafeIntegerError) &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  ) {
    return { status, body: body('bad_request', fastifyError.message ?? 'bad request') };
  }
  return { status: 500, body: body('internal', 'internal error') };
}

/**
 * A key the (strict) schema does not name: the field is named when it looks like a field
 * name; anything else the caller sent is not echoed back.
 */
function unknownField(objectPath: string, keys: unknown) {
  const key = Array.isArray(keys) ? keys.find((k) => typeof k === 'string') : undefined;
  const named = typeof key === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(key);
  const field = named ? (objectPath === 'body' ? key : `${objectPath}.${key}`) : objectPath;
  const message = named ? `unknown field ${key}` : 'a field this route does not know';
  return { status: 400, body: { error: { code: 'invalid_request', message, field } } };
}

function publicMessage(code: string): string {
  switch (code) {
    case 'body_too_large':
      return 'the request body is larger than this route accepts';
    case 'unsupported_media_type':
      return 'send application/json (or application/octet-stream where documented)';
    case 'conflict':
      return 'this conflicts with existing data';
    case 'invalid_value':
      return 'a value is out of range or malformed';
    case 'invalid_reference':
      return 'this refers to something that does not exist';
    default:
      return code.replaceAll('_', ' ');
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, headers } = describeError(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    void reply
      .code(status)
      .headers(headers ?? {})
      .send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = describeError(
      new PlatformError(
        404,
        'not_found',
        `no route ${request.method} ${request.url.split('?')[0]}`,
      ),
    );
    void reply.code(status).send(body);
  });
}
