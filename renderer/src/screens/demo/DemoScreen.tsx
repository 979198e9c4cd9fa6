// The demo panel: the emulated phones and their actions, the shared clock's time travel, and
// the scenario guide. Shown only when the terminal runs in demo mode.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoAction } from '../../../../preload/api';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { refreshDemo } from '../../store/actions';
import { applyEvent } from '../../store/events';
import { selectDemo } from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';
import { ForgedCards } from './ForgedCards';
import { AddPhone } from './AddPhone';
import { PhoneCard } from './PhoneCard';
import { ScenarioGuide } from './ScenarioGuide';
import { TimeTravel } from './TimeTravel';
import { PlatformSwitch } from './PlatformSwitch';

export function DemoScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const view = useTerminal(selectDemo);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    refreshDemo(api).catch((e: unknown) => setError(describeError(e)));
  }, [api]);

  const run = async (work: () => ReturnType<typeof api.call<'demo.state'>>) => {
    setBusy(true);
    setError(null);
    try {
      applyEvent('demo.changed', await work());
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  const act = (phoneId: string, action: DemoAction, amount?: number) =>
    void run(() =>
      api.call(
        'demo.action',
        amount === undefined ? { phoneId, action } : { phoneId, action, amount },
      ),
    );

  return (
    <div className="demo">
      <h2>{t('demo.title')}</h2>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="demo-layout">
        <div>
          {view !== null && (
            <TimeTravel
              view={view}
              busy={busy}
              onTravel={(seconds) => void run(() => api.call('demo.timeTravel', { seconds }))}
            />
          )}
          {view !== null && (
            <PlatformSwitch
              view={view}
              busy={busy}
              onChange={(online) => void run(() => api.call('demo.platform', { online }))}
            />
          )}
          <AddPhone
            busy={busy}
            onAdd={(label) => void run(() => api.call('demo.addPhone', { label }))}
          />
          <ul className="cards phones" aria-label={t('demo.phones')}>
            {view?.phones.map((phone) => (
              <PhoneCard
                key={phone.phoneId}
                phone={phone}
                busy={busy}
                onAction={(action, amount) => act(phone.phoneId, action, amount)}
              />
            ))}
          </ul>
          {view !== null && (
            <ForgedCards
              view={view}
              busy={busy}
              onTap={(forgery, phoneId) =>
                void run(() =>
                  api.call(
                    'demo.forgedTap',
                    phoneId === undefined ? { forgery } : { forgery, phoneId },
                  ),
                )
              }
            />
          )}
        </div>
        <ScenarioGuide />
      </div>
    </div>
  );
}
