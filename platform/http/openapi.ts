/**
 * The OpenAPI 3 document at GET /openapi.json, generated from the routes' zod schemas by
 * @fastify/swagger + fastify-type-provider-zod. Each operation's `security` is derived from
 * its `config.auth`, so the document says who may call what; the refusals every route of
 * its kind can give (authentication, body parsing, routing, the in-flight limit, 500) are
 * added to each operation here, and `config.binary` documents octet-stream bodies and
 * answers. openapi-conformance.test.ts checks that every answer a route gives is documented.
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { allowedKinds, type AuthPolicy, type CallerKind } from '../auth/caller';
import type { ErrorBody } from './errors';
import { errorResponses } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Octet-stream parts of a route, for the OpenAPI document: what the bytes are. */
    binary?: { readonly body?: string; readonly response?: Readonly<Record<number, string>> };
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BYTES = { type: 'string', format: 'binary' } as const;

/** The refusals any route like this one can give, whatever it does. */
function standardRefusals(
  method: string,
  url: string,
  policy: AuthPolicy,
): Record<number, typeof ErrorBody> {
  const statuses = [500];
  if (policy !== 'public') statuses.push(400, 401, 403, 429); // 400: credentials_ambiguous
  if (url.includes(':')) statuses.push(400, 414); // bad_url, path_too_long
  if (BODY_METHODS.has(method)) statuses.push(400, 413, 415);
  return errorResponses(...statuses);
}

const SCHEME: Readonly<Record<CallerKind, string>> = {
  operator: 'operatorToken',
  wallet: 'walletSignature',
  terminal: 'terminalSignature',
};

const signatureScheme = (who: string) => ({
  type: 'apiKey' as const,
  in: 'header' as const,
  name: 'X-Tapsafe-Signature',
  description:
    `ECDSA P-256 signature by the ${who} key over the canonical request ` +
    `(see protocol/http/request-signing.ts and docs/protocol.md), with X-Tapsafe-${who === 'wallet' ? 'Wallet' : 'Terminal'}, ` +
    'X-Tapsafe-Time and X-Tapsafe-Nonce headers.',
});

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tapsafe platform',
        description: 'The back-end support platform of Tapsafe (patent CN101093566A).',
        version,
      },
      components: {
        securitySchemes: {
          operatorToken: { type: 'http', scheme: 'bearer', description: 'operator token (tsop.…)' },
          walletSignature: signatureScheme('wallet'),
          terminalSignature: signatureScheme('terminal'),
        },
      },
    },
    transform: (input) => {
      const policy: AuthPolicy = input.route.config?.auth ?? 'public';
      const methods = [input.route.method].flat();
      const refusals = Object.assign(
        {},
        ...methods.map((method) => standardRefusals(method, input.url, policy)),
      ) as Record<number, typeof ErrorBody>;
      const response = { ...refusals, ...(input.schema.response as object | undefined) };
      const transformed = jsonSchemaTransform({ ...input, schema: { ...input.schema, response } });
      const security = allowedKinds(policy).map((kind) => ({ [SCHEME[kind]]: [] }));
      const schema: Record<string, unknown> = { ...transformed.schema, security };
      const binary = input.route.config?.binary;
      if (binary?.body !== undefined)
        schema.body = {
          description: binary.body,
          content: { 'application/octet-stream': { schema: BYTES } },
        };
      for (const [status, description] of Object.entries(binary?.response ?? {})) {
        schema.response = {
          ...(schema.response as object),
          [status]: { description, content: { 'application/octet-stream': { schema: BYTES } } },
        };
      }
      return { ...transformed, schema };
    },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, () =>
    app.swagger(),
  );
}
