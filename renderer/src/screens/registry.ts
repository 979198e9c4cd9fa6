// The app's screens, in tab order. The cashier's is imported eagerly (it is the first screen);
// every other one is a lazy chunk, so the cashier's first load stays small.
import { lazy, type ComponentType } from 'react';
import { CashierScreen } from './cashier/CashierScreen';

export type ScreenId =
  'cashier' | 'history' | 'settlement' | 'reports' | 'readers' | 'settings' | 'demo';

export interface ScreenEntry {
  readonly id: ScreenId;
  readonly component: ComponentType;
  /** Only in demo mode. */
  readonly demoOnly: boolean;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'cashier', component: CashierScreen, demoOnly: false },
  {
    id: 'history',
    component: lazy(() =>
      import('./history/HistoryScreen').then((m) => ({ default: m.HistoryScreen })),
    ),
    demoOnly: false,
  },
  {
    id: 'settlement',
    component: lazy(() =>
      import('./settlement/SettlementScreen').then((m) => ({ default: m.SettlementScreen })),
    ),
    demoOnly: false,
  },
  {
    id: 'reports',
    component: lazy(() =>
      import('./reports/ReportsScreen').then((m) => ({ default: m.ReportsScreen })),
    ),
    demoOnly: false,
  },
  {
    id: 'readers',
    component: lazy(() =>
      import('./readers/ReadersScreen').then((m) => ({ default: m.ReadersScreen })),
    ),
    demoOnly: false,
  },
  {
    id: 'settings',
    component: lazy(() =>
      import('./settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })),
    ),
    demoOnly: false,
  },
  {
    id: 'demo',
    component: lazy(() => import('./demo/DemoScreen').then((m) => ({ default: m.DemoScreen }))),
    demoOnly: true,
  },
];
