import { defineStore } from 'pinia';
import { ref } from 'vue';
import { isLocale, preferredLocale, type Locale } from '../i18n/locales.js';

// Only the language is remembered between sessions; nothing secret ever goes to storage here.
const KEY = 'topke.locale';

function initialLocale(): Locale {
  const saved = window.localStorage.getItem(KEY);
  return isLocale(saved) ? saved : preferredLocale(window.navigator.languages);
}

/** The engineer's preferences: the interface language. */
export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(initialLocale());

  function setLocale(next: Locale): void {
    locale.value = next;
    window.localStorage.setItem(KEY, next);
  }

  return { locale, setLocale };
});
