/** A unit of test-only routes, one per auth policy, to exercise the platform's seams. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProtocolError } from '../../../protocol';
import { assertOwn } from '../../../platform/auth/caller';
import type { PlatformUnit } from '../../../platform/unit';

const Echo = z.object({ note: z.string().max(20), amount: z.number().int().positive() });

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
const routes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/probe/wallets/:walletId/echo',
    {
      config: { auth: 'wallet' },
      schema: {
        params: z.object({ walletId: z.string() }),
        body: Echo,
        querystring: z.object({ q: z.string().optional() }),
      },
    },
    (request) => ({ caller: request.caller, body: request.body }),
  );
  app.get(
    '/probe/wallet',
    { config: { auth: 'wallet', walletStatuses: ['active', 'locked'] } },
    (request) => ({
      caller: request.caller,
    }),
  );
  app.post(
    '/probe/terminals/:terminalId/echo',
    {
      config: { auth: 'terminal' },
      schema: { params: z.object({ terminalId: z.string() }), body: Echo },
    },
    (request) => ({ caller: request.caller, body: request.body }),
  );
  app.post(
    '/probe/operator',
    { config: { auth: 'operator' }, schema: { body: Echo } },
    (request) => ({
      caller: request.caller,
      body: request.body,
    }),
  );
  app.post(
    '/probe/any',
    {
      config: { auth: ['wallet', 'terminal', 'operator'] },
      schema: { body: z.object({ walletId: z.string() }) },
    },
    (request) => {
      assertOwn(request, 'walletId', request.body.walletId);
      return { kind: request.caller?.kind };
    },
  );
  app.post('/probe/bytes', { config: { auth: 'operator' } }, (request) => ({
    length: Buffer.isBuffer(request.body) ? request.body.length : -1,
  }));
  app.get('/probe/log-headers', { config: { auth: 'operator' } }, (request) => {
    // What a careless unit might do; redaction must still hide the credentials.
    request.log.info({ headers: request.headers }, 'request headers');
    return {};
  });
  app.get('/probe/crash', { config: { auth: 'public' } }, () => {
    throw new Error('secret internal detail');
  });
  app.get('/probe/protocol-error', { config: { auth: 'public' } }, () => {
    throw new ProtocolError('bad_value', 'paymentRecord.amount', 'too large');
  });
  app.post('/probe/duplicate-merchant', { config: { auth: 'operator' } }, async () => {
    const row = { merchant_id: 'M-dup', name: 'Dup', created_at: 1 };
    await app.platform.db.insertInto('merchants').values(row).execute();
    await app.platform.db.insertInto('merchants').values(row).execute();
    return {};
  });
};

export const probeUnit: PlatformUnit = { name: 'probe', migrations: [], routes };
