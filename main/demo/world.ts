/**
 * Demo mode's world, inside the terminal process: the embedded platform on PGlite in
 * `<dataDir>/platform`, a few emulated phones already activated and funded, and the one
 * in-process reader field the terminal's emulated reader drives — all on one clock the demo
 * panel can move forward. The first start creates it all through the platform's real API
 * (users registered, phones activated, as in a real deployment); later starts reopen it.
 * The panel adds phones (S1, roster.ts) and, at S12's first clone, a second headless
 * terminal (terminal-two.ts); notes.ts keeps what its actions did for the journal.
 *
 * main/terminal never imports this (eslint.config.js): the integrator hands `clock`,
 * `field` and `enrollmentCode()` to the terminal services.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InProcessField } from '../../handset';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../platform/embedded';
import type { DemoAction, DemoForgery, DemoView } from '../../preload/contract';
import { DEMO_MERCHANT_ID, DEMO_TERMINAL_ID, type Demo, type DemoOptions } from './demo';
import { runAction } from './actions';
import { addFundedPhone, addReplacementPhone } from './roster';
import { CLONE_SPEND, spendClone } from './clone';
import { OffsetClock, type TravelClock } from './clock';
import { asDemoError, demoError, translated } from './errors';
import { forgedCard } from './forgeries';
import { openPlatformGate, type PlatformGate } from './gate';
import { operatorClient, type DemoOperator } from './operator';
import {
  createFundedPhone,
  newRecord,
  openDemoPhone,
  type DemoPhone,
  type PhoneContext,
} from './phones';
import { DemoStateFile, takePhoneNumber } from './state-file';
import { DemoNotes } from './notes';
import { demoView } from './view';
import { DEMO_TERMINAL_2_ID, lazySecondTerminal, type LazySecondTerminal } from './terminal-two';
import { attachVpcd, type VpcdAttachment, type VpcdAttachOptions } from './vpcd';

const NAMES = ['Alice', 'Bo', 'Chen', 'Dara', 'Emeka', 'Fatima', 'Greta', 'Hiro'];
/** The demo.timeTravel schema's bound (preload/contract/methods.ts). */
const MAX_TRAVEL_SECONDS = 400 * 24 * 3600;

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const phoneCount = options.phoneCount ?? 3;
  if (!Number.isSafeInteger(phoneCount) || phoneCount < 0 || phoneCount > NAMES.length) {
    throw demoError('invalid_phone_count', `a demo has 0 to ${NAMES.length} phones`);
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const stateFile = new DemoStateFile(options.dataDir);
  const clock =
    options.clock ??
    new OffsetClock(stateFile.state.offsetSeconds, (offsetSeconds) =>
      stateFile.update((s) => ({ ...s, offsetSeconds })),
    );
  const platform = await translated(() =>
    startEmbeddedPlatform({ dataDir: join(options.dataDir, 'platform'), clock, port: 0 }),
  );
  // The terminal is enrolled against the gate's address: listen where it was last time, or
  // (when that port is taken now) anywhere, and remember where.
  const remembered = stateFile.state.platformPort;
  let gate: PlatformGate;
  try {
    gate =
      remembered === undefined
        ? await openPlatformGate(platform.url, 0)
        : await openPlatformGate(platform.url, remembered).catch(() =>
            openPlatformGate(platform.url, 0),
          );
  } catch (error) {
    await platform.close();
    throw asDemoError(error);
  }
  const platformPort = Number(new URL(gate.url).port);
  if (platformPort !== remembered) stateFile.update((s) => ({ ...s, platformPort }));
  const phones: DemoPhone[] = [];
  try {
    const operator = operatorClient(platform.url, await platform.createOperatorToken('demo'));
    // Revoked at close: a token per start would otherwise stay valid in the database.
    const { tokenId } = await operator.call<{ tokenId: string }>('GET', '/v1/operator/whoami');
    const ctx: PhoneContext = {
      dataDir: options.dataDir,
      platformUrl: gate.url,
      clock,
      operator,
    };
    for (const record of stateFile.state.phones) phones.push(openDemoPhone(ctx, record));
    while (phones.length < phoneCount) {
      const n = takePhoneNumber(stateFile);
      const record = newRecord(`phone-${n}`, NAMES[(n - 1) % NAMES.length] ?? `User ${n}`);
      phones.push(await createFundedPhone(ctx, record));
      stateFile.update((s) => ({ ...s, phones: [...s.phones, record] }));
    }
    const revokeToken = () =>
      operator.call('POST', `/v1/operator/tokens/${tokenId}/revoke`).then(
        () => undefined,
        () => undefined,
      );
    return new DemoWorld(
      options,
      stateFile,
      clock,
      platform,
      operator,
      ctx,
      phones,
      revokeToken,
      gate,
    );
  } catch (error) {
    for (const phone of phones) phone.close();
    await gate.close();
    await platform.close();
    throw asDemoError(error);
  }
}

class DemoWorld implements Demo {
  readonly field = new InProcessField('Tapsafe demo reader');
  readonly platformUrl: string;
  private readonly listeners = new Set<(view: DemoView) => void>();
  private readonly unsubscribes = new Map<DemoPhone, () => void>();
  private readonly attachments = new Set<VpcdAttachment>();
  private travelled = 0;
  private pending = false;
  private readonly notes = new DemoNotes();
  private readonly platformBalances = new Map<string, number>();
  private readonly secondTerminal: LazySecondTerminal;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: DemoOptions,
    private readonly stateFile: DemoStateFile,
    readonly clock: TravelClock,
    private readonly platform: EmbeddedPlatform,
    private readonly operator: DemoOperator,
    private readonly ctx: PhoneContext,
    private readonly phones: DemoPhone[],
    private readonly revokeToken: () => Promise<void>,
    private readonly gate: PlatformGate,
  ) {
    this.platformUrl = gate.url;
    for (const phone of phones) this.watch(phone);
    this.secondTerminal = lazySecondTerminal({
      dataDir: options.dataDir,
      clock,
      platformUrl: platform.url,
      enrollmentCode: () => this.enrollmentCode(DEMO_TERMINAL_2_ID),
    });
  }

  async enrollmentCode(
    terminalId = DEMO_TERMINAL_ID,
  ): Promise<{ platformUrl: string; code: string }> {
    this.checkOpen();
    const { code } = await this.operator.call<{ code: string }>('POST', '/v1/enrollment-codes', {
      merchantId: DEMO_MERCHANT_ID,
      terminalId,
      merchantName: 'Tapsafe demo shop',
    });
    return { platformUrl: this.platformUrl, code };
  }

  view(): DemoView {
    const offsetSeconds =
      this.clock instanceof OffsetClock ? this.clock.offsetSeconds : this.travelled;
    return demoView({
      phones: this.phones,
      field: this.field,
      now: this.clock.now(),
      offsetSeconds,
      policy: this.platform.platform.app.platform.walletPolicy,
      platformOnline: this.gate.online,
      platformBalances: this.platformBalances,
      notes: this.notes.list(),
    });
  }

  async action(phoneId: string, action: DemoAction, amount?: number): Promise<DemoView> {
    this.checkOpen();
    const target = this.phones.find((p) => p.record.phoneId === phoneId);
    if (target === undefined) throw demoError('unknown_phone', `there is no demo phone ${phoneId}`);
    await translated(() =>
      runAction(
        {
          field: this.field,
          operator: this.operator,
          reactivate: (old) => this.reactivate(old),
          note: this.notes.add,
          platformBalances: this.platformBalances,
          spendClone: (phone, spend) =>
            spendClone({ ...this.cloneWorld(), target: phone, amount: spend ?? CLONE_SPEND }),
        },
        target,
        action,
        amount,
      ),
    ).finally(() => this.changed());
    return this.view();
  }

  async addPhone(label: string): Promise<DemoView> {
    this.checkOpen();
    const { ctx, stateFile, phones, notes } = this;
    const phone = await translated(() =>
      addFundedPhone({ ctx, stateFile, phones, label, note: notes.add }),
    );
    this.phones.push(phone);
    this.watch(phone);
    this.changed();
    return this.view();
  }

  async timeTravel(seconds: number): Promise<DemoView> {
    this.checkOpen();
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_TRAVEL_SECONDS) {
      throw demoError(
        'invalid_seconds',
        `time travel moves forward by 1 to ${MAX_TRAVEL_SECONDS} whole seconds`,
      );
    }
    this.clock.advance(seconds);
    this.travelled += seconds;
    // What the platform's own job would have done meanwhile: holds past their window go
    // to the re-activated wallets; online phones have kept syncing (their freshness
    // tokens stay young), while phones off or without signal did not (S7, S8).
    await this.operator.call('POST', '/v1/migrations/release-due').catch(() => undefined);
    await Promise.all(
      this.phones
        .filter(({ phone }) => phone.device.signal && phone.wallet.walletId !== undefined)
        .map(({ phone }) => phone.sync().catch(() => undefined)),
    );
    this.changed();
    return this.view();
  }

  async forgedTap(phoneId: string | undefined, forgery: DemoForgery): Promise<DemoView> {
    this.checkOpen();
    const card = await forgedCard(
      {
        phones: this.phones,
        issuer: () => this.platform.platform.state.keys.activeIssuer(),
      },
      forgery,
      phoneId,
    );
    // Whatever was on the reader is lifted first: the forged card is a new tap.
    this.field.remove('a forged card was presented');
    this.field.present(card);
    this.changed();
    return this.view();
  }

  setPlatformOnline(online: boolean): DemoView {
    this.checkOpen();
    this.gate.setOnline(online);
    this.changed();
    return this.view();
  }

  on(event: 'changed', listener: (view: DemoView) => void): () => void {
    if (event !== 'changed') throw new RangeError(`unknown demo event ${String(event)}`);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  attachVpcd(phoneId: string, options: VpcdAttachOptions): VpcdAttachment {
    this.checkOpen();
    const target = this.phones.find((p) => p.record.phoneId === phoneId);
    if (target === undefined) throw demoError('unknown_phone', `there is no demo phone ${phoneId}`);
    const attachment = attachVpcd(target.phone, options, () => {
      this.attachments.delete(attachment);
    });
    this.attachments.add(attachment);
    return attachment;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const attachment of [...this.attachments]) attachment.detach();
      this.field.remove('demo closed');
      for (const unsubscribe of this.unsubscribes.values()) unsubscribe();
      this.unsubscribes.clear();
      for (const phone of this.phones) phone.close();
      this.listeners.clear();
      await this.secondTerminal.close();
      await this.revokeToken();
      await this.gate.close();
      await this.platform.close();
    })();
    return this.closing;
  }

  private cloneWorld() {
    const { clock, secondTerminal: terminal, notes } = this;
    return { dataDir: this.options.dataDir, clock, terminal, note: notes.add };
  }

  private async reactivate(old: DemoPhone): Promise<DemoPhone> {
    const { ctx, stateFile, operator } = this;
    const phone = await addReplacementPhone({ ctx, stateFile, operator, old });
    this.phones.push(phone);
    this.watch(phone);
    return phone;
  }

  private watch(phone: DemoPhone): void {
    this.unsubscribes.set(
      phone,
      phone.phone.on('change', () => this.changed()),
    );
  }

  /** Coalesces a burst of phone events (a tap, a sync) into one `changed`. */
  private changed(): void {
    if (this.pending || this.closing) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      if (this.closing) return;
      const view = this.view();
      this.options.publish?.('demo.changed', view);
      for (const listener of [...this.listeners]) listener(view);
    });
  }

  private checkOpen(): void {
    if (this.closing) throw demoError('demo_closed', 'the demo has been closed');
  }
}
