import { notFound, TopkeError } from '../contract/errors.js';
import type { ServiceContext } from '../context.js';

export interface StoredKubeconfig {
  uuid: string;
  name: string;
  text: string;
}

/** A cluster's kubeconfig, opened from its seal; a cluster without one (its deploy has not
 * fetched it yet) is an error naming the uuid. */
export function openStoredKubeconfig(
  ctx: ServiceContext,
  uuid: string,
  field = 'uuid',
): StoredKubeconfig {
  const row = ctx.db
    .prepare('SELECT uuid, name, kubeconfig_enc FROM clusters WHERE uuid = ?')
    .get(uuid) as { uuid: string; name: string; kubeconfig_enc: Buffer | null } | undefined;
  if (!row) throw notFound('cluster', '集群', uuid, field);
  if (!row.kubeconfig_enc)
    throw new TopkeError({
      code: 'not_found',
      field,
      message: `${field}: cluster ${row.name} has no kubeconfig yet (its deploy has not fetched one)`,
      messageCn: `${field}：集群 ${row.name} 尚无 kubeconfig（部署尚未获取）`,
    });
  return { uuid: row.uuid, name: row.name, text: ctx.secrets.open(row.kubeconfig_enc) };
}
