// Every screen in both languages, after a day's first sale and a closed, uploaded period so
// the screens have something to show: each waits for its own heading (and for its lazily
// loaded chunk), then a full-page screenshot goes to test-results/screens/ (git-ignored).
// Switching the language in Settings turns the whole window to zh-CN.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { saleStatus, sell } from './steps';

const screensDir = 'test-results/screens';

const SCREENS = [
  { id: 'cashier', key: '1', en: 'Amount', zh: '金额' },
  { id: 'history', key: '2', en: 'Payment history', zh: '交易记录' },
  { id: 'settlement', key: '3', en: 'Settlement', zh: '结算' },
  { id: 'reports', key: '4', en: 'Reports', zh: '报表' },
  { id: 'readers', key: '5', en: 'Readers', zh: '读卡器' },
  { id: 'settings', key: '6', en: 'Settings', zh: '设置' },
  { id: 'demo', key: '7', en: 'Demo panel', zh: '演示面板' },
] as const;

async function shootEveryScreen(page: Page, language: 'en' | 'zh'): Promise<void> {
  for (const screen of SCREENS) {
    await page.keyboard.press(`Alt+${screen.key}`);
    const panel = page.getByRole('tabpanel');
    await expect(panel.getByRole('heading', { name: screen[language], exact: true })).toBeVisible();
    await expect(panel.getByText(/^(Loading…|加载中…)$/)).toHaveCount(0);
    if (screen.id === 'reports') await expect(panel.locator('canvas').first()).toBeVisible();
    await page.screenshot({ path: `${screensDir}/${language}-${screen.id}.png`, fullPage: true });
  }
}

test('every screen in English and in Simplified Chinese', async ({ terminal: page, rpc }) => {
  await sell(page, rpc, '1880');
  await rpc.call('settlement.close');
  await rpc.call('settlement.upload');
  await sell(page, rpc, '420', 'Bo');

  await shootEveryScreen(page, 'en');
  // The cashier's approved sale with its offline receipt, and a decline with its reason.
  await page.keyboard.press('Alt+1');
  await page.keyboard.type('990');
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('Tap to pay');
  await rpc.call('demo.action', { phoneId: 'phone-1', action: 'tap' });
  await expect(page.getByText('OFFLINE PAYMENT')).toBeVisible();
  await page.screenshot({ path: `${screensDir}/en-cashier-approved.png`, fullPage: true });

  await page.keyboard.press('Alt+6');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('tab', { name: /^收银/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: '设置', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tapsafe 收银终端' })).toBeVisible();
  await expect(page).toHaveTitle('Tapsafe 收银终端');
  await shootEveryScreen(page, 'zh');
  await page.keyboard.press('Alt+1');
  await page.keyboard.type('990');
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('请碰卡支付 €9.90');
  await rpc.call('demo.action', { phoneId: 'phone-2', action: 'tap' });
  await expect(saleStatus(page)).toContainText('支付成功 €9.90');
  await page.screenshot({ path: `${screensDir}/zh-cashier-approved.png`, fullPage: true });

  // The choice is kept by the terminal: a reload comes back in Chinese.
  await page.reload();
  await expect(page.getByRole('tab', { name: /^收银/ })).toBeVisible();
});
