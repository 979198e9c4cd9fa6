/**
 * Issuer key rotation on the phone (issue 9 §3): a wallet learns a key made after its
 * activation from an announcement signed by a key it trusts, learns a key's end date the
 * same way (end dates only move earlier), and past that end the key verifies nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  IssuerKeyAnnouncement,
  keyIdOf,
  NO_END,
  signingKeyFromScalar,
  SW,
  type SigningKey,
} from '../../protocol';
import { DAY, issuerKey, strangerKey } from './support/platform';
import { activatedRig, removeTempDirs, type Rig } from './support/setup';
import { certifyTerminal } from './support/terminal';

afterEach(removeTempDirs);

const nextKey = signingKeyFromScalar(new Uint8Array(32).fill(0x55));

function announce(rig: Rig, key: SigningKey, validUntil: number, signer = issuerKey) {
  return IssuerKeyAnnouncement.sign(
    {
      issuerKeyId: keyIdOf(signer.publicKey),
      announcedKey: key.publicKey,
      issuedAt: rig.clock.now(),
      validUntil,
    },
    signer,
  ).encoded;
}

/** Whether a terminal certificate signed by `key` is accepted now. */
async function accepts(rig: Rig, key: SigningKey): Promise<number | undefined> {
  rig.terminal.certificate = certifyTerminal(rig.clock, {}, key);
  return (await rig.terminal.select()).presented;
}

describe('issuer key announcements', () => {
  it('a key made after activation is trusted once a trusted key announces it', async () => {
    const rig = await activatedRig();
    expect(await accepts(rig, nextKey)).toBe(SW.terminal_certificate_invalid);
    rig.phone.wallet.applySync({ notifications: [], issuerKeys: [announce(rig, nextKey, NO_END)] });
    expect(await accepts(rig, nextKey)).toBe(SW.ok);
    // Durable: the phone restarted still trusts it.
    rig.reopen();
    rig.field.present(rig.phone);
    expect(await accepts(rig, nextKey)).toBe(SW.ok);
  });

  it('ignores an announcement signed by a key it does not trust', async () => {
    const rig = await activatedRig();
    const forged = announce(rig, nextKey, NO_END, strangerKey);
    rig.phone.wallet.applySync({ notifications: [], issuerKeys: [forged] });
    expect(await accepts(rig, nextKey)).toBe(SW.terminal_certificate_invalid);
  });

  it('retires a key at the end date announced, and never moves an end date later', async () => {
    const rig = await activatedRig();
    const end = rig.clock.now() + DAY;
    rig.phone.wallet.applySync({
      notifications: [],
      issuerKeys: [
        announce(rig, nextKey, NO_END),
        announce(rig, issuerKey, end, nextKey),
        announce(rig, issuerKey, NO_END, nextKey),
      ],
    });
    expect(await accepts(rig, issuerKey)).toBe(SW.ok);
    rig.clock.advance(DAY);
    // The last second of the key's life still verifies, the next one does not.
    expect(await accepts(rig, issuerKey)).toBe(SW.ok);
    rig.clock.advance(1);
    expect(await accepts(rig, issuerKey)).toBe(SW.terminal_certificate_invalid);
    expect(await accepts(rig, nextKey)).toBe(SW.ok);
    // A notice signed by the retired key is refused like a stranger's.
    const walletId = rig.phone.wallet.walletId as Uint8Array;
    const late = rig.platform.notice(walletId, 'top_up', { amount: 5 });
    expect(await rig.terminal.deliver(late)).toBe(SW.notification_unknown_signer);
  });
});
