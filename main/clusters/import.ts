import { dirname, resolve } from 'node:path';
import { TopkeError } from '../contract/errors.js';
import type { OperationRequest } from '../contract/operations.js';
import type { ClusterAddResult, RestConfig } from '../contract/results.js';
import type { ServiceContext } from '../context.js';
import { refuseUnallowedExec } from '../kubeconfig/exec-consent.js';
import type { KubeconfigSource } from '../kubeconfig/paths.js';
import { pickContexts } from '../kubeconfig/pick.js';
import { probeContext, type Unreached } from '../kubeconfig/probe.js';
import { readKubeconfig } from '../kubeconfig/read.js';
import { requireTenant } from '../tenants/store.js';
import { importNames, refuseTakenNames } from './import-names.js';
import { importRecord, insertImportRecord, type ImportRecord } from './import-record.js';

export function sourceOf(sourcePath: string | undefined): KubeconfigSource {
  return { dir: sourcePath ? dirname(resolve(sourcePath)) : null };
}

/** Unreachable is not invalid, but saving it is the engineer's choice. */
function refuseUnreachable(unreached: Unreached): TopkeError {
  const e = unreached.error;
  return new TopkeError({
    code: 'unreachable',
    field: e.field,
    message: `${e.message}; set save_unreachable to save it anyway, marked unreachable`,
    messageCn: `${e.messageCn}；如仍要保存（标记为不可达），请设置 save_unreachable`,
  });
}

function answerOf(records: ImportRecord[], configs: RestConfig[]): ClusterAddResult {
  return {
    TotalCount: records.length,
    Infos: records.map((r, i) => ({
      UUID: r.uuid,
      Name: r.name,
      Config: configs[i]!,
      Desc: '',
      IsStop: false,
      Attr: null,
      CTime: r.created_at,
      MTime: r.created_at,
      State: r.state,
      state_desc: r.state_desc,
      is_managed: true,
      context: r.context,
      warnings: r.warnings,
    })),
  };
}

/** Imports the picked contexts of a kubeconfig, each as one cluster, after reading /version from
 * each API server. All or nothing: one failure saves none. An exec plugin runs only when its
 * fingerprint is in allow_exec; otherwise nothing runs and nothing is saved. */
export async function addClusters(
  ctx: ServiceContext,
  req: OperationRequest<'clusterAdd'>,
): Promise<ClusterAddResult> {
  const tenant = requireTenant(ctx.db, req.tenant_uuid);
  const read = readKubeconfig(req.kube_config_data, sourceOf(req.source_path));
  const picked = pickContexts(read, req.contexts);
  const names = importNames(
    req.Name,
    picked.contexts.map((c) => c.name),
  );
  refuseTakenNames(ctx.db, tenant.uuid, names);
  const allowedExec = req.allow_exec ?? [];
  refuseUnallowedExec(picked.contexts, allowedExec);
  const outcomes = await Promise.all(picked.contexts.map((c) => probeContext(c, { allowedExec })));
  const unreached = outcomes.find((o): o is Unreached => !o.reachable);
  if (unreached && !req.save_unreachable) throw refuseUnreachable(unreached);
  const now = Math.floor(Date.now() / 1000);
  const records = picked.contexts.map((context, i) =>
    importRecord(ctx, {
      context,
      name: names[i]!,
      tenant: tenant.uuid,
      outcome: outcomes[i]!,
      sourcePath: req.source_path,
      now,
    }),
  );
  records[0]!.warnings.push(...picked.warnings);
  ctx.db.transaction(() => {
    refuseTakenNames(ctx.db, tenant.uuid, names);
    for (const r of records) insertImportRecord(ctx.db, r);
  })();
  ctx.log
    .child({ scope: 'clusters' })
    .info(
      { clusters: records.map((r) => ({ uuid: r.uuid, name: r.name, state: r.state })) },
      'clusters imported',
    );
  return answerOf(
    records,
    records.map((r) => JSON.parse(r.config_public) as RestConfig),
  );
}
