/**
 * The handler table and event bus a host carries while the terminal behind them is still
 * starting (the demo world takes seconds), so the host can listen and serve its page at once.
 * Until `ready`, `app.readiness` answers `starting` and every other method fails with
 * NotReadyError (answered `not_ready` by dispatchApiCall): never a hang, never a crash. On
 * `ready` the terminal's events start passing through and `app.readiness` is published.
 */
import {
  METHOD_PARAMS,
  type ApiEvents,
  type ApiHandlers,
  type ApiMethodName,
  type AppReadiness,
} from '../../../preload/contract';
import { createEventBus, type EventBus } from '../events';

export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

export interface StartedTerminal {
  readonly handlers: ApiHandlers;
  readonly events: EventBus<ApiEvents>;
}

export interface StartingTerminal extends StartedTerminal {
  /** From now on every call goes to `terminal`, and its events pass through. */
  ready(terminal: StartedTerminal): void;
  /** The terminal could not start: calls keep failing, now saying why. */
  failed(message: string): void;
}

export function createStartingTerminal(
  mode: AppReadiness['mode'],
  logError?: (error: unknown) => void,
): StartingTerminal {
  const events = createEventBus<ApiEvents>(logError);
  let readiness: AppReadiness = { state: 'starting', mode, message: null };
  let started: ApiHandlers | undefined;

  const notReady = (): never => {
    throw new NotReadyError(
      readiness.state === 'failed'
        ? `the terminal could not start: ${readiness.message ?? 'unknown reason'}`
        : 'the terminal is still starting: retry when app.readiness says ready',
    );
  };
  const call = (method: ApiMethodName, params: unknown): unknown => {
    if (started !== undefined) return (started[method] as (params: unknown) => unknown)(params);
    return method === 'app.readiness' ? readiness : notReady();
  };
  const handlers = Object.fromEntries(
    (Object.keys(METHOD_PARAMS) as ApiMethodName[]).map((method) => [
      method,
      (params: unknown) => call(method, params),
    ]),
  ) as unknown as ApiHandlers;

  return {
    handlers,
    events,
    ready(terminal) {
      if (started !== undefined) return;
      terminal.events.subscribe((name, payload) => events.publish(name, payload));
      started = terminal.handlers;
      readiness = { state: 'ready', mode, message: null };
      events.publish('app.readiness', readiness);
    },
    failed(message) {
      if (started !== undefined) return;
      readiness = { state: 'failed', mode, message };
      events.publish('app.readiness', readiness);
    },
  };
}
