/**
 * The in-process push hub: WebSocket connections of wallets (sync unit) subscribe here, and
 * a unit that queued a notice pokes the hub AFTER its transaction commits, so a socket
 * never announces a notice that might still roll back. The poke carries no data: the
 * socket reads what is new from the notifications table, so a lost or duplicate poke costs
 * nothing, and sockets also re-read periodically to catch notices queued by other nodes.
 *
 * One hub per platform app, held by its context (`app.platform.pushHub`), so several
 * platforms in one process (tests, the demo) never see each other's wallets. A leaf: the
 * context's types import it.
 */
type Listener = () => void;

export class PushHub {
  readonly #listeners = new Map<string, Set<Listener>>();

  /** Subscribes to pokes for one wallet (lower-case hex); returns the unsubscribe. */
  subscribe(walletIdHex: string, listener: Listener): () => void {
    const set = this.#listeners.get(walletIdHex) ?? new Set<Listener>();
    set.add(listener);
    this.#listeners.set(walletIdHex, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(walletIdHex);
    };
  }

  /** Tells the wallet's sockets that something new may be waiting. Call after commit. */
  poke(walletIdHex: string): void {
    for (const listener of [...(this.#listeners.get(walletIdHex) ?? [])]) {
      try {
        listener();
      } catch {
        // A broken socket must not stop the others or the route that poked.
      }
    }
  }

  connections(walletIdHex: string): number {
    return this.#listeners.get(walletIdHex)?.size ?? 0;
  }
}
