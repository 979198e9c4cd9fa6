/**
 * The terminals unit's callable surface: what other units, jobs, tools and tests call. Its
 * descriptor (routes, migrations, CLI commands) is index.ts, which only the unit list
 * (units.ts) imports, so calling the unit never loads its routes or the operator CLI.
 */
export { DEFAULT_TERMINAL_PARAMS, resolveParams, type TerminalParams } from './params';
export { holdSuspensionsSteady, queueSuspensionsForNewWallet } from './suspension';
