// A stand-in Kubernetes API server on 127.0.0.1 for an imported cluster: HTTPS with its own
// certificate, one bearer token, /version and a NodeList at /api/v1/nodes. Anything else, or a
// request without the token, is refused as kube-apiserver refuses it.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

export interface ListedNode {
  name: string;
  ip: string;
  controlPlane: boolean;
}

export interface NodesApiServer {
  url: string;
  /** A kubeconfig for this server, token auth, CA inline. */
  kubeconfig: string;
  paths: string[];
  close(): Promise<void>;
}

function nodeList(nodes: ListedNode[]): string {
  return JSON.stringify({
    kind: 'NodeList',
    apiVersion: 'v1',
    items: nodes.map((n) => ({
      metadata: {
        name: n.name,
        labels: n.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {},
      },
      status: {
        addresses: [
          { type: 'InternalIP', address: n.ip },
          { type: 'Hostname', address: n.name },
        ],
      },
    })),
  });
}

export async function startNodesApiServer(
  tls: { cert: string; key: string; ca: string },
  token: string,
  nodes: ListedNode[],
): Promise<NodesApiServer> {
  const paths: string[] = [];
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    paths.push(req.url ?? '');
    const body =
      req.headers.authorization !== `Bearer ${token}`
        ? null
        : req.url === '/version'
          ? JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.2' })
          : req.url === '/api/v1/nodes'
            ? nodeList(nodes)
            : null;
    res.writeHead(body ? 200 : 403, { 'content-type': 'application/json' });
    res.end(body ?? '{"kind":"Status","code":403}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'imported',
        cluster: {
          server: url,
          'certificate-authority-data': Buffer.from(tls.ca).toString('base64'),
        },
      },
    ],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'imported', context: { cluster: 'imported', user: 'admin' } }],
    'current-context': 'imported',
  });
  return {
    url,
    kubeconfig,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
