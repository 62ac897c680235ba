import { asTopkeError, TopkeError } from './contract/errors.js';
import {
  OPERATIONS,
  type OperationName,
  type OperationRequest,
  type OperationResults,
  type TopkeApi,
} from './contract/operations.js';
import { validate } from './contract/validate.js';
import type { ServiceContext } from './context.js';
import { createClusterHandlers } from './clusters/service.js';
import { ClusterLocks } from './deploy/cluster-locks.js';
import { createDeployHandlers } from './deploy/service.js';
import { createHostKeyHandlers } from './hostkeys/service.js';
import { createPreflightHandlers } from './preflight/service.js';
import { createRegistryHandlers } from './registry/service.js';
import { createScanHandlers } from './scan/service.js';
import { createTenantHandlers } from './tenants/service.js';

/** A feature's implementation of some operations, receiving already-validated requests. */
export type Handlers<K extends OperationName> = {
  [P in K]: (request: OperationRequest<P>) => Promise<OperationResults[P]>;
};

/** What Services.close ended: the scans it cancelled and the deploys it interrupted. */
export interface StoppedWork {
  scans: number;
  deploys: number;
}

export interface Services {
  api: TopkeApi;
  /** Stops background work (deploys, scans, SSH connections) before the process exits. */
  close(): Promise<StoppedWork>;
}

/** Operations that read or change deploys and clusters: before them, deploys whose process has
 * gone are recorded as interrupted, so that none reads "running" for ever. */
const SETTLE_FIRST = new Set<OperationName>([
  'deploy',
  'deployStatus',
  'deployList',
  'deployPurge',
  'nodeCreate',
  'clusterDelete',
  'clusterGet',
  'clusterList',
]);

/** The service layer: every operation validates its input, then runs its feature's handler. */
export function createServices(ctx: ServiceContext): Services {
  // A cluster being deployed is not removed from management meanwhile.
  const locks = new ClusterLocks();
  const deploy = createDeployHandlers(ctx, locks);
  const scan = createScanHandlers(ctx);
  const clusters = createClusterHandlers(ctx, locks);
  const registry = createRegistryHandlers(ctx);
  const handlers: Handlers<OperationName> = {
    ...deploy.handlers,
    ...scan.handlers,
    ...clusters,
    ...createTenantHandlers(ctx),
    ...registry,
    ...createPreflightHandlers(ctx),
    ...createHostKeyHandlers(ctx),
  };
  const api = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of Object.keys(OPERATIONS) as OperationName[]) {
    api[name] = async (input: unknown) => {
      const request = validate(OPERATIONS[name].request, input ?? {});
      try {
        if (SETTLE_FIRST.has(name)) deploy.settle();
        return await (handlers[name] as (r: unknown) => Promise<unknown>)(request);
      } catch (err) {
        if (!(err instanceof TopkeError))
          ctx.log.error({ err, operation: name }, 'operation failed');
        throw asTopkeError(err);
      }
    };
  }
  return {
    api: api as unknown as TopkeApi,
    close: async () => {
      const [deploys, scans] = await Promise.all([deploy.close(), scan.close()]);
      return { scans, deploys };
    },
  };
}
