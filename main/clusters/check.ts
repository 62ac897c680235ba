import { TopkeError } from '../contract/errors.js';
import type { ClusterGetResult } from '../contract/results.js';
import type { ServiceContext } from '../context.js';
import type { ContextEntry } from '../kubeconfig/context-entry.js';
import { unusable } from '../kubeconfig/pick.js';
import { probeContext } from '../kubeconfig/probe.js';
import { readKubeconfig } from '../kubeconfig/read.js';
import { getCluster } from './history.js';
import { certExpiryOf } from './import-record.js';
import { openStoredKubeconfig } from './stored-kubeconfig.js';

interface Checked {
  state: 'running' | 'unreachable' | 'error';
  state_desc: string;
  kube_version: string | null;
  cert_expiry: number | null;
}

function refuseWhileDeploying(ctx: ServiceContext, uuid: string, field: string): void {
  const running = ctx.db
    .prepare('SELECT 1 FROM deploys WHERE cluster_uuid = ? AND is_over = 0')
    .get(uuid);
  if (running)
    throw new TopkeError({
      code: 'conflict',
      field,
      message: `${field}: cluster ${uuid} is being deployed; its state comes from the deploy`,
      messageCn: `${field}：集群 ${uuid} 正在部署，其状态由部署决定`,
    });
}

function currentContext(text: string): ContextEntry {
  const read = readKubeconfig(text, { dir: null }, 'kubeconfig');
  const context = read.contexts.find((c) => c.name === read.currentContext) ?? read.contexts[0];
  if (!context) throw new Error('the stored kubeconfig has no context');
  if (context.problems.length > 0) throw unusable(context);
  return context;
}

async function probeStored(text: string): Promise<Checked> {
  try {
    const context = currentContext(text);
    const outcome = await probeContext(context);
    if (!outcome.reachable)
      return {
        state: 'unreachable',
        state_desc: outcome.error.message,
        kube_version: null,
        cert_expiry: null,
      };
    return {
      state: 'running',
      state_desc: '',
      kube_version: JSON.stringify(outcome.version),
      cert_expiry: certExpiryOf(context, outcome.serverCertExpiry),
    };
  } catch (err) {
    if (!(err instanceof TopkeError)) throw err;
    return { state: 'error', state_desc: err.message, kube_version: null, cert_expiry: null };
  }
}

/** "Check now": reads /version with the stored kubeconfig and records state and version. A
 * version or expiry already known is kept when the server cannot tell. */
export async function checkCluster(
  ctx: ServiceContext,
  uuid: string,
  field = 'uuid',
): Promise<ClusterGetResult> {
  refuseWhileDeploying(ctx, uuid, field);
  const stored = openStoredKubeconfig(ctx, uuid, field);
  const checked = await probeStored(stored.text);
  ctx.db
    .prepare(
      `UPDATE clusters SET state = @state, state_desc = @state_desc,
        kube_version = coalesce(@kube_version, kube_version),
        cert_expiry = coalesce(@cert_expiry, cert_expiry), updated_at = @now
       WHERE uuid = @uuid`,
    )
    .run({ ...checked, uuid, now: Math.floor(Date.now() / 1000) });
  ctx.log.child({ scope: 'clusters' }).info({ uuid, state: checked.state }, 'cluster checked');
  return getCluster(ctx, uuid);
}
