import type { ClusterView, RestConfig } from '../contract/results.js';
import { emptyRestConfig } from '../kubeconfig/rest-config.js';
import { parseKubeVersion, unknownKubeVersion } from './kube-version.js';
import type { ClusterRow, NodeRow } from './rows.js';

/** Times are seconds in the spec; a value in milliseconds is read as such. */
export function toSeconds(time: number | null): number {
  if (!time) return 0;
  return time > 1e12 ? Math.floor(time / 1000) : time;
}

function configOf(row: ClusterRow): RestConfig {
  if (row.config_public) {
    try {
      return JSON.parse(row.config_public) as RestConfig;
    } catch {
      return emptyRestConfig(row.api_server);
    }
  }
  return emptyRestConfig(row.api_server);
}

/** A cluster of the history in the spec's list shape. The kubeconfig itself is never part of it
 * (kube_config_data stays empty, as in the spec); its download is an operation of its own. */
export function clusterView(row: ClusterRow, nodes: NodeRow[]): ClusterView {
  return {
    uuid: row.uuid,
    name: row.name,
    config: configOf(row),
    desc: row.desc,
    is_stop: false,
    attr: null,
    create_time: toSeconds(row.created_at),
    update_time: toSeconds(row.updated_at),
    state: row.state,
    state_desc: row.state_desc,
    is_managed: true,
    tenant_uuid: row.tenant_uuid,
    tenant_name: row.tenant_name,
    kube_version: parseKubeVersion(row.kube_version) ?? unknownKubeVersion(),
    is_high_available: row.is_high_available === 1,
    kube_config_data: '',
    cluster_node_scale: row.cluster_node_scale,
    PodCidr: row.pod_cidr,
    ServicePodCidr: row.service_cidr,
    source: row.source,
    node_count: row.node_count,
    nodes: nodes.map((n) => ({ ip: n.ip, name: n.node_name, role: n.role, state: n.state })),
    cert_expiry: row.cert_expiry ? toSeconds(row.cert_expiry) : null,
  };
}
