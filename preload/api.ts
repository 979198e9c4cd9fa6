// The typed API contract between the terminal's services and its user interface.
//
// Types only: the renderer, the preload bridge, the Electron IPC wiring and the browser host's
// WebSocket RPC all compile against this file, so a method or event changed here breaks every
// side that disagrees at type-check time. Nothing here exists at run time.

/** How the terminal is set up: demo (embedded platform, emulated phones) or a real merchant. */
export type TerminalMode = 'demo' | 'enrolled' | 'unenrolled';

/** Which channel carries this API: the Electron preload bridge or the browser host's WebSocket. */
export type TransportKind = 'electron-ipc' | 'websocket';

export interface AppInfo {
  readonly version: string;
  readonly mode: TerminalMode;
  readonly transport: TransportKind;
}

/**
 * Every request the renderer may make, by method name. `params` is what the caller sends;
 * handlers still receive it as `unknown` (see {@link ApiHandlers}) because it crossed a trust
 * boundary.
 */
export interface ApiMethods {
  'app.info': { params: undefined; result: AppInfo };
}

export type ApiMethodName = keyof ApiMethods;
export type ApiParams<M extends ApiMethodName> = ApiMethods[M]['params'];
export type ApiResult<M extends ApiMethodName> = ApiMethods[M]['result'];

export type StatusLevel = 'info' | 'warning' | 'error';

export interface StatusEvent {
  readonly level: StatusLevel;
  readonly message: string;
  /** ISO 8601 time the main side raised it. */
  readonly at: string;
}

/** Every event the main side may push to the renderer, by event name. */
export interface ApiEvents {
  'app.status': StatusEvent;
}

export type ApiEventName = keyof ApiEvents;

export type ApiErrorCode =
  | 'bad_json' // the message was not JSON
  | 'bad_request' // JSON, but not a well-formed request
  | 'unknown_method' // not in the contract
  | 'invalid_params' // the handler refused its parameters
  | 'forbidden' // the caller is not our own renderer
  | 'internal' // the handler failed; details stay in the main-side log
  | 'unavailable'; // the transport is down (renderer side only)

export interface ApiError {
  readonly code: ApiErrorCode;
  readonly message: string;
}

/** A call's outcome as it crosses a transport: errors are values, never thrown exceptions. */
export type ApiOutcome<T> =
  { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: ApiError };

export type Unsubscribe = () => void;

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

/**
 * The main side's implementation of the contract: one handler per method, no more, no less.
 * `params` is `unknown` on purpose: each handler validates what it receives.
 */
export type ApiHandlers = {
  readonly [M in ApiMethodName]: (params: unknown) => ApiResult<M> | Promise<ApiResult<M>>;
};

/** Electron IPC channel names, shared so the preload and main/electron cannot drift apart. */
export type IpcInvokeChannel = 'tapsafe:invoke';
export type IpcEventChannel = 'tapsafe:event';

/** Messages on the browser host's WebSocket. */
export interface RpcRequest {
  readonly id: number;
  readonly method: string;
  readonly params?: unknown;
}

export type RpcResponse = { readonly id: number | null } & ApiOutcome<unknown>;

export interface RpcEventMessage<E extends ApiEventName = ApiEventName> {
  readonly event: E;
  readonly payload: ApiEvents[E];
}

/** The global the preload installs; declared here so the renderer can read it with its type. */
export interface TapsafeWindow {
  readonly tapsafe?: TapsafeBridge;
}
