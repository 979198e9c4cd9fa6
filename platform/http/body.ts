/**
 * Request bodies. Only two content types are accepted, and both keep the exact bytes in
 * `request.rawBody` because request signatures cover them:
 * - application/json: parsed with Fastify's own parser (prototype-poisoning safe);
 * - application/octet-stream: the bytes themselves (signed protocol objects, e.g. a
 *   settlement batch, travel as their TLV envelope).
 * Anything else is 415. The size limit is Fastify's `bodyLimit` (1 MiB by default; a route
 * may raise its own, as the settlement upload will).
 */
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function registerBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.decorateRequest('rawBody', null);

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (bytes.length === 0) {
      done(badRequest('malformed_json', 'the JSON body is empty'), undefined);
      return;
    }
    void parseJson(request, bytes.toString('utf8'), (error, value) => {
      if (error) done(badRequest('malformed_json', `the body is not valid JSON`), undefined);
      else done(null, value);
    });
  });

  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer' },
    (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, body);
    },
  );
}
