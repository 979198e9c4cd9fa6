/**
 * How many requests one authenticated caller may have in flight on this node at once.
 * Counted from the moment the caller is identified (before its body is read) until the
 * response is closed, so a caller cannot hold more than its share of request bodies in
 * memory; the one over is 429 `too_many_in_flight`, with Retry-After.
 *
 * Wallets and terminals (many, outside parties) get a few each; operators (staff, whose
 * scripts run bulk work) more.
 */
import type { FastifyReply } from 'fastify';
import { PlatformError } from '../errors';
import type { CallerKind } from './caller';

export const MAX_IN_FLIGHT: Readonly<Record<CallerKind, number>> = {
  wallet: 4,
  terminal: 4,
  operator: 16,
};

export class InFlightLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limits: Readonly<Record<CallerKind, number>> = MAX_IN_FLIGHT) {}

  /** Counts the request against `kind:id` until its response closes; 429 over the limit. */
  admit(reply: FastifyReply, kind: CallerKind, id: string): void {
    const key = `${kind}:${id}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= this.limits[kind]) {
      throw new PlatformError(
        429,
        'too_many_in_flight',
        `at most ${this.limits[kind]} requests of one ${kind} at once; wait for an answer`,
        undefined,
        { 'retry-after': '1' },
      );
    }
    this.counts.set(key, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left <= 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
    // The response's 'close' comes once it is sent or its connection is gone, whichever first.
    reply.raw.once('close', release);
  }

  /** Requests in flight for `kind:id` (tests). */
  inFlight(kind: CallerKind, id: string): number {
    return this.counts.get(`${kind}:${id}`) ?? 0;
  }
}
