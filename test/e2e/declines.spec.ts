// Every decline reason as the cashier sees it: each code is caused through the demo panel
// (a forged card, or what a user, an operator or time does to a phone) or the cashier's
// own input, and the cashier's screen must show that code's reason and next action, in
// the words of the contract (DECLINE_REASONS) and of the translations, so nothing drifts.
// Many declines share one host: a host per code would take minutes.
import type { Page } from '@playwright/test';
import { FORGERIES } from '../../main/demo/forgeries/catalogue';
import { DECLINE_CODES, DECLINE_REASONS, type DeclineCode } from '../../preload/contract/declines';
import { DEMO_FORGERIES, type DemoForgery } from '../../preload/contract/methods';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { expect, test, type Rpc } from './fixtures';
import {
  demoAction,
  saleStatus,
  sell,
  setPlatformOnline,
  syncTerminal,
  travelMinutes,
  travelPast,
} from './steps';

type Words = typeof en | typeof zhCN;

/** Declines the spec causes with real demo actions and cashier input (the second test). */
const ACTED: readonly DeclineCode[] = [
  'over_terminal_velocity',
  'over_offline_count',
  'freshness_stale',
  'over_offline_amount',
  'wallet_temp_locked',
  'wallet_locked',
  'wallet_wiped',
  'insufficient_balance',
  'revoked',
];

/** Refused before any tap, said on the cashier's screen as a decline is (the third test). */
const REFUSED: readonly DeclineCode[] = ['terminal_not_ready'];

/** Declines the browser host cannot cause, each covered by vitest instead. */
const EXCLUDED: Readonly<Partial<Record<DeclineCode, string>>> = {
  ledger_failed:
    "needs the ledger's disk full or failing under the host; test/terminal/faults/checkout-faults.test.ts",
};

/** Rings up `digits` on the cashier's screen (no mouse) and waits for the tap prompt. */
async function ringUp(page: Page, words: Words, digits: string): Promise<void> {
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('textbox', { name: words.cashier.amount })).toBeFocused();
  await page.keyboard.type(digits);
  await page.keyboard.press('Enter');
  const prompt = words.cashier.state.awaiting_tap.replace(/\s*\{\{amount\}\}/, '');
  await expect(saleStatus(page)).toContainText(prompt);
}

/** The demo panel's Forged cards section: picks `forgery` by its label and taps it. */
async function tapForged(page: Page, words: Words, forgery: DemoForgery): Promise<void> {
  await page.keyboard.press('Alt+7');
  const section = page.getByRole('region', { name: words.forgeries.title });
  await section
    .getByRole('combobox', { name: words.forgeries.forgery })
    .selectOption({ label: words.forgeries.names[forgery] });
  const button = section.getByRole('button', { name: words.forgeries.tap });
  await button.click();
  await expect(button).toBeEnabled();
}

/** The cashier's screen shows `code`'s reason and next action, in `words`' language. */
async function expectDeclined(page: Page, words: Words, code: DeclineCode): Promise<void> {
  await page.keyboard.press('Alt+1');
  const status = saleStatus(page);
  await expect(status.getByRole('heading')).toHaveText(words.cashier.state.declined);
  await expect(status.locator('.decline-reason')).toHaveText(words.decline.codes[code]);
  const action = DECLINE_REASONS[code].action;
  await expect(status.locator('.decline-action')).toHaveText(
    `${words.decline.next} ${words.decline.actions[action]}`,
  );
}

async function forgedDecline(page: Page, words: Words, forgery: DemoForgery, digits = '250') {
  await ringUp(page, words, digits);
  await tapForged(page, words, forgery);
  await expectDeclined(page, words, FORGERIES[forgery].decline);
}

test('every decline code is driven here or excluded with its reason', () => {
  const forged = DEMO_FORGERIES.map((forgery) => FORGERIES[forgery].decline);
  const driven = new Set<DeclineCode>([...forged, ...ACTED, ...REFUSED]);
  for (const code of DECLINE_CODES) {
    expect(driven.has(code) || EXCLUDED[code] !== undefined, `${code} is not driven`).toBe(true);
    expect(driven.has(code) && EXCLUDED[code] !== undefined, `${code} is both`).toBe(false);
  }
  // One forgery per code: a second one for the same decline would only repeat it.
  expect(new Set(forged).size).toBe(forged.length);
  expect(forged.filter((code) => ACTED.includes(code))).toEqual([]);
});

test('forged cards: each is refused with its reason and next action, in English and Chinese', async ({
  terminal: page,
  rpc,
}) => {
  // The replaying forgery needs an earlier payment of the phone behind it (Alice).
  await sell(page, rpc, '300');
  for (const forgery of DEMO_FORGERIES) {
    // English is the contract's own wording.
    expect(en.decline.codes[FORGERIES[forgery].decline]).toBe(
      DECLINE_REASONS[FORGERIES[forgery].decline].message,
    );
    await forgedDecline(page, en, forgery);
  }

  await page.keyboard.press('Alt+6');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('tab', { name: /收银/ })).toBeVisible();
  // A sample, one per kind of next action the forgeries lead to.
  for (const forgery of ['transit_card', 'truncated_answer', 'unknown_issuer'] as const) {
    await forgedDecline(page, zhCN, forgery);
  }
});

test('declines caused by what users, operators, time and the cashier do', async ({
  terminal: page,
  rpc,
}) => {
  const shown: DeclineCode[] = [];
  const declinedTap = async (digits: string, phone: string, code: DeclineCode) => {
    await ringUp(page, en, digits);
    await demoAction(page, 'Tap on the reader', phone);
    await expectDeclined(page, en, code);
    shown.push(code);
  };
  const sales = async (count: number, digits: string, phone: string) => {
    for (let i = 0; i < count; i++) await sell(page, rpc, digits, phone);
  };

  // Alice spends her wallet's offline allowance here: the terminal's own daily cap stops her.
  await sales(4, '5000', 'Alice');
  await declinedTap('1', 'Alice', 'over_terminal_velocity');
  // Bo pays 20 times (10 an hour, the terminal's cap): his wallet refuses the 21st.
  await sales(10, '1', 'Bo');
  await travelMinutes(page, 61);
  await sales(10, '1', 'Bo');
  await travelMinutes(page, 61);
  await declinedTap('1', 'Bo', 'over_offline_count');

  // Chen's last sync grows old while his phone never goes silent for longer than T2.
  await demoAction(page, 'Signal off', 'Chen');
  await travelMinutes(page, 4 * 24 * 60);
  await demoAction(page, 'Signal on', 'Chen');
  await demoAction(page, 'Signal off', 'Chen');
  await travelMinutes(page, 4 * 24 * 60);
  await declinedTap('100', 'Chen', 'freshness_stale');
  // A day later the terminal's cap has passed, the wallet's own offline allowance has not.
  await declinedTap('1', 'Alice', 'over_offline_amount');
  await travelMinutes(page, 4 * 24 * 60);
  await declinedTap('100', 'Chen', 'wallet_temp_locked');

  await demoAction(page, 'Swap SIM', 'Bo');
  await declinedTap('100', 'Bo', 'wallet_locked');
  await travelPast(page, 'T');
  await declinedTap('100', 'Bo', 'wallet_wiped');

  // Settled, Alice's payments no longer count offline: her empty wallet is what stops her.
  await settle(rpc);
  await demoAction(page, 'Sync online', 'Alice');
  await declinedTap('1', 'Alice', 'insufficient_balance');
  await demoAction(page, 'Report lost', 'Alice');
  await syncTerminal(page);
  await declinedTap('1', 'Alice', 'revoked');

  expect([...shown].sort()).toEqual([...ACTED].sort());
});

test('a terminal cut off its platform for over a day refuses sales until it syncs', async ({
  terminal: page,
  rpc,
}) => {
  await setPlatformOnline(page, false);
  // The hotlist may be at most a day old (the platform's hotlistMaxAgeSeconds).
  await travelMinutes(page, 24 * 60 + 5);
  await page.keyboard.press('Alt+1');
  await page.keyboard.type('250');
  await page.keyboard.press('Enter');
  const refusal = page.getByRole('alert');
  await expect(refusal.locator('.decline-reason')).toHaveText(en.decline.codes.terminal_not_ready);
  const action = DECLINE_REASONS.terminal_not_ready.action;
  await expect(refusal.locator('.decline-action')).toHaveText(
    `${en.decline.next} ${en.decline.actions[action]}`,
  );
  await expect(refusal).toContainText('The list of revoked wallets is too old');

  // Back online, one sync and the next sale is taken.
  await setPlatformOnline(page, true);
  await syncTerminal(page);
  await sell(page, rpc, '250');
});

async function settle(rpc: Rpc): Promise<void> {
  await rpc.call('settlement.close');
  await rpc.call('settlement.upload');
}
