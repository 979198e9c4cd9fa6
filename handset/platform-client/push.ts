/**
 * Push delivery for one phone: a WebSocket to the platform that feeds each pushed notice
 * to `phone.applySync` and acknowledges what the wallet applied. The socket lives only
 * while the phone is on and has signal (the device's own events open and close it); after
 * a drop it reconnects with exponential backoff, and while it is down the client pulls
 * (`phone.sync()`) every `pullIntervalMs`, so a notice is never lost, only later.
 *
 * Events pair up: `disconnected` once when an open socket is lost (closed, offline,
 * stopped), `connected` once it is open again; failed reconnects in between are not
 * disconnections. They show as `retrying`, at most once per `retryNoticeMs`, so a listener
 * can print "still down" without a line per attempt.
 *
 * `ws` is loaded on first connect, not with the handset: phones that never push (the
 * in-process demo, bundled child processes) do not pay for it.
 *
 * With `syncAfterPaymentMs`, a phone that is online (socket open) also syncs after each
 * payment it signs and after each pushed notice it applies, at most once per that many ms:
 * an online sync installs a new freshness token, and with it the offline totals count only
 * the payments the platform has not yet settled (docs/architecture.md, "Online sync").
 * Syncing after a pushed notice matters because settling a payment does not send a token:
 * it sends a balance confirmation, and the sync that follows brings the token.
 *
 * Frames (platform/sync/socket.ts): platform → phone {"type":"notifications",
 * "notifications":[hex…]}; phone → platform {"type":"ack","sequence":N}.
 */
import type WebSocket from 'ws';
import { TypedEmitter } from '../events';
import type { Phone } from '../phone';
import type { SyncOutcome } from '../wallet/wallet';
import type { HttpPlatformLink } from './link';

export interface PushClientOptions {
  readonly phone: Phone;
  readonly link: HttpPlatformLink;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** While the socket is down: pull this often (0: never). Default 60 s. */
  readonly pullIntervalMs?: number;
  /**
   * At most one `retrying` event this often while reconnects fail (0: one per attempt).
   * Default 60 s, counted from the `disconnected` event or the previous `retrying`.
   */
  readonly retryNoticeMs?: number;
  /** While connected: sync after a payment or an applied push, at most this often. */
  readonly syncAfterPaymentMs?: number;
}

export interface PushEvents {
  /** The socket is open (first time, or again after `disconnected` / failed attempts). */
  connected: { readonly url: string };
  /** An open socket was lost; once per `connected`, not again for each failed reconnect. */
  disconnected: { readonly reason: string };
  /**
   * Reconnects keep failing (rate-limited: see retryNoticeMs); `attempts` failed since the
   * socket was last open, or since start(); `downForMs` since it was lost (or first tried).
   */
  retrying: { readonly attempts: number; readonly downForMs: number; readonly nextInMs: number };
  pushed: { readonly count: number; readonly outcome: SyncOutcome };
  pulled: { readonly outcome: SyncOutcome };
  /** An online sync after a payment or a push (syncAfterPaymentMs). */
  synced: { readonly outcome: SyncOutcome };
  /** Not 'error': an EventEmitter 'error' without listeners would throw. */
  problem: { readonly error: unknown };
}

const OPEN = 1; // WebSocket.OPEN

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export class PushClient extends TypedEmitter<PushEvents> {
  private socket: WebSocket | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pullTimer: NodeJS.Timeout | undefined;
  private backoff: number;
  private running = false;
  private loading = false;
  /** The socket was open and its loss not yet announced (`disconnected` is due on loss). */
  private up = false;
  /** Failed connection attempts since the socket was last open. */
  private failedAttempts = 0;
  /** When the socket was lost, or the first attempt failed; undefined while up. */
  private downSince: number | undefined;
  /** When `disconnected` or `retrying` was last emitted during this outage. */
  private lastDownNoticeAt: number | undefined;
  private readonly unsubscribe: () => void;
  private readonly unsubscribePayment: () => void;
  private syncTimer: NodeJS.Timeout | undefined;
  private lastOnlineSync = 0;
  private syncing = false;

  constructor(private readonly options: PushClientOptions) {
    super();
    this.backoff = options.backoffMs ?? 500;
    this.unsubscribe = options.phone.on('device', (event) => {
      if (!this.running) return;
      if (event.kind === 'signal-lost' || event.kind === 'powered-off') this.drop('offline');
      if (event.kind === 'signal-regained' || event.kind === 'powered-on') this.connect();
    });
    this.unsubscribePayment = options.phone.on('payment', () => this.scheduleSync());
  }

  get connected(): boolean {
    return this.socket?.readyState === OPEN;
  }

  /** Opens the socket (when the phone is online) and keeps it open until stop(). */
  start(): void {
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.unsubscribe();
    this.unsubscribePayment();
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    this.drop('stopped');
    clearInterval(this.pullTimer);
    this.pullTimer = undefined;
  }

  /** Resolves when the socket is open (or rejects after `timeoutMs`). */
  waitConnected(timeoutMs = 5_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('push socket did not connect'));
      }, timeoutMs);
      const off = this.on('connected', () => {
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  private online(): boolean {
    const { device } = this.options.phone;
    return this.running && device.powered && device.signal;
  }

  private connect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (!this.online() || this.socket !== undefined || this.loading) return;
    this.loading = true;
    import('ws')
      .then(({ default: WebSocketClass }) => {
        this.loading = false;
        this.open(WebSocketClass);
      })
      .catch((error: unknown) => {
        this.loading = false;
        this.emit('problem', { error });
      });
  }

  private open(WebSocketClass: typeof WebSocket): void {
    if (!this.online() || this.socket !== undefined) return;
    const { phone, link } = this.options;
    const walletId = phone.wallet.walletId;
    if (walletId === undefined) return;
    const target = `/v1/wallets/${hex(walletId)}/notifications/socket?after=${phone.snapshot().wallet.lastSequence}`;
    const url = new URL(target, link.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let socket: WebSocket;
    try {
      socket = new WebSocketClass(url, {
        headers: link.socketHeaders(target),
        handshakeTimeout: 10_000,
      });
    } catch (error) {
      this.emit('problem', { error });
      this.attemptFailed();
      this.retry();
      return;
    }
    this.socket = socket;
    socket.on('open', () => {
      this.backoff = this.options.backoffMs ?? 500;
      clearInterval(this.pullTimer);
      this.pullTimer = undefined;
      this.up = true;
      this.failedAttempts = 0;
      this.downSince = undefined;
      this.lastDownNoticeAt = undefined;
      this.emit('connected', { url: url.origin });
    });
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.receive(socket, (data as Buffer).toString('utf8'));
    });
    socket.on('unexpected-response', (_request, response) => {
      this.emit('problem', {
        error: new Error(`push socket refused: HTTP ${response.statusCode}`),
      });
      socket.terminate();
    });
    socket.on('error', (error) => this.emit('problem', { error }));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.up) this.lost('closed');
      else this.attemptFailed();
      this.retry();
    });
  }

  private receive(socket: WebSocket, text: string): void {
    const { phone } = this.options;
    try {
      const message = JSON.parse(text) as { type?: unknown; notifications?: unknown };
      if (message.type !== 'notifications' || !Array.isArray(message.notifications)) return;
      const notices = message.notifications
        .filter((n): n is string => typeof n === 'string' && /^([0-9a-f]{2})+$/.test(n))
        .map((n) => new Uint8Array(Buffer.from(n, 'hex')));
      const outcome = phone.applySync({ notifications: notices });
      this.emit('pushed', { count: notices.length, outcome });
      socket.send(JSON.stringify({ type: 'ack', sequence: phone.snapshot().wallet.lastSequence }));
      if (outcome.notices.some((n) => n.result.ok)) this.scheduleSync();
    } catch (error) {
      this.emit('problem', { error });
    }
  }

  /** Closes the socket without reconnecting (offline or stopped). */
  private drop(reason: string): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
    if (this.up) this.lost(reason);
  }

  /** The open socket is gone: announced once, until it is open again. */
  private lost(reason: string): void {
    this.up = false;
    this.downSince = Date.now();
    this.lastDownNoticeAt = this.downSince;
    this.emit('disconnected', { reason });
  }

  /** A connection attempt failed: counted, and announced as `retrying` now and then. */
  private attemptFailed(): void {
    const now = Date.now();
    this.failedAttempts += 1;
    this.downSince ??= now;
    if (!this.online()) return; // offline or stopped: no retry follows
    const every = this.options.retryNoticeMs ?? 60_000;
    if (this.lastDownNoticeAt !== undefined && now - this.lastDownNoticeAt < every) return;
    this.lastDownNoticeAt = now;
    this.emit('retrying', {
      attempts: this.failedAttempts,
      downForMs: now - this.downSince,
      nextInMs: this.backoff,
    });
  }

  private retry(): void {
    if (!this.online()) return;
    this.reconnectTimer = setTimeout(() => this.connect(), this.backoff);
    this.reconnectTimer.unref();
    this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 30_000);
    const every = this.options.pullIntervalMs ?? 60_000;
    if (every > 0 && this.pullTimer === undefined) {
      this.pullTimer = setInterval(() => void this.pull(), every);
      this.pullTimer.unref();
    }
  }

  /**
   * An online sync soon (see syncAfterPaymentMs): at most one per interval, one pending at
   * a time; while offline nothing is scheduled (the next payment or push asks again).
   */
  private scheduleSync(): void {
    const every = this.options.syncAfterPaymentMs;
    if (every === undefined || !this.running || !this.connected) return;
    if (this.syncTimer !== undefined) return;
    const wait = Math.max(0, this.lastOnlineSync + every - Date.now());
    this.syncTimer = setTimeout(() => void this.onlineSync(), wait);
    this.syncTimer.unref();
  }

  private async onlineSync(): Promise<void> {
    this.syncTimer = undefined;
    if (!this.online() || !this.connected) return;
    if (this.syncing) {
      this.scheduleSync();
      return;
    }
    this.syncing = true;
    this.lastOnlineSync = Date.now();
    try {
      this.emit('synced', { outcome: await this.options.phone.sync() });
    } catch (error) {
      this.emit('problem', { error });
    } finally {
      this.syncing = false;
    }
  }

  /** The fallback: an ordinary sync while the socket is down. */
  private async pull(): Promise<void> {
    if (!this.online() || this.connected) return;
    try {
      this.emit('pulled', { outcome: await this.options.phone.sync() });
    } catch (error) {
      this.emit('problem', { error });
    }
  }
}
