import { TopkeError } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { hostKeyChanges } from '../hostkeys/views.js';
import { createKnownHostsStore } from '../ssh/known-hosts.js';
import { confirmCluster } from './cluster-claim.js';
import type { ClusterLocks } from './cluster-locks.js';
import { insertNodes, saveDeployingCluster, updateClusterSettings } from './cluster-store.js';
import { DeployJob } from './engine.js';
import { prepareNodeCreate, usableCluster } from './node-create.js';
import type { DeployPlan } from './plan.js';
import { checkHostsUnowned } from './host-owners.js';
import { checkDeployRequest, deployHostLists, planDeploy } from './prepare.js';
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

/** Deploy, deploy status, the list of a cluster's deploys, and node create. Deploys run in the
 * background, one per cluster at a time; their records are written as they go, and status reads
 * only those records. `locks` is shared with the removal of clusters from management. */
export function createDeployHandlers(
  ctx: ServiceContext,
  locks: ClusterLocks,
): {
  handlers: Handlers<'deploy' | 'deployStatus' | 'deployList' | 'nodeCreate'>;
  /** Marks failed the open deploys whose process is gone (see recovery.ts). */
  settle(): void;
  /** Stops the deploys; answers how many were still running (and so were interrupted). */
  close(): Promise<number>;
} {
  const log = ctx.log.child({ scope: 'deploy' });
  const knownHosts = createKnownHostsStore(ctx.db);
  /** The deploys this process runs, by deploy id, until their connections have closed. */
  const jobs = new Map<string, DeployJob>();
  /** Jobs whose deploy is not over yet (a job stays in `jobs` until its connections close). */
  const running = new Set<DeployJob>();
  const settle = () => void failInterruptedDeploys(ctx, (id) => jobs.has(id));
  settle();

  /** Runs `work` holding `keys` (and those it adds with `hold`); when it fails they are let go,
   * and a deploy it starts keeps them until it ends. */
  async function locked<T>(
    keys: string[],
    conflict: () => TopkeError,
    work: (hold: (key: string) => void) => Promise<T>,
  ): Promise<T> {
    if (!locks.take(keys)) throw conflict();
    const held = [...keys];
    const hold = (key: string) => {
      if (!locks.take([key])) throw conflict();
      held.push(key);
    };
    try {
      return await work(hold);
    } catch (err) {
      locks.release(held);
      throw err;
    }
  }

  /** Writes the cluster's records (`claim`, which checks again that the cluster is as the request
   * found it) and the deploy's first records in one transaction, so that a failure leaves neither
   * half of them, then runs the deploy. */
  function start(
    plan: DeployPlan,
    snapshot: DeploySnapshot,
    ownNodes: Set<string>,
    keys: string[],
    claim: () => void,
  ): void {
    const store = new DeployStore(ctx.db, plan.deployId);
    // Marked before its records exist: another process never sees the open deploy unmarked.
    markRunning(ctx.dataDir, plan.deployId);
    try {
      ctx.db
        .transaction(() => {
          claim();
          store.create(plan.clusterUuid, plan.kind, snapshot, plan.newHosts);
        })
        .immediate();
    } catch (err) {
      clearRunning(ctx.dataDir, plan.deployId);
      throw err;
    }
    const rec = new DeployRecorder(store, plan.clusterUuid, ctx.events, log, plan.redact);
    const job = new DeployJob(ctx, plan, rec, ownNodes);
    jobs.set(plan.deployId, job);
    // The cluster is free again as soon as its record says the deploy is over: the engineer who
    // reads "failed" and deploys again must not be told it is still running while the old
    // connections close.
    const release = () => {
      locks.release(keys);
      running.delete(job);
    };
    running.add(job);
    void job.finished.then(release, release);
    void job.done.finally(() => {
      jobs.delete(plan.deployId);
      clearRunning(ctx.dataDir, plan.deployId);
    });
  }

  return {
    handlers: {
      deploy: async (request) => {
        const name = `${request.tenant_uuid}/${request.name}`;
        const busy = () =>
          busyError('name', `cluster "${request.name}"`, `集群 “${request.name}” `);
        return locked([name], busy, async (hold) => {
          const checked = checkDeployRequest(ctx, request);
          // Held before the bundle is read: a failed cluster this deploy resumes stays managed.
          hold(checked.cluster.uuid);
          const { plan, snapshot, ownNodes } = await planDeploy(ctx, request, checked);
          start(plan, snapshot, ownNodes, [name, plan.clusterUuid], () => {
            confirmCluster(ctx.db, request.tenant_uuid, request.name, checked.cluster);
            // Again here: another process may have recorded one of these hosts meanwhile.
            checkHostsUnowned(ctx.db, plan.clusterUuid, deployHostLists(request));
            saveDeployingCluster(
              ctx.db,
              ctx.secrets,
              plan.clusterUuid,
              plan.settings,
              plan.credentials,
              plan.newHosts,
            );
          });
          log.info({ uuid: plan.clusterUuid, deploy: plan.deployId }, 'deploy started');
          return { uuid: plan.clusterUuid };
        });
      },
      deployStatus: async ({ uuid, deploy_id }) => {
        const status = readDeployStatus(ctx.db, uuid, deploy_id);
        const hosts = [...status.master_list, ...status.node_list].map((n) => n.IP);
        return { ...status, host_key_changes: hostKeyChanges(knownHosts, hosts) };
      },
      deployList: async ({ uuid }) => listDeploys(ctx.db, uuid),
      nodeCreate: async (request) => {
        const busy = () => busyError('uuid', `cluster ${request.uuid}`, `集群 ${request.uuid} `);
        return locked([request.uuid], busy, async () => {
          const { plan, snapshot, workers, again } = await prepareNodeCreate(ctx, request);
          start(plan, snapshot, again, [request.uuid], () => {
            // Checked again after the bundle was read: another process may have removed the
            // cluster from management meanwhile, and there is nothing left to add to.
            usableCluster(ctx, request.uuid);
            checkHostsUnowned(ctx.db, request.uuid, [
              { list: 'node_list', entries: request.node_list },
            ]);
            updateClusterSettings(
              ctx.db,
              ctx.secrets,
              plan.clusterUuid,
              plan.settings,
              plan.credentials,
            );
            insertNodes(ctx.db, plan.clusterUuid, workers, again);
          });
          log.info(
            { uuid: plan.clusterUuid, deploy: plan.deployId, nodes: workers.length },
            'node create started',
          );
          return { uuid: plan.clusterUuid };
        });
      },
    },
    settle,
    close: async () => {
      const interrupted = running.size;
      await Promise.allSettled([...jobs.values()].map((job) => job.stop()));
      return interrupted;
    },
  };
}
