/**
 * The terminal's offline checks (docs/protocol.md 7.2), as pure functions of what the
 * wallet sent, the terminal's setup, its clock and what its ledger knows. Each returns
 * `{ ok: true, … }` or `{ ok: false, code, detail }` with a DeclineCode of
 * preload/contract/declines.ts.
 */
export * from './result';
export * from './trust';
export * from './decode';
export * from './readiness';
export * from './wallet';
export * from './certificate';
export * from './freshness';
export * from './sale';
export * from './velocity';
export * from './record';
export * from './status-words';
