// Types the translation keys: t('a.missing.key') fails to compile.
import 'i18next';
import type { en } from './en';

/** The shape every other language's resources must have: en's keys, any strings. */
export type Resources<T = typeof en> = {
  readonly [K in keyof T]: T[K] extends string
    ? string
    : T[K] extends readonly string[]
      ? readonly string[]
      : Resources<T[K]>;
};

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
