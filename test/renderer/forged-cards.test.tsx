// @vitest-environment jsdom
// The demo panel's Forged cards section: every forgery offered by its translated name, and
// the one picked (with the phone picked, or none for "the first that can pay") is tapped.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_FORGERIES } from '../../preload/contract/methods';
import { changeLanguage, initI18n } from '../../renderer/src/i18n';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { ForgedCards } from '../../renderer/src/screens/demo/ForgedCards';
import { demo, phone } from './views';

const view = demo([phone(), phone({ phoneId: 'bo', label: 'Bo' })]);

beforeAll(() => {
  initI18n('en');
});
afterEach(() => {
  cleanup();
  changeLanguage('en');
});

describe('ForgedCards', () => {
  it('offers every forgery by name and taps the one picked over the first phone that can pay', () => {
    const onTap = vi.fn();
    render(<ForgedCards view={view} busy={false} onTap={onTap} />);
    const section = screen.getByRole('region', { name: 'Forged cards' });
    const forgery = within(section).getByRole('combobox', { name: 'Forgery' });
    const options = within(forgery).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(
      DEMO_FORGERIES.map((name) => en.forgeries.names[name]),
    );
    fireEvent.change(forgery, { target: { value: 'record_flipped' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Tap forged card' }));
    expect(onTap).toHaveBeenCalledWith('record_flipped', undefined);
  });

  it('taps over the phone picked, and waits while the panel is busy', () => {
    const onTap = vi.fn();
    const { rerender } = render(<ForgedCards view={view} busy={false} onTap={onTap} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Phone behind it' }), {
      target: { value: 'bo' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Tap forged card' }));
    expect(onTap).toHaveBeenCalledWith('transit_card', 'bo');
    rerender(<ForgedCards view={view} busy={true} onTap={onTap} />);
    expect(screen.getByRole('button', { name: 'Tap forged card' })).toHaveProperty(
      'disabled',
      true,
    );
  });

  it('speaks Chinese', () => {
    changeLanguage('zh-CN');
    render(<ForgedCards view={view} busy={false} onTap={() => undefined} />);
    expect(screen.getByRole('region', { name: zhCN.forgeries.title })).toBeTruthy();
    expect(screen.getByRole('button', { name: zhCN.forgeries.tap })).toBeTruthy();
    expect(screen.getByRole('option', { name: zhCN.forgeries.names.transit_card })).toBeTruthy();
  });
});
