/** Phase-1 operator routes: who am I, and the platform status (as the CLI's `status`). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCaller } from '../auth/caller';
import { ErrorBody } from '../http/errors';
import { platformStatus, PlatformStatus } from '../status';

const errors = { 401: ErrorBody, 403: ErrorBody };

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const operatorRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/operator/whoami',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'The operator token in use',
        response: { 200: z.object({ tokenId: z.string(), label: z.string() }), ...errors },
      },
    },
    (request) => {
      const { tokenId, label } = requireCaller(request, 'operator');
      return { tokenId, label };
    },
  );

  app.get(
    '/operator/status',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Database, schema version, issuer keys, counts',
        response: { 200: PlatformStatus, ...errors },
      },
    },
    () => platformStatus(app.platform.db, app.platform.keys),
  );
};
