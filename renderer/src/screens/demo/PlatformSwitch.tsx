// The embedded platform on or off the network (demo.platform): an offline day for the
// terminal and the phones, then the catch-up when it is back.
import { useTranslation } from 'react-i18next';
import type { DemoView } from '../../../../preload/api';

export interface PlatformSwitchProps {
  readonly view: DemoView;
  readonly busy: boolean;
  readonly onChange: (online: boolean) => void;
}

export function PlatformSwitch({ view, busy, onChange }: PlatformSwitchProps) {
  const { t } = useTranslation();
  return (
    <section className="platform-switch" aria-label={t('demo.platform')}>
      <label>
        <input
          type="checkbox"
          checked={view.platformOnline}
          disabled={busy}
          onChange={(e) => onChange(e.target.checked)}
        />
        {t('demo.platform')}
      </label>
      <p className={view.platformOnline ? 'muted' : 'banner warn'}>
        {t(view.platformOnline ? 'demo.platformOnline' : 'demo.platformOffline')}
      </p>
    </section>
  );
}
