// The bottom line: the connection to the terminal service and the last app.status message.
import { useTranslation } from 'react-i18next';
import { selectConnection, selectInfo, selectStatus } from '../store/selectors';
import { useTerminal } from '../store/terminal-store';

export function StatusBar() {
  const { t } = useTranslation();
  const connection = useTerminal(selectConnection);
  const status = useTerminal(selectStatus);
  const info = useTerminal(selectInfo);
  const problem = connection !== 'open' && connection !== 'connecting';
  return (
    <footer className="status-bar">
      <p
        role="status"
        aria-live="polite"
        data-level={problem ? 'error' : (status?.level ?? 'info')}
      >
        {problem
          ? t(`app.connection.${connection}`)
          : (status?.message ?? t(`app.connection.${connection}`))}
      </p>
      {info !== null && (
        <p className="muted">
          {t(`app.mode.${info.mode}`)} · {t(`app.transport.${info.transport}`)} · v{info.version}
        </p>
      )}
    </footer>
  );
}
