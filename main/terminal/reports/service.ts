/**
 * The merchant's reports, pure SQL over the ledger: the X report (the open period, running),
 * Z reports (closed periods, stored and immutable), sales by hour and by day, and the CSV
 * export of payments. Days and hours are local: `utcOffsetSeconds` east of UTC.
 */
import { guarded } from '../../../db/errors';
import type { LedgerStore } from '../../../db/ledger-store';
import { TerminalError } from '../errors';
import type { TerminalClock } from '../model';
import { exportPayments } from './export';
import { figures, figuresBy, inSpan, openPeriod, type Figures, type HourFigures } from './figures';
import { recordMissingZ, zReport, zReports, type ZReport } from './z-reports';

export interface ReportsDeps {
  readonly ledger: LedgerStore;
  readonly clock: TerminalClock;
  /** The terminal's currency (parameters().currency). */
  readonly currency: () => number;
  /** Printed on Z reports. */
  readonly terminalId: () => string;
  /** Local time's offset east of UTC, in seconds; default 0. */
  readonly utcOffsetSeconds?: () => number;
}

export interface XReport extends Figures {
  readonly at: number;
  readonly currency: number;
  /** Stored time of the oldest entry of the open period; null when it is empty. */
  readonly since: number | null;
  readonly byHour: readonly HourFigures[];
}

export interface DaySales extends Figures {
  /** YYYY-MM-DD, local. */
  readonly day: string;
}

export interface ReportsService {
  xReport(): XReport;
  /** Stores the Z report of each closed period without one (call on settlement.period_closed). */
  recordZ(): ZReport[];
  zReports(): ZReport[];
  zReport(number: number): ZReport;
  /** 24 rows, local hours 0..23 of `day` (YYYY-MM-DD). */
  salesByHour(day: string): HourFigures[];
  /** One row per local day from `from` to `to` inclusive (at most 366 days). */
  salesByDay(from: string, to: string): DaySales[];
  /** Payments taken in [from, to) (unix seconds), RFC 4180 with the formula guard. */
  exportCsv(range: { from: number; to: number }): string;
}

const DAY = 86_400;
const MAX_DAYS = 366;

function dayStart(day: string, offset: number): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) {
    throw new TerminalError('bad_date', 'a day is written YYYY-MM-DD', { day });
  }
  return time / 1000 - offset;
}

const dayName = (start: number, offset: number): string =>
  new Date((start + offset) * 1000).toISOString().slice(0, 10);

export function createReportsService(deps: ReportsDeps): ReportsService {
  const db = deps.ledger.db;
  const offset = (): number => {
    const value = deps.utcOffsetSeconds?.() ?? 0;
    if (!Number.isSafeInteger(value) || Math.abs(value) > 14 * 3600) {
      throw new TerminalError('bad_offset', 'the UTC offset must be whole seconds within ±14 h');
    }
    return value;
  };
  const read = <T>(what: string, work: () => T): T => guarded(what, work);

  return {
    xReport() {
      return read('reading the X report', () => {
        const since = db
          .prepare(
            `SELECT min(at) FROM (SELECT min(created_at) AS at FROM payments WHERE batch_id IS NULL
               UNION ALL SELECT min(voided_at) FROM voids WHERE batch_id IS NULL)`,
          )
          .pluck()
          .get() as number | null;
        return {
          ...figures(db, openPeriod),
          at: deps.clock.now(),
          currency: deps.currency(),
          since,
          byHour: figuresBy(db, openPeriod, 3600, offset()),
        };
      });
    },
    recordZ() {
      return read('storing Z reports', () =>
        recordMissingZ(db, {
          at: deps.clock.now(),
          currency: deps.currency(),
          terminal: deps.terminalId(),
          offsetSeconds: offset(),
        }),
      );
    },
    zReports: () => read('reading Z reports', () => zReports(db)),
    zReport(number) {
      if (!Number.isSafeInteger(number) || number < 1) {
        throw new TerminalError('bad_report_number', 'a Z report number is 1 or more');
      }
      const report = read('reading a Z report', () => zReport(db, number));
      if (report === undefined)
        throw new TerminalError('no_report', `there is no Z report #${number}`);
      return report;
    },
    salesByHour(day) {
      const start = dayStart(day, offset());
      const found = new Map(
        read('reading sales by hour', () =>
          figuresBy(db, inSpan(start, start + DAY), 3600, offset()),
        ).map((h) => [h.hour, h]),
      );
      return Array.from({ length: 24 }, (_, i) => {
        const hour = start + i * 3600;
        return found.get(hour) ?? { hour, count: 0, gross: 0, voidCount: 0, voidTotal: 0, net: 0 };
      });
    },
    salesByDay(from, to) {
      const first = dayStart(from, offset());
      const last = dayStart(to, offset());
      const days = (last - first) / DAY + 1;
      if (days < 1 || days > MAX_DAYS) {
        throw new TerminalError('bad_range', `a range is 1 to ${MAX_DAYS} days, from before to`);
      }
      const found = new Map(
        read('reading sales by day', () =>
          figuresBy(db, inSpan(first, last + DAY), DAY, offset()),
        ).map((d) => [d.hour, d]),
      );
      return Array.from({ length: days }, (_, i) => {
        const start = first + i * DAY;
        const sales = found.get(start);
        return {
          day: dayName(start, offset()),
          count: sales?.count ?? 0,
          gross: sales?.gross ?? 0,
          voidCount: sales?.voidCount ?? 0,
          voidTotal: sales?.voidTotal ?? 0,
          net: sales?.net ?? 0,
        };
      });
    },
    exportCsv(range) {
      if (
        !Number.isSafeInteger(range.from) ||
        !Number.isSafeInteger(range.to) ||
        range.from < 0 ||
        range.to < range.from
      ) {
        throw new TerminalError('bad_range', 'an export range is unix seconds, from ≤ to');
      }
      return read('exporting payments', () => exportPayments(db, range));
    },
  };
}
