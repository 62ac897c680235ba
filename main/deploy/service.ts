import { notFound, TopkeError } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { hostKeyChanges } from '../hostkeys/views.js';
import { createKnownHostsStore } from '../ssh/known-hosts.js';
import {
  findCluster,
  insertNodes,
  saveDeployingCluster,
  updateClusterSettings,
} from './cluster-store.js';
import { DeployJob } from './engine.js';
import { prepareNodeCreate } from './node-create.js';
import type { DeployPlan } from './plan.js';
import { prepareDeploy } from './prepare.js';
import { DeployRecorder } from './recorder.js';
import { clearRunning, failInterruptedDeploys, markRunning } from './recovery.js';
import type { DeploySnapshot } from './snapshot.js';
import { listDeploys } from './history.js';
import { readDeployStatus } from './status.js';
import { DeployStore } from './store.js';

function busyError(field: string, what: string, whatCn: string): TopkeError {
  return new TopkeError({
    code: 'conflict',
    field,
    message: `${field}: ${what} is being deployed already; wait for it to end`,
    messageCn: `${field}：${whatCn}正在部署中，请等待其结束`,
  });
}

/** Deploy, deploy status, the list of a cluster's deploys, and node create. Deploys run in the background, one per cluster at a
 * time; their records are written as they go, and status reads only those records. */
export function createDeployHandlers(ctx: ServiceContext): {
  handlers: Handlers<'deploy' | 'deployStatus' | 'deployList' | 'nodeCreate'>;
  close(): Promise<void>;
} {
  const log = ctx.log.child({ scope: 'deploy' });
  const knownHosts = createKnownHostsStore(ctx.db);
  failInterruptedDeploys(ctx);
  const jobs = new Set<DeployJob>();
  // Held from the request's check until its deploy ends: "<tenant>/<name>" and cluster uuids.
  const locks = new Set<string>();

  async function locked<T>(
    keys: string[],
    conflict: () => TopkeError,
    work: () => Promise<T>,
  ): Promise<T> {
    if (keys.some((k) => locks.has(k))) throw conflict();
    keys.forEach((k) => locks.add(k));
    try {
      return await work();
    } catch (err) {
      keys.forEach((k) => locks.delete(k));
      throw err;
    }
  }

  function start(
    plan: DeployPlan,
    snapshot: DeploySnapshot,
    ownNodes: Set<string>,
    keys: string[],
  ): void {
    const store = new DeployStore(ctx.db, plan.deployId);
    store.create(plan.clusterUuid, plan.kind, snapshot, plan.newHosts);
    markRunning(ctx.dataDir, plan.deployId);
    const rec = new DeployRecorder(store, plan.clusterUuid, ctx.events, log, plan.redact);
    const job = new DeployJob(ctx, plan, rec, ownNodes);
    jobs.add(job);
    // The cluster is free again as soon as its record says the deploy is over: the engineer who
    // reads "failed" and deploys again must not be told it is still running while the old
    // connections close.
    const release = () => keys.forEach((k) => locks.delete(k));
    void job.finished.then(release, release);
    void job.done.finally(() => {
      jobs.delete(job);
      clearRunning(ctx.dataDir, plan.deployId);
    });
  }

  return {
    handlers: {
      deploy: async (request) => {
        const name = `${request.tenant_uuid}/${request.name}`;
        return locked(
          [name],
          () => busyError('name', `cluster "${request.name}"`, `集群 “${request.name}” `),
          async () => {
            const { plan, snapshot, ownNodes } = await prepareDeploy(ctx, request);
            locks.add(plan.clusterUuid);
            saveDeployingCluster(
              ctx.db,
              ctx.secrets,
              plan.clusterUuid,
              plan.settings,
              plan.credentials,
              plan.newHosts,
            );
            start(plan, snapshot, ownNodes, [name, plan.clusterUuid]);
            log.info({ uuid: plan.clusterUuid, deploy: plan.deployId }, 'deploy started');
            return { uuid: plan.clusterUuid };
          },
        );
      },
      deployStatus: async ({ uuid, deploy_id }) => {
        const status = readDeployStatus(ctx.db, uuid, deploy_id);
        const hosts = [...status.master_list, ...status.node_list].map((n) => n.IP);
        return { ...status, host_key_changes: hostKeyChanges(knownHosts, hosts) };
      },
      deployList: async ({ uuid }) => listDeploys(ctx.db, uuid),
      nodeCreate: async (request) =>
        locked(
          [request.uuid],
          () => busyError('uuid', `cluster ${request.uuid}`, `集群 ${request.uuid} `),
          async () => {
            const { plan, snapshot, workers } = await prepareNodeCreate(ctx, request);
            // Removed from management while its bundle was read: nothing is left to add to.
            if (!findCluster(ctx.db, request.uuid)) throw notFound('cluster', '集群', request.uuid);
            updateClusterSettings(
              ctx.db,
              ctx.secrets,
              plan.clusterUuid,
              plan.settings,
              plan.credentials,
            );
            insertNodes(ctx.db, plan.clusterUuid, workers);
            start(plan, snapshot, new Set(), [request.uuid]);
            log.info(
              { uuid: plan.clusterUuid, deploy: plan.deployId, nodes: workers.length },
              'node create started',
            );
            return { uuid: plan.clusterUuid };
          },
        ),
    },
    close: async () => {
      await Promise.allSettled([...jobs].map((job) => job.stop()));
    },
  };
}
