/** The wallet applet's wire format: command/response APDUs, FCI, status words, chaining. */
export * from './command';
export * from './response';
export * from './status';
export * from './commands';
export * from './classify';
export * from './fci';
export * from './log';
export * from './chaining';
