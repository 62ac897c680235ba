/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

/** Every operation's HTTP route, from the contract's OPERATIONS table (see vite.config.ts). */
declare const __TOPKE_ROUTES__: {
  [K in import('../../main/contract/operations.js').OperationName]: {
    path: string;
    methods: readonly string[];
  };
};
