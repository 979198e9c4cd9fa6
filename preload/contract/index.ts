/**
 * The terminal's API contract, shared by every side (VS Code's `common/`): main/terminal
 * validates with its schemas, main/host and main/electron carry it, the renderer compiles
 * against its types. It imports nothing of ours.
 */
export * from './rpc';
export * from './views';
export * from './methods';
export * from './events';
export * from './declines';
export * from './currencies';
