/** Assertions about the one error type decoders and encoders may throw. */
import { expect } from 'vitest';
import { ProtocolError, type ProtocolErrorCode } from '../../../protocol';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function attempt<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** True when `field` is `name` itself or a path inside it (`name.x`, `name[3]`). */
export const isFieldOf = (field: string, name: string): boolean =>
  field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`);

/** Why `error` is not a ProtocolError about `name`, or undefined when it is one. */
export function protocolErrorProblem(error: unknown, name: string): string | undefined {
  if (!(error instanceof ProtocolError)) return `threw a non-ProtocolError: ${String(error)}`;
  if (!isFieldOf(error.field, name))
    return `ProtocolError field ${error.field} is not inside ${name}`;
  return undefined;
}

/** Runs `fn`, expects a ProtocolError with `code` (and `field`, when given), and returns it. */
export function expectProtocolError(
  fn: () => unknown,
  code: ProtocolErrorCode,
  field?: string,
): ProtocolError {
  const outcome = attempt(fn);
  if (outcome.ok)
    throw new Error(`expected ProtocolError ${code}${field ? ` at ${field}` : ''}, got a value`);
  const { error } = outcome;
  expect(error).toBeInstanceOf(ProtocolError);
  const protocolError = error as ProtocolError;
  expect({ code: protocolError.code, field: protocolError.field }).toEqual({
    code,
    field: field ?? protocolError.field,
  });
  return protocolError;
}

/** A comparable summary of an outcome: the value's own summary, or the error's identity. */
export function summary<T>(outcome: Outcome<T>, ofValue: (value: T) => unknown): unknown {
  if (outcome.ok) return { ok: ofValue(outcome.value) };
  const { error } = outcome;
  if (error instanceof ProtocolError) {
    return { code: error.code, field: error.field, message: error.message };
  }
  return { foreign: String(error) };
}
