// What screens do that changes shared state: each calls the API and feeds its result through
// the same reducers as the events, so a result and its event cannot disagree.
import type { AppReadiness, Language, Theme } from '../../../preload/api';
import type { ApiClient } from '../bridge/client';
import { changeLanguage } from '../i18n';
import { applyTheme } from '../theme';
import { applyEvent } from './events';
import { useTerminal } from './terminal-store';

/** Everything the first screen needs; one failed call leaves its slice empty, not the app. */
export async function loadInitialState(api: ApiClient): Promise<void> {
  if ((await untilStarted(api)).state !== 'ready') return;
  const info = api.call('app.info').then((result) => {
    useTerminal.setState((s) => ({ app: { ...s.app, info: result, connection: 'open' } }));
    if (result.mode === 'demo') return refreshDemo(api);
    return undefined;
  });
  await Promise.allSettled([
    info,
    loadSettings(api),
    api.call('readers.list').then((r) => applyEvent('readers.changed', r)),
    api.call('checkout.current').then((sale) => {
      if (sale !== null) applyEvent('checkout.state', sale);
    }),
    api.call('sync.status').then((sync) => applyEvent('sync.changed', sync)),
    api.call('settlement.status').then((status) => applyEvent('settlement.changed', status)),
  ]);
}

/**
 * Waits while the terminal service is still starting (the page is served before the demo
 * world is up). The event is listened for before asking, so a "ready" published between the
 * question and its answer is not missed; the store's reducer keeps "ready" once it has it.
 */
async function untilStarted(api: ApiClient): Promise<AppReadiness> {
  let stopListening: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => {
    stopListening = api.on('app.readiness', (readiness) => {
      applyEvent('app.readiness', readiness);
      if (readiness.state !== 'starting') resolve();
    });
  });
  try {
    // A service that cannot say (the transport is down) is taken as started: the screens then
    // show their own errors, and the status line says why.
    const answer = await api.call('app.readiness').catch(() => assumedReady);
    applyEvent('app.readiness', answer);
    if (useTerminal.getState().app.readiness?.state === 'starting') await settled;
  } finally {
    stopListening();
  }
  return useTerminal.getState().app.readiness ?? assumedReady;
}

const assumedReady: AppReadiness = { state: 'ready', mode: 'demo', message: null };

export async function refreshDemo(api: ApiClient): Promise<void> {
  applyEvent('demo.changed', await api.call('demo.state'));
}

async function loadSettings(api: ApiClient): Promise<void> {
  const settings = await api.call('settings.get');
  useTerminal.setState({ settings });
  changeLanguage(settings.language);
  applyTheme(settings.theme);
}

/** Applies at once (the screen must not wait on the service), then persists. */
export async function saveSettings(
  api: ApiClient,
  change: { language?: Language; theme?: Theme },
): Promise<void> {
  useTerminal.setState((s) => ({ settings: { ...s.settings, ...change } }));
  if (change.language !== undefined) changeLanguage(change.language);
  if (change.theme !== undefined) applyTheme(change.theme);
  const saved = await api.call('settings.set', change);
  useTerminal.setState({ settings: saved });
}
