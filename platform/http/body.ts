/**
 * Request bodies. Only two content types are accepted, and both keep the exact bytes in
 * `request.rawBody` because request signatures cover them:
 * - application/json: parsed with Fastify's own parser (prototype-poisoning safe);
 * - application/octet-stream: the bytes themselves (signed protocol objects, e.g. a
 *   settlement batch, travel as their TLV envelope).
 * Anything else is 415, and so is a charset other than UTF-8. JSON must also pass json.ts
 * (no BOM, valid UTF-8, no repeated key, bounded nesting): 400 `malformed_json` otherwise.
 * The size limit is Fastify's `bodyLimit` (1 MiB by default; a route may raise its own, as
 * the settlement upload does).
 */
import type { FastifyInstance } from 'fastify';
import type { FastifyRequest } from 'fastify';
import { badRequest, PlatformError } from '../errors';
import { decodeJsonText, jsonStructureRefusal } from './json';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function registerBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.decorateRequest('rawBody', null);

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (!utf8Charset(request)) {
      done(unsupportedCharset(), undefined);
      return;
    }
    if (bytes.length === 0) {
      done(badRequest('malformed_json', 'the JSON body is empty'), undefined);
      return;
    }
    const decoded = decodeJsonText(bytes);
    if ('refusal' in decoded) {
      done(badRequest('malformed_json', decoded.refusal), undefined);
      return;
    }
    void parseJson(request, decoded.text, (error, value) => {
      const refusal = error ? 'the body is not valid JSON' : jsonStructureRefusal(decoded.text);
      if (refusal !== undefined) done(badRequest('malformed_json', refusal), undefined);
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

/** No charset parameter, or utf-8: anything else would be read as what it is not. */
function utf8Charset(request: FastifyRequest): boolean {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '');
  return charset === null || ['utf-8', 'utf8'].includes((charset[1] ?? '').toLowerCase());
}

const unsupportedCharset = () =>
  new PlatformError(415, 'unsupported_media_type', 'send JSON as UTF-8 (charset=utf-8 or none)');
