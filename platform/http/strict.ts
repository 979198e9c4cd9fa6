/**
 * Strict request schemas, in one place: every object a route accepts (body, query, params,
 * however deeply nested) refuses keys it does not name, so a misspelt or extra field is a
 * 400 `invalid_request` naming it instead of being silently dropped. buildPlatform applies
 * `strictRequestSchemas` to every route as it is registered, before validation and the
 * OpenAPI document are derived from the schemas, so a unit cannot forget it.
 */
import type { RouteOptions } from 'fastify';
import { z } from 'zod';

type AnyZod = z.core.$ZodType;

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'nonoptional',
  'readonly',
  'catch',
]);

function withMeta<T extends AnyZod>(original: AnyZod, copy: T): T {
  const meta = z.globalRegistry.get(original);
  if (meta !== undefined) z.globalRegistry.add(copy, meta);
  return copy;
}

function clone(schema: AnyZod, def: object): AnyZod {
  return withMeta(schema, (schema as z.ZodType).clone(def as z.ZodType['_zod']['def']));
}

/** `schema` with every object in it strict (unknown keys refused); other parts unchanged. */
export function strictDeep(schema: AnyZod): AnyZod {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === 'object') {
    const shape = Object.fromEntries(
      Object.entries(def.shape as Record<string, AnyZod>).map(([key, value]) => [
        key,
        strictDeep(value),
      ]),
    );
    return clone(schema, { ...def, shape, catchall: z.never() });
  }
  if (WRAPPERS.has(def.type))
    return clone(schema, { ...def, innerType: strictDeep(def.innerType as AnyZod) });
  if (def.type === 'array')
    return clone(schema, { ...def, element: strictDeep(def.element as AnyZod) });
  if (def.type === 'union')
    return clone(schema, { ...def, options: (def.options as AnyZod[]).map(strictDeep) });
  if (def.type === 'pipe') return clone(schema, { ...def, in: strictDeep(def.in as AnyZod) });
  return schema;
}

const isZod = (value: unknown): value is AnyZod =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** onRoute hook: the route's body, querystring and params schemas made strict. */
export function strictRequestSchemas(route: RouteOptions): void {
  const schema = route.schema;
  if (schema === undefined) return;
  const strict = { ...schema };
  for (const part of ['body', 'querystring', 'params'] as const) {
    const given = schema[part];
    if (isZod(given)) strict[part] = strictDeep(given);
  }
  route.schema = strict;
}
