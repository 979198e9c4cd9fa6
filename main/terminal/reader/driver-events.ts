/**
 * The listeners of one driver's events (ReaderDriver.on). A listener that throws is reported
 * and skipped: a broken screen must never stop a card from reaching the checkout.
 */
import type { ReaderDriverEvents } from './reader';

type Listener<E extends keyof ReaderDriverEvents> = (payload: ReaderDriverEvents[E]) => void;

export class DriverListeners {
  private readonly listeners = new Map<keyof ReaderDriverEvents, Set<Listener<never>>>();

  constructor(
    private readonly onListenerError: (error: unknown) => void = (error) =>
      console.error('tapsafe: a reader event listener failed:', error),
  ) {}

  on<E extends keyof ReaderDriverEvents>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = listener as Listener<never>;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<E extends keyof ReaderDriverEvents>(event: E, payload: ReaderDriverEvents[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<E>)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
