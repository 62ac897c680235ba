import { createI18n } from 'vue-i18n';
import en from './en.js';
import zhCN from './zh-CN.js';
import type { Locale } from './locales.js';

export type MessageSchema = typeof en;

/** Both languages; the Chinese table must have every key of the English one. */
export function createAppI18n(locale: Locale) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
  });
}
