/** 7.2 steps 1–3: ready to take payments, which wallet, revoked or not, its state. */
import { deliverCommand, type Fci } from '../../../../protocol';
import { checkHotlist, checkReady, checkSelect, checkWalletState, hex } from '../../verify';
import { exchange, passed, step, TapStop, type TapContext } from '../tap-context';

export interface Identified {
  readonly fci: Fci;
  readonly walletId: Uint8Array;
}

export async function identify(ctx: TapContext): Promise<Identified> {
  step(ctx, 'ready', checkReady(ctx.setup, ctx.now));
  const { fci } = step(ctx, 'select', checkSelect(ctx.card.select));
  const walletId = fci.walletId;
  if (walletId === undefined) {
    // Only a not-activated (or wiped) wallet shows no walletId.
    step(ctx, 'wallet_state', checkWalletState(fci, 'early'));
    throw new TapStop({ kind: 'declined', code: 'wallet_wiped', detail: 'the wallet is wiped' });
  }
  const listed = checkHotlist(ctx.setup.hotlist, walletId);
  if (!listed.ok) {
    const delivered = await deliverNotices(ctx, walletId);
    step(ctx, 'hotlist', { ...listed, detail: `${listed.detail}; ${delivered}` });
  }
  passed(ctx, 'hotlist');
  step(ctx, 'wallet_state', checkWalletState(fci, 'early'));
  return { fci, walletId };
}

/**
 * S5: a revoked phone is handed its platform-signed notices, oldest first; their answers
 * are ignored (a replay, a wallet already locked) and so is a card that leaves meanwhile:
 * the decline stands either way.
 */
async function deliverNotices(ctx: TapContext, walletId: Uint8Array): Promise<string> {
  const notices = ctx.setup.hotlist.notices(walletId);
  const answers: string[] = [];
  for (const notice of notices) {
    try {
      const { sw } = await exchange(ctx, deliverCommand(notice), 'before_pay');
      answers.push(sw.toString(16).toUpperCase());
    } catch (error) {
      if (!(error instanceof TapStop)) throw error;
      answers.push('no answer');
      break;
    }
  }
  if (notices.length === 0) return 'no notice held for it';
  return `delivered ${notices.length} notice(s) to ${hex(walletId)}: ${answers.join(', ')}`;
}
