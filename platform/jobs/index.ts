/**
 * The platform's own periodic work, run by the server (server.ts, so also the embedded
 * platform) after the app is ready and stopped when it closes:
 *
 * - hold release (S6): migrations' risk holds whose window has closed go to the new
 *   wallet (migration/release.ts), each in its own transaction, notices announced after
 *   the commit; a hold released by another node meanwhile is skipped;
 * - hotlist pruning (S5): entries whose certificates have expired leave the hotlist
 *   (lost/prune.ts).
 *
 * Both are safe when several nodes run them at once (row locks), and an error is logged
 * and retried at the next tick. Tests build them with platformJobs and call runOnce().
 * `npm run platform` takes the intervals from HOLD_RELEASE_INTERVAL_SECONDS and
 * HOTLIST_PRUNE_INTERVAL_SECONDS, and runs none with PERIODIC_JOBS=off (config.ts).
 */
import type { PlatformApp, PlatformContext } from '../context';
import { audit, SYSTEM_ACTOR } from '../audit';
import {
  DEFAULT_HOLD_RELEASE_INTERVAL_SECONDS,
  DEFAULT_HOTLIST_PRUNE_INTERVAL_SECONDS,
} from '../config';
import { releaseDueHolds, type DueReleases } from '../migration/surface';
import { pruneHotlist, type PruneResult } from '../lost/surface';
import { errorSummary, PeriodicJob, type JobLog } from './periodic';

export { PeriodicJob, type JobLog } from './periodic';

export interface JobOptions {
  /** How often due holds are released; default 60 s. */
  readonly holdReleaseIntervalMs?: number;
  /** How often the hotlist is pruned; default 24 h (each prune sends terminals a full list). */
  readonly hotlistPruneIntervalMs?: number;
}

/** The defaults live with the settings (config.ts), where the environment can change them. */
export const DEFAULT_JOB_OPTIONS = {
  holdReleaseIntervalMs: DEFAULT_HOLD_RELEASE_INTERVAL_SECONDS * 1_000,
  hotlistPruneIntervalMs: DEFAULT_HOTLIST_PRUNE_INTERVAL_SECONDS * 1_000,
} as const;

export interface PlatformJobs {
  readonly holdRelease: PeriodicJob<DueReleases>;
  readonly hotlistPrune: PeriodicJob<PruneResult>;
  start(): void;
  stop(): Promise<void>;
}

export function platformJobs(
  platform: PlatformContext,
  log: JobLog,
  options: JobOptions = {},
): PlatformJobs {
  const holdRelease = new PeriodicJob({
    name: 'hold-release',
    intervalMs: options.holdReleaseIntervalMs ?? DEFAULT_JOB_OPTIONS.holdReleaseIntervalMs,
    log,
    run: async () => {
      const result = await releaseDueHolds(platform, { actor: SYSTEM_ACTOR }, (wallet, error) =>
        log.error(
          { job: 'hold-release', oldWalletId: wallet, err: errorSummary(error) },
          'hold not released',
        ),
      );
      if (result.released.length > 0) {
        log.info({ job: 'hold-release', released: result.released.length }, 'holds released');
      }
      return result;
    },
  });
  const hotlistPrune = new PeriodicJob({
    name: 'hotlist-prune',
    intervalMs: options.hotlistPruneIntervalMs ?? DEFAULT_JOB_OPTIONS.hotlistPruneIntervalMs,
    log,
    run: () =>
      platform.db.transaction().execute(async (trx) => {
        const at = platform.clock.now();
        const result = await pruneHotlist(trx, at);
        if (result.pruned > 0) {
          await audit(trx, {
            actor: SYSTEM_ACTOR,
            action: 'hotlist.prune',
            outcome: 'ok',
            detail: { ...result },
            at,
          });
        }
        return result;
      }),
  });
  const jobs = [holdRelease, hotlistPrune];
  return {
    holdRelease,
    hotlistPrune,
    start: () => jobs.forEach((job) => job.start()),
    stop: async () => {
      await Promise.all(jobs.map((job) => job.stop()));
    },
  };
}

/** Runs the jobs with the app: started once it is ready, stopped (awaited) when it closes. */
export function runJobsWith(app: PlatformApp, options: JobOptions = {}): PlatformJobs {
  const jobs = platformJobs(app.platform, app.log, options);
  app.addHook('onReady', () => {
    jobs.start();
    return Promise.resolve();
  });
  app.addHook('onClose', () => jobs.stop());
  return jobs;
}
