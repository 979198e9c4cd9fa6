// The reports screen's methods of the contract on the reports service.
import type { PeriodReport, SalesBucket } from '../api/contract-types';
import type { Handlers } from '../api/dispatch';
import type { HourFigures } from './figures';
import type { ReportsService, XReport } from './service';
import type { ZReport } from './z-reports';

const hourBucket = (h: HourFigures): SalesBucket => ({
  start: h.hour,
  count: h.count,
  total: h.net,
});

function xView(x: XReport): PeriodReport {
  return {
    kind: 'X',
    number: null,
    periodStart: x.since ?? x.at,
    periodEnd: x.at,
    generatedAt: x.at,
    currency: x.currency,
    count: x.count,
    gross: x.gross,
    voidCount: x.voidCount,
    voidTotal: x.voidTotal,
    net: x.net,
    byHour: x.byHour.map(hourBucket),
  };
}

function zView(z: ZReport): PeriodReport {
  return {
    kind: 'Z',
    number: z.number,
    periodStart: z.periodStart,
    periodEnd: z.periodEnd,
    generatedAt: z.createdAt,
    currency: z.currency,
    count: z.count,
    gross: z.gross,
    voidCount: z.voidCount,
    voidTotal: z.voidTotal,
    net: z.net,
    byHour: z.byHour.map(hourBucket),
  };
}

/** YYYY-MM-DD of the local day holding `time` (unix seconds). */
const localDay = (time: number, offset: number): string =>
  new Date((time + offset) * 1000).toISOString().slice(0, 10);

export function reportsHandlers(
  reports: () => ReportsService,
  utcOffsetSeconds: () => number,
): Pick<
  Handlers,
  | 'reports.x'
  | 'reports.z'
  | 'reports.zList'
  | 'reports.salesByHour'
  | 'reports.salesByDay'
  | 'reports.csv'
> {
  return {
    'reports.x': () => xView(reports().xReport()),
    'reports.z': ({ number }) => zView(reports().zReport(number)),
    'reports.zList': () => reports().zReports().map(zView),
    'reports.salesByHour': ({ day }) =>
      reports().salesByHour(localDay(day, utcOffsetSeconds())).map(hourBucket),
    'reports.salesByDay': ({ from, to }) => {
      const offset = utcOffsetSeconds();
      return reports()
        .salesByDay(localDay(from, offset), localDay(to, offset))
        .map((d) => ({
          start: Date.parse(`${d.day}T00:00:00Z`) / 1000 - offset,
          count: d.count,
          total: d.net,
        }));
    },
    'reports.csv': ({ from, to }) => ({
      fileName: `tapsafe-payments-${localDay(from, utcOffsetSeconds())}-${localDay(to, utcOffsetSeconds())}.csv`,
      // The contract's range includes `to`; the export's end is exclusive.
      content: reports().exportCsv({ from, to: to + 1 }),
    }),
  };
}
