/** A refusal the user can fix: printed as one line, exit code 2 for usage errors, else 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
