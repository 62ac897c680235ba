// source_path names a file on the service's own machine. The desktop app (IPC) and the command
// line send it for a file the engineer picked; over HTTP it would let any client make the service
// read any file it can, so the HTTP transport refuses it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../main/api.js';
import { createContext, type ServiceContext } from '../../main/context.js';
import type { KubeconfigInspectResult } from '../../main/contract/results.js';
import type { BridgeAnswer } from '../../main/electron/bridge.js';
import { registerIpcHandlers, type IpcMainLike } from '../../main/electron/ipc.js';
import { createHttpServer } from '../../main/transport/http.js';
import { kubeconfigYaml } from './build.js';
import { createTestPki, type TestPki } from './pki.js';

const TOKEN = 'source-path-test-token';
const APP = 'file:///app/renderer/index.html';

let dir: string;
let ctx: ServiceContext;
let services: Services;
let server: Server;
let base: string;
let pki: TestPki;
/** A kubeconfig whose CA is a file next to it, as kubeadm's admin.conf users often keep it. */
let yaml: string;

type Listener = Parameters<IpcMainLike['handle']>[1];

async function post(path: string, body: unknown) {
  const res = await fetch(`${base}/v1/topke/cluster${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  pki = createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'topke-source-path-'));
  mkdirSync(join(dir, 'kube'));
  writeFileSync(join(dir, 'kube', 'ca.crt'), pki.ca.cert);
  yaml = kubeconfigYaml({
    clusters: [
      {
        name: 'lab',
        cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.crt' },
      },
    ],
    users: [{ name: 'u', user: { token: 'tok-source-path' } }],
    contexts: [{ name: 'u@lab', context: { cluster: 'lab', user: 'u' } }],
    current: 'u@lab',
  });
  ctx = createContext(join(dir, 'data'), { logToFile: false });
  ctx.log.level = 'silent';
  services = createServices(ctx);
  server = createHttpServer({ api: services.api, events: ctx.events, token: TOKEN, log: ctx.log });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await services.close();
  ctx.db.close();
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('source_path over HTTP', () => {
  const refusal = {
    scode: 400,
    message:
      'source_path: is not accepted over HTTP: the service would read files on its own disk by that path. Put the certificates and keys inline (the *-data fields) and leave source_path out, or import the file with "topke import FILE" or the desktop app',
    message_cn:
      'source_path：不接受通过 HTTP 传入：服务会按该路径读取本机文件。请将证书和密钥内联（*-data 字段）并去掉 source_path，或使用 “topke import FILE” 或桌面应用导入该文件',
    data: null,
    error: { code: 'invalid_field', field: 'source_path' },
  };

  it('is refused by cluster add and kubeconfig inspect, and nothing is imported', async () => {
    const source_path = join(dir, 'kube', 'config');
    const added = await post('/add', { Name: 'x', kube_config_data: yaml, source_path });
    expect(added).toMatchObject({ status: 400, body: refusal });
    const inspected = await post('/kubeconfig/inspect', { kube_config_data: yaml, source_path });
    expect(inspected).toMatchObject({ status: 400, body: refusal });
    expect(await services.api.clusterList({})).toMatchObject({ total_count: 0 });
  });

  it('is refused in the query string too', async () => {
    const res = await post(`/kubeconfig/inspect?source_path=${encodeURIComponent('/etc/x')}`, {
      kube_config_data: yaml,
    });
    expect(res).toMatchObject({ status: 400, body: refusal });
  });

  it('leaves requests without it alone: a file reference in pasted text is named as such', async () => {
    const res = await post('/kubeconfig/inspect', { kube_config_data: yaml });
    expect(res.status).toBe(200);
    const data = res.body.data as KubeconfigInspectResult;
    expect(data.contexts[0]!.problems[0]!.field).toBe(
      'clusters["lab"].cluster.certificate-authority',
    );
  });
});

describe('source_path from the desktop app (IPC)', () => {
  it('still resolves the file references next to the picked file', async () => {
    const handlers = new Map<string, Listener>();
    registerIpcHandlers(
      { handle: (channel, listener) => void handlers.set(channel, listener) },
      services.api,
      (url) => url === APP,
    );
    const answer = (await handlers.get('topke:kubeconfigInspect')!(
      { senderFrame: { url: APP } },
      { kube_config_data: yaml, source_path: join(dir, 'kube', 'config') },
    )) as BridgeAnswer;
    expect(answer.ok).toBe(true);
    const data = (answer as { data: KubeconfigInspectResult }).data;
    expect(data.contexts[0]).toMatchObject({ name: 'u@lab', valid: true, problems: [] });
  });
});
