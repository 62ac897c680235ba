import type { ServiceContext } from '../context.js';
import type { RestConfig } from '../contract/results.js';
import { maskedConfigOfStored } from '../kubeconfig/stored-view.js';

interface Pending {
  uuid: string;
  kubeconfig_enc: Buffer;
  api_server: string;
}

/** Derives the masked connection settings of clusters whose kubeconfig is new or rewritten (a
 * finished deploy, a certificate update), so that list and get never open a sealed kubeconfig. */
export function refreshPublicConfigs(ctx: ServiceContext): void {
  const pending = ctx.db
    .prepare(
      `SELECT uuid, kubeconfig_enc, api_server FROM clusters
       WHERE config_public IS NULL AND kubeconfig_enc IS NOT NULL`,
    )
    .all() as Pending[];
  if (pending.length === 0) return;
  const save = ctx.db.prepare('UPDATE clusters SET config_public = ? WHERE uuid = ?');
  ctx.db.transaction(() => {
    for (const row of pending) save.run(JSON.stringify(publicConfig(ctx, row)), row.uuid);
  })();
}

function publicConfig(ctx: ServiceContext, row: Pending): RestConfig {
  let text: string;
  try {
    text = ctx.secrets.open(row.kubeconfig_enc);
  } catch (err) {
    ctx.log
      .child({ scope: 'clusters' })
      .warn({ err, uuid: row.uuid }, 'stored kubeconfig cannot be opened');
    text = '';
  }
  return maskedConfigOfStored(text, row.api_server);
}
