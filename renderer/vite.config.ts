import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { OPERATIONS } from '../main/contract/operations.js';

// The renderer gets the operations' HTTP routes from the contract's table at build time, so that
// they are never copied by hand; of the zod schemas it loads only what the wizard checks as the
// engineer types (main/contract/deploy-settings.ts), not the table.
const routes = Object.fromEntries(
  Object.entries(OPERATIONS).map(([name, op]) => [name, { path: op.path, methods: op.methods }]),
);

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [vue()],
  define: {
    __TOPKE_ROUTES__: JSON.stringify(routes),
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
