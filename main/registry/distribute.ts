import pLimit from 'p-limit';
import type { z } from 'zod';
import { asTopkeError, invalidField } from '../contract/errors.js';
import type { RegistryDistributeItem, RegistryDistributeResult } from '../contract/results.js';
import type { RegistryDistributeRequest } from '../contract/schemas.js';
import type { ServiceContext } from '../context.js';
import { targetSecrets, type DeployHost } from '../deploy/hosts.js';
import { createRedactor } from '../deploy/redact.js';
import { splitAddress, type PrivateRegistry } from '../deploy/registry.js';
import { Remote } from '../deploy/remote.js';
import { StepOutput } from '../deploy/step-output.js';
import type { Logger } from '../log.js';
import { createKnownHostsStore } from '../ssh/known-hosts.js';
import { createSshPool } from '../ssh/pool.js';
import type { SshPool } from '../ssh/types.js';
import { clusterHosts } from './cluster-hosts.js';
import { requireRegistry } from './manage.js';
import { placeRegistryCa, type NodeCaOutcome } from './node-ca.js';
import {
  clusterFailed,
  clusterNodesFailed,
  clusterSucceeded,
  nodeFailed,
  nodeFailure,
  nodeSucceeded,
  type NodeFailure,
} from './outcome.js';

type Request = z.output<typeof RegistryDistributeRequest>;

const CLUSTERS_AT_ONCE = 4;
const HOSTS_AT_ONCE = 8;
/** An address with no host behind it should not hold the whole answer for long. */
const CONNECT_TIMEOUT_MS = 15_000;

interface Work {
  ctx: ServiceContext;
  pool: SshPool;
  registry: PrivateRegistry;
  log: Logger;
}

/** The managed registry as nodes need it: its host and CA, never its password. */
function registryToDistribute(ctx: ServiceContext, uuid: string): PrivateRegistry {
  const field = 'registry.registry_uuid';
  const row = requireRegistry(ctx, uuid, field);
  if (!row.ca_cert)
    throw invalidField(
      field,
      `registry ${row.address} has no CA certificate to distribute; add one with registry update`,
      `镜像仓库 ${row.address} 没有可下发的 CA 证书，请先通过更新镜像仓库添加`,
    );
  const { scheme, host } = splitAddress(row.address, field);
  return { scheme, host, project: row.project, user: row.user, password: '', caCert: row.ca_cert };
}

async function toHost(work: Work, host: DeployHost): Promise<NodeCaOutcome | NodeFailure> {
  const output = new StepOutput();
  try {
    const session = await work.pool.session(host.target);
    const outcome = await placeRegistryCa(new Remote(host, session, output), work.registry);
    work.log.debug({ host: host.ip, ...outcome }, 'registry CA in place');
    return outcome;
  } catch (err) {
    const failure = nodeFailure(host, err, output);
    if (failure.error.code === 'internal')
      work.log.error({ err, host: host.ip }, 'registry distribute failed unexpectedly on a host');
    return failure;
  }
}

const isFailure = (o: NodeCaOutcome | NodeFailure): o is NodeFailure => 'error' in o;

async function toCluster(
  work: Work,
  uuid: string,
  ssh: Request['ssh'],
): Promise<RegistryDistributeItem> {
  let target;
  try {
    target = await clusterHosts(work.ctx, uuid, ssh);
  } catch (err) {
    return clusterFailed(uuid, asTopkeError(err));
  }
  const limit = pLimit(HOSTS_AT_ONCE);
  const outcomes = await Promise.all(target.hosts.map((h) => limit(() => toHost(work, h))));
  const failures = outcomes.filter(isFailure);
  const redact = createRedactor(targetSecrets(target.hosts));
  const nodes = outcomes.map((o, i) =>
    isFailure(o) ? nodeFailed(o, redact) : nodeSucceeded(target.hosts[i]!, o),
  );
  if (failures.length === 0) return clusterSucceeded(uuid, nodes);
  const error = clusterNodesFailed(target.cluster.name, target.hosts.length, failures, redact);
  work.log.warn({ cluster: uuid, failed: failures.map((f) => f.host.ip) }, error.message);
  return clusterFailed(uuid, error, nodes);
}

/** Puts a managed registry's CA certificate on every node of the given clusters, clusters and
 * hosts in parallel (bounded). A cluster that fails does not stop the others: each has its own
 * result, in the order asked. An unknown or CA-less registry fails the whole request. */
export async function distributeRegistry(
  ctx: ServiceContext,
  req: Request,
): Promise<RegistryDistributeResult> {
  const registry = registryToDistribute(ctx, req.registry.registry_uuid);
  const log = ctx.log.child({ scope: 'registry' });
  const pool = createSshPool({
    knownHosts: createKnownHostsStore(ctx.db),
    log: ctx.log,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  });
  const work: Work = { ctx, pool, registry, log };
  try {
    const limit = pLimit(CLUSTERS_AT_ONCE);
    const uuids = [...new Set(req.clusters)];
    const results = await Promise.all(uuids.map((u) => limit(() => toCluster(work, u, req.ssh))));
    const success = results.filter((r) => r.scode === 0).length;
    log.info({ registry: registry.host, clusters: uuids.length, success }, 'registry distributed');
    return { total: results.length, success, fail: results.length - success, results };
  } finally {
    await pool.closeAll();
  }
}
