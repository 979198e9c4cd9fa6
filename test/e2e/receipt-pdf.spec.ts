// The receipt saved as PDF in both languages: English stays vector text (small, selectable);
// Simplified Chinese is a picture of the on-screen receipt, drawn with the browser's fonts,
// because jsPDF's built-in fonts have no CJK glyphs (receipt-pdf.ts).
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { saleStatus } from './steps';

/** Presses the receipt's PDF button and returns the downloaded file's bytes as Latin-1. */
async function savePdf(page: Page, button: string): Promise<string> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^receipt-\d+\.pdf$/);
  const pdf = await readFile(await download.path(), 'latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  expect(pdf).toMatch(/startxref\s+\d+\s+%%EOF\s*$/);
  return pdf;
}

async function chooseLanguage(page: Page, label: string, language: string): Promise<void> {
  await page.keyboard.press('Alt+6');
  await page.getByRole('combobox', { name: label }).selectOption(language);
}

test('a zh-CN receipt is saved as an image, an English one as text', async ({
  terminal: page,
  rpc,
}) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    // html2canvas's helper <style> (hiding pseudo-elements) and its 1-pixel font-metrics probe
    // (a data: image) in its clone of the page are refused by the strict CSP; the picture
    // does not need them, and the policy stays as it is.
    const html2canvasHelper = /Applying inline style|Loading the image 'data:image\/gif/;
    if (message.type() === 'error' && !html2canvasHelper.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));

  await chooseLanguage(page, 'Language', 'zh-CN');
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('tab', { name: /^收银/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.type('990');
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('请碰卡支付 €9.90');
  await rpc.call('demo.action', { phoneId: 'phone-1', action: 'tap' });
  await expect(saleStatus(page)).toContainText('支付成功 €9.90');
  await expect(page.getByText('离线支付')).toBeVisible();

  const zh = await savePdf(page, '将收据保存为 PDF');
  expect(zh).toMatch(/\/MediaBox \[0 0 226\.77\d* \d+/); // 80 mm wide
  expect(zh.length).toBeLessThan(400_000);
  expect(zh).toMatch(/\/Subtype \/Image/);
  expect(zh).not.toMatch(/\) Tj/);

  // The same receipt, now in English: vector text, no image.
  await chooseLanguage(page, '语言', 'en');
  await page.keyboard.press('Alt+1');
  await expect(page.getByText('OFFLINE PAYMENT')).toBeVisible();
  const en = await savePdf(page, 'Save receipt as PDF');
  expect(en).toContain('(OFFLINE PAYMENT) Tj');
  expect(en).toContain('(\x809.90) Tj'); // "€9.90": € is 0x80 in the fonts' WinAnsiEncoding
  expect(en).not.toMatch(/\/Subtype \/Image/);

  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(problems).toEqual([]);
});
