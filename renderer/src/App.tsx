// The window: a tab bar of screens (Alt+1…7 or arrow keys on the tabs), the current screen,
// and a status line. Only the current screen is mounted.
import { Suspense, useContext, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiContext } from './bridge/context';
import { StatusBar } from './components/StatusBar';
import { SCREENS, type ScreenId } from './screens/registry';
import { selectMode, selectReadiness } from './store/selectors';
import { useTerminal } from './store/terminal-store';

export function App() {
  const { t } = useTranslation();
  const mode = useTerminal(selectMode);
  const screens = SCREENS.filter((s) => !s.demoOnly || mode === 'demo');
  const [current, setCurrent] = useState<ScreenId>('cashier');
  const tabs = useRef(new Map<ScreenId, HTMLButtonElement>());
  const title = t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);

  const select = (id: ScreenId, focusTab = false) => {
    setCurrent(id);
    if (focusTab) tabs.current.get(id)?.focus();
  };

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const index = Number(event.key) - 1;
      const target = screens[index];
      if (Number.isInteger(index) && target !== undefined) {
        event.preventDefault();
        select(target.id);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step === undefined) return;
    const at = screens.findIndex((s) => s.id === current);
    const next = screens[(at + step + screens.length) % screens.length];
    if (next !== undefined) select(next.id, true);
  };

  const active = screens.find((s) => s.id === current) ?? screens[0];
  const Screen = active?.component;
  // Without a transport (no token in the URL) there is nothing to show but why.
  const connected = useContext(ApiContext) !== null;
  // The screens mount once the terminal service has started; until then, say what is starting.
  const readiness = useTerminal(selectReadiness);
  const started = readiness?.state === 'ready';
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">{t('app.title')}</h1>
        <div role="tablist" aria-label={t('nav.label')} className="tabs" onKeyDown={onTabKey}>
          {screens.map((screen, index) => (
            <button
              key={screen.id}
              ref={(el) => {
                if (el === null) tabs.current.delete(screen.id);
                else tabs.current.set(screen.id, el);
              }}
              type="button"
              role="tab"
              id={`tab-${screen.id}`}
              aria-selected={screen.id === current}
              aria-controls={`panel-${screen.id}`}
              aria-keyshortcuts={`Alt+${index + 1}`}
              tabIndex={screen.id === current ? 0 : -1}
              onClick={() => select(screen.id)}
            >
              {t(`nav.${screen.id}`)}
              <kbd className="shortcut" aria-hidden="true">
                Alt+{index + 1}
              </kbd>
            </button>
          ))}
        </div>
      </header>
      {connected && readiness !== null && !started && (
        <main className="screen">
          <p className="app-starting" data-state={readiness.state} aria-live="polite">
            {readiness.state === 'failed'
              ? t('app.starting.failed', { message: readiness.message ?? '' })
              : t(`app.starting.${readiness.mode}`)}
          </p>
        </main>
      )}
      {connected && started && active !== undefined && Screen !== undefined && (
        <main
          role="tabpanel"
          id={`panel-${active.id}`}
          aria-labelledby={`tab-${active.id}`}
          className="screen"
        >
          <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
            <Screen />
          </Suspense>
        </main>
      )}
      <StatusBar />
    </div>
  );
}
