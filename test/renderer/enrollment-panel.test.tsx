// @vitest-environment jsdom
// Settings → Enrollment: what enrolling answered about the first sync is shown — a failure
// as an alert with its code and message (the terminal is enrolled but not ready), in both
// languages.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { EnrolledView, FirstSyncView } from '../../preload/api';
import { changeLanguage, initI18n } from '../../renderer/src/i18n';
import { resetTerminalState } from '../../renderer/src/store/terminal-store';
import { createFakeBridge, type Handlers } from './fake-bridge';
import { renderApp } from './render-app';
import { appInfo } from './views';

const enrolled = (firstSync: FirstSyncView): EnrolledView => ({
  mode: 'enrolled',
  merchantId: 'M1',
  terminalId: 'T1',
  platformUrl: 'https://platform.example',
  certificate: { serial: 1, validFrom: 1_780_000_000, validUntil: 1_790_000_000 },
  suspended: false,
  keyProtection: 'file',
  firstSync,
});

const handlers = (firstSync: FirstSyncView, language: 'en' | 'zh-CN' = 'en'): Handlers => ({
  'app.info': () => appInfo({ mode: 'unenrolled', merchantId: null, terminalId: null }),
  'settings.get': () => ({ language, theme: 'light' }),
  'enrollment.status': () => ({ ...enrolled({ ok: true }), mode: 'unenrolled' }),
  'enrollment.enroll': () => enrolled(firstSync),
});

let unsubscribe: () => void = () => undefined;

beforeAll(() => {
  initI18n('en');
});
beforeEach(() => {
  resetTerminalState();
  changeLanguage('en');
});
afterEach(() => {
  cleanup();
  unsubscribe();
});

async function enroll(firstSync: FirstSyncView): Promise<void> {
  unsubscribe = await renderApp(createFakeBridge(handlers(firstSync)));
  fireEvent.click(screen.getByRole('tab', { name: /Settings/ }));
  fireEvent.change(await screen.findByLabelText('Enrollment code'), {
    target: { value: 'ABCD-1234' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Enroll this terminal' }));
}

it('shows a failed first sync as an alert with its code and message', async () => {
  await enroll({ ok: false, code: 'network', message: 'cannot reach the platform' });
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain('first sync failed (network): cannot reach the platform');
});

it('says the terminal is synced when the first sync worked', async () => {
  await enroll({ ok: true });
  await screen.findByText(/Enrolled and synced with the platform/);
  expect(screen.queryByRole('alert')).toBeNull();
});

it('says it in Chinese too', async () => {
  unsubscribe = await renderApp(
    createFakeBridge(handlers({ ok: false, code: 'network', message: 'x' }, 'zh-CN')),
  );
  fireEvent.click(screen.getByRole('tab', { name: /设置/ }));
  fireEvent.change(await screen.findByLabelText('注册码'), { target: { value: 'ABCD-1234' } });
  fireEvent.click(screen.getByRole('button', { name: '注册本终端' }));
  expect((await screen.findByRole('alert')).textContent).toContain('首次同步失败（network）');
});
