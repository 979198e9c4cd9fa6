// A phone's wallet state in the screen's language; a state this build does not know is shown
// as the phone reports it.
import type { TFunction } from 'i18next';
import { en } from '../../i18n/en';

type KnownState = keyof (typeof en)['demo']['walletStates'];

function isKnown(state: string): state is KnownState {
  return Object.hasOwn(en.demo.walletStates, state);
}

export function walletStateText(state: string, t: TFunction): string {
  return isKnown(state) ? t(`demo.walletStates.${state}`) : state;
}
