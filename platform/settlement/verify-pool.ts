/**
 * The settlement verify pool: record and certificate signatures checked on every core by
 * worker threads (verify-worker.js), so a large batch settles at close to the machine's
 * crypto.verify ceiling while the main thread keeps serving requests and the database.
 *
 * One pool per platform (the settlement unit creates it when its routes register and closes
 * it with the app). Work is cut into chunks so that all workers stay busy on one batch and
 * one large batch does not starve a small one queued behind it for long.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PaymentRecord, WalletCertificate } from '../../protocol';

export const VERIFY_DOMAINS = { record: 0, certificate: 1 } as const;
export type VerifyDomain = keyof typeof VERIFY_DOMAINS;
const DOMAINS = [PaymentRecord.domain, WalletCertificate.domain];

export interface VerifyItem {
  readonly domain: VerifyDomain;
  /** Compressed SEC1 key of the signer (33 bytes). */
  readonly publicKey: Uint8Array;
  /** P1363 r||s, 64 bytes. */
  readonly signature: Uint8Array;
  /** The signed body TLV, exactly as received. */
  readonly body: Uint8Array;
}

/** What the pool answers for each item, in the order given. */
export interface Verdicts {
  /** True where the signature verifies under the key. */
  readonly ok: boolean[];
  /** SHA-256 of each item's body, computed by the worker that checked it. */
  readonly bodyHash: Uint8Array[];
}

/** The pool was closed, or a worker died: the batch is not settled and may be retried. */
export class VerifyPoolError extends Error {
  override readonly name = 'VerifyPoolError';
}

const CHUNK = 256;
const HEADER = 1 + 33 + 64 + 4;
/** Per item in a worker's answer: the verdict byte, then the body's SHA-256. */
const ANSWER_SIZE = 1 + 32;

interface Task {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly count: number;
  resolve(result: Uint8Array): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

function pack(items: readonly VerifyItem[]): ArrayBuffer {
  let size = 0;
  for (const item of items) size += HEADER + item.body.length;
  const bytes = Buffer.alloc(size);
  let at = 0;
  for (const item of items) {
    bytes[at] = VERIFY_DOMAINS[item.domain];
    // A key or signature of the wrong size cannot verify; zeros make the worker answer 0.
    if (item.publicKey.length === 33) bytes.set(item.publicKey, at + 1);
    if (item.signature.length === 64) bytes.set(item.signature, at + 34);
    bytes.writeUInt32BE(item.body.length, at + 98);
    bytes.set(item.body, at + HEADER);
    at += HEADER + item.body.length;
  }
  // Buffer.alloc of this size owns its ArrayBuffer (not the shared pool), so it can move.
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
}

export class VerifyPool {
  readonly size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;

  constructor(size = availableParallelism()) {
    this.size = Math.max(1, size);
    for (let i = 0; i < this.size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./verify-worker.js', import.meta.url), {
      workerData: { domains: DOMAINS },
    });
    // An idle pool must not keep a CLI command or a test process alive.
    worker.unref();
    const slot: Slot = { worker, task: undefined };
    worker.on('message', ({ id, result }: { id: number; result: Uint8Array }) => {
      const task = slot.task;
      slot.task = undefined;
      if (task?.id === id) task.resolve(result);
      this.#pump();
    });
    worker.on('error', (error) => this.#lost(slot, error));
    worker.on('exit', (code) => {
      if (!this.#closed) this.#lost(slot, new Error(`verify worker exited with ${code}`));
    });
    return slot;
  }

  #lost(slot: Slot, error: Error): void {
    const task = slot.task;
    slot.task = undefined;
    task?.reject(new VerifyPoolError(`signature verification failed: ${error.message}`));
    const index = this.#slots.indexOf(slot);
    if (index >= 0 && !this.#closed) {
      void slot.worker.terminate();
      this.#slots[index] = this.#spawn();
      this.#pump();
    }
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.task !== undefined) continue;
      const task = this.#queue.shift();
      if (task === undefined) return;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, buffer: task.buffer, count: task.count }, [
        task.buffer,
      ]);
    }
    if (this.#queue.length === 0) {
      for (const slot of this.#slots) if (slot.task === undefined) slot.worker.unref();
    }
  }

  /** Checks every item's signature and hashes its body, on the worker threads. */
  async verify(items: readonly VerifyItem[]): Promise<Verdicts> {
    if (this.#closed) throw new VerifyPoolError('the verify pool is closed');
    const verdicts: Verdicts = { ok: [], bodyHash: [] };
    if (items.length === 0) return verdicts;
    const chunk = Math.min(CHUNK, Math.ceil(items.length / this.size));
    const parts: Promise<Uint8Array>[] = [];
    for (let start = 0; start < items.length; start += chunk) {
      const slice = items.slice(start, start + chunk);
      parts.push(
        new Promise<Uint8Array>((resolve, reject) => {
          this.#queue.push({
            id: this.#nextId++,
            buffer: pack(slice),
            count: slice.length,
            resolve,
            reject,
          });
        }),
      );
    }
    this.#pump();
    for (const part of await Promise.all(parts)) {
      for (let at = 0; at < part.length; at += ANSWER_SIZE) {
        verdicts.ok.push(part[at] === 1);
        verdicts.bodyHash.push(part.subarray(at + 1, at + ANSWER_SIZE));
      }
    }
    return verdicts;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new VerifyPoolError('the verify pool is closed');
    for (const task of this.#queue.splice(0)) task.reject(closed);
    for (const slot of this.#slots) slot.task?.reject(closed);
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }
}
