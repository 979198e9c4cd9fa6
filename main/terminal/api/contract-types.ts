// The contract's types as the terminal's services use them, in one import.
export type * from '../../../preload/contract';
export type { Publish } from '../events';
