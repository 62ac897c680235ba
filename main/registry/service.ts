import { notImplemented } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';

export function createRegistryHandlers(_ctx: ServiceContext): Handlers<'registryDistribute'> {
  return {
    registryDistribute: async () => {
      throw notImplemented('registry distribute');
    },
  };
}
