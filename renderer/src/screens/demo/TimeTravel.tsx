// Moves the demo's shared clock forward: just past T (wipe after lock), T1 (powered off too
// long) or T2 (offline too long), or by any number of minutes.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoView } from '../../../../preload/api';
import { formatDateTime, formatDuration } from '../../format/money';

export interface TimeTravelProps {
  readonly view: DemoView;
  readonly busy: boolean;
  readonly onTravel: (seconds: number) => void;
}

const TIMERS = ['T', 'T1', 'T2'] as const;

export function TimeTravel({ view, busy, onTravel }: TimeTravelProps) {
  const { t, i18n } = useTranslation();
  const [minutes, setMinutes] = useState('60');
  return (
    <section className="time-travel" aria-labelledby="time-travel-title">
      <h3 id="time-travel-title">{t('demo.timeTravel')}</h3>
      <p>
        {t('demo.clock', {
          now: formatDateTime(view.clock.now, i18n.language),
          offset: formatDuration(view.clock.offsetSeconds),
        })}
      </p>
      <div className="actions">
        {TIMERS.map((timer) => (
          <button
            key={timer}
            type="button"
            disabled={busy}
            aria-label={t('demo.pastTimer', {
              timer,
              duration: formatDuration(view.timers[timer]),
            })}
            onClick={() => onTravel(view.timers[timer] + 60)}
          >
            {t('demo.pastTimer', { timer, duration: formatDuration(view.timers[timer]) })}
          </button>
        ))}
        <label>
          {t('demo.minutes')}
          <input
            type="number"
            min={1}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </label>
        <button
          type="button"
          disabled={busy || !(Number(minutes) >= 1)}
          onClick={() => onTravel(Math.round(Number(minutes) * 60))}
        >
          {t('demo.travel')}
        </button>
      </div>
    </section>
  );
}
