/**
 * The applet under fast-check: random APDUs and mutations of valid ones, in every session
 * state (unselected, selected, mid-chain), never crash it and always get a status word the
 * protocol defines — and never the 6F00 of an unexpected error.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliverCommand,
  getResponseCommand,
  parseResponse,
  payCommand,
  presentTerminalCertificateCommand,
  readCertificateCommand,
  readFreshnessCommand,
  readLogCommand,
  selectCommand,
  statusName,
  SW,
  type ResponseApdu,
} from '../../protocol';
import type { Phone } from '../../handset';
import { activatedRig, removeTempDirs, type Rig } from './support/setup';

let rig: Rig;
let valid: Uint8Array[];

beforeAll(async () => {
  rig = await activatedRig({
    initialBalance: 1_000_000_000,
    limitOfflineCount: 65_535,
    limitOfflineAmount: 1_000_000_000,
  });
  const walletId = rig.phone.wallet.walletId as Uint8Array;
  await rig.terminal.pay(rig.terminal.request(5));
  valid = [
    selectCommand(),
    presentCertificate(rig),
    readCertificateCommand(),
    readFreshnessCommand(),
    readLogCommand(16),
    readLogCommand(1),
    payCommand(rig.terminal.request(7).encoded),
    deliverCommand(rig.platform.notice(walletId, 'top_up', { amount: 1 })),
    getResponseCommand(16),
  ];
});
afterAll(removeTempDirs);

function presentCertificate(current: Rig): Uint8Array {
  const certificate = current.terminal.certificate;
  if (certificate === undefined) throw new Error('the rig terminal holds a certificate');
  return presentTerminalCertificateCommand(certificate.encoded);
}

function answer(phone: Phone, command: Uint8Array): ResponseApdu {
  const bytes = phone.processApdu(command);
  expect(bytes).toBeInstanceOf(Uint8Array);
  const response = parseResponse(bytes);
  expect(statusName(response.sw), `SW ${response.sw.toString(16)}`).toBeDefined();
  expect(response.sw).not.toBe(SW.internal_error);
  return response;
}

/** Byte-level mutations: flip, replace, insert, delete, truncate, extend. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ maxLength: 8 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const out = [...bytes];
  const at = 'at' in m ? m.at % Math.max(1, out.length) : 0;
  switch (m.kind) {
    case 'flip':
      if (out.length) out[at] = (out[at] as number) ^ (1 << m.bit);
      break;
    case 'set':
      if (out.length) out[at] = m.value;
      break;
    case 'insert':
      out.splice(at, 0, m.value);
      break;
    case 'delete':
      out.splice(at, 1);
      break;
    case 'truncate':
      out.length = at;
      break;
    case 'extend':
      out.push(...m.extra);
      break;
  }
  return Uint8Array.from(out);
}

describe('applet robustness', () => {
  it('answers random bytes with a defined status word, selected or not', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 300 }), (select, bytes) => {
        rig.phone.present();
        if (select) answer(rig.phone, selectCommand());
        answer(rig.phone, bytes);
      }),
      { numRuns: 2_000 },
    );
    expect(rig.internalErrors).toEqual([]);
  });

  it('answers random headers with plausible lengths (the classifier paths) the same way', () => {
    const header = fc.tuple(
      fc.constantFrom(0x00, 0x80, 0x84, 0xff),
      fc.constantFrom(0xa4, 0xc0, 0xca, 0x50, 0xb2, 0xd0, 0x00, 0xb0),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
    );
    const body = fc.oneof(
      fc.constant([] as number[]),
      fc.integer({ min: 0, max: 255 }).map((le) => [le]),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((d) => [d.length, ...d]),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((d) => [d.length, ...d, 0]),
    );
    fc.assert(
      fc.property(fc.boolean(), header, body, (select, h, b) => {
        rig.phone.present();
        if (select) answer(rig.phone, selectCommand());
        answer(rig.phone, Uint8Array.from([...h, ...b]));
      }),
      { numRuns: 2_000 },
    );
    expect(rig.internalErrors).toEqual([]);
  });

  it('answers mutated valid commands, in sequences, with a defined status word', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.array(mutation, { maxLength: 3 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (steps) => {
          rig.phone.present();
          answer(rig.phone, selectCommand());
          answer(rig.phone, presentCertificate(rig));
          for (const [index, mutations] of steps) {
            const command = mutations.reduce(mutate, valid[index % valid.length] as Uint8Array);
            answer(rig.phone, command);
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(rig.internalErrors).toEqual([]);
  });

  it('chains a long answer with 61xx and refuses GET RESPONSE with nothing pending', async () => {
    for (const amount of [11, 12, 13]) await rig.terminal.pay(rig.terminal.request(amount));
    rig.phone.present();
    answer(rig.phone, selectCommand());
    expect(answer(rig.phone, getResponseCommand(16)).sw).toBe(SW.conditions_not_satisfied);
    expect(answer(rig.phone, presentCertificate(rig)).sw).toBe(SW.ok);
    const first = answer(rig.phone, readCertificateCommand());
    expect(first.sw >> 8).toBe(SW.ok >> 8);
    // Four records are more than 256 bytes: the applet announces the rest with 61xx.
    const log = answer(rig.phone, readLogCommand(16));
    expect(log.sw >> 8).toBe(SW.more_data >> 8);
    expect(answer(rig.phone, getResponseCommand(256)).sw >> 8).toBe(SW.more_data >> 8);
    // A short Le makes the applet chain; the terminal fetches the rest with GET RESPONSE.
    const short = Uint8Array.from([...readCertificateCommand().subarray(0, 4), 0x20]);
    const part = answer(rig.phone, short);
    expect(part.data).toHaveLength(0x20);
    expect(part.sw >> 8).toBe(SW.more_data >> 8);
    const rest = answer(rig.phone, getResponseCommand(256));
    expect(rest.sw).toBe(SW.ok);
    // Leaving the field drops the pending rest.
    answer(rig.phone, short);
    rig.phone.remove();
    rig.phone.present();
    expect(answer(rig.phone, getResponseCommand(256)).sw).toBe(SW.conditions_not_satisfied);
  });

  it('refuses everything but SELECT before SELECT (6985)', () => {
    rig.phone.present();
    for (const command of valid.slice(1, -1)) {
      expect(answer(rig.phone, command).sw).toBe(SW.conditions_not_satisfied);
    }
  });
});
