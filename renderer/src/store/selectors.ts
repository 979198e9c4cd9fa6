// How components read the store: small selectors, so a screen re-renders only on its slice.
import type { TerminalState } from './terminal-store';

export const selectInfo = (s: TerminalState) => s.app.info;
export const selectMode = (s: TerminalState) => s.app.info?.mode ?? null;
export const selectConnection = (s: TerminalState) => s.app.connection;
export const selectStatus = (s: TerminalState) => s.app.status;
export const selectReadiness = (s: TerminalState) => s.app.readiness;
export const selectSale = (s: TerminalState) => s.checkout.sale;
export const selectReaders = (s: TerminalState) => s.readers;
export const selectPaymentsRevision = (s: TerminalState) => s.payments.revision;
export const selectSettlementStatus = (s: TerminalState) => s.settlement.status;
export const selectSettlementProgress = (s: TerminalState) => s.settlement.progress;
export const selectSync = (s: TerminalState) => s.sync;
export const selectDemo = (s: TerminalState) => s.demo.view;
export const selectJournal = (s: TerminalState) => s.demo.journal;
export const selectLanguage = (s: TerminalState) => s.settings.language;
export const selectTheme = (s: TerminalState) => s.settings.theme;

/** The terminal's currency: the parameters in force, else the demo phones', else CNY. */
export const selectCurrency = (s: TerminalState): number =>
  s.sync?.parameters?.currency ?? s.demo.view?.phones[0]?.currency ?? 156;

/** The reader a sale will use: the first ready one, else the first one. */
export const selectActiveReader = (s: TerminalState) => {
  const readers = s.readers?.readers ?? [];
  return readers.find((r) => r.state !== 'error') ?? readers[0] ?? null;
};
