/**
 * Byte-by-byte sweeps over signed envelopes: every single-byte change, insertion, deletion,
 * truncation and extension is refused by `open` with a ProtocolError (bad_signature when
 * the bytes still parse, a structural code otherwise). Nothing altered is ever accepted.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../protocol';
import { concat, hex } from './support/bytes';
import { attempt, protocolErrorProblem } from './support/errors';
import { samples } from './support/samples';

const XORS = [0x01, 0x80, 0xff];

describe.each(samples.map((c) => [c.label, c] as const))('%s', (_, { type, value, signer }) => {
  const { encoded } = type.sign(value, signer);
  const key = signer.publicKey;

  /**
   * Opens each altered envelope: `open` must throw a ProtocolError about this object, the
   * same code `decode` throws, or bad_signature when `decode` passes. Returns what went
   * wrong, and the codes seen.
   */
  function sweep(cases: Iterable<[Uint8Array, string]>): {
    problems: string[];
    codes: Set<string>;
  } {
    const problems: string[] = [];
    const codes = new Set<string>();
    for (const [bytes, what] of cases) {
      const opened = attempt(() => type.open(bytes, key));
      if (opened.ok) {
        problems.push(`${what}: accepted`);
        continue;
      }
      const problem = protocolErrorProblem(opened.error, type.name);
      if (problem) {
        problems.push(`${what}: ${problem}`);
        continue;
      }
      const { code, field } = opened.error as ProtocolError;
      codes.add(code);
      const decoded = attempt(() => type.decode(bytes));
      const decodeCode = decoded.ok ? 'bad_signature' : (decoded.error as ProtocolError).code;
      if (decodeCode !== code)
        problems.push(`${what}: open said ${code} at ${field}, decode ${decodeCode}`);
    }
    return { problems, codes };
  }

  it('opens untouched (control)', () => {
    expect(type.open(encoded, key).encoded).toEqual(type.decode(encoded).encoded);
  });

  it(`refuses every single-byte change (xor ${XORS.map((x) => x.toString(16)).join(', ')})`, () => {
    function* changes(): Generator<[Uint8Array, string]> {
      for (let i = 0; i < encoded.length; i++) {
        for (const x of XORS) {
          const bytes = Uint8Array.from(encoded);
          bytes[i] = (bytes[i] as number) ^ x;
          yield [bytes, `byte ${i} ^ ${x}`];
        }
      }
    }
    const { problems, codes } = sweep(changes());
    expect(problems).toEqual([]);
    // Both kinds of refusal occur: changed values that parse, and broken structure.
    expect(codes).toContain('bad_signature');
    expect(codes).toContain('bad_tag');
  });

  it('says bad_signature for every change inside the signature value', () => {
    const start = encoded.length - 64;
    for (let i = start; i < encoded.length; i++) {
      const bytes = Uint8Array.from(encoded);
      bytes[i] = (bytes[i] as number) ^ 0x01;
      expect(attempt(() => type.decode(bytes)).ok).toBe(true);
      expect(attempt(() => type.open(bytes, key))).toMatchObject({
        ok: false,
        error: { code: 'bad_signature' },
      });
    }
  });

  it('refuses every single-byte deletion and insertion', () => {
    function* edits(): Generator<[Uint8Array, string]> {
      for (let i = 0; i < encoded.length; i++) {
        yield [concat(encoded.subarray(0, i), encoded.subarray(i + 1)), `delete ${i}`];
      }
      for (let i = 0; i <= encoded.length; i++) {
        for (const b of [0x00, 0x41]) {
          yield [
            concat(encoded.subarray(0, i), Uint8Array.of(b), encoded.subarray(i)),
            `insert ${b} at ${i}`,
          ];
        }
      }
    }
    expect(sweep(edits()).problems).toEqual([]);
  });

  it('refuses every truncation as truncated, whatever follows in memory', () => {
    const bad: string[] = [];
    for (let length = 0; length < encoded.length; length++) {
      // A view of the real envelope: the missing bytes are right there after the view.
      const outcome = attempt(() => type.open(encoded.subarray(0, length), key));
      const error = outcome.ok ? undefined : (outcome.error as ProtocolError);
      if (
        !(error instanceof ProtocolError) ||
        error.code !== 'truncated' ||
        error.field !== type.name
      ) {
        bad.push(`prefix ${length}: ${outcome.ok ? 'accepted' : String(outcome.error)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it.each([
    ['one zero byte', '00'],
    ['one 0xff byte', 'ff'],
    ['several bytes', '0102030405'],
    ['another signature', `df7f40${'00'.repeat(64)}`],
  ])('refuses the envelope extended by %s as trailing_bytes', (_, extra) => {
    const outcome = attempt(() => type.open(concat(encoded, hex(extra)), key));
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'trailing_bytes', field: type.name },
    });
  });

  it('refuses the envelope twice over as trailing_bytes', () => {
    const outcome = attempt(() => type.open(concat(encoded, encoded), key));
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'trailing_bytes', field: type.name },
    });
  });
});
