import { notImplemented } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';

export function createScanHandlers(_ctx: ServiceContext): {
  handlers: Handlers<'hostScan' | 'vipTest'>;
  close(): Promise<void>;
} {
  return {
    handlers: {
      hostScan: async () => {
        throw notImplemented('host scan');
      },
      vipTest: async () => {
        throw notImplemented('VIP test');
      },
    },
    close: async () => {},
  };
}
