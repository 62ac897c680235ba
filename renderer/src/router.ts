import { createRouter, createWebHashHistory, type Router } from 'vue-router';
import WizardView from './views/WizardView.vue';
import HistoryView from './views/HistoryView.vue';
import ClusterDetailView from './views/ClusterDetailView.vue';
import ImportView from './views/ImportView.vue';
import RegistriesView from './views/RegistriesView.vue';

/** Hash routes: the desktop window loads index.html from a file, where only the fragment may
 * change (the main process allows navigation within the app's own file URL only). */
export function createAppRouter(): Router {
  return createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', redirect: '/wizard' },
      { path: '/wizard', name: 'wizard', component: WizardView },
      { path: '/clusters', name: 'clusters', component: HistoryView },
      { path: '/clusters/import', name: 'import', component: ImportView },
      { path: '/clusters/:uuid', name: 'cluster', component: ClusterDetailView, props: true },
      { path: '/registries', name: 'registries', component: RegistriesView },
      { path: '/:rest(.*)*', redirect: '/wizard' },
    ],
  });
}
