/** 7.2 steps 4–5: who will ask to be paid, then who pays. */
import {
  presentTerminalCertificateCommand,
  readCertificateCommand,
  SW,
  type Signed,
  type WalletCertificate,
} from '../../../../protocol';
import { checkCertificate, declineForStatus } from '../../verify';
import { exchange, step, type TapContext } from '../tap-context';

export async function presentAndReadCertificate(
  ctx: TapContext,
  walletId: Uint8Array,
): Promise<Signed<WalletCertificate>> {
  const present = await exchange(
    ctx,
    presentTerminalCertificateCommand(ctx.setup.identity.certificate.encoded),
    'before_pay',
  );
  step(
    ctx,
    'present_certificate',
    present.sw === SW.ok
      ? { ok: true }
      : declineForStatus(present.sw, 'PRESENT TERMINAL CERTIFICATE'),
  );
  const answer = await exchange(ctx, readCertificateCommand(), 'before_pay');
  if (answer.sw !== SW.ok)
    step(ctx, 'certificate', declineForStatus(answer.sw, 'READ CERTIFICATE'));
  const { certificate } = step(
    ctx,
    'certificate',
    checkCertificate(answer.data, {
      trustKeys: ctx.setup.trustKeys,
      now: ctx.now,
      walletId,
    }),
  );
  return certificate;
}
