import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { create } from 'tar';
import { parseAllDocuments } from 'yaml';
import { createServices, type Services } from '../../main/api.js';
import { createContext, type ServiceContext } from '../../main/context.js';
import type { DeployStatusResult } from '../../main/contract/results.js';
import type { DeployRequestInput } from '../../main/contract/schemas.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import type { LabHost } from '../lab/lab.js';

export const ROOT_PASSWORD = 'lab-root-Secret-7';

/** A fresh data folder with the product's services over it. */
export interface Product {
  dir: string;
  ctx: ServiceContext;
  services: Services;
  close(): Promise<void>;
}

export function startProduct(dir = mkdtempSync(join(tmpdir(), 'topke-deploy-'))): Product {
  process.env.TOPKE_LOG_LEVEL ??= 'warn';
  const ctx = createContext(dir, { logToFile: false });
  const services = createServices(ctx);
  return {
    dir,
    ctx,
    services,
    async close() {
      await services.close();
      ctx.db.close();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Waits until the deploy is over: the condition is read from the status, checked on every
 * progress event and at least every 200 ms. */
export async function waitForDeploy(
  product: Product,
  uuid: string,
  timeoutMs = 90_000,
): Promise<DeployStatusResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await product.services.api.deployStatus({ uuid });
    if (status.is_over) return status;
    if (Date.now() > deadline)
      throw new Error(`deploy ${uuid} still running after ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 200);
      const stop = product.ctx.events.subscribe(
        (e) => e.kind === 'deploy' && e.uuid === uuid && done(),
      );
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  }
}

export function deployPlan(
  name: string,
  masters: Pick<LabHost, 'ip'>[],
  workers: Pick<LabHost, 'ip'>[],
  bundlePath: string,
  extra: Partial<DeployRequestInput> = {},
): DeployRequestInput {
  return {
    name,
    cluster_node_scale: 'medium',
    master_list: masters.map((h) => ({ IP: h.ip, NodeName: `m-${h.ip.split('.').pop()}` })),
    node_list: workers.map((h) => ({ IP: h.ip, NodeName: `w-${h.ip.split('.').pop()}` })),
    KubernetesVersion: 'v1.30.2',
    ServicePodCidr: '',
    PodCidr: '10.244.0.0/16',
    ControlPlaneConfig: { KubeProxyConfig: { Mode: 'ipvs' } },
    ssh: { user: 'root', password: ROOT_PASSWORD, port: 22 },
    bundle_path: bundlePath,
    ...extra,
  };
}

/** The documents of a YAML file on a host, by kind. */
export function docsByKind(text: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const doc of parseAllDocuments(text)) {
    const obj = doc.toJS() as Record<string, unknown> | null;
    if (obj && typeof obj.kind === 'string') out[obj.kind] = obj;
  }
  return out;
}

export function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

export const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip:v0.8.9';

/** A test bundle for an HA control plane: kube-vip's image archive among the images, and its
 * name in manifest.json (images["kube-vip"]), in the folder and in the .tar.gz alike. */
export async function buildHaBundle(): Promise<TestBundle> {
  const bundle = await buildTestBundle({
    images: ['registry.k8s.io/pause:3.9', 'docker.io/calico/node:v3.27.3', KUBE_VIP_IMAGE],
  });
  const manifest = { ...bundle.manifest, images: { 'kube-vip': KUBE_VIP_IMAGE } };
  writeFileSync(join(bundle.dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await create({ gzip: true, file: bundle.archive, cwd: dirname(bundle.dir), portable: true }, [
    basename(bundle.dir),
  ]);
  return { ...bundle, manifest };
}
