// The cluster service on a fresh data folder, reached the way every transport reaches it: the
// request is validated against the contract's schema, then handled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS, type OperationName } from '../../main/contract/operations.js';
import { validate } from '../../main/contract/validate.js';
import { createContext, type ServiceContext } from '../../main/context.js';
import { createClusterHandlers } from '../../main/clusters/service.js';

export interface Harness {
  ctx: ServiceContext;
  call<K extends OperationName>(name: K, input: unknown): Promise<unknown>;
  close(): void;
}

type AnyHandler = (request: unknown) => Promise<unknown>;

/** A data folder with its database and secret box, and the handlers of `extra` features too. */
export function createHarness(
  extra: ((ctx: ServiceContext) => Record<string, unknown>)[] = [],
): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'topke-clusters-'));
  const ctx = createContext(dir, { logToFile: false });
  ctx.log.level = 'silent';
  const handlers = {
    ...createClusterHandlers(ctx),
    ...Object.assign({}, ...extra.map((make) => make(ctx))),
  } as Record<string, AnyHandler>;
  return {
    ctx,
    async call(name, input) {
      const handler = handlers[name];
      if (!handler) throw new Error(`no handler for ${name}`);
      return handler(validate(OPERATIONS[name].request, input));
    },
    close() {
      ctx.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RowSpec {
  uuid: string;
  name: string;
  desc?: string;
  tenant?: string;
  source?: 'deployed' | 'imported';
  state?: string;
  version?: string | null;
  created?: number;
  server?: string;
  kubeconfig?: string;
  nodes?: { ip: string; name: string; role: 'master' | 'worker' }[];
  ha?: boolean;
}

/** Writes a cluster the way a deploy does: a clusters row and its nodes. */
export function insertCluster(ctx: ServiceContext, spec: RowSpec): void {
  ctx.db
    .prepare(
      `INSERT INTO clusters (uuid, tenant_uuid, name, desc, source, state, api_server,
        kube_version, kubeconfig_enc, is_high_available, cluster_node_scale, pod_cidr,
        service_cidr, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'medium', '192.168.0.0/16', '10.96.0.0/12', ?, ?)`,
    )
    .run(
      spec.uuid,
      spec.tenant ?? '00000000-0000-4000-8000-000000000000',
      spec.name,
      spec.desc ?? '',
      spec.source ?? 'deployed',
      spec.state ?? 'running',
      spec.server ?? 'https://198.18.9.10:6443',
      spec.version ?? null,
      spec.kubeconfig ? ctx.secrets.seal(spec.kubeconfig) : null,
      spec.ha ? 1 : 0,
      spec.created ?? 1_700_000_000,
      spec.created ?? 1_700_000_000,
    );
  const node = ctx.db.prepare(
    `INSERT INTO nodes (cluster_uuid, ip, node_name, role, state, position)
     VALUES (?, ?, ?, ?, 'ready', ?)`,
  );
  (spec.nodes ?? []).forEach((n, i) => node.run(spec.uuid, n.ip, n.name, n.role, i));
}

/** Writes a deploy of the cluster: running (not over) or ended in success. */
export function insertDeploy(
  ctx: ServiceContext,
  id: string,
  clusterUuid: string,
  state: 'running' | 'success',
): void {
  ctx.db
    .prepare(
      `INSERT INTO deploys (id, cluster_uuid, kind, request, state, is_over, created_at)
       VALUES (?, ?, 'deploy', '{}', ?, ?, 1)`,
    )
    .run(id, clusterUuid, state, state === 'running' ? 0 : 1);
}

export function insertTenant(ctx: ServiceContext, uuid: string, name: string): void {
  ctx.db.prepare('INSERT INTO tenants (uuid, name, created_at) VALUES (?, ?, 1)').run(uuid, name);
}
