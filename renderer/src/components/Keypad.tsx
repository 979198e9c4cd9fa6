// The on-screen keypad. Buttons keep the focus where it was (mouse down does not move it), so
// a cashier can mix mouse and keyboard; each key has a name for screen readers and tests.
import { useTranslation } from 'react-i18next';
import type { AmountKey } from './amount-entry';

const KEYS: readonly AmountKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '00', '0', 'back'];

export interface KeypadProps {
  readonly disabled: boolean;
  readonly onKey: (key: AmountKey) => void;
}

export function Keypad({ disabled, onKey }: KeypadProps) {
  const { t } = useTranslation();
  return (
    <div className="keypad" role="group" aria-label={t('cashier.keypad')}>
      {KEYS.map((key) => (
        <button
          key={key}
          type="button"
          disabled={disabled}
          aria-label={key === 'back' ? t('cashier.backspace') : key}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onKey(key)}
        >
          {key === 'back' ? '⌫' : key}
        </button>
      ))}
    </div>
  );
}
