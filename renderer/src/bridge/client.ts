// One typed `call()` over whichever transport the app started with: it unwraps the contract's
// outcome, so a screen awaits a result and catches an ApiCallError with the contract's code.
import type {
  ApiError,
  ApiErrorCode,
  ApiEventName,
  ApiEvents,
  ApiMethodName,
  ApiParams,
  ApiResult,
  TapsafeBridge,
  Unsubscribe,
} from '../../../preload/api';
import { DECLINE_CODES, type DeclineCode } from '../../../preload/contract/declines';

export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly reason: string | undefined;

  constructor(
    readonly method: ApiMethodName,
    error: ApiError,
  ) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.field = error.field;
    this.reason = error.reason;
  }
}

export interface ApiClient {
  call<M extends ApiMethodName>(method: M, params?: ApiParams<M>): Promise<ApiResult<M>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): Unsubscribe;
}

export function createApiClient(bridge: TapsafeBridge): ApiClient {
  return {
    async call(method, params) {
      const outcome = await bridge.invoke(method, params);
      if (outcome.ok) return outcome.result;
      throw new ApiCallError(method, outcome.error);
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}

/** What a screen shows for a failed call: the service's own reason when it refused. */
export function describeError(error: unknown): string {
  if (error instanceof ApiCallError) {
    const suffix = error.field === undefined ? '' : ` (${error.field})`;
    return `${error.message}${suffix}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The decline code a refusal carries, when the service refused for a reason the cashier has
 * words for (a sale refused before any tap: the terminal not ready, say).
 */
export function refusalDecline(error: unknown): DeclineCode | undefined {
  if (!(error instanceof ApiCallError) || error.code !== 'refused') return undefined;
  return DECLINE_CODES.find((code) => code === error.reason);
}
