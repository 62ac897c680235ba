// The typed bridge: exposes the contract's operations and the progress subscription, nothing else.
// A sandboxed preload may not load local modules, so only types come from the contract.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { OperationName, ProgressEvent, TopkeApi } from '../main/contract/operations.js';
import type { BridgeAnswer, TopkeBridge } from '../main/electron/bridge.js';

const NAMES = {
  deploy: true,
  deployStatus: true,
  hostScan: true,
  vipTest: true,
  nodeCreate: true,
  clusterAdd: true,
  clusterDelete: true,
  clusterGet: true,
  clusterList: true,
  registryDistribute: true,
  kubeconfigInspect: true,
  kubeconfigDownload: true,
  clusterCheck: true,
  tenantCreate: true,
  tenantRename: true,
  tenantList: true,
  deployPurge: true,
  deployList: true,
  scanStatus: true,
  scanCancel: true,
  preflight: true,
  preflightFix: true,
  registryCreate: true,
  registryList: true,
  registryUpdate: true,
  registryDelete: true,
  knownHostList: true,
  knownHostAccept: true,
  knownHostForget: true,
} satisfies Record<OperationName, true>;

/** What a failed call rejects with. The context bridge copies an Error with its message only
 * (custom properties are dropped), so the error travels as plain data, which crosses intact. */
interface BridgeErrorData {
  name: 'TopkeError';
  code: string;
  field?: string;
  message: string;
  messageCn: string;
  /** For a changed host key: host, port and both fingerprints (HostKeyChangedDetails). */
  details?: unknown;
}

const api = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
for (const name of Object.keys(NAMES) as OperationName[]) {
  api[name] = async (input: unknown) => {
    const answer = (await ipcRenderer.invoke(`topke:${name}`, input)) as BridgeAnswer;
    if (answer.ok) return answer.data;
    const error: BridgeErrorData = { name: 'TopkeError', ...answer.error };
    return Promise.reject(error);
  };
}

const bridge: TopkeBridge = {
  api: api as unknown as TopkeApi,
  onProgress(listener: (event: ProgressEvent) => void) {
    const handler = (_e: IpcRendererEvent, event: ProgressEvent) => listener(event);
    ipcRenderer.on('topke:progress', handler);
    return () => ipcRenderer.off('topke:progress', handler);
  },
  pathForFile(file: object) {
    return file instanceof File ? webUtils.getPathForFile(file) : '';
  },
};

contextBridge.exposeInMainWorld('topke', bridge);
