/**
 * The e-cash settlement unit (电子现金结算单元, claim 11; steps 52-54; S10, S12, S13):
 * terminals upload signed batches; every record's certificate and signature is checked on
 * all cores; duplicates and double-spends are told apart; voids are refunded; the ledger,
 * the signed result and the phones' refund notices and balance marks are written in one
 * transaction.
 */
import type { PlatformUnit } from '../unit';
import {
  settlementChains,
  settlementFastChecks,
  settlementLiability,
  settlementTables,
} from './migrations';
import { settlementRoutes } from './routes';
import { showSettlementStatusCommand } from './status';

export const settlementUnit: PlatformUnit = {
  name: 'settlement',
  migrations: [settlementTables, settlementFastChecks, settlementLiability, settlementChains],
  routes: settlementRoutes,
  commands: [showSettlementStatusCommand],
};
