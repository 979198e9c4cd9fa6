/**
 * The wallet applet as a vpcd card, driven by pcsc-tools' `scriptor` with the command APDUs
 * of test/vectors/apdu.json, byte for byte: a PC/SC client nobody here wrote agrees with
 * our builders, our applet and our signatures. The wallet is issued in currency 156, the
 * vectors' PAY currency, so the vector PAY is a payment it accepts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeFci,
  decodePaymentLog,
  getResponseCommand,
  IssuerKeyAnnouncement,
  keyIdOf,
  NO_END,
  PaymentRecord,
  PaymentRequest,
  parseCommandApdu,
  readCertificateCommand,
  readLogCommand,
  selectCommand,
  WalletCertificate,
  type Signed,
} from '../../protocol';
import { issuerKey } from '../handset/support/platform';
import { runScriptor } from './support/scriptor';
import { acquirePcscStack, releasePcscStack } from './support/stack';
import { walletOnVpcd, type WalletOnVpcd } from './support/wallet';
import { untilState } from './support/waits';

interface ApduVectors {
  aid: string;
  commands: Record<string, string>;
  fci: Record<string, string>;
}
const vectors = JSON.parse(
  readFileSync(new URL('../vectors/apdu.json', import.meta.url), 'utf8'),
) as ApduVectors;
const command = (name: string): string => {
  const hex = vectors.commands[name];
  if (hex === undefined) throw new Error(`no APDU vector ${name}`);
  return hex;
};
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const vectorKeys = JSON.parse(
  readFileSync(new URL('../vectors/keys.json', import.meta.url), 'utf8'),
) as { keys: Record<string, { publicKey: string }> };
/** The vectors' payment request time: the phone's clock is set near it. */
const VECTOR_REQUEST_TIME = 1_796_090_400;

/**
 * The wallet learns the vectors' issuer key as a real wallet learns a rotated key: in an
 * announcement signed by a key it already trusts. The vector terminal certificate is then
 * one its platform signed.
 */
/** The wallet on the second vpcd reader, in the vectors' currency and time, trusting their issuer. */
async function vectorWalletOnReader(): Promise<WalletOnVpcd> {
  const rig = await walletOnVpcd({ port: 35964, currency: 156, clockStart: VECTOR_REQUEST_TIME });
  trustVectorIssuer(rig);
  rig.vpcd.insert();
  await untilState(rig.vpcd, 'powered');
  return rig;
}

function trustVectorIssuer(rig: WalletOnVpcd): void {
  const announced = Buffer.from(vectorKeys.keys.issuer?.publicKey ?? '', 'hex');
  const announcement = IssuerKeyAnnouncement.sign(
    {
      issuerKeyId: keyIdOf(issuerKey.publicKey),
      announcedKey: announced,
      issuedAt: rig.clock.now(),
      validUntil: NO_END,
    },
    issuerKey,
  );
  rig.phone.wallet.applySync({ notifications: [], issuerKeys: [announcement.encoded] });
}
interface Answer {
  data: Uint8Array;
  sw: string;
}
const split = (response: Uint8Array): Answer => ({
  data: response.subarray(0, -2),
  sw: hex(response.subarray(-2)),
});

/** Port 35964: reader "Virtual PCD 00 01", the second vpcd slot. */
const READER = 'Virtual PCD 00 01';
const ready = await acquirePcscStack();
afterAll(releasePcscStack);

describe.skipIf(!ready)('the wallet through pcscd + vpcd, read with scriptor', () => {
  it('answers the vector APDUs: SELECT, PRESENT, READ CERTIFICATE (whole, extended, chained), PAY, READ LOG', async () => {
    // Our builders are the vectors: scriptor sends exactly what the terminal would.
    expect(hex(selectCommand())).toBe(command('select'));
    expect(hex(readCertificateCommand())).toBe(command('readCertificate'));
    expect(hex(readCertificateCommand({ extended: true }))).toBe(
      command('readCertificateExtended'),
    );
    expect(hex(readLogCommand(4))).toBe(command('readLog4'));
    expect(command('presentTerminalCertificate').startsWith('80d20000')).toBe(true);
    expect(hex(getResponseCommand(256))).toBe(command('getResponse256'));

    const rig = await vectorWalletOnReader();
    try {
      const chainedRead = '80ca000140'; // READ CERTIFICATE with Le 64: answered in parts
      const script = [
        '# Tapsafe wallet, vector APDUs',
        command('select'),
        command('presentTerminalCertificate'),
        command('readCertificate'),
        command('readCertificateExtended'),
        chainedRead,
        command('getResponse256'),
        command('pay'),
        command('readLog4'),
      ];
      const { exchanges, output } = await runScriptor(READER, script);
      const sent = script.filter((line) => !line.startsWith('#'));
      expect(
        exchanges.map((e) => e.command),
        output,
      ).toEqual(sent);
      const answer = (index: number): Answer => {
        const exchange = exchanges[index];
        if (!exchange) throw new Error(`scriptor printed no answer ${index}:\n${output}`);
        return split(exchange.response);
      };
      const [select, present, cert, certExtended, part1, part2, pay, log] = [
        0, 1, 2, 3, 4, 5, 6, 7,
      ].map(answer) as [Answer, Answer, Answer, Answer, Answer, Answer, Answer, Answer];
      // PRESENT TERMINAL CERTIFICATE: the vector certificate, by the vectors' issuer.
      expect(present).toEqual({ data: new Uint8Array(0), sw: '9000' });

      // SELECT: the FCI has the vectors' shape (version 1, active, 16-byte wallet id).
      expect(select.sw).toBe('9000');
      const fci = decodeFci(select.data);
      expect(fci.walletState).toBe('active');
      const activeVector = vectors.fci.active ?? '';
      expect(hex(select.data).slice(0, 26)).toBe(activeVector.slice(0, 26));

      // READ CERTIFICATE: whole, extended, and chained with 61xx + GET RESPONSE agree.
      expect(cert.sw).toBe('9000');
      const certificate = WalletCertificate.open(cert.data, issuerKey.publicKey);
      expect(fci.walletId).toBeDefined();
      expect(hex(certificate.value.walletId)).toBe(hex(fci.walletId ?? new Uint8Array()));
      expect(hex(certExtended.data)).toBe(hex(certificate.encoded));
      const rest = certificate.encoded.length - 64;
      expect(part1.sw).toBe(`61${rest.toString(16).padStart(2, '0')}`);
      expect(part2.sw).toBe('9000');
      expect(hex(Buffer.concat([part1.data, part2.data]))).toBe(hex(certificate.encoded));

      // PAY with the vector's signed request: a record signed by the wallet's certified key
      // that echoes the request field for field.
      expect(pay.sw).toBe('9000');
      const request = PaymentRequest.decode(
        parseCommandApdu(Buffer.from(command('pay'), 'hex')).data,
      );
      const record = PaymentRecord.open(pay.data, certificate.value.walletPublicKey);
      expect(record.value).toMatchObject({
        ...request.value,
        walletId: certificate.value.walletId,
        counter: 1,
        balanceAfter: rig.platform.policy.initialBalance - request.value.amount,
      });

      // READ LOG: the same signed record, for torn-tap recovery.
      expect(log.sw).toBe('9000');
      const [logged] = decodePaymentLog(log.data, 4);
      expect(hex((logged as Signed<PaymentRecord>).encoded)).toBe(hex(record.encoded));
      expect(rig.internalErrors).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('refuses a reader without a certificate or with a forged one, and answers a replayed PAY with the same record', async () => {
    const rig = await vectorWalletOnReader();
    try {
      const certificate = command('presentTerminalCertificate');
      // The last signature byte flipped: the issuer's signature no longer verifies.
      const forged = `${certificate.slice(0, -2)}${(parseInt(certificate.slice(-2), 16) ^ 1)
        .toString(16)
        .padStart(2, '0')}`;
      const script = [
        command('select'),
        command('pay'),
        command('readCertificate'),
        forged,
        command('pay'),
        certificate,
        command('pay'),
        command('select'),
        certificate,
        command('pay'),
      ];
      const { exchanges, output } = await runScriptor(READER, script);
      const answers = exchanges.map((e) => split(e.response));
      expect(
        answers.map((a) => a.sw),
        output,
      ).toEqual(['9000', '9f10', '9f10', '9f11', '9f10', '9000', '9000', '9000', '9000', '9000']);
      // The replay in a new session: the very record, byte for byte; one debit.
      expect(hex(answers[9]?.data ?? new Uint8Array())).toBe(
        hex(answers[6]?.data ?? new Uint8Array(1)),
      );
      expect(rig.phone.snapshot().wallet.counter).toBe(1);
    } finally {
      await rig.close();
    }
  });
});
