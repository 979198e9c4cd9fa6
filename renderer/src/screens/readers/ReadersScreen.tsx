// Every reader the terminal sees, its state and last error; the PC/SC notice when the stack is
// missing or no reader is plugged in.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { applyEvent } from '../../store/events';
import { selectReaders } from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';

export function ReadersScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const readers = useTerminal(selectReaders);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    api.call('readers.list').then(
      (r) => (applyEvent('readers.changed', r), setError(null)),
      (e: unknown) => setError(describeError(e)),
    );
  const list = readers?.readers ?? [];
  const showNotice = readers !== null && (!readers.pcsc.available || list.length === 0);
  return (
    <div className="readers">
      <h2>{t('readers.title')}</h2>
      <button type="button" onClick={() => void refresh()}>
        {t('common.refresh')}
      </button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {showNotice && (
        <div className="banner warn" role="note">
          <p>{list.length === 0 ? t('readers.none') : t('readers.pcscMissing')}</p>
          <p>{readers.pcsc.notice ?? t('readers.pcscHint')}</p>
        </div>
      )}
      <ul className="cards" aria-label={t('readers.title')}>
        {list.map((reader) => (
          <li key={reader.name} className="card" data-state={reader.state}>
            <h3>{reader.name}</h3>
            <p>
              {t(`readers.driver.${reader.driver}`)} · <span className="dot" aria-hidden="true" />
              {t(`readers.state.${reader.state}`)}
            </p>
            <p className={reader.lastError === null ? 'muted' : 'error'}>
              {reader.lastError === null
                ? t('readers.noError')
                : t('readers.lastError', { error: reader.lastError })}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
