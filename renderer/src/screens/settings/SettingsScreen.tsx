// Settings: enrollment, sync and parameters, language, theme, and the ledger's backup.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, Theme } from '../../../../preload/api';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { LANGUAGES } from '../../i18n';
import { saveSettings } from '../../store/actions';
import { selectLanguage, selectTheme } from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';
import { THEMES } from '../../theme';
import { EnrollmentPanel } from './EnrollmentPanel';
import { SyncPanel } from './SyncPanel';

export function SettingsScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const language = useTerminal(selectLanguage);
  const theme = useTerminal(selectTheme);
  const [path, setPath] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [confirmRestore, setConfirmRestore] = useState(false);

  const save = (change: { language?: Language; theme?: Theme }) =>
    saveSettings(api, change).catch((e: unknown) =>
      setMessage({ error: true, text: describeError(e) }),
    );

  const backup = async (kind: 'backup.create' | 'backup.restore') => {
    setConfirmRestore(false);
    try {
      const done = await api.call(kind, { path });
      const key = kind === 'backup.create' ? 'settings.backupDone' : 'settings.restoreDone';
      setMessage({ error: false, text: t(key, { path: done.path, bytes: done.bytes }) });
    } catch (caught) {
      setMessage({ error: true, text: describeError(caught) });
    }
  };

  return (
    <div className="settings">
      <h2>{t('settings.title')}</h2>
      <section aria-labelledby="appearance-title" className="form">
        <h3 id="appearance-title">{t('settings.appearance')}</h3>
        <label>
          {t('settings.language')}
          <select
            value={language}
            onChange={(e) => void save({ language: e.target.value as Language })}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`settings.languages.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('settings.theme')}
          <select value={theme} onChange={(e) => void save({ theme: e.target.value as Theme })}>
            {THEMES.map((th) => (
              <option key={th} value={th}>
                {t(`settings.themes.${th}`)}
              </option>
            ))}
          </select>
        </label>
      </section>
      <EnrollmentPanel />
      <SyncPanel />
      <section aria-labelledby="backup-title" className="form">
        <h3 id="backup-title">{t('settings.backup')}</h3>
        <label>
          {t('settings.backupPath')}
          <input value={path} spellCheck={false} onChange={(e) => setPath(e.target.value)} />
        </label>
        <div className="actions">
          <button type="button" disabled={path === ''} onClick={() => void backup('backup.create')}>
            {t('settings.backupCreate')}
          </button>
          <button type="button" disabled={path === ''} onClick={() => setConfirmRestore(true)}>
            {t('settings.backupRestore')}
          </button>
        </div>
        {message !== null && (
          <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>
            {message.text}
          </p>
        )}
      </section>
      {confirmRestore && (
        <ConfirmDialog
          title={t('settings.restoreTitle')}
          confirmLabel={t('settings.backupRestore')}
          onConfirm={() => void backup('backup.restore')}
          onCancel={() => setConfirmRestore(false)}
        >
          <p>{t('settings.restoreQuestion', { path })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
