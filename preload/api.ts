// The typed API contract between the terminal's services and its user interface, as the
// renderer and the preload bridge see it. The contract itself (methods with their parameter
// schemas, results, events, errors) lives in ./contract, which every side may import; this
// file adds what only the screen side needs: the bridge the renderer calls.
import type {
  ApiEventName,
  ApiEvents,
  ApiMethodName,
  ApiOutcome,
  ApiParams,
  ApiResult,
  Unsubscribe,
} from './contract';

export type * from './contract';

/**
 * What the renderer sees as `window.tapsafe` (Electron preload) or builds over a WebSocket
 * (browser host). `invoke` resolves with an outcome instead of rejecting, because an Error's
 * fields (such as a code) do not survive Electron's contextBridge; the renderer unwraps it.
 */
export interface TapsafeBridge {
  invoke<M extends ApiMethodName>(
    method: M,
    params?: ApiParams<M>,
  ): Promise<ApiOutcome<ApiResult<M>>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): Unsubscribe;
}

/** The global the preload installs; declared here so the renderer can read it with its type. */
export interface TapsafeWindow {
  readonly tapsafe?: TapsafeBridge;
}
