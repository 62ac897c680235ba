import type { z } from 'zod';
import * as S from './schemas.js';
import type * as R from './results.js';

/** Every operation of the spec: its HTTP route under /v1/topke/cluster, and its request schema. */
export const OPERATIONS = {
  deploy: { methods: ['POST'], path: '/deploy', request: S.DeployRequest },
  deployStatus: {
    methods: ['GET', 'POST'],
    path: '/deploy/status/inspect',
    request: S.DeployStatusRequest,
  },
  hostScan: { methods: ['GET', 'POST'], path: '/host/scan', request: S.HostScanRequest },
  vipTest: { methods: ['POST'], path: '/vip/test', request: S.VipTestRequest },
  nodeCreate: {
    methods: ['GET', 'POST'],
    path: '/deploy/node/create',
    request: S.NodeCreateRequest,
  },
  clusterAdd: { methods: ['POST'], path: '/add', request: S.ClusterAddRequest },
  clusterDelete: { methods: ['POST'], path: '/delete', request: S.ClusterDeleteRequest },
  clusterGet: { methods: ['POST', 'GET'], path: '/get', request: S.ClusterGetRequest },
  clusterList: { methods: ['POST', 'GET'], path: '/list', request: S.ClusterListRequest },
  registryDistribute: {
    methods: ['POST'],
    path: '/registry/distribute',
    request: S.RegistryDistributeRequest,
  },
  // Extensions, not in the spec: follow and cancel a running scan; check hosts before a deploy.
  scanStatus: { methods: ['GET', 'POST'], path: '/host/scan/status', request: S.ScanStatusRequest },
  scanCancel: { methods: ['POST'], path: '/host/scan/cancel', request: S.ScanCancelRequest },
  preflight: { methods: ['POST'], path: '/preflight', request: S.PreflightRequest },
  preflightFix: { methods: ['POST'], path: '/preflight/fix', request: S.PreflightFixRequest },
  // Extensions, not in the spec: kubeconfig import and download, cluster check, tenants, purge.
  kubeconfigInspect: {
    methods: ['POST'],
    path: '/kubeconfig/inspect',
    request: S.KubeconfigInspectRequest,
  },
  kubeconfigDownload: {
    methods: ['POST', 'GET'],
    path: '/kubeconfig/download',
    request: S.ClusterUuidRequest,
  },
  clusterCheck: { methods: ['POST'], path: '/check', request: S.ClusterUuidRequest },
  tenantCreate: { methods: ['POST'], path: '/tenant/create', request: S.TenantCreateRequest },
  tenantRename: { methods: ['POST'], path: '/tenant/rename', request: S.TenantRenameRequest },
  tenantList: { methods: ['POST', 'GET'], path: '/tenant/list', request: S.TenantListRequest },
  deployPurge: { methods: ['POST'], path: '/deploy/purge', request: S.DeployPurgeRequest },
  // Extension, not in the spec: every deploy of a cluster (deploy status shows one by deploy_id).
  deployList: { methods: ['GET', 'POST'], path: '/deploy/list', request: S.DeployListRequest },
  // Extensions, not in the spec: the managed registries that registry distribute and deploy name.
  registryCreate: { methods: ['POST'], path: '/registry/create', request: S.RegistryCreateRequest },
  registryList: {
    methods: ['POST', 'GET'],
    path: '/registry/list',
    request: S.RegistryListRequest,
  },
  registryUpdate: { methods: ['POST'], path: '/registry/update', request: S.RegistryUpdateRequest },
  registryDelete: { methods: ['POST'], path: '/registry/delete', request: S.RegistryDeleteRequest },
  // Extensions, not in the spec: the recorded SSH host keys, and the engineer's decision about a
  // host whose key changed (accept exactly the key that was shown, or forget the host).
  knownHostList: {
    methods: ['GET', 'POST'],
    path: '/hostkey/list',
    request: S.KnownHostListRequest,
  },
  knownHostAccept: {
    methods: ['POST'],
    path: '/hostkey/accept',
    request: S.KnownHostAcceptRequest,
  },
  knownHostForget: {
    methods: ['POST'],
    path: '/hostkey/forget',
    request: S.KnownHostForgetRequest,
  },
} as const;

export const API_PREFIX = '/v1/topke/cluster';

export type OperationName = keyof typeof OPERATIONS;

/** What each operation answers inside the envelope's `data` (`null` for the VIP test, as in the spec). */
export interface OperationResults {
  deploy: R.DeployResult;
  deployStatus: R.DeployStatusResult;
  hostScan: R.HostScanResult;
  vipTest: null;
  nodeCreate: R.DeployResult;
  clusterAdd: R.ClusterAddResult;
  clusterDelete: { uuid: string };
  clusterGet: R.ClusterGetResult;
  clusterList: R.ClusterListResult;
  registryDistribute: R.RegistryDistributeResult;
  scanStatus: R.HostScanResult;
  scanCancel: R.HostScanResult;
  preflight: R.PreflightResult;
  preflightFix: R.PreflightFixResult;
  kubeconfigInspect: R.KubeconfigInspectResult;
  kubeconfigDownload: R.KubeconfigDownloadResult;
  clusterCheck: R.ClusterGetResult;
  tenantCreate: R.TenantView;
  tenantRename: R.TenantView;
  tenantList: R.TenantListResult;
  deployPurge: R.DeployPurgeResult;
  deployList: R.DeployListResult;
  registryCreate: R.RegistryView;
  registryList: R.RegistryListResult;
  registryUpdate: R.RegistryView;
  registryDelete: { registry_uuid: string };
  knownHostList: R.KnownHostListResult;
  knownHostAccept: R.KnownHostView;
  knownHostForget: { host: string; port: number };
}

export type OperationInput<K extends OperationName> = z.input<(typeof OPERATIONS)[K]['request']>;
export type OperationRequest<K extends OperationName> = z.output<(typeof OPERATIONS)[K]['request']>;

/** The service layer, and every client of it (HTTP, IPC bridge, renderer) has this shape. */
export type TopkeApi = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<OperationResults[K]>;
};

/** Progress pushed while long work runs. */
export type ProgressEvent =
  | {
      kind: 'scan';
      scan_uuid: string;
      done: number;
      total: number;
      found: number;
      /** Addresses waiting to be probed again: the kernel's neighbour table was full. */
      retrying: number;
      /** Addresses given up after every retry (counted in `done`). */
      unprobed: number;
      host?: R.HostInfo;
      finished?: boolean;
      state?: R.ScanState;
    }
  | {
      kind: 'deploy';
      uuid: string;
      deploy_id: string;
      stage: number;
      host?: string;
      step?: string;
      state: string;
      message?: string;
      /** The deploy's last event: its record is over (`state` success or failed). */
      over?: boolean;
    }
  | {
      /** New lines of a running deploy step's output, redacted, in the order printed; at most
       * every 500 ms per step, and once when it ends. */
      kind: 'step_output';
      uuid: string;
      deploy_id: string;
      stage: number;
      host: string;
      step: string;
      /** The index of `lines[0]` among every line of the step: a jump from the last event's end
       * means lines were left out (a burst beyond one event's bound); the step's record in the
       * deploy status has them, within its own bound. */
      first_line: number;
      lines: string[];
    }
  | { kind: 'log'; uuid: string; host?: string; line: string };
