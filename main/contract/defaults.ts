// Plain values of the contract, kept free of zod so that the renderer can import them at run time
// (zod probes `new Function`, which the renderer's Content-Security-Policy refuses).

/** The tenant used when a request names none. */
export const DEFAULT_TENANT_UUID = '00000000-0000-4000-8000-000000000000';
/** The spec's defaults for the pod and service networks. */
export const DEFAULT_POD_CIDR = '192.168.0.0/16';
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

export const NODE_SCALES = ['small', 'medium', 'large', 'xlarge'] as const;

export const KUBE_PROXY_MODES = ['iptables', 'ipvs'] as const;

/** The spec's TopKESortByName, and the other keys of cluster list's sort_by. */
export const CLUSTER_SORT_KEYS = [
  'TopKESortByName',
  'TopKESortByCreateTime',
  'TopKESortByState',
  'TopKESortByVersion',
] as const;
