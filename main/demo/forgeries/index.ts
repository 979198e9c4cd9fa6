/**
 * `demo.forgedTap`: puts a forged card on the demo reader. The checks a forgery needs of
 * the world (a phone that can answer, an earlier payment to replay, a second phone to
 * borrow a certificate from) are made here, so a bad request is a typed demo error and
 * never a tap that fails for a reason the presenter did not pick.
 */
import type { Card } from '../../../handset';
import type { DemoForgery } from '../../../preload/contract';
import { demoError } from '../errors';
import type { DemoPhone } from '../phones';
import { ForgedCard } from './card';
import { FORGERIES, type IssuerSigner } from './catalogue';

export { FORGERIES, type ForgeryDefinition, type IssuerSigner } from './catalogue';
export { ForgedCard, wholeAnswer } from './card';

export interface ForgeryWorld {
  readonly phones: readonly DemoPhone[];
  issuer(): Promise<IssuerSigner>;
}

/** Builds the forged card of `forgery` over `phoneId` (default: the first phone that can pay). */
export async function forgedCard(
  world: ForgeryWorld,
  forgery: DemoForgery,
  phoneId: string | undefined,
): Promise<ForgedCard> {
  const definition = (FORGERIES as Partial<Record<string, (typeof FORGERIES)[DemoForgery]>>)[
    forgery
  ];
  if (definition === undefined) {
    throw demoError('unknown_forgery', `there is no forged card ${String(forgery)}`);
  }
  const issuer = await world.issuer();
  if (definition.wraps === 'none') return new ForgedCard(definition.tamper({ issuer }));

  const target = pickPhone(world.phones, phoneId);
  if (definition.needs === 'earlier_payment' && (target.phone.snapshot().wallet.counter ?? 0) < 1) {
    throw demoError(
      'forgery_needs_payment',
      `${target.record.label} has not paid yet: this forgery replays an earlier payment`,
    );
  }
  let donor: Card | undefined;
  if (definition.needs === 'second_phone') {
    donor = world.phones.find((p) => p !== target && canAnswer(p))?.phone;
    if (donor === undefined) {
      throw demoError('forgery_needs_phone', 'this forgery needs a second activated phone');
    }
  }
  const borrowed = donor;
  return new ForgedCard(definition.tamper({ issuer, donor }), target.phone, () =>
    borrowed?.remove(),
  );
}

function pickPhone(phones: readonly DemoPhone[], phoneId: string | undefined): DemoPhone {
  if (phoneId !== undefined) {
    const target = phones.find((p) => p.record.phoneId === phoneId);
    if (target === undefined) throw demoError('unknown_phone', `there is no demo phone ${phoneId}`);
    if (!canAnswer(target)) {
      throw demoError(
        'not_activated',
        `${target.record.label} must be switched on with an activated wallet to be forged`,
      );
    }
    return target;
  }
  const first = phones.find(canAnswer);
  if (first === undefined) throw demoError('not_activated', 'no demo phone can be forged now');
  return first;
}

function canAnswer(demoPhone: DemoPhone): boolean {
  const { phone } = demoPhone;
  return phone.powered && phone.snapshot().wallet.walletId !== undefined;
}
