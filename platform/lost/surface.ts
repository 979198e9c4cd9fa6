/**
 * The lost unit's callable surface: what other units, jobs, tools and tests call. Its
 * descriptor (routes, migrations, CLI commands) is index.ts, which only the unit list
 * (units.ts) imports, so calling the unit never loads its routes or the operator CLI.
 */
export { revokeWallet, NOTICES_FOR, type RevokeInput, type RevokeResult } from './revoke';
export {
  HotlistBuilder,
  HotlistTooLargeError,
  currentHotlistVersion,
  MAX_DELTA_SPAN,
} from './hotlist';
export { pruneHotlist, EXPIRY_ALLOWANCE_SECONDS, type PruneResult } from './prune';
