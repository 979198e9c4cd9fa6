/**
 * Push across a platform crash: the real server (platform/cli/main.ts) runs as a child
 * process on a PGlite folder (and a PostgreSQL database of its own when TEST_DATABASE_URL
 * is set), a real phone (createPhone, HttpPlatformLink, PushClient) holds its push socket,
 * and the server is SIGKILLed. The phone sees the socket drop, keeps paying offline, and
 * once the platform restarts on the same data and the same port it reconnects by itself and
 * receives a top-up queued after the restart: applied once, and refused as a replay when the
 * same notice comes again by pull.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SW } from '../../protocol';
import {
  createPhone,
  HttpPlatformLink,
  InProcessField,
  PushClient,
  SystemClock,
  type NoticeEvent,
} from '../../handset';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { openPlatform } from '../../platform/start';
import { TestTerminal } from '../handset/support/terminal';
import { backends } from '../platform/support/databases';
import { usePlatformProcesses } from '../platform/support/platform-process';
import { enrollTerminal, eventually, IMEI, IMSI, operatorClient, PASSWORD } from './support/rig';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe.each(backends())('the push socket when the platform is SIGKILLed, on %s', (backend) => {
  const processes = usePlatformProcesses();

  it('drops, works offline, reconnects after the restart and applies a new notice once', async () => {
    const started = Date.now();
    const store = await processes.store(backend);

    // An operator token, written before the first start (a PGlite folder is one process's).
    const setup = await openPlatform({
      dataDir: store.dataDir,
      databaseUrl: store.databaseUrl,
      masterKeyHex: store.env.PLATFORM_MASTER_KEY,
    });
    const { token } = await createOperatorToken(setup.db, {
      label: 'push after kill',
      at: Math.floor(Date.now() / 1000),
    });
    await setup.close();

    let server = await processes.start(store.env);
    const baseUrl = server.url;
    // The restarted server listens on the same port, so one client serves both lives.
    const operator = operatorClient(baseUrl, token);

    const account = await operator('POST', '/v1/accounts', {
      accountId: 'dana',
      name: 'User dana',
      password: PASSWORD,
      balance: 9_000,
    });
    expect(account.status).toBe(201);

    // The real phone, its HTTP link and push client aimed at the child's URL.
    const clock = new SystemClock();
    const stateDir = mkdtempSync(join(tmpdir(), 'tapsafe-push-kill-'));
    processes.defer(() => rmSync(stateDir, { recursive: true, force: true }));
    const link = new HttpPlatformLink({ baseUrl, clock, timeoutMs: 2_000 });
    const phone = createPhone({ stateDir, imei: IMEI, imsi: IMSI, clock, platform: link });
    link.attach(phone.wallet);
    processes.defer(() => phone.close());
    const field = new InProcessField();
    field.present(phone);
    const terminal = new TestTerminal(field, clock, {
      certificate: await enrollTerminal(baseUrl, operator),
    });

    await phone.activate({ accountId: 'dana', password: PASSWORD, extra: { amount: '4000' } });
    expect(phone.snapshot().wallet).toMatchObject({ balance: 4_000, lastSequence: 0 });
    const walletIdHex = hex(phone.wallet.walletId as Uint8Array);

    const notices: NoticeEvent[] = [];
    phone.on('notice', (event) => notices.push(event));
    const push = new PushClient({
      phone,
      link,
      backoffMs: 50,
      maxBackoffMs: 400,
      pullIntervalMs: 150,
    });
    const log = { connected: 0, disconnected: 0, pushed: 0, pulled: 0, problems: 0 };
    push.on('connected', () => (log.connected += 1));
    push.on('disconnected', () => (log.disconnected += 1));
    push.on('pushed', () => (log.pushed += 1));
    push.on('pulled', () => (log.pulled += 1));
    push.on('problem', () => (log.problems += 1));
    processes.defer(() => push.stop());
    push.start();
    await push.waitConnected();

    // The socket works: a top-up arrives by push.
    const first = await operator('POST', `/v1/wallets/${walletIdHex}/top-up`, { amount: 1_000 });
    expect(first).toMatchObject({ status: 200, body: { balance: 5_000, sequence: 1 } });
    await eventually(() => phone.snapshot().wallet.lastSequence === 1);
    expect(phone.snapshot().wallet.balance).toBe(5_000);
    expect(log.pushed).toBeGreaterThanOrEqual(1);

    // SIGKILL: no close frame, the socket just dies. The phone notices.
    server.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    await eventually(() => log.disconnected >= 1 && !push.connected);

    // Offline it keeps working: a payment at the terminal, while reconnects and pulls fail.
    const paid = await terminal.pay(terminal.request(250));
    expect(paid.sw).toBe(SW.ok);
    expect(phone.snapshot().wallet.balance).toBe(4_750);
    const problemsWhileDown = log.problems;
    await eventually(() => log.problems >= problemsWhileDown + 3);
    expect(push.connected).toBe(false);
    expect(log.connected).toBe(1);

    // The platform restarts on the same data and the same port: the phone's URL stays valid.
    const port = new URL(baseUrl).port;
    server = await processes.start({ ...store.env, PORT: port });
    expect(server.url).toBe(baseUrl);
    await eventually(() => push.connected && log.connected >= 2, 10_000);

    // A notice queued after the restart reaches the phone by itself, applied once.
    const second = await operator('POST', `/v1/wallets/${walletIdHex}/top-up`, { amount: 700 });
    expect(second).toMatchObject({ status: 200, body: { balance: 5_700, sequence: 2 } });
    await eventually(() => phone.snapshot().wallet.lastSequence === 2, 10_000);
    expect(phone.snapshot().wallet.balance).toBe(5_450);

    // The same notice by pull as well (asked for from before it): refused as a replay.
    const again = await link.sync({
      walletId: phone.wallet.walletId as Uint8Array,
      imei: IMEI,
      imsi: IMSI,
      lastSequence: 1,
    });
    expect(again.notifications).toHaveLength(1);
    const replay = phone.applySync({ notifications: again.notifications });
    expect(replay.notices).toHaveLength(1);
    expect(replay.notices[0]).toMatchObject({ sequence: 2, result: { ok: false } });
    // And an ordinary pull now has nothing new.
    const pulled = await phone.sync();
    expect(pulled.notices).toHaveLength(0);

    expect(phone.snapshot().wallet).toMatchObject({ balance: 5_450, lastSequence: 2 });
    expect(notices.map((n) => n.sequence)).toEqual([1, 2]);

    // The platform holds nothing pending: the phone acknowledged it over the new socket.
    for (let i = 0; ; i++) {
      const shown = await operator<{ pendingNotices: unknown[] }>(
        'GET',
        `/v1/wallets/${walletIdHex}`,
      );
      if (shown.body.pendingNotices.length === 0) break;
      if (i > 250) throw new Error('the pushed notice was never acknowledged');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    push.stop();
    await server.stop();
    console.info(
      `push after SIGKILL on ${backend}: ${log.connected} connects, ${log.disconnected} drops, ` +
        `${log.pushed} pushes, ${log.pulled} pulls, ${log.problems} problems, ` +
        `${Date.now() - started} ms`,
    );
  }, 60_000);
});
