// S1 on the panel: a new user's name, and a new phone activated for them through the
// platform's activation API (demo.addPhone); its card then joins the list.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface AddPhoneProps {
  readonly busy: boolean;
  readonly onAdd: (label: string) => void;
}

export function AddPhone({ busy, onAdd }: AddPhoneProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const label = name.trim();
  return (
    <section className="add-phone" aria-labelledby="add-phone-title">
      <h3 id="add-phone-title">{t('demo.addPhoneTitle')}</h3>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          if (label !== '') onAdd(label);
        }}
      >
        <label>
          {t('demo.newUserName')}
          <input
            type="text"
            maxLength={40}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy || label === ''}>
          {t('demo.addPhone')}
        </button>
      </form>
    </section>
  );
}
