/** The operator's `show-settlement-status` against a running platform, after a real HTTP upload. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../platform/cli/run';
import { startEmbeddedPlatform } from '../../platform/embedded';
import { ManualClock } from '../../platform/clock';
import { insertTerminal } from './support/fixtures';
import { T0 } from './support/platform';
import { batchOf, issueWallet, pay, uploadRequest } from './support/settlement';

describe('show-settlement-status', () => {
  it('reports a batch uploaded over HTTP to a served platform', async () => {
    const embedded = await startEmbeddedPlatform({ clock: new ManualClock(T0) });
    try {
      const { db, keys } = embedded.platform.state;
      const terminal = await insertTerminal(db);
      const wallet = await issueWallet(db, keys, { load: 1_000 });
      const upload = uploadRequest(
        terminal,
        batchOf(terminal, [pay(wallet, terminal, { counter: 1, amount: 125 })]).encoded,
      );
      const response = await fetch(`${embedded.url}${upload.url as string}`, {
        method: 'POST',
        headers: upload.headers as Record<string, string>,
        body: upload.payload as Buffer,
      });
      expect(response.status).toBe(200);

      const token = await embedded.createOperatorToken('ops');
      const out: string[] = [];
      const code = await runCli(['show-settlement-status', '--terminal', terminal.terminalId], {
        env: { TAPSAFE_PLATFORM_URL: embedded.url, TAPSAFE_OPERATOR_TOKEN: token },
        out: (line) => out.push(line),
        err: () => undefined,
      });
      expect(code).toBe(0);
      const status = JSON.parse(out.join('\n')) as {
        terminals: { terminalId: string; totalCredited: number }[];
      };
      expect(status.terminals).toEqual([
        expect.objectContaining({ terminalId: terminal.terminalId, totalCredited: 125 }),
      ]);
    } finally {
      await embedded.close();
    }
  });
});
