export {
  createReportsService,
  type ReportsDeps,
  type ReportsService,
  type XReport,
  type DaySales,
} from './service';
export type { ZReport } from './z-reports';
export type { Figures, HourFigures } from './figures';
export { CSV_COLUMNS } from './export';
export { csvCell } from './csv';
export { formatAmount } from './money';
