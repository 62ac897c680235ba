import { createApp, watch } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { connect } from './api/index.js';
import { createAppI18n } from './i18n/index.js';
import { createAppRouter } from './router.js';
import { useConnectionStore } from './stores/connection.js';
import { useSettingsStore } from './stores/settings.js';

const pinia = createPinia();
const app = createApp(App).use(pinia);

// The token must leave the address bar before the router reads the fragment as a route.
const connection = useConnectionStore(pinia);
connection.connected(connect(() => connection.refused()).kind);

const settings = useSettingsStore(pinia);
const i18n = createAppI18n(settings.locale);
watch(
  () => settings.locale,
  (locale) => {
    i18n.global.locale.value = locale;
    document.documentElement.lang = locale;
  },
  { immediate: true },
);

app.use(i18n).use(createAppRouter()).mount('#app');
