/**
 * The wallet: what the applet and the phone call. On top of WalletCore's state keeping it
 * holds the operations — the payment unit (PAY), the e-cash reads, the message processing
 * unit (notices by DELIVER or from the platform), sync and activation.
 */
import {
  Notification,
  SW,
  generateSigningKey,
  isProtocolError,
  signRequest,
  type NotificationType,
  type PaymentRecord,
  type PaymentRequest,
  type Signed,
  type SigningKey,
  type TerminalCertificate,
} from '../../protocol';
import { SyncError } from '../errors';
import { isStricter } from './access-control';
import { checkActivation } from './activation';
import { judgeNotice } from './notices';
import { withAnnouncedKeys } from './issuer-keys';
import { authorizePayment, signedForNonce, terminalRecords } from './payment';
import type {
  ActivationGrant,
  ActivationRequest,
  RegistrationDetails,
  SyncResult,
} from './platform-link';
import { checkFreshness, withFreshness } from './sync';
import { checkRequestOrigin, checkTerminalCertificate, withSuspended } from './terminal-auth';
import { WalletCore, type Answer, type Opened, type Refused } from './wallet-core';

export interface NoticeOutcome {
  readonly sequence: number | undefined;
  readonly result: Answer<NotificationType>;
}

/** What a wallet-signed HTTP request covers (path and query exactly as sent). */
export interface PlatformRequest {
  readonly method: string;
  readonly target: string;
  readonly body?: Uint8Array | string;
  /** Unix seconds, the phone's clock. */
  readonly time: number;
}

export interface SyncOutcome {
  readonly freshnessApplied: boolean;
  readonly notices: readonly NoticeOutcome[];
}

export class Wallet extends WalletCore {
  /** The key generated for an activation in progress (claim 4: the phone's own key). */
  private pendingKey: SigningKey | undefined;

  /**
   * PRESENT TERMINAL CERTIFICATE: the certificate the session's requests must be signed
   * under. Accepted in every state that can still show data (so a disabled or temp-locked
   * phone can still complete a torn tap); the applet keeps it for the session.
   */
  presentTerminal(signed: Signed<TerminalCertificate>): Answer<Signed<TerminalCertificate>> {
    this.refresh();
    const blocked = this.dataBlocked();
    if (blocked !== undefined)
      return this.refuse('terminal', blocked, `wallet ${this.access.state}`);
    const refusal = checkTerminalCertificate(this.access, signed, this.clock.now());
    if (refusal) return this.refuse('terminal', refusal.sw, refusal.reason);
    return { ok: true, value: signed };
  }

  /**
   * PAY: checks, signs, stores, then answers — never the other way round. The same request
   * again (a retry, a torn tap) gets the record already signed, and nothing is debited twice.
   */
  pay(
    request: Signed<PaymentRequest>,
    terminal: Signed<TerminalCertificate> | undefined,
  ): Answer<Signed<PaymentRecord>> {
    this.refresh();
    const sw = this.gate();
    const opened = this.opened;
    if (sw !== SW.ok || !opened) return this.refuse('pay', sw, `wallet ${this.access.state}`);
    const origin = checkRequestOrigin(terminal, request);
    if (origin) return this.refuse('pay', origin.sw, origin.reason);
    const earlier = signedForNonce(opened.secrets, request.value);
    if (earlier !== undefined) {
      return 'record' in earlier
        ? { ok: true, value: earlier.record }
        : this.refuse('pay', earlier.sw, earlier.reason);
    }
    const result = authorizePayment(
      opened.secrets,
      opened.certificate.value,
      opened.key,
      request.value,
      this.clock.now(),
    );
    if (!result.ok) return this.refuse('pay', result.sw, result.reason);
    // Durable before answering. The record was signed in memory first: had the phone died
    // before this write, that signature would have died with it, never seen. So every
    // record that leaves the phone has its counter on disk, never to be signed again.
    this.commit(this.access, result.next);
    const r = result.record.value;
    this.emit('payment', {
      counter: r.counter,
      amount: r.amount,
      currency: r.currency,
      merchantId: r.merchantId,
      terminalId: r.terminalId,
      balanceAfter: r.balanceAfter,
      record: result.record.encoded,
    });
    return { ok: true, value: result.record };
  }

  /** The stored certificate envelope (READ CERTIFICATE). */
  certificate(terminal: Signed<TerminalCertificate> | undefined): Answer<Uint8Array> {
    return this.readable(terminal, (opened) => opened.secrets.certificate);
  }

  /** The stored freshness token envelope (READ FRESHNESS TOKEN). */
  freshness(terminal: Signed<TerminalCertificate> | undefined): Answer<Uint8Array> {
    return this.readable(terminal, (opened) => opened.secrets.freshness);
  }

  /** READ LOG (torn-tap recovery): the newest `count` records of the presenting terminal. */
  log(
    count: number,
    terminal: Signed<TerminalCertificate> | undefined,
  ): Answer<Signed<PaymentRecord>[]> {
    return this.readable(terminal, (opened, cert) =>
      terminalRecords(opened.secrets, cert.value, count),
    );
  }

  /** The status word of a wallet with nothing to show (locked, wiped, not activated). */
  private dataBlocked(): number | undefined {
    const sw = this.gate();
    const blocked = sw === SW.locked || sw === SW.wiped || sw === SW.not_activated;
    return blocked || !this.opened ? sw : undefined;
  }

  /**
   * Reads are allowed to a certified terminal whenever the secrets are open and the binding
   * holds: a disabled or temp-locked wallet may still show its certificate and its log (so
   * a torn tap can be completed), but a locked, wiped or unactivated one has nothing to show.
   */
  private readable<T>(
    terminal: Signed<TerminalCertificate> | undefined,
    read: (opened: Opened, terminal: Signed<TerminalCertificate>) => T,
  ): Answer<T> {
    this.refresh();
    const blocked = this.dataBlocked();
    // dataBlocked() answers whenever the secrets are closed; the second test narrows.
    if (blocked !== undefined || this.opened === undefined) {
      return { ok: false, sw: blocked ?? SW.locked, reason: `wallet ${this.access.state}` };
    }
    if (terminal === undefined) {
      return { ok: false, sw: SW.terminal_not_authenticated, reason: 'no terminal certificate' };
    }
    return { ok: true, value: read(this.opened, terminal) };
  }

  protected refuse(operation: 'pay' | 'notice' | 'terminal', sw: number, reason: string): Refused {
    this.emit('refusal', { operation, sw, reason, at: this.clock.now() });
    return { ok: false, sw, reason };
  }

  /** DELIVER, or a notice from the platform: verify, refuse replays, apply, store. */
  applyNotice(
    signed: Signed<Notification>,
    via: 'terminal' | 'platform' = 'terminal',
  ): Answer<NotificationType> {
    this.refresh();
    if (this.fault) return this.refuse('notice', SW.locked, 'wallet storage fault');
    const now = this.clock.now();
    const judged = judgeNotice(this.access, this.opened !== undefined, signed, now);
    if (!judged.ok) return this.refuse('notice', judged.sw, judged.reason);
    const { sequence } = signed.value;
    const consumed = { notificationSequence: sequence };
    const effect = judged.effect;
    switch (effect.kind) {
      case 'disable':
        if (isStricter('disabled', this.access.state)) {
          this.enter(
            { to: 'disabled', at: now, reason: `platform ${judged.type} notice` },
            consumed,
          );
        } else this.commit({ ...this.access, ...consumed }, 'keep');
        break;
      case 'wipe':
        this.enter({ to: 'wiped', at: now, reason: effect.reason }, consumed);
        break;
      case 'unlock':
        if (this.access.state === 'active') this.commit({ ...this.access, ...consumed }, 'keep');
        else this.enter({ to: 'active', at: now, reason: 'unlocked by the platform' }, consumed);
        break;
      case 'credit': {
        const secrets = (this.opened as Opened).secrets;
        const balance = secrets.balance + effect.amount;
        if (!Number.isSafeInteger(balance)) {
          return this.refuse('notice', SW.malformed_data, 'credit overflows the balance');
        }
        this.commit({ ...this.access, ...consumed }, { ...secrets, balance });
        this.emit('balance', { balance, change: effect.amount, reason: judged.type });
        break;
      }
      case 'suspend_terminal': {
        const suspendedTerminals = withSuspended(this.access.suspendedTerminals, effect.serial);
        this.commit({ ...this.access, ...consumed, suspendedTerminals }, 'keep');
        break;
      }
    }
    this.emit('notice', { sequence, type: judged.type, via, at: now });
    return { ok: true, value: judged.type };
  }

  /**
   * What the platform sent at a sync, an unlock or a push: the freshness token is checked
   * first (a bad one changes nothing), then the notices are applied in sequence order
   * (replays of notices already applied are expected and harmless), then the token.
   */
  applySync(result: SyncResult): SyncOutcome {
    this.refresh();
    if (this.access.state === 'not_activated' && !this.fault) {
      throw new SyncError('not_activated', 'the wallet has not been activated');
    }
    const now = this.clock.now();
    // New keys first: the token and the notices of this very sync may be signed by one.
    if (result.issuerKeys !== undefined && result.issuerKeys.length > 0 && !this.fault) {
      const issuerKeys = withAnnouncedKeys(this.access.issuerKeys, result.issuerKeys, now);
      if (issuerKeys !== this.access.issuerKeys) {
        this.commit({ ...this.access, issuerKeys }, 'keep');
      }
    }
    const opened = this.opened;
    const token =
      result.freshness !== undefined && opened
        ? checkFreshness(this.access, opened.secrets, result.freshness, now)
        : undefined;
    const notices = result.notifications
      .map((bytes) => decodeNotice(bytes))
      .sort((a, b) => (a.signed?.value.sequence ?? 0) - (b.signed?.value.sequence ?? 0))
      .map(({ signed, refusal }) => ({
        sequence: signed?.value.sequence,
        result: signed ? this.applyNotice(signed, 'platform') : (refusal as Refused),
      }));
    let freshnessApplied = false;
    // A notice may have wiped or locked the wallet meanwhile: install only into live secrets.
    if (token && this.opened) {
      this.commit(this.access, withFreshness(this.opened.secrets, token));
      freshnessApplied = true;
    }
    this.emit('sync', { at: this.clock.now(), freshnessApplied, notices: notices.length });
    return { freshnessApplied, notices };
  }

  /**
   * Signs a request to the platform (protocol/http/request-signing) with the wallet key,
   * which never leaves the wallet, as in secure hardware. Undefined when the secrets are
   * not open (not activated, locked by a binding mismatch, wiped): such a wallet cannot
   * speak for itself and must re-activate. A temp-locked wallet still signs, to unlock.
   */
  signPlatformRequest(request: PlatformRequest): Record<string, string> | undefined {
    this.refresh();
    const opened = this.opened;
    if (this.fault || !opened) return undefined;
    return signRequest({
      kind: 'wallet',
      callerId: Buffer.from(opened.secrets.walletId).toString('hex'),
      key: opened.key,
      method: request.method,
      target: request.target,
      time: request.time,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  }

  /** Step A1: generates the wallet key in the phone and says what to send the platform. */
  beginActivation(registration: RegistrationDetails): ActivationRequest {
    this.pendingKey = generateSigningKey();
    const { imei, imsi } = this.device.identity;
    return { imei, imsi, walletPublicKey: this.pendingKey.publicKey, registration };
  }

  /**
   * Step A3: installs the platform's answer, replacing whatever was there (re-activation
   * after a lock, a wipe or on a new SIM). Throws ActivationError and changes nothing if
   * any part fails its checks.
   */
  installActivation(grant: ActivationGrant): void {
    const now = this.clock.now();
    const identity = this.device.identity;
    const installed = checkActivation(
      grant,
      identity,
      this.pendingKey,
      this.store.fingerprint(identity),
      now,
    );
    const from = this.access.state;
    this.store.save(installed.access, installed.secrets, identity);
    this.pendingKey = undefined;
    this.load();
    const walletId = Buffer.from(installed.access.walletId as Uint8Array).toString('hex');
    this.emit('activation', { walletId, at: now });
    this.emit('state', { from, to: this.access.state, at: now, reason: 'activated' });
  }
}

function decodeNotice(bytes: Uint8Array): {
  signed?: Signed<Notification>;
  refusal?: Refused;
} {
  try {
    return { signed: Notification.decode(bytes) };
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return { refusal: { ok: false, sw: SW.malformed_data, reason: error.message } };
  }
}
