import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { TopkeError } from '../contract/errors.js';

/** A node as the cluster's API server lists it. */
export interface ApiNode {
  name: string;
  ip: string;
  role: 'master' | 'worker';
}

const TIMEOUT_MS = 10_000;
const MAX_ANSWER = 8 * 1024 * 1024;
const CONTROL_PLANE_LABELS = [
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
];

const NodeList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({
        name: z.string(),
        labels: z.record(z.string(), z.string()).optional(),
      }),
      status: z
        .object({
          addresses: z.array(z.object({ type: z.string(), address: z.string() })).optional(),
        })
        .optional(),
    }),
  ),
});

function unlisted(name: string, en: string, cn: string): TopkeError {
  return new TopkeError({
    code: 'unreachable',
    field: 'clusters',
    message: `clusters: the nodes of imported cluster ${name} could not be listed from its API server: ${en}`,
    messageCn: `clusters：无法从导入集群 ${name} 的 API Server 获取节点列表：${cn}`,
  });
}

async function getNodeList(kubeconfig: string, name: string): Promise<string> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw unlisted(name, 'its kubeconfig names no server', 'kubeconfig 中没有 server');
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const client = server.startsWith('http:') ? http : https;
    const req = client.get(`${server}/api/v1/nodes`, { ...opts, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER) chunks.push(chunk);
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status === 200) return resolve(Buffer.concat(chunks).toString('utf8'));
        reject(
          unlisted(name, `HTTP ${status} for /api/v1/nodes`, `/api/v1/nodes 返回 HTTP ${status}`),
        );
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) =>
      reject(err instanceof TopkeError ? err : unlisted(name, err.message, err.message)),
    );
  });
}

function toApiNode(item: z.output<typeof NodeList>['items'][number]): ApiNode | null {
  const ip = item.status?.addresses?.find(
    (a) => a.type === 'InternalIP' && /^\d+\.\d+\.\d+\.\d+$/.test(a.address),
  )?.address;
  if (!ip) return null;
  const labels = item.metadata.labels ?? {};
  const master = CONTROL_PLANE_LABELS.some((l) => l in labels);
  return { name: item.metadata.name, ip, role: master ? 'master' : 'worker' };
}

/** The nodes of a cluster TopKE did not deploy (it keeps no record of them), read from its API
 * server with the stored kubeconfig: each node's name, IPv4 InternalIP and role. */
export async function nodesFromApiServer(kubeconfig: string, name: string): Promise<ApiNode[]> {
  const body = await getNodeList(kubeconfig, name);
  let parsed: z.output<typeof NodeList>;
  try {
    parsed = NodeList.parse(JSON.parse(body));
  } catch {
    throw unlisted(name, 'the answer is not a Kubernetes NodeList', '响应不是 Kubernetes NodeList');
  }
  return parsed.items.map(toApiNode).filter((n): n is ApiNode => n !== null);
}
