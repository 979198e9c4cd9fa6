/**
 * Decoder properties for every object type: whatever the bytes (random, or valid encodings
 * mutated byte- or field-wise), `decode` and `decodeBody` return a canonical value or throw
 * a ProtocolError about that object, never anything else, and never look past the buffer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, type Signed } from '../../protocol';
import {
  arbitraries,
  fieldMutationArb,
  mutate,
  mutateFields,
  mutationArb,
} from './support/arbitraries';
import { concat, embedded, lengthBytes, tlv, toHex } from './support/bytes';
import { attempt, protocolErrorProblem, summary } from './support/errors';

const RUNS = { numRuns: 300 };

describe.each(arbitraries.map((c) => [c.type.name, c] as const))(
  '%s',
  (name, { type, arb, signer }) => {
    const signedArb = arb.map((value) => type.sign(value, signer));
    const bodyTag = type.body.tag;

    /** decode(bytes): a ProtocolError about this object, or a value that is exactly `bytes`. */
    function checkDecode(bytes: Uint8Array): void {
      const outcome = attempt(() => type.decode(bytes));
      if (!outcome.ok) {
        expect(protocolErrorProblem(outcome.error, name)).toBeUndefined();
        return;
      }
      const signed = outcome.value;
      expect(toHex(signed.encoded)).toBe(toHex(bytes));
      expect(toHex(type.encodeBody(signed.value))).toBe(toHex(signed.body));
      expect(toHex(tlv('F0', concat(signed.body, tlv('DF7F', signed.signature))))).toBe(
        toHex(bytes),
      );
    }

    /** decodeBody(bytes): a ProtocolError about this object, or a value encoding to `bytes`. */
    function checkDecodeBody(bytes: Uint8Array): void {
      const outcome = attempt(() => type.decodeBody(bytes));
      if (outcome.ok) expect(toHex(type.encodeBody(outcome.value))).toBe(toHex(bytes));
      else expect(protocolErrorProblem(outcome.error, name)).toBeUndefined();
    }

    /** Same outcome for `bytes` alone and for a view of them inside a buffer of garbage. */
    function checkIgnoresSurroundings(bytes: Uint8Array, fill: number): void {
      // A decoded value is summed up by its encoding: canonical, so equal bytes, equal values.
      const ofSigned = (s: Signed<unknown>) => [
        toHex(s.encoded),
        toHex(s.body),
        toHex(s.signature),
      ];
      const ofBody = (v: unknown) => toHex(type.encodeBody(v));
      const alone = summary(
        attempt(() => type.decode(Uint8Array.from(bytes))),
        ofSigned,
      );
      const inside = summary(
        attempt(() => type.decode(embedded(bytes, 11, 257, fill))),
        ofSigned,
      );
      expect(inside).toEqual(alone);
      const aloneBody = summary(
        attempt(() => type.decodeBody(Uint8Array.from(bytes))),
        ofBody,
      );
      const insideBody = summary(
        attempt(() => type.decodeBody(embedded(bytes, 3, 64, fill))),
        ofBody,
      );
      expect(insideBody).toEqual(aloneBody);
    }

    it('random bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          checkDecode(bytes);
          checkDecodeBody(bytes);
        }),
        { numRuns: 500 },
      );
    });

    it('random bytes behind a valid envelope or body header', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (content, envelope) => {
          const bytes = concat(
            Uint8Array.of(envelope ? 0xf0 : bodyTag),
            lengthBytes(content.length),
            content,
          );
          checkDecode(bytes);
          checkDecodeBody(bytes);
        }),
        { numRuns: 500 },
      );
    });

    it('byte-level mutations of a signed envelope', () => {
      fc.assert(
        fc.property(
          signedArb,
          fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
          (signed, edits) => {
            checkDecode(edits.reduce(mutate, signed.encoded));
          },
        ),
        RUNS,
      );
    });

    it('byte-level mutations of a body', () => {
      fc.assert(
        fc.property(arb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (value, edits) => {
          checkDecodeBody(edits.reduce(mutate, type.encodeBody(value)));
        }),
        RUNS,
      );
    });

    it('field-level mutations: new values, dropped, duplicated, swapped or foreign fields', () => {
      fc.assert(
        fc.property(
          signedArb,
          fc.array(fieldMutationArb, { minLength: 1, maxLength: 2 }),
          (signed, edits) => {
            const body = edits.reduce(mutateFields, signed.body);
            checkDecodeBody(body);
            const envelope = tlv('F0', concat(body, tlv('DF7F', signed.signature)));
            checkDecode(envelope);
            // Signed bytes that changed never open, whatever still parses.
            const opened = attempt(() => type.open(envelope, signer.publicKey));
            if (opened.ok) expect(toHex(body)).toBe(toHex(signed.body));
            else expect(opened.error).toBeInstanceOf(ProtocolError);
          },
        ),
        RUNS,
      );
    });

    it('ignores whatever lies around the view it is given', () => {
      fc.assert(
        fc.property(
          signedArb,
          fc.option(mutationArb, { nil: undefined }),
          fc.integer({ min: 0, max: 255 }),
          (signed, edit, fill) => {
            checkIgnoresSurroundings(edit ? mutate(signed.encoded, edit) : signed.encoded, fill);
            checkIgnoresSurroundings(edit ? mutate(signed.body, edit) : signed.body, fill);
          },
        ),
        RUNS,
      );
    });

    it('every prefix of a valid encoding is truncated, though the rest follows in memory', () => {
      fc.assert(
        fc.property(signedArb, fc.nat(), (signed, cut) => {
          for (const [bytes, decode] of [
            [signed.encoded, (b: Uint8Array) => type.decode(b)],
            [signed.body, (b: Uint8Array) => type.decodeBody(b)],
          ] as const) {
            const prefix = bytes.subarray(0, cut % bytes.length);
            const outcome = attempt(() => decode(prefix));
            expect(outcome).toMatchObject({ ok: false, error: { code: 'truncated' } });
            expect(
              protocolErrorProblem(outcome.ok ? undefined : outcome.error, name),
            ).toBeUndefined();
          }
        }),
        RUNS,
      );
    });
  },
);
