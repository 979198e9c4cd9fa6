/**
 * A job the server runs every `intervalMs` (holds to release, hotlist to prune). A run
 * never overlaps the previous one on this node (a slow database skips ticks instead of
 * piling them up), a failure is logged and retried at the next tick, never thrown into
 * the event loop, and `stop()` waits for the run in flight so the database is not closed
 * under it. Runs on other nodes may overlap: each job's work must be safe to race
 * (row locks, conditional updates). Tests call `runOnce()` instead of waiting for ticks.
 */

/** The part of a pino / Fastify logger a job writes to. */
export interface JobLog {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface PeriodicJobOptions<T> {
  readonly name: string;
  readonly intervalMs: number;
  readonly run: () => Promise<T>;
  readonly log: JobLog;
}

export class PeriodicJob<T> {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<T | undefined> | undefined;
  #stopped = false;

  constructor(private readonly options: PeriodicJobOptions<T>) {
    if (!(options.intervalMs >= 1)) throw new RangeError(`${options.name}: intervalMs must be ≥ 1`);
  }

  get name(): string {
    return this.options.name;
  }

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.#timer.unref(); // the job alone never keeps the process alive
  }

  /**
   * One run now, or the run already in flight; resolves with its result, or undefined
   * when it failed (logged) or the job is stopped.
   */
  runOnce(): Promise<T | undefined> {
    if (this.#stopped) return Promise.resolve(undefined);
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** No more runs; resolves when the one in flight (if any) has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #run(): Promise<T | undefined> {
    try {
      return await this.options.run();
    } catch (error) {
      // Only the class and message: a query error's parameters could carry data.
      this.options.log.error({ job: this.name, err: errorSummary(error) }, 'job failed');
      return undefined;
    }
  }
}

export function errorSummary(error: unknown): { type: string; code?: string; message: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: 'non-Error thrown' };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: error.message,
  };
}
