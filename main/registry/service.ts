import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { distributeRegistry } from './distribute.js';
import { createRegistry, listRegistries, removeRegistry, updateRegistry } from './manage.js';

/** Managed registries (create, list, update, delete) and the spec's registry distribute. */
export function createRegistryHandlers(
  ctx: ServiceContext,
): Handlers<
  'registryDistribute' | 'registryCreate' | 'registryList' | 'registryUpdate' | 'registryDelete'
> {
  return {
    registryDistribute: (request) => distributeRegistry(ctx, request),
    registryCreate: async (request) => createRegistry(ctx, request),
    registryList: async () => listRegistries(ctx),
    registryUpdate: async (request) => updateRegistry(ctx, request),
    registryDelete: async (request) => removeRegistry(ctx, request),
  };
}
