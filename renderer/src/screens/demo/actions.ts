// The demo phones' actions, in the order of DEMO_ACTIONS (preload/contract/methods.ts). Kept
// as a typed record here because methods.ts also holds the zod schemas, which must not reach
// the renderer's bundle; a missing or extra action fails to compile.
import type { DemoAction } from '../../../../preload/api';

const ACTIONS: Readonly<Record<DemoAction, { readonly amount: boolean }>> = {
  tap: { amount: false },
  pull_away: { amount: false },
  tear_next: { amount: false },
  swap_sim: { amount: false },
  swap_device: { amount: false },
  power_off: { amount: false },
  power_on: { amount: false },
  signal_off: { amount: false },
  signal_on: { amount: false },
  sync: { amount: false },
  report_lost: { amount: false },
  unlock: { amount: false },
  reactivate: { amount: false },
  top_up: { amount: true },
  unlock_wrong: { amount: false },
  // The clone spends the demo's fixed amount (main/demo/clone.ts): the top-up field is not it.
  clone_spend: { amount: false },
};

export const DEMO_ACTION_LIST = Object.keys(ACTIONS) as DemoAction[];

export function actionTakesAmount(action: DemoAction): boolean {
  return ACTIONS[action].amount;
}
