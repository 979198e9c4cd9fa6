// A stand-in for the terminal service in renderer unit tests: answers from a handler table
// and pushes events on demand. End-to-end runs use the real services (Playwright).
import type {
  ApiError,
  ApiEventName,
  ApiEvents,
  ApiMethodName,
  ApiOutcome,
  ApiParams,
  ApiResult,
  TapsafeBridge,
} from '../../preload/api';

export type Handlers = {
  [M in ApiMethodName]?: (params: ApiParams<M> | undefined) => ApiResult<M>;
};

/** Thrown by a fake handler: the call's outcome is this error, as the service would answer. */
export class FakeFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** A handler's answer as the transport carries it: its result, or the error it failed with. */
function outcomeOf<R>(answer: () => R): ApiOutcome<R> {
  try {
    return { ok: true, result: answer() };
  } catch (failure) {
    if (failure instanceof FakeFailure) return { ok: false, error: failure.error };
    throw failure;
  }
}

export interface FakeBridge extends TapsafeBridge {
  readonly calls: { method: ApiMethodName; params: unknown }[];
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
  listenerCount(): number;
}

export function createFakeBridge(handlers: Handlers): FakeBridge {
  const listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();
  const calls: { method: ApiMethodName; params: unknown }[] = [];
  return {
    calls,
    invoke<M extends ApiMethodName>(method: M, params?: ApiParams<M>) {
      calls.push({ method, params });
      const handler = handlers[method] as ((p: unknown) => ApiResult<M>) | undefined;
      const outcome: ApiOutcome<ApiResult<M>> =
        handler === undefined
          ? { ok: false, error: { code: 'unknown_method', message: `no fake for ${method}` } }
          : outcomeOf(() => handler(params));
      return Promise.resolve(outcome);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const relay = (payload: unknown) => listener(payload as ApiEvents[typeof event]);
      set.add(relay);
      return () => set.delete(relay);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}
