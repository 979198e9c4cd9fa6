/** Waiting for events from the real stack, with deadlines so a hang fails with a reason. */
import type { EventEmitter } from 'node:events';
import { once } from 'node:events';
import type { VpcdCard, VpcdState } from '../../../handset/transport/vpcd';

/** The next `event` from a Node emitter (the nfc-pcsc adapter), or a timeout error. */
export async function next<T>(emitter: EventEmitter, event: string, timeoutMs = 5_000): Promise<T> {
  try {
    const [payload] = (await once(emitter, event, { signal: AbortSignal.timeout(timeoutMs) })) as [
      T,
    ];
    return payload;
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      throw new Error(`no "${event}" within ${timeoutMs} ms`, { cause: error });
    }
    throw error;
  }
}

/** Resolves once the vpcd card is in `state` (at once if it already is). */
export function untilState(vpcd: VpcdCard, state: VpcdState, timeoutMs = 5_000): Promise<void> {
  if (vpcd.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`vpcd card not ${state} within ${timeoutMs} ms (is ${vpcd.state})`));
    }, timeoutMs);
    const off = vpcd.on('state', (change) => {
      if (change.state !== state) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** The longest a 20 ms timer fired late during `work`: a spinning event loop shows here. */
export async function worstTimerLag<T>(work: Promise<T>): Promise<{ value: T; lagMs: number }> {
  let worst = 0;
  let expected = performance.now() + 20;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - expected);
    expected = now + 20;
  }, 20);
  try {
    return { value: await work, lagMs: worst };
  } finally {
    clearInterval(timer);
  }
}
