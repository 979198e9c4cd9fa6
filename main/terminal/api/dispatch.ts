/**
 * The one dispatcher both transports use, so Electron IPC and the browser host answer every
 * call the same way: the method must be in the contract, its parameters are parsed by the
 * method's schema (preload/contract/methods.ts) before any service sees them, and every
 * failure becomes a typed error value. Nothing here throws.
 */
import {
  METHOD_PARAMS,
  type ApiErrorCode,
  type ApiHandlers,
  type ApiMethodName,
  type ApiOutcome,
} from '../../../preload/contract';
import { isLedgerError } from '../../../db/errors';
import { TerminalError } from '../errors';
import { ReaderError } from '../reader/reader';
import { NotReadyError } from './starting';

/** The handler table of the contract (preload/contract/methods.ts). */
export type Handlers = ApiHandlers;

export function failure(
  code: ApiErrorCode,
  message: string,
  extra: { field?: string; reason?: string } = {},
): ApiOutcome<never> {
  return { ok: false, error: { code, message, ...extra } };
}

const isMethod = (method: string): method is ApiMethodName => Object.hasOwn(METHOD_PARAMS, method);

/**
 * Runs one call. Internal errors are reported to `logError` and answered with a generic
 * message, so no stack or path reaches the renderer.
 */
export async function dispatchApiCall(
  handlers: Handlers,
  method: unknown,
  params: unknown,
  logError: (error: unknown) => void,
): Promise<ApiOutcome<unknown>> {
  if (typeof method !== 'string') return failure('bad_request', 'method must be a string');
  // Own properties only: "constructor" or "__proto__" must not reach Object.prototype.
  if (!isMethod(method)) {
    return failure('unknown_method', `unknown method: ${method.slice(0, 100)}`);
  }
  const parsed = METHOD_PARAMS[method].safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.');
    return failure('invalid_params', issue?.message ?? 'invalid parameters', {
      ...(field === undefined || field === '' ? {} : { field }),
    });
  }
  const handler = handlers[method] as (params: unknown) => unknown;
  try {
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    return refusalOf(error) ?? internal(method, error, logError);
  }
}

/** The typed errors a service may throw on purpose, as the screens receive them. */
function refusalOf(error: unknown): ApiOutcome<never> | undefined {
  if (error instanceof NotReadyError) return failure('not_ready', error.message);
  if (error instanceof TerminalError || error instanceof ReaderError || isLedgerError(error)) {
    return failure('refused', error.message, { reason: error.code });
  }
  return undefined;
}

function internal(
  method: string,
  error: unknown,
  logError: (error: unknown) => void,
): ApiOutcome<never> {
  logError(error);
  return failure('internal', `${method} failed`);
}
