import { notImplemented } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';

export function createDeployHandlers(_ctx: ServiceContext): {
  handlers: Handlers<'deploy' | 'deployStatus' | 'nodeCreate'>;
  close(): Promise<void>;
} {
  return {
    handlers: {
      deploy: async () => {
        throw notImplemented('deploy');
      },
      deployStatus: async () => {
        throw notImplemented('deploy status');
      },
      nodeCreate: async () => {
        throw notImplemented('node create');
      },
    },
    close: async () => {},
  };
}
