// A tiny typed publish/subscribe bus. Terminal services publish here; each transport (Electron
// IPC, the browser host's WebSocket) subscribes once and forwards to its renderer(s), so the
// services never know which transport is in use.

import type { ApiEvents, StatusEvent } from '../../preload/contract';

export type StatusLevel = StatusEvent['level'];

/** Events the terminal publishes, by name: the contract's events. */
export type TerminalEvents = ApiEvents;

/** How a service publishes: one typed callback, whatever transport listens. */
export type Publish = <E extends keyof ApiEvents>(name: E, payload: ApiEvents[E]) => void;

export type EventListener<Events> = <E extends keyof Events & string>(
  name: E,
  payload: Events[E],
) => void;

export interface EventBus<Events> {
  publish<E extends keyof Events & string>(name: E, payload: Events[E]): void;
  /** Returns the function that removes this listener. */
  subscribe(listener: EventListener<Events>): () => void;
}

export function createEventBus<Events>(
  onListenerError: (error: unknown) => void = () => {},
): EventBus<Events> {
  const listeners = new Set<EventListener<Events>>();
  return {
    publish(name, payload) {
      // A failing transport must not stop the others from hearing the event.
      for (const listener of [...listeners]) {
        try {
          listener(name, payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function statusEvent(level: StatusLevel, message: string, now = new Date()): StatusEvent {
  return { level, message, at: now.toISOString() };
}
