// The handler table behind the renderer API (preload/api.ts), and the one dispatcher both
// transports use, so Electron IPC and the browser host answer every call the same way.
// main/terminal may not import preload/, so the contract is checked where the table is mounted
// (main/electron, main/host): they assign it to `ApiHandlers`, which fails to compile on drift.
import { buildAppInfo, type AppInfo, type TransportKind } from './app-info';

export type ApiErrorCode =
  'bad_json' | 'bad_request' | 'unknown_method' | 'invalid_params' | 'forbidden' | 'internal';

export interface ApiError {
  readonly code: ApiErrorCode;
  readonly message: string;
}

export type ApiOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: ApiError };

/** A handler throws this to say the caller's parameters were wrong (not that it failed). */
export class InvalidParamsError extends Error {
  override readonly name = 'InvalidParamsError';
}

export type Handler = (params: unknown) => unknown;

export interface HandlerContext {
  readonly version: string;
  readonly transport: TransportKind;
}

export function createApiHandlers(context: HandlerContext) {
  return {
    'app.info': (params: unknown): AppInfo => {
      expectNoParams(params);
      return buildAppInfo(context.version, context.transport);
    },
  } as const;
}

function expectNoParams(params: unknown): void {
  if (params !== undefined && params !== null) {
    throw new InvalidParamsError('this method takes no parameters');
  }
}

export function failure(code: ApiErrorCode, message: string): ApiOutcome {
  return { ok: false, error: { code, message } };
}

/**
 * Runs one call. Never throws: every failure becomes a typed error value. Internal errors are
 * reported to `logError` and answered with a generic message, so no stack or path reaches the
 * renderer.
 */
export async function dispatchApiCall(
  handlers: Readonly<Record<string, Handler>>,
  method: unknown,
  params: unknown,
  logError: (error: unknown) => void,
): Promise<ApiOutcome> {
  if (typeof method !== 'string') return failure('bad_request', 'method must be a string');
  // Own properties only: "constructor" or "__proto__" must not reach Object.prototype.
  const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
  if (handler === undefined)
    return failure('unknown_method', `unknown method: ${method.slice(0, 100)}`);
  try {
    return { ok: true, result: await handler(params) };
  } catch (error) {
    if (error instanceof InvalidParamsError) return failure('invalid_params', error.message);
    logError(error);
    return failure('internal', `${method} failed`);
  }
}
