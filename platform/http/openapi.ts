/**
 * The OpenAPI 3 document at GET /openapi.json, generated from the routes' zod schemas by
 * @fastify/swagger + fastify-type-provider-zod. Each operation's `security` is derived from
 * its `config.auth`, so the document says who may call what.
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { allowedKinds, type AuthPolicy, type CallerKind } from '../auth/caller';

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
      const transformed = jsonSchemaTransform(input);
      const policy: AuthPolicy = input.route.config?.auth ?? 'public';
      const security = allowedKinds(policy).map((kind) => ({ [SCHEME[kind]]: [] }));
      return { ...transformed, schema: { ...transformed.schema, security } };
    },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, () =>
    app.swagger(),
  );
}
