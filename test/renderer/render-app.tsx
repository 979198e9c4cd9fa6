// Renders the whole app on a fake bridge, as main.tsx does on a real one.
import { render } from '@testing-library/react';
import { App } from '../../renderer/src/App';
import { createApiClient } from '../../renderer/src/bridge/client';
import { ApiContext } from '../../renderer/src/bridge/context';
import { loadInitialState } from '../../renderer/src/store/actions';
import { subscribeToEvents } from '../../renderer/src/store/events';
import type { FakeBridge } from './fake-bridge';

/** Returns the events' unsubscribe, for afterEach. */
export async function renderApp(bridge: FakeBridge): Promise<() => void> {
  const api = createApiClient(bridge);
  const unsubscribe = subscribeToEvents(api);
  await loadInitialState(api);
  render(
    <ApiContext.Provider value={api}>
      <App />
    </ApiContext.Provider>,
  );
  return unsubscribe;
}
