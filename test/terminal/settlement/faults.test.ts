/**
 * Upload faults against the real platform: the platform down (stopped, then started again
 * on the same data), the answer lost after the platform committed, a batch refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TERMINAL_ID } from '../../scenarios/support/rig';
import { terminalKey } from '../../handset/support/terminal';
import { backends } from '../../platform/support/databases';
import { startDropProxy, type DropProxy } from '../support/drop-proxy';
import { startSettleRig, type SettleRig } from '../support/settle-rig';
import { settlementFor } from '../support/settlement';
import { signedUpload } from '../support/upload-transport';

describe.each(backends())('settlement upload faults on %s', (backend) => {
  let rig: SettleRig | undefined;
  let proxy: DropProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await rig?.close();
    rig = undefined;
    proxy = undefined;
  });

  it('retries with growing, jittered delays while the platform is down, then succeeds once', async () => {
    rig = await startSettleRig(backend);
    const current = rig;
    const alice = await current.activatedPhone('alice');
    await current.pay(alice, 640);
    const before = await current.merchantBalance();
    await current.stopPlatform();

    const { service, delays, progress } = settlementFor(current, {
      // The third wait ends with the platform back, on the same data and port.
      beforeRetry: async (retry) => {
        current.clock.advance(5);
        if (retry === 3) await current.startPlatform();
      },
    });
    const [batch] = service.closePeriod();
    const outcome = await service.upload();

    expect(outcome).toMatchObject({ state: 'done', acknowledged: 1, pending: 0 });
    // base 1 s doubling, jitter 0.5 → 3/4 of each ceiling.
    expect(delays).toEqual([750, 1_500, 3_000]);
    expect(progress().map((p) => [p.attempt, p.state, p.code])).toEqual([
      [1, 'uploading', null],
      [1, 'retrying', 'network'],
      [2, 'uploading', null],
      [2, 'retrying', 'network'],
      [3, 'uploading', null],
      [3, 'retrying', 'network'],
      [4, 'uploading', null],
      [4, 'acknowledged', null],
    ]);
    const retrying = progress().filter((p) => p.state === 'retrying');
    expect(retrying.every((p) => p.nextRetryAt !== null && p.batchId === batch!.batchId)).toBe(
      true,
    );
    expect(await current.merchantBalance()).toBe(before + 640);
    expect(service.result(batch!.batchId).totalCredited).toBe(640);
  });

  it('re-sends the same bytes after an answer lost once the platform committed: credited once', async () => {
    rig = await startSettleRig(backend);
    const current = rig;
    proxy = await startDropProxy(() => current.url);
    const viaProxy = signedUpload({
      baseUrl: () => proxy!.url,
      terminalId: TERMINAL_ID,
      key: terminalKey,
      clock: current.clock,
    });
    const sent: string[] = [];
    const { service, progress } = settlementFor(current, {
      uploadBatch: (envelope) => {
        sent.push(Buffer.from(envelope).toString('hex'));
        return viaProxy(envelope);
      },
    });
    const alice = await current.activatedPhone('alice');
    const bob = await current.activatedPhone('bob');
    await current.pay(alice, 300);
    await current.pay(bob, 200);
    const before = await current.merchantBalance();
    const [batch] = service.closePeriod();

    proxy.dropAnswers = 1;
    expect(await service.upload()).toMatchObject({ state: 'done', acknowledged: 1 });
    // The platform saw both attempts; the first one committed, the second got its result.
    expect(proxy.forwarded).toBe(2);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(progress().map((p) => p.state)).toEqual([
      'uploading',
      'retrying',
      'uploading',
      'acknowledged',
    ]);
    expect(await current.merchantBalance()).toBe(before + 500);
    expect(service.result(batch!.batchId)).toMatchObject({ totalCredited: 500, discrepancies: [] });
  });

  it('a refused batch stops the queue with its code, stays unacknowledged and is sent first again', async () => {
    rig = await startSettleRig(backend);
    const current = rig;
    const alice = await current.activatedPhone('alice');
    let currency = 999; // not the terminal's: the platform refuses the whole batch
    const sent: Uint8Array[] = [];
    const { service, progress } = settlementFor(current, {
      parameters: () => ({ ...current.parameters, currency }),
      uploadBatch: (envelope) => {
        sent.push(envelope);
        return current.uploadBatch(envelope);
      },
    });
    await current.pay(alice, 100);
    const [refused] = service.closePeriod();
    currency = current.parameters.currency;
    current.clock.advance(10);
    await current.pay(alice, 120);
    const [next] = service.closePeriod();

    const outcome = await service.upload();
    expect(outcome).toMatchObject({
      state: 'refused',
      batchId: refused!.batchId,
      code: 'batch_currency_mismatch',
      acknowledged: 0,
      pending: 2,
    });
    expect(sent).toHaveLength(1); // the next batch was not sent past the refused one
    expect(progress().at(-1)).toMatchObject({ state: 'refused', code: 'batch_currency_mismatch' });
    const status = service.status();
    expect(status.pending.map((b) => [b.batchId, b.refused?.code ?? null])).toEqual([
      [refused!.batchId, 'batch_currency_mismatch'],
      [next!.batchId, null],
    ]);
    expect(status.lastUpload).toMatchObject({ state: 'refused', code: 'batch_currency_mismatch' });

    // Asked again, it tries the refused batch first, never skips it.
    expect(await service.upload()).toMatchObject({ state: 'refused', batchId: refused!.batchId });
    expect(sent).toHaveLength(2);
    expect(Buffer.from(sent[1]!).equals(Buffer.from(sent[0]!))).toBe(true);
  });
});
