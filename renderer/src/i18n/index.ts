// Translations: i18next with English and Simplified Chinese resources bundled (they are small),
// switchable at run time. Keys are typed (i18n/types.ts), so a missing one fails to compile.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../preload/api';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

export const resources = {
  en: { translation: en },
  'zh-CN': { translation: zhCN },
} as const;

export function initI18n(language: Language = 'en'): typeof i18next {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources,
      lng: language,
      fallbackLng: 'en',
      initAsync: false,
      interpolation: { escapeValue: false }, // React escapes
    });
  } else if (i18next.language !== language) {
    void i18next.changeLanguage(language);
  }
  document.documentElement.lang = language;
  return i18next;
}

export function changeLanguage(language: Language): void {
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
