/**
 * The transport-level half of the contract, shared by every side: how a call's outcome and
 * its errors look when they cross Electron IPC or the browser host's WebSocket. The main side
 * (main/terminal, main/host, main/electron) and the renderer compile against this one file.
 */

/** Which channel carries the API: the Electron preload bridge or the browser host's WebSocket. */
export type TransportKind = 'electron-ipc' | 'websocket';

export type ApiErrorCode =
  | 'bad_json' // the message was not JSON
  | 'bad_request' // JSON, but not a well-formed request
  | 'unknown_method' // not in the contract
  | 'invalid_params' // the parameters do not match the method's schema
  | 'forbidden' // the caller is not our own renderer
  | 'refused' // a service refused the request; `reason` says why (e.g. amount_over_limit)
  | 'internal' // the handler failed; details stay in the main-side log
  | 'unavailable' // the transport is down (renderer side only)
  | 'not_ready'; // the terminal is still starting: retry once app.readiness says ready

export interface ApiError {
  readonly code: ApiErrorCode;
  readonly message: string;
  /** For `invalid_params`: the parameter at fault, e.g. "amount". */
  readonly field?: string;
  /** For `refused`: the service's own code (TerminalError / LedgerError), snake_case. */
  readonly reason?: string;
}

/** A call's outcome as it crosses a transport: errors are values, never thrown exceptions. */
export type ApiOutcome<T> =
  { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: ApiError };

export type Unsubscribe = () => void;

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

/** The largest RPC message either transport answers (bytes); a larger one gets `bad_request`. */
export const MAX_RPC_MESSAGE_BYTES = 64 * 1024;

/**
 * The largest WebSocket frame the browser host reads at all: above it the socket is closed
 * (1009) without reading on, so a flood cannot exhaust memory.
 */
export const MAX_RPC_FRAME_BYTES = 1024 * 1024;
