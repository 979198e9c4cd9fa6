/**
 * A typed event emitter for the demo panel and the CLI: every state change of the phone is
 * an event with a payload type, so a listener cannot subscribe to a misspelt name.
 * Listener exceptions are contained: a broken panel must never break a payment.
 */
import { EventEmitter } from 'node:events';

export class TypedEmitter<Events extends object> {
  private readonly emitter = new EventEmitter();
  private readonly onListenerError: (error: unknown) => void;

  constructor(onListenerError?: (error: unknown) => void) {
    this.onListenerError =
      onListenerError ?? ((error) => console.error('tapsafe: an event listener failed:', error));
    // Panels and tests may attach many listeners; the default limit of 10 would only warn.
    this.emitter.setMaxListeners(0);
  }

  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof Events & string>(
    event: K,
    listener: (payload: Events[K]) => void,
  ): () => void {
    const wrapped = (payload: Events[K]): void => {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    };
    this.emitter.on(event, wrapped);
    return () => {
      this.emitter.off(event, wrapped);
    };
  }

  protected emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload);
  }
}
