// Enrollment: the terminal's identity and certificate, and the form that enrolls it with a
// platform operator's code (which also leaves demo mode).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrollmentView, FirstSyncView } from '../../../../preload/api';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { Fact } from '../../components/Fact';
import { formatDateTime } from '../../format/money';
import { useTerminal } from '../../store/terminal-store';

export function EnrollmentPanel() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [view, setView] = useState<EnrollmentView | null>(null);
  const [platformUrl, setPlatformUrl] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [firstSync, setFirstSync] = useState<FirstSyncView | null>(null);
  const [busy, setBusy] = useState(false);
  const locale = i18n.language;

  useEffect(() => {
    api.call('enrollment.status').then(
      (v) => (setView(v), setPlatformUrl(v.platformUrl ?? '')),
      (e: unknown) => setError(describeError(e)),
    );
  }, [api]);

  const enroll = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFirstSync(null);
    try {
      const enrolled = await api.call('enrollment.enroll', { platformUrl, code });
      setView(enrolled);
      setFirstSync(enrolled.firstSync);
      setCode('');
      const info = await api.call('app.info');
      useTerminal.setState((s) => ({ app: { ...s.app, info } }));
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="enrollment-title">
      <h3 id="enrollment-title">{t('settings.enrollment')}</h3>
      {view !== null && (
        <dl className="facts">
          <Fact label={t('settings.mode')} value={t(`app.mode.${view.mode}`)} />
          <Fact label={t('receipt.merchant')} value={view.merchantId ?? '—'} />
          <Fact label={t('receipt.terminal')} value={view.terminalId ?? '—'} />
          <Fact label={t('settings.platformUrl')} value={view.platformUrl ?? '—'} />
          <Fact
            label={t('settings.certificate')}
            value={
              view.certificate === null
                ? '—'
                : t('settings.certificateValue', {
                    serial: view.certificate.serial,
                    until: formatDateTime(view.certificate.validUntil, locale),
                  })
            }
          />
          <Fact
            label={t('settings.suspended')}
            value={view.suspended ? t('common.yes') : t('common.no')}
          />
          <Fact
            label={t('settings.keyProtection')}
            value={view.keyProtection === null ? '—' : t(`settings.key.${view.keyProtection}`)}
          />
        </dl>
      )}
      <form onSubmit={(e) => void enroll(e)} className="form">
        <label>
          {t('settings.platformUrl')}
          <input
            type="url"
            required
            value={platformUrl}
            placeholder="https://platform.example"
            onChange={(e) => setPlatformUrl(e.target.value)}
          />
        </label>
        <label>
          {t('settings.code')}
          <input
            required
            minLength={4}
            autoComplete="off"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {t('settings.enroll')}
        </button>
      </form>
      {firstSync?.ok === true && <p role="status">{t('settings.firstSyncOk')}</p>}
      {firstSync?.ok === false && (
        <p role="alert" className="error">
          {t('settings.firstSyncFailed', { code: firstSync.code, message: firstSync.message })}
        </p>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
