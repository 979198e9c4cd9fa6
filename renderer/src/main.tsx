// The renderer's entry: picks the transport, connects the store to the contract's events,
// loads the first state and shows the app (the cashier's screen first).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createApiClient } from './bridge/client';
import { ApiContext } from './bridge/context';
import { chooseTransport } from './bridge/transport';
import { initI18n } from './i18n';
import { loadInitialState } from './store/actions';
import { subscribeToEvents } from './store/events';
import { useTerminal } from './store/terminal-store';
import { applyTheme } from './theme';
import './style.css';

function start(): void {
  initI18n('en');
  applyTheme('system');
  const choice = chooseTransport((problem) =>
    useTerminal.setState((s) => ({ app: { ...s.app, connection: problem } })),
  );
  const root = document.getElementById('root');
  if (root === null) throw new Error('index.html has no #root');
  if ('problem' in choice) {
    useTerminal.setState((s) => ({ app: { ...s.app, connection: choice.problem } }));
  }
  const api = 'bridge' in choice ? createApiClient(choice.bridge) : null;
  if (api !== null) {
    subscribeToEvents(api);
    void loadInitialState(api);
  }
  createRoot(root).render(
    <StrictMode>
      <ApiContext.Provider value={api}>
        <App />
      </ApiContext.Provider>
    </StrictMode>,
  );
}

start();
