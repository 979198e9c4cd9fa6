/** One tap, docs/protocol.md 7.2 in its order; each step in its own file under steps/. */
import { LedgerError } from '../../../db/errors';
import { presentAndReadCertificate } from './steps/certificate';
import { identify } from './steps/identify';
import { checkMayPay, checkTerminalVelocity, readFreshness, sendPay } from './steps/pay';
import { verifyAndCommit } from './steps/record';
import { resolveTornTaps } from './steps/torn';
import { TapStop, type TapContext, type TapOutcome } from './tap-context';

export async function runTap(ctx: TapContext): Promise<TapOutcome> {
  try {
    const { fci, walletId } = await identify(ctx);
    const certificate = await presentAndReadCertificate(ctx, walletId);
    const resolved = await resolveTornTaps(ctx, walletId, certificate);
    if (resolved !== undefined) return resolved;
    checkMayPay(ctx, fci, certificate.value);
    const token = await readFreshness(ctx, walletId);
    checkTerminalVelocity(ctx, walletId);
    const { request, data } = await sendPay(ctx, walletId);
    ctx.onVerifying();
    return verifyAndCommit(ctx, data, request, certificate, token);
  } catch (error) {
    if (error instanceof TapStop) return error.outcome;
    if (error instanceof LedgerError) {
      // Nothing is approved that is not on disk; a request already sent stays pending and
      // the wallet's next tap completes it once the ledger works again.
      ctx.steps.push({ step: 'commit', ok: false, detail: error.message });
      return {
        kind: 'declined',
        code: 'ledger_failed',
        detail: `the ledger failed (${error.code}): ${error.message}`,
      };
    }
    throw error;
  }
}
