// The reader a sale uses and its state, or why there is none (the PC/SC notice).
import { useTranslation } from 'react-i18next';
import type { ReadersView, ReaderView } from '../../../preload/api';

export interface ReaderLineProps {
  readonly reader: ReaderView | null;
  readonly readers: ReadersView | null;
}

export function ReaderLine({ reader, readers }: ReaderLineProps) {
  const { t } = useTranslation();
  if (reader === null) {
    return (
      <p className="reader-line" data-state="none">
        {t('readers.none')}
        {readers !== null && readers.pcsc.notice !== null && (
          <span className="muted"> {readers.pcsc.notice}</span>
        )}
      </p>
    );
  }
  return (
    <p className="reader-line" data-state={reader.state}>
      <span className="dot" aria-hidden="true" />
      {t('readers.line', { name: reader.name, state: t(`readers.state.${reader.state}`) })}
      {reader.lastError !== null && <span className="muted"> — {reader.lastError}</span>}
    </p>
  );
}
