/**
 * Demo mode's world on a fresh machine and after a restart: the first start creates
 * phones already activated and funded through the platform's real API; a second start on
 * the same folder reopens the same phones, wallets and balances (no second user, no second
 * activation) and keeps the time-travel offset; the demo terminal enrolls with the code the
 * demo hands out; bad input and a closed demo answer typed errors.
 */
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../../handset/transport/vpcd-frames';
import { selectCommand } from '../../protocol';
import { startDemo, DEMO_MERCHANT_ID, DEMO_TERMINAL_ID, type Demo } from '../../main/demo';
import { ACCOUNT_BALANCE, WALLET_LOAD } from '../../main/demo/phones';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/policy';
import { startEmbeddedPlatform } from '../../platform/embedded';
import type { DemoView } from '../../preload/contract';
import { enroll, expectDemoError, removeTempDirs, tempDataDir } from './support';

const dataDir = tempDataDir();
let demo: Demo;
let first: DemoView;

beforeAll(async () => {
  demo = await startDemo({ dataDir });
  first = demo.view();
});
afterAll(async () => {
  await demo.close();
  removeTempDirs();
});

describe('first start', () => {
  it('creates three phones, activated and funded, on the platform policy', () => {
    expect(first.phones.map((p) => p.phoneId)).toEqual(['phone-1', 'phone-2', 'phone-3']);
    for (const phone of first.phones) {
      expect(phone).toMatchObject({
        powered: true,
        signal: true,
        walletState: 'active',
        balance: WALLET_LOAD,
        currency: DEFAULT_WALLET_POLICY.currency,
        counter: 0,
        onReader: false,
        log: [],
      });
      expect(phone.walletId).toMatch(/^[0-9a-f]{32}$/);
      expect(phone.imei).toMatch(/^\d{15}$/);
    }
    expect(new Set(first.phones.map((p) => p.imei)).size).toBe(3);
    const { T, T1, T2 } = DEFAULT_WALLET_POLICY;
    expect(first.timers).toEqual({ T, T1, T2 });
    expect(first.clock.offsetSeconds).toBe(0);
    expect(Math.abs(first.clock.now - Date.now() / 1000)).toBeLessThan(5);
  });

  it('hands out an enrollment code the terminal enrolls with through the real API', async () => {
    const enrolled = await enroll(demo);
    expect(enrolled.status).toBe(201);
    expect(enrolled.certificate.value).toMatchObject({
      merchantId: DEMO_MERCHANT_ID,
      terminalId: DEMO_TERMINAL_ID,
    });
  });

  it('announces changes to subscribers and to the injected publish', async () => {
    const seen: DemoView[] = [];
    const off = demo.on('changed', (view) => seen.push(view));
    await demo.action('phone-2', 'signal_off');
    await expect.poll(() => seen.at(-1)?.phones[1]?.signal).toBe(false);
    off();
    const count = seen.length;
    await demo.action('phone-2', 'signal_on');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(count);
  });

  it('refuses an unknown phone, a powered-off phone, a top-up without amount, bad time travel', async () => {
    await expectDemoError(() => demo.action('phone-9', 'tap'), 'unknown_phone');
    await expectDemoError(() => demo.action('phone-1', 'top_up'), 'invalid_amount');
    await expectDemoError(() => demo.action('phone-1', 'top_up', -5), 'invalid_amount');
    await expectDemoError(() => demo.action('phone-1', 'pull_away'), 'not_on_reader');
    await demo.action('phone-1', 'power_off');
    await expectDemoError(() => demo.action('phone-1', 'tap'), 'phone_off');
    await expectDemoError(() => demo.action('phone-1', 'sync'), 'phone_off');
    await demo.action('phone-1', 'power_on');
    for (const seconds of [0, -1, 1.5, Number.NaN, 400 * 86_400 + 1]) {
      await expectDemoError(() => demo.timeTravel(seconds), 'invalid_seconds');
    }
    expect(demo.view().clock.offsetSeconds).toBe(0);
  });

  it('attachVpcd puts a phone on a vpcd reader slot: it answers SELECT over the vpcd wire', async () => {
    // A loopback peer speaking vpcd's framing stands in for pcscd's vpcd driver here; the
    // real stack runs only in test/pcsc (scripts/pcsc-private.sh).
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
    try {
      const attachment = demo.attachVpcd('phone-2', { port });
      const socket = await connected;
      const decoder = new FrameDecoder();
      const answers: Uint8Array[] = [];
      socket.on('data', (data) => answers.push(...decoder.push(data)));
      socket.write(encodeFrame(Uint8Array.of(0x01))); // power on
      socket.write(encodeFrame(selectCommand()));
      await expect.poll(() => answers.length).toBe(1);
      expect(Buffer.from(answers[0]?.subarray(-2) ?? []).toString('hex')).toBe('9000');
      expect(attachment.state()).toBe('powered');
      const closed = new Promise((resolve) => socket.once('close', resolve));
      attachment.detach();
      attachment.detach();
      await closed;
      expect(attachment.state()).toBe('removed');
    } finally {
      server.close();
    }
    expect(() => demo.attachVpcd('phone-2', { port: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_port' }),
    );
    expect(() => demo.attachVpcd('phone-9', { port })).toThrow(
      expect.objectContaining({ code: 'unknown_phone' }),
    );
  });

  it('refuses a second demo on the same folder while the first runs', async () => {
    await expectDemoError(() => startDemo({ dataDir }), 'demo_in_use');
    expect(demo.view().phones).toHaveLength(3);
  });

  it('moves its clock by time travel, and a SIM swap, across a restart', async () => {
    const view = await demo.timeTravel(3_600);
    expect(view.clock.offsetSeconds).toBe(3_600);
    expect(Math.abs(view.clock.now - (Date.now() / 1000 + 3_600))).toBeLessThan(5);
    expect((await demo.action('phone-3', 'swap_sim')).phones[2]?.walletState).toBe('locked');
  });
});

describe('restart on the same folder', () => {
  it('close is safe twice; a closed demo refuses calls', async () => {
    await demo.close();
    await demo.close();
    await expectDemoError(() => demo.action('phone-1', 'tap'), 'demo_closed');
  });

  it('reopens the same platform address, phones, wallets, balances and offset; no second user or activation', async () => {
    const before = first.phones;
    const firstUrl = demo.platformUrl;
    demo = await startDemo({ dataDir });
    // The demo terminal is enrolled against the platform's address: it must not move.
    expect(demo.platformUrl).toBe(firstUrl);
    const after = demo.view();
    expect(after.clock.offsetSeconds).toBe(3_600);
    expect(after.phones.map((p) => [p.phoneId, p.walletId, p.imei])).toEqual(
      before.map((p) => [p.phoneId, p.walletId, p.imei]),
    );
    expect(after.phones.map((p) => p.walletState)).toEqual(['active', 'active', 'locked']);
    expect(after.phones.slice(0, 2).map((p) => p.balance)).toEqual([WALLET_LOAD, WALLET_LOAD]);
    // Still the other SIM: the wallet stays sealed (its balance unreadable) and locked.
    expect(after.phones[2]?.imsi).not.toBe(before[2]?.imsi);
    expect(after.phones[2]?.balance).toBe(0);
    await demo.close();

    const platform = await startEmbeddedPlatform({
      dataDir: join(dataDir, 'platform'),
      jobs: false,
    });
    try {
      const { db } = platform.platform.state;
      // The demo's operator tokens (one per start) are revoked when it closes.
      const tokens = await db
        .selectFrom('operator_tokens')
        .select(['revoked_at'])
        .where('label', '=', 'demo')
        .execute();
      expect(tokens).toHaveLength(2);
      expect(tokens.every((t) => t.revoked_at !== null)).toBe(true);
      const wallets = await db.selectFrom('wallets').select(['account_id']).execute();
      expect(wallets).toHaveLength(3);
      const accounts = new Set(wallets.map((w) => w.account_id));
      expect(accounts.size).toBe(3);
      for (const accountId of accounts) {
        const token = await platform.createOperatorToken('check');
        const response = await fetch(new URL(`/v1/accounts/${accountId}`, platform.url), {
          headers: { authorization: `Bearer ${token}` },
        });
        const account = (await response.json()) as { balance: number };
        expect(account.balance).toBe(ACCOUNT_BALANCE - WALLET_LOAD);
      }
    } finally {
      await platform.close();
    }
  });

  it('publishes demo.changed through an injected callback', async () => {
    const published: [string, DemoView][] = [];
    demo = await startDemo({ dataDir, publish: (event, view) => published.push([event, view]) });
    await demo.action('phone-1', 'power_off');
    await expect.poll(() => published.at(-1)?.[1].phones[0]?.powered).toBe(false);
    expect(published.every(([event]) => event === 'demo.changed')).toBe(true);
  });
});
